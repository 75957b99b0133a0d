/**
 * The runner: a fresh world per scenario, one action at a time, every observation compared with the prediction
 * the loader already made. Adapter trouble is `error`, never `fail`; a missing capability is `skip`.
 *
 * Three things make a green verdict mean something against systems that are not synchronous and in-process:
 * - every call into the adapter runs under the step timeout, and what a crash guard caught (an adapter calling
 *   process.exit, an unhandled rejection) turns the step into `error`;
 * - a world stays open after its last step for the settle window, and at least until the next scenario has been
 *   played: a delivery that turns up late is laid at the step that caused it (late-deliveries.ts), and one that
 *   no step of the world sent is another world's leak (WIRE-002);
 * - when the adapter can reopen event streams, every person's is reopened midway (WIRE-003: nothing replayed,
 *   nothing lost).
 */
import { WireFormatViolation, type Adapter, type Session } from '../adapters/adapter.js';
import type { Delivery, Observation } from '../specs/protocol.js';
import type { Mismatch, ScenarioResult, StepResult, Verdict } from '../reports/results.js';
import type { Reporter } from '../reports/reporter.js';
import { checked, faultOf, guarded, isDeliveries, isOutcome, sleep } from './adapter-calls.js';
import { clockFindings, collect, drainAll, type Seen, type StepClock } from './collect.js';
import { compare } from './compare.js';
import { describeDelivery, exactly, identifies, listenMs, pairUp } from './deliveries.js';
import { land, listenUntil, neverLanded, overtaken, type InFlight, type Landed, type Performed } from './in-flight.js';
import {
  causedBy,
  foreign,
  ISOLATION_REQUIREMENT,
  lateArrival,
  RECONNECT_REQUIREMENT,
  sentHere,
} from './late-deliveries.js';
import type { LoadedStep, Scenario } from './load.js';

import { neededCapabilities } from './adapter-calls.js';

export { neededCapabilities };

export interface RunOptions {
  adapter: Adapter;
  /** Default delivery deadline (F13); a scenario's `deadlineMs` wins over it. */
  deadlineMs: number;
  /** A deadline for every scenario, whatever they say (the command line's `--deadline`). */
  deadlineOverrideMs?: number;
  /** How long one call into the adapter (open, perform, drain, reconnect, close) may take before it is an `error`. */
  stepTimeoutMs: number;
  /** How long to keep listening after a scenario's last step before concluding nothing more arrives. Default 0. */
  settleMs?: number;
  reporter?: Reporter;
  /** Scenario ids the baseline expects to fail: marked on the result before any reporter sees it. */
  expectedToFail?: ReadonlySet<string>;
  /** What a crash guard caught since the last call (process.exit, unhandled rejections): taken after every call. */
  crashes?: { take(): string | undefined };
}

export const DEFAULT_DEADLINE_MS = 2000;
/** The wire-format requirement a `WireFormatViolation` breaks. */
export const WIRE_REQUIREMENT = 'WIRE-001';
export const DEFAULT_STEP_TIMEOUT_MS = 10_000;
/** Worlds kept open at once while they settle; beyond it the runner waits for the oldest to close. */
const MAX_SETTLING_WORLDS = 32;

function stepBase(st: LoadedStep) {
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

const skipped = (st: LoadedStep, why: string): StepResult => ({
  ...stepBase(st),
  verdict: 'skip',
  mismatches: [],
  error: why,
  durationMs: 0,
});

/** One scenario played up to its last step; its world still open until `finish`. */
interface Played {
  s: Scenario;
  started: number;
  result?: ScenarioResult;
  session?: Session;
  people: string[];
  deadlineMs: number;
  steps: StepResult[];
  /** Performed steps with their clocks, for laying late deliveries at the step that caused them. */
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
function layLate(p: Played, seen: Seen, during: number | null, onlyUnclaimed = false): boolean {
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
  const owner = candidates.find((x) => !had(x)) ?? (onlyUnclaimed ? undefined : candidates.at(-1));
  if (!owner) return false;
  const latency = performance.now() - owner.clock.sentAt;
  const reconnected = p.reconnectedAt !== undefined && p.reconnectedAt > owner.st.index;
  const { mismatch } = lateArrival(
    owner.st,
    seen.delivery,
    latency,
    during,
    owner.result.observed?.deliveries ?? [],
    reconnected,
    p.deadlineMs,
  );
  fail(owner.result, mismatch);
  (owner.result.late ??= []).push({
    delivery: seen.delivery,
    latencyMs: latency,
    ...(during === null ? {} : { duringStep: during }),
  });
  return true;
}

/** Judge `seen` if it is a delivery in flight; false when it is not one. */
function landed(p: Played, seen: Seen): boolean {
  const l = land(p.inFlight, p.landed, seen, p.deadlineMs);
  if (!l) return false;
  for (const m of l.mismatches) fail(l.owner.result, m);
  return true;
}

function lostOnReconnect(n: number, when: string): Mismatch {
  return {
    message: `${n} deliver${n === 1 ? 'y' : 'ies'} of this step did not arrive ${when}: lost on reconnect`,
    requirements: [RECONNECT_REQUIREMENT],
  };
}

function fail(r: StepResult, m: Mismatch): void {
  r.mismatches.push(m);
  if (r.verdict === 'pass') r.verdict = 'fail';
}

/**
 * Perform one step and judge what it delivered. With `reconnect`, every person's event stream is reopened right
 * after the action (dropped before it, when the session can), while what it delivers may still be in flight:
 * nothing may be lost or replayed (WIRE-003).
 */
async function playStep(
  p: Played,
  st: LoadedStep,
  o: RunOptions,
  call: ReturnType<typeof guarded>,
  reconnect: boolean,
): Promise<StepResult> {
  const session = p.session!;
  const drain = (u: string) =>
    call(`draining ${u}'s deliveries`, () => session.drain(u)).then((ds) =>
      checked(`what drain(${u}) returned`, ds, isDeliveries),
    );
  // Whatever is already waiting was caused by an earlier step (or another world): judge it before acting, so that
  // it cannot be mistaken for what this step delivers.
  const waiting = await drainAll(drain, p.people, { sentAt: performance.now(), sentAtEpoch: Date.now() });
  const earlier = waiting.filter((w) => !landed(p, w) && !layLate(p, w, st.index));
  // Where the streams can be dropped first, the action is made while nobody listens: what it delivers must come
  // on the reopened streams (WIRE-003), not only what was in flight.
  if (reconnect && session.disconnect)
    for (const u of p.people) await call(`dropping ${u}'s event stream`, () => session.disconnect!(u));
  const clock: StepClock = { sentAt: performance.now(), sentAtEpoch: Date.now() };
  const outcome = checked(
    `${st.actor}'s ${st.action.kind} outcome`,
    await call(`${st.actor}'s ${st.action.kind}`, () => session.perform(st.actor, st.action)),
    isOutcome,
  );
  if (reconnect) {
    for (const u of p.people) await call(`reopening ${u}'s event stream`, () => session.reconnect!(u));
    p.reconnectedAt = st.index;
  }
  // Once the actor's outcome is wrong the step has failed: take what has arrived, don't wait for the rest.
  const waitFor = outcome.status === st.prediction.outcome.status ? st.prediction.deliveries : [];
  const seen = await collect(drain, p.people, st.wait === false ? [] : waitFor, clock, p.deadlineMs);
  // Exact matches first, so that an earlier step's late message is not taken for this step's misdelivered one.
  const exact = pairUp(waitFor, seen, (e, s) => exactly(e, s.delivery));
  // What an earlier step sent, exactly, and this one cannot have: laid there before this step's misdeliveries are
  // looked for, so that a late leak is not taken for this step's message with a wrong field.
  const rest = exact.extra.filter((s) => !landed(p, s) && (causedBy(st, s.delivery) || !layLate(p, s, st.index)));
  const loose = pairUp(exact.unmatched, rest, (e, s) => identifies(e, s.delivery));
  const { unmatched, extra } = loose;
  const mine: Seen[] = [...exact.pairs, ...loose.pairs].map(([, s]) => s);
  const elsewhere: Mismatch[] = earlier.map((w) =>
    sentHere(
      p.performed.map((x) => x.st),
      w.delivery,
    )
      ? {
          message: `unexpected delivery before step ${st.index}: ${describeDelivery(w.delivery)}`,
          requirements: [...(p.performed.at(-1)?.st.prediction.ruleRequirements ?? [])],
        }
      : foreign(w.delivery, st.index),
  );
  for (const s of extra) {
    // Not this step's prediction: this step's own surplus, an earlier step's late delivery, or another world's.
    // This step's surplus — unless an earlier step that sent its like has not delivered it yet: alike deliveries
    // arrive in the order sent, so the surplus is that earlier step's, late.
    if (causedBy(st, s.delivery)) {
      if (!layLate(p, s, st.index, true)) mine.push(s);
    } else if (layLate(p, s, st.index)) continue;
    else if (!sentHere([...p.performed.map((x) => x.st), st], s.delivery))
      elsewhere.push(foreign(s.delivery, st.index));
    else mine.push(s);
  }
  const observed: Observation = {
    outcome,
    deliveries: mine.map((s) => s.delivery),
    latenciesMs: mine.map((s) => s.latencyMs),
    systemLatenciesMs: mine.map((s) => s.systemLatencyMs),
  };
  // A `wait: false` step's deliveries that have not turned up yet are in flight, judged when they do.
  const flying = st.wait === false ? unmatched : [];
  const flyingSeq = new Map<(typeof flying)[number], number>();
  const judged = flying.length
    ? { ...st.prediction, deliveries: st.prediction.deliveries.filter((e) => !flying.includes(e)) }
    : st.prediction;
  const mismatches = [...compare(judged, observed, p.deadlineMs), ...clockFindings(mine), ...elsewhere];
  // Every predicted delivery is numbered in the order sent; one that arrives is checked against those already in.
  const arrived = new Map([...exact.pairs, ...loose.pairs]);
  for (const e of waitFor) {
    const seq = p.sent++;
    const s = arrived.get(e);
    if (s) {
      mismatches.push(...overtaken(p.landed, seq, e, s.delivery, st));
      p.landed.push({ seq, expected: e, step: st.index });
    } else if (flying.includes(e)) flyingSeq.set(e, seq);
  }
  // In flight is not lost: a `wait: false` step's deliveries are judged when they land, or when listening ends.
  const lost = unmatched.filter((e) => !flying.includes(e));
  if (reconnect && lost.length)
    mismatches.push(
      lostOnReconnect(
        lost.length,
        `once the event streams had been reopened (with the last event ids) right after the action${session.disconnect ? ', having been dropped before it' : ''}`,
      ),
    );
  const result: StepResult = {
    ...stepBase(st),
    verdict: mismatches.length ? 'fail' : 'pass',
    observed,
    mismatches,
    durationMs: performance.now() - clock.sentAt,
  };
  const performed: Performed = { st, result, clock };
  p.performed.push(performed);
  for (const expected of flying) p.inFlight.push({ owner: performed, expected, seq: flyingSeq.get(expected)! });
  return result;
}

/** Open the world and take every step; the world stays open for `finish`. */
async function play(s: Scenario, o: RunOptions): Promise<Played> {
  const started = performance.now();
  const p: Played = {
    s,
    started,
    people: [],
    deadlineMs: o.deadlineOverrideMs ?? s.deadlineMs ?? o.deadlineMs,
    steps: [],
    performed: [],
    inFlight: [],
    landed: [],
    sent: 0,
    endedAt: started,
  };
  const base = {
    id: s.id,
    title: s.title,
    file: s.file,
    area: s.area,
    tags: s.tags,
    adapter: o.adapter.name,
    requirements: s.requirements,
  };
  const notRun = (verdict: Verdict, reason: string): Played => ({
    ...p,
    result: {
      ...base,
      verdict,
      reason,
      durationMs: performance.now() - started,
      steps: s.steps.map((st) => skipped(st, reason)),
    },
  });
  const missing = neededCapabilities(s).filter((c) => !o.adapter.capabilities.includes(c));
  if (missing.length) return notRun('skip', `adapter ${o.adapter.name} lacks: ${missing.join(', ')}`);
  const call = guarded(o);
  try {
    p.session = checked(
      'the session open() returned',
      await call('opening the world', () => o.adapter.open(s.world)),
      (x) => typeof x?.perform === 'function' && typeof x.drain === 'function' && typeof x.close === 'function',
    );
  } catch (e) {
    return notRun('error', `the adapter could not open the world: ${faultOf(e)}`);
  }
  p.people = Object.values(s.world.users)
    .filter((u) => u.kind !== 'admin')
    .map((u) => u.name);
  const midway = s.steps.length >= 2 && p.session.reconnect ? Math.floor(s.steps.length / 2) + 1 : undefined;
  let stopped: string | undefined;
  for (const st of s.steps) {
    if (stopped) {
      p.steps.push(skipped(st, stopped));
      continue;
    }
    const t0 = performance.now();
    try {
      p.steps.push(await playStep(p, st, o, call, st.index === midway));
    } catch (e) {
      if (e instanceof WireFormatViolation) {
        // The system answered, in the wrong shape: a conformance failure, with the schema errors as evidence.
        const message = [e.message, ...e.details].join('; ');
        p.steps.push({
          ...stepBase(st),
          verdict: 'fail',
          mismatches: [{ message, requirements: [e.requirement ?? WIRE_REQUIREMENT] }],
          durationMs: performance.now() - t0,
        });
      } else
        p.steps.push({
          ...stepBase(st),
          verdict: 'error',
          mismatches: [],
          error: faultOf(e),
          durationMs: performance.now() - t0,
        });
    }
    const bad = p.steps.find((x) => x.verdict === 'fail' || x.verdict === 'error');
    if (bad) stopped = `not run: step ${bad.index} ${bad.verdict === 'error' ? 'hit an adapter error' : 'failed'}`;
  }
  p.endedAt = performance.now();
  return p;
}

/**
 * Listen out the settle window (and until `others` — the next scenario — have played), lay what arrived at the
 * step that caused it, close the world, and give the scenario its verdict.
 */
async function finish(p: Played, o: RunOptions, others: Promise<boolean>): Promise<ScenarioResult> {
  if (p.result) return p.result;
  const { s } = p;
  const call = guarded(o);
  const session = p.session!;
  const [, overlapped] = await Promise.all([sleep(p.endedAt + (o.settleMs ?? 0) - performance.now()), others]);
  const last = p.performed.at(-1)?.result;
  let reason: string | undefined;
  try {
    const clock = { sentAt: p.endedAt, sentAtEpoch: Date.now() - (performance.now() - p.endedAt) };
    const drain = (u: string) =>
      call(`draining ${u}'s deliveries`, () => session.drain(u)).then((ds) =>
        checked(`what drain(${u}) returned`, ds, isDeliveries),
      );
    const tail: Seen[] = [];
    // Deliveries still in flight are listened for until their own listening window is over.
    for (
      let wait = 1;
      p.inFlight.length &&
      performance.now() < Math.max(...p.inFlight.map((x) => listenUntil(x, listenMs(p.deadlineMs))));
      wait = Math.min(50, wait * 2)
    ) {
      tail.push(...(await drainAll(drain, p.people, clock)).filter((seen) => !landed(p, seen)));
      if (p.inFlight.length) await sleep(wait);
    }
    for (const x of p.inFlight.splice(0)) {
      for (const m of neverLanded(x, p.deadlineMs)) fail(x.owner.result, m);
      if (p.reconnectedAt !== undefined && p.reconnectedAt >= x.owner.st.index)
        fail(
          x.owner.result,
          lostOnReconnect(
            1,
            `though it was sent before the event streams were reopened (with the last event ids), at step ${p.reconnectedAt}`,
          ),
        );
    }
    tail.push(...(await drainAll(drain, p.people, clock)).filter((seen) => !landed(p, seen)));
    for (const seen of tail) {
      if (layLate(p, seen, null) || !last) continue;
      const here = sentHere(
        p.performed.map((x) => x.st),
        seen.delivery,
      );
      fail(
        last,
        here
          ? {
              message: `unexpected delivery after the last step: ${describeDelivery(seen.delivery)}`,
              requirements: [...p.performed.at(-1)!.st.prediction.ruleRequirements],
            }
          : foreign(seen.delivery, null),
      );
    }
  } catch (e) {
    // A stream that broke the wire contract (an event sent twice, say) is a verdict, not an error: it failed the
    // step that met it, or fails the last step now.
    const message = e instanceof WireFormatViolation ? [e.message, ...e.details].join('; ') : '';
    if (e instanceof WireFormatViolation && last) {
      if (!p.steps.some((x) => x.mismatches.some((m) => m.message === message)))
        fail(last, { message, requirements: [e.requirement ?? WIRE_REQUIREMENT] });
    } else reason = `listening after the last step failed: ${faultOf(e)}`;
  }
  try {
    await call('closing the world', () => session.close());
  } catch (e) {
    reason ??= `the adapter could not close the world: ${faultOf(e)}`;
  }
  // Over a wire every answer is checked against the API document: every step run exercises WIRE-001. Worlds
  // overlap (this one stayed open while the next was played): such a scenario exercises isolation, WIRE-002.
  const wire = o.adapter.capabilities.includes('wire');
  const exercise = (x: StepResult | undefined, ...ids: string[]) => {
    if (x && x.verdict !== 'skip') x.requirements = [...new Set([...x.requirements, ...ids])].sort();
  };
  if (wire) for (const x of p.steps) exercise(x, WIRE_REQUIREMENT);
  if (overlapped) exercise(last, ISOLATION_REQUIREMENT);
  exercise(
    p.steps.find((x) => x.index === p.reconnectedAt),
    RECONNECT_REQUIREMENT,
  );
  const extraReqs = [...new Set(p.steps.filter((x) => x.verdict !== 'skip').flatMap((x) => x.requirements))].filter(
    (r) => [WIRE_REQUIREMENT, ISOLATION_REQUIREMENT, RECONNECT_REQUIREMENT].includes(r),
  );
  const verdict: Verdict =
    p.steps.some((x) => x.verdict === 'error') || reason
      ? 'error'
      : p.steps.some((x) => x.verdict === 'fail')
        ? 'fail'
        : 'pass';
  return {
    id: s.id,
    title: s.title,
    file: s.file,
    area: s.area,
    tags: s.tags,
    adapter: o.adapter.name,
    requirements: [...new Set([...s.requirements, ...extraReqs])].sort(),
    verdict,
    steps: p.steps,
    durationMs: performance.now() - p.started,
    ...(reason ? { reason } : {}),
  };
}

/** One scenario on its own: played, settled, closed. */
export async function runScenario(s: Scenario, o: RunOptions): Promise<ScenarioResult> {
  return finish(await play(s, o), o, Promise.resolve(false));
}

/**
 * Every scenario in order. A world is closed only after its settle window and after the next scenario has been
 * played, so worlds overlap in time (with the same user names, most of the time): isolation is checked, not
 * assumed. Results reach the reporter in scenario order.
 */
export async function runScenarios(scenarios: Scenario[], o: RunOptions): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  const settling: Promise<ScenarioResult>[] = [];
  let reporting: Promise<void> = Promise.resolve();
  let release: (overlapped: boolean) => void = () => {};
  for (const s of scenarios) {
    let next!: (overlapped: boolean) => void;
    const nextPlayed = new Promise<boolean>((r) => (next = r));
    if (settling.length >= MAX_SETTLING_WORLDS) await settling[settling.length - MAX_SETTLING_WORLDS];
    const played = await play(s, o);
    release(played.session !== undefined);
    release = next;
    const done = finish(played, o, nextPlayed).then((r) => {
      if (o.expectedToFail?.has(r.id)) r.expectedToFail = true;
      return r;
    });
    settling.push(done);
    reporting = reporting.then(async () => {
      const r = await done;
      results.push(r);
      await o.reporter?.onScenarioEnd?.(r);
    });
  }
  release(false);
  await reporting;
  return results;
}
