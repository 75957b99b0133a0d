/**
 * Collecting what a step delivered: poll every person's inbox until each predicted delivery has arrived or the
 * listening window has passed. Every delivery is timed on the harness's own clock (when the harness saw it); the
 * system's own timestamp (`deliveredAt`), when it gives one, is kept beside it as the system's claim, never used
 * in its place: a system whose clock runs behind must not be able to hide a late delivery.
 */
import type { Delivery } from '../specs/protocol.js';
import type { Mismatch } from '../reports/results.js';
import { LATENCY_REQUIREMENTS } from '../specs/observed-fields.js';
import { identifies, listenMs } from './deliveries.js';

/** One delivery as the harness saw it arrive. */
export interface Seen {
  delivery: Delivery;
  /** ms from the step's action being sent to the harness seeing the delivery (the harness's clock). */
  latencyMs: number;
  /** ms from the action being sent to the system's own `deliveredAt`, when it gave one (the system's clock). */
  systemLatencyMs: number | null;
}

/** A clock pair for one step: a monotonic start for durations, the epoch start to read a system's timestamps. */
export interface StepClock {
  sentAt: number;
  sentAtEpoch: number;
}

export type Drain = (user: string) => Promise<Delivery[]>;

const pause = (ms: number) => new Promise<void>((r) => (ms ? setTimeout(r, ms) : setImmediate(r)));

/** Everything in every inbox now, timed. */
export async function drainAll(drain: Drain, people: readonly string[], clock: StepClock): Promise<Seen[]> {
  const out: Seen[] = [];
  for (const u of people)
    for (const delivery of await drain(u))
      out.push({
        delivery,
        latencyMs: performance.now() - clock.sentAt,
        systemLatencyMs: typeof delivery.deliveredAt === 'number' ? delivery.deliveredAt - clock.sentAtEpoch : null,
      });
  return out;
}

/**
 * Drain until every `expected` delivery has been identified among what arrived, or the listening window is over.
 * A delivery with a wrong field still counts as arrived (`identifies`): the comparison names the wrong field, and
 * nobody waits out the window for a message that is already there.
 */
export async function collect(
  drain: Drain,
  people: readonly string[],
  expected: readonly Delivery[],
  clock: StepClock,
  deadlineMs: number,
): Promise<Seen[]> {
  const seen: Seen[] = [];
  const complete = () => expected.every((e) => seen.some((s) => identifies(e, s.delivery)));
  for (let wait = 0; ; wait = Math.min(50, Math.max(1, wait * 2))) {
    seen.push(...(await drainAll(drain, people, clock)));
    if (expected.length === 0 || complete() || performance.now() - clock.sentAt > listenMs(deadlineMs)) return seen;
    await pause(wait);
  }
}

/** A system's delivery timestamp this far before the send, or after the harness saw it, is itself a finding. */
export const CLOCK_TOLERANCE_MS = 1000;

/** What the system's own timestamps say that the harness's clock contradicts. */
export function clockFindings(seen: readonly Seen[]): Mismatch[] {
  const out: Mismatch[] = [];
  for (const s of seen) {
    if (s.systemLatencyMs === null) continue;
    const what = `${s.delivery.to} ← ${s.delivery.kind} from ${s.delivery.from}`;
    if (s.systemLatencyMs < -CLOCK_TOLERANCE_MS)
      out.push({
        message: `${what} is stamped ${Math.round(-s.systemLatencyMs)} ms before its action was sent: the system's clock is off, and its timestamps are no evidence of timeliness`,
        requirements: [...LATENCY_REQUIREMENTS],
      });
    else if (s.systemLatencyMs > s.latencyMs + CLOCK_TOLERANCE_MS)
      out.push({
        message: `${what} is stamped ${Math.round(s.systemLatencyMs - s.latencyMs)} ms after the harness had already seen it: the system's clock is off`,
        requirements: [...LATENCY_REQUIREMENTS],
      });
  }
  return out;
}
