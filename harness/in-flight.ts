/**
 * Deliveries in flight: a step marked `wait: false` does not wait for what it delivers, so that several messages
 * can be under way at once (a person who types three lines before the first arrives). Each predicted delivery of
 * such a step stays in flight until it turns up — in a later step's inbox, or after the last step — and is then
 * judged like any other (every field, the deadline), plus the one thing only in-flight deliveries can show: order.
 * A delivery that overtakes one sent before it between the same two people breaks its rule's clause (CHAT-001 and
 * CHAT-002 keep the order sent).
 */
import type { Delivery } from '../specs/protocol.js';
import type { Mismatch, StepResult } from '../reports/results.js';
import type { Seen, StepClock } from './collect.js';
import { compare } from './compare.js';
import { describeDelivery, exactly, identifies } from './deliveries.js';
import type { LoadedStep } from './load.js';

/** A step that was performed, with when it was sent. */
export interface Performed {
  st: LoadedStep;
  result: StepResult;
  clock: StepClock;
}

export interface InFlight {
  owner: Performed;
  expected: Delivery;
  /** Order of sending, over the scenario. */
  seq: number;
}

/** A predicted delivery that has arrived, in the order of sending. */
export interface Landed {
  seq: number;
  expected: Delivery;
  step: number;
}

/**
 * If `seen` is one of the deliveries in flight: take it off the list, add it to its step's observation, and return
 * what is wrong with it (nothing: `[]`), its order included. Not one of them: `null`.
 */
export function land(
  inFlight: InFlight[],
  landed: Landed[],
  seen: Seen,
  deadlineMs: number,
): { owner: Performed; mismatches: Mismatch[] } | null {
  let i = inFlight.findIndex((x) => exactly(x.expected, seen.delivery));
  if (i < 0) i = inFlight.findIndex((x) => identifies(x.expected, seen.delivery));
  if (i < 0) return null;
  const [x] = inFlight.splice(i, 1) as [InFlight];
  const d = seen.delivery;
  const latency = performance.now() - x.owner.clock.sentAt;
  const observed = x.owner.result.observed!;
  observed.deliveries.push(d);
  observed.latenciesMs?.push(latency);
  observed.systemLatenciesMs?.push(
    typeof d.deliveredAt === 'number' ? d.deliveredAt - x.owner.clock.sentAtEpoch : null,
  );
  const p = x.owner.st.prediction;
  const mismatches = compare(
    { ...p, deliveries: [x.expected] },
    { outcome: observed.outcome, deliveries: [d], latenciesMs: [latency] },
    deadlineMs,
  );
  mismatches.push(...overtaken(landed, x.seq, x.expected, d, x.owner.st));
  landed.push({ seq: x.seq, expected: x.expected, step: x.owner.st.index });
  return { owner: x.owner, mismatches };
}

/**
 * `d` — `expected`, sent as number `seq` by `step` — has just arrived: was it overtaken by one sent after it between
 * the same two people, which arrived first? Only an arrival can say so: a lost message is reported as lost, not as
 * overtaken by everything after it.
 */
export function overtaken(
  landed: readonly Landed[],
  seq: number,
  expected: Delivery,
  d: Delivery,
  step: LoadedStep,
): Mismatch[] {
  return landed
    .filter((y) => y.seq > seq && y.expected.to === expected.to && y.expected.from === expected.from)
    .map((y) => ({
      message: `${describeDelivery(d)} (step ${step.index}) arrived after ${describeDelivery(y.expected)} (step ${y.step}), which was sent after it: the conversation reads out of order`,
      requirements: [...step.prediction.ruleRequirements],
    }));
}

/** What a delivery still in flight when listening ends says about its step: it never arrived. */
export function neverLanded(x: InFlight, deadlineMs: number): Mismatch[] {
  const p = x.owner.st.prediction;
  return compare(
    { ...p, deliveries: [x.expected] },
    { outcome: x.owner.result.observed!.outcome, deliveries: [] },
    deadlineMs,
  );
}

/** When listening for `x` is over. */
export const listenUntil = (x: InFlight, listenMs: number) => x.owner.clock.sentAt + listenMs;
