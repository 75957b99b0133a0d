/**
 * A scenario played up to its last step, its world still open, and the two ways a delivery that is not the current
 * step's own is judged: a `wait: false` step's delivery landing (in-flight.ts), or a delivery laid late at the
 * earlier step that caused it (late-deliveries.ts). Shared by playing a step (play-step.ts) and by the settle window
 * after the last step (settle.ts).
 */
import type { Delivery } from '../specs/protocol.js';
import type { Mismatch, ScenarioResult, StepResult } from '../reports/results.js';
import { WireFormatViolation, type Session } from '../adapters/adapter.js';
import { faultOf } from './adapter-calls.js';
import type { Seen } from './collect.js';
import { compare } from './compare.js';
import { exactly, identifies } from './deliveries.js';
import { land, type InFlight, type Landed, type Performed } from './in-flight.js';
import { causedBy, lateArrival, RECONNECT_REQUIREMENT } from './late-deliveries.js';
import type { LoadedStep, Scenario } from './load.js';
import { WIRE_REQUIREMENT } from '../specs/observed-fields.js';

export { WIRE_REQUIREMENT };

export function stepBase(st: LoadedStep) {
  const p = st.prediction;
  return {
    index: st.index,
    location: st.location,
    actor: st.actor,
    action: st.action,
    expected: { outcome: p.outcome, deliveries: p.deliveries },
    rule: p.rule,
    trace: p.trace,
    requirements: p.requirements,
  };
}

/** What a scenario's result says about the scenario itself, whatever became of its steps. */
export const scenarioBase = (s: Scenario, adapter: string) => ({
  id: s.id,
  title: s.title,
  file: s.file,
  area: s.area,
  tags: s.tags,
  adapter,
  requirements: s.requirements,
});

export const skipped = (st: LoadedStep, why: string): StepResult =>
  // Object.assign, not a spread followed by keys, which this V8 builds a hundred times slower (play-step.ts).
  Object.assign(stepBase(st), { verdict: 'skip' as const, mismatches: [], error: why, durationMs: 0 });

/**
 * A step that threw: an answer in the wrong shape fails it (WIRE-001 or the violation's own requirement), anything
 * else is an adapter `error`. Such a step has no observation: it never got to listen for what it delivers.
 */
export function unfinished(st: LoadedStep, e: unknown, startedAt: number): StepResult {
  const durationMs = performance.now() - startedAt;
  if (e instanceof WireFormatViolation)
    return Object.assign(stepBase(st), {
      verdict: 'fail' as const,
      mismatches: [
        { message: [e.message, ...e.details].join('; '), requirements: [e.requirement ?? WIRE_REQUIREMENT] },
      ],
      durationMs,
    });
  return Object.assign(stepBase(st), { verdict: 'error' as const, mismatches: [], error: faultOf(e), durationMs });
}

/** Whether a performed step got as far as listening for its deliveries (an unfinished one threw after acting). */
export const finished = (x: Performed): boolean => x.result.observed !== undefined;

/** One scenario played up to its last step; its world still open until `finish`. */
export interface Played {
  s: Scenario;
  started: number;
  result?: ScenarioResult;
  session?: Session;
  people: string[];
  deadlineMs: number;
  steps: StepResult[];
  /**
   * Performed steps with their clocks, for laying late deliveries at the step that caused them — an unfinished one
   * too (it threw after its action was sent): what that action delivers is this world's, not another's (WIRE-002).
   */
  performed: Performed[];
  /** Predicted deliveries of `wait: false` steps that have not turned up yet. */
  inFlight: InFlight[];
  /** Predicted deliveries that have arrived, with their order of sending (`sent` counts the sends). */
  landed: Landed[];
  sent: number;
  /** The index of the first step after the event streams were reopened. */
  reconnectedAt?: number;
  endedAt: number;
}

/** Lay a delivery that arrived after its own step at that step; false when no earlier step caused it. */
export function layLate(p: Played, seen: Seen, during: number | null, onlyUnclaimed = false): boolean {
  const performed = during === null ? p.performed : p.performed.filter((x) => x.st.index < during);
  // Deliveries alike (two blocked calls' voicemails) are handed out in the order their steps were sent: to the
  // oldest step that could have caused this one and has not been seen to deliver its like yet.
  const candidates = performed.filter((x) => causedBy(x.st, seen.delivery, true));
  const alike = (o: Delivery) =>
    o.to === seen.delivery.to &&
    o.from === seen.delivery.from &&
    o.kind === seen.delivery.kind &&
    o.text === seen.delivery.text &&
    o.media === seen.delivery.media;
  const had = (x: Performed) =>
    [...(x.result.observed?.deliveries ?? []), ...(x.result.late ?? []).map((l) => l.delivery)].some(alike);
  // A step whose prediction has this delivery comes before one that could have sent it but predicts none (the same
  // text refused first, sent again once allowed): the retry's delivery, arriving late, is not the refusal's leak.
  const unclaimed = candidates.filter((x) => !had(x));
  const owner =
    unclaimed.find((x) => x.st.prediction.deliveries.some((e) => identifies(e, seen.delivery))) ??
    unclaimed[0] ??
    (onlyUnclaimed ? undefined : candidates.at(-1));
  if (!owner) return false;
  const latency = performance.now() - owner.clock.sentAt;
  const reconnected = p.reconnectedAt !== undefined && p.reconnectedAt > owner.st.index;
  const done = finished(owner);
  // An unfinished step saw nothing of its own: a second copy is told by what was laid at it before.
  const before = done ? owner.result.observed!.deliveries : (owner.result.late ?? []).map((l) => l.delivery);
  const { mismatch, predicted } = lateArrival(
    owner.st,
    seen.delivery,
    latency,
    during,
    before,
    reconnected,
    p.deadlineMs,
  );
  // An unfinished step never listened for its deliveries: one it predicts was not late, only unseen, and is judged
  // by its fields alone. One it does not predict, or a second copy, is its system's defect all the same.
  if (done || !predicted) fail(owner.result, mismatch);
  else for (const m of unseenDelivery(owner.st, seen.delivery, p.deadlineMs)) fail(owner.result, m);
  (owner.result.late ??= []).push({
    delivery: seen.delivery,
    latencyMs: latency,
    ...(during === null ? {} : { duringStep: during }),
  });
  return true;
}

/**
 * What is wrong with `d`, a delivery an unfinished step predicts, field by field (closed world). Not its time: the
 * step threw before it listened. Not the outcome: the step has none, so the prediction's own stands in for it.
 */
function unseenDelivery(st: LoadedStep, d: Delivery, deadlineMs: number): Mismatch[] {
  const p = st.prediction;
  const expected = p.deliveries.find((e) => exactly(e, d)) ?? p.deliveries.find((e) => identifies(e, d))!;
  return compare({ ...p, deliveries: [expected] }, { outcome: p.outcome, deliveries: [d] }, deadlineMs);
}

/** Judge `seen` if it is a delivery in flight; false when it is not one. */
export function landed(p: Played, seen: Seen): boolean {
  const l = land(p.inFlight, p.landed, seen, p.deadlineMs);
  if (!l) return false;
  for (const m of l.mismatches) fail(l.owner.result, m);
  return true;
}

export function lostOnReconnect(n: number, when: string): Mismatch {
  return {
    message: `${n} deliver${n === 1 ? 'y' : 'ies'} of this step did not arrive ${when}: lost on reconnect`,
    requirements: [RECONNECT_REQUIREMENT],
  };
}

export function fail(r: StepResult, m: Mismatch): void {
  r.mismatches.push(m);
  if (r.verdict === 'pass') r.verdict = 'fail';
}
