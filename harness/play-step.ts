/**
 * One step played: what was already waiting is judged first (an earlier step's late delivery, another world's), the
 * action is performed, its deliveries collected until the deadline, paired with the prediction (exact matches
 * before misdeliveries) and compared field by field; a `wait: false` step's deliveries stay in flight.
 */
import type { Observation } from '../specs/protocol.js';
import type { Mismatch, StepResult } from '../reports/results.js';
import { checked, guarded, isDeliveries, isOutcome } from './adapter-calls.js';
import { clockFindings, collect, drainAll, type Seen, type StepClock } from './collect.js';
import { compare } from './compare.js';
import { describeDelivery, exactly, identifies, pairUp } from './deliveries.js';
import { overtaken, type Performed } from './in-flight.js';
import { causedBy, foreign, sentHere } from './late-deliveries.js';
import type { LoadedStep } from './load.js';
import { landed, layLate, lostOnReconnect, stepBase, unfinished, type Played } from './played.js';

/**
 * Perform one step and judge what it delivered. With `reconnect`, every person's event stream is reopened right
 * after the action (dropped before it, when the session can), while what it delivers may still be in flight:
 * nothing may be lost or replayed (WIRE-003). A step that throws is unfinished (`error`, or `fail` for an answer in
 * the wrong shape); once its action was sent it counts as performed, so that what the action delivers after it is
 * laid at it, not taken for another world's traffic (WIRE-002).
 */
export async function playStep(
  p: Played,
  st: LoadedStep,
  call: ReturnType<typeof guarded>,
  reconnect: boolean,
): Promise<StepResult> {
  const startedAt = performance.now();
  const sent: { clock?: StepClock } = {};
  try {
    return await play(p, st, call, reconnect, sent);
  } catch (e) {
    const result = unfinished(st, e, startedAt);
    if (sent.clock) p.performed.push({ st, result, clock: sent.clock });
    return result;
  }
}

async function play(
  p: Played,
  st: LoadedStep,
  call: ReturnType<typeof guarded>,
  reconnect: boolean,
  sent: { clock?: StepClock },
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
  const clock: StepClock = (sent.clock = { sentAt: performance.now(), sentAtEpoch: Date.now() });
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
  // Object.assign, not a spread followed by keys: this V8 built such a literal in ≈ 4 µs, a result per step.
  const result: StepResult = Object.assign(stepBase(st), {
    verdict: mismatches.length ? ('fail' as const) : ('pass' as const),
    observed,
    mismatches,
    durationMs: performance.now() - clock.sentAt,
  });
  const performed: Performed = { st, result, clock };
  p.performed.push(performed);
  for (const expected of flying) p.inFlight.push({ owner: performed, expected, seq: flyingSeq.get(expected)! });
  return result;
}
