/**
 * The end of a scenario: its world listened to for the settle window (and until the next scenario has played),
 * what arrived laid at the step that caused it, the world closed, the requirements the run itself exercised
 * (WIRE-001 over a wire, WIRE-002 when worlds overlapped, WIRE-003 at the reconnect) added, and the verdict given.
 */
import { WireFormatViolation, type Adapter } from '../adapters/adapter.js';
import type { ScenarioResult, StepResult, Verdict } from '../reports/results.js';
import { checked, faultOf, guarded, isDeliveries, sleep } from './adapter-calls.js';
import { drainAll, type Seen } from './collect.js';
import { describeDelivery, listenMs } from './deliveries.js';
import { listenUntil, neverLanded } from './in-flight.js';
import { foreign, ISOLATION_REQUIREMENT, RECONNECT_REQUIREMENT, sentHere } from './late-deliveries.js';
import {
  fail,
  finished,
  landed,
  layLate,
  lostOnReconnect,
  scenarioBase,
  WIRE_REQUIREMENT,
  type Played,
} from './played.js';

/**
 * Listen out the settle window (and until `others` — the next scenario — have played), lay what arrived at the
 * step that caused it, close the world, and give the scenario its verdict.
 */
export async function finish(
  p: Played,
  o: Parameters<typeof guarded>[0] & { adapter: Adapter; settleMs?: number },
  others: Promise<boolean>,
): Promise<ScenarioResult> {
  if (p.result) return p.result;
  const { s } = p;
  const call = guarded(o);
  const session = p.session!;
  const [, overlapped] = await Promise.all([sleep(p.endedAt + (o.settleMs ?? 0) - performance.now()), others]);
  // Another world's traffic after the last step fails the last step played, an errored one too (before, with none
  // finished, it went unjudged); what the run exercised is claimed by the last step that finished, as it ever was.
  const lastPlayed = p.steps.filter((x) => x.verdict !== 'skip').at(-1);
  const lastFinished = p.performed.filter(finished).at(-1)?.result;
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
      if (layLate(p, seen, null)) continue;
      // Performed steps include one that threw after sending its action: what it sent is this world's doing.
      const performed = p.performed.at(-1);
      if (
        performed &&
        sentHere(
          p.performed.map((x) => x.st),
          seen.delivery,
        )
      )
        fail(performed.result, {
          message: `unexpected delivery after the last step: ${describeDelivery(seen.delivery)}`,
          requirements: [...performed.st.prediction.ruleRequirements],
        });
      else if (lastPlayed) fail(lastPlayed, foreign(seen.delivery, null));
    }
  } catch (e) {
    // A stream that broke the wire contract (an event sent twice, say) is a verdict, not an error: it failed the
    // step that met it, or fails the last step now.
    // A stream keeps throwing what broke it: one a step has already failed on is judged, not a second finding, nor
    // an error of this listening (which once made every scenario of a stream broken at step 1 an `error`).
    const message = e instanceof WireFormatViolation ? [e.message, ...e.details].join('; ') : '';
    const judged =
      e instanceof WireFormatViolation && p.steps.some((x) => x.mismatches.some((m) => m.message === message));
    if (e instanceof WireFormatViolation && !judged && lastFinished)
      fail(lastFinished, { message, requirements: [e.requirement ?? WIRE_REQUIREMENT] });
    else if (!judged) reason = `listening after the last step failed: ${faultOf(e)}`;
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
  if (overlapped) exercise(lastFinished, ISOLATION_REQUIREMENT);
  exercise(
    p.steps.find((x) => x.index === p.reconnectedAt),
    RECONNECT_REQUIREMENT,
  );
  // The scenario claims what its run exercised besides its own requirements (sorted below: order is no matter).
  const extraReqs = new Set<string>();
  for (const x of p.steps)
    if (x.verdict !== 'skip')
      for (const r of x.requirements)
        if (r === WIRE_REQUIREMENT || r === ISOLATION_REQUIREMENT || r === RECONNECT_REQUIREMENT) extraReqs.add(r);
  const verdict: Verdict =
    p.steps.some((x) => x.verdict === 'error') || reason
      ? 'error'
      : p.steps.some((x) => x.verdict === 'fail')
        ? 'fail'
        : 'pass';
  // Object.assign, not a spread followed by keys, which this V8 builds a hundred times slower (play-step.ts).
  const result: ScenarioResult = Object.assign(scenarioBase(s, o.adapter.name), {
    requirements: [...new Set([...s.requirements, ...extraReqs])].sort(),
    verdict,
    steps: p.steps,
    durationMs: performance.now() - p.started,
  });
  if (reason) result.reason = reason;
  return result;
}
