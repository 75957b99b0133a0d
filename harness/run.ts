/**
 * The runner: a fresh world per scenario, one action at a time, every observation compared with the prediction
 * the loader already made. Adapter trouble is `error`, never `fail`; a missing capability is `skip`.
 */
import { CAPABILITY_OF_ACTION, WireFormatViolation, type Adapter, type Capability, type Session } from '../adapters/adapter.js';
import type { Delivery, Observation, World } from '../specs/protocol.js';
import type { ScenarioResult, StepResult, Verdict } from '../specs/results.js';
import type { Reporter } from '../reports/reporter.js';
import { compare } from './compare.js';
import { listenMs, sameDelivery } from './deliveries.js';
import type { Scenario } from './load.js';

export interface RunOptions {
  adapter: Adapter;
  /** Default delivery deadline (F13); a scenario's `deadlineMs` wins over it. */
  deadlineMs: number;
  /** A deadline for every scenario, whatever they say (the command line's `--deadline`). */
  deadlineOverrideMs?: number;
  /** How long one action, or opening a world, may take before the step is an `error`. */
  stepTimeoutMs: number;
  reporter?: Reporter;
  /** Scenario ids the baseline expects to fail: marked on the result before any reporter sees it. */
  expectedToFail?: ReadonlySet<string>;
}

export const DEFAULT_DEADLINE_MS = 2000;
/** The wire-format requirement a `WireFormatViolation` breaks. */
export const WIRE_REQUIREMENT = 'WIRE-001';
export const DEFAULT_STEP_TIMEOUT_MS = 10_000;

class Timeout extends Error {}


async function within<T>(ms: number, what: string, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Timeout(`${what} took longer than ${ms} ms`)), ms); });
  try {
    return await Promise.race([work(), late]);
  } finally {
    clearTimeout(timer);
  }
}

const faultOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
const pause = (ms: number) => new Promise<void>((r) => (ms ? setTimeout(r, ms) : setImmediate(r)));

/** What a scenario needs of an adapter: its actions' capabilities, and two of its world's. */
export function neededCapabilities(s: Scenario): Capability[] {
  const need = new Set<Capability>(s.steps.map((st) => CAPABILITY_OF_ACTION[st.action.kind]));
  const users = Object.values(s.world.users);
  if (users.some((u) => u.kind === 'teams' && u.mode === 'Islands')) need.add('coexistence');
  const t = Object.values(s.world.tenants);
  if (t.some((x) => x.cloud !== 'commercial' || x.publicProvider !== 'WindowsLive' || x.sipFederationSrv?.target !== 'sipfed.online.lync.com')) need.add('deployment');
  return [...need].sort();
}

/**
 * Poll every person's inbox until each predicted delivery has arrived or the deadline passed. When something is
 * missing, keep listening a while longer (as long again, at most 5 s more), so that "late" can be told from
 * "never" with its latency.
 */
async function collect(session: Session, world: World, expected: Delivery[], sentAt: number, sentAtEpoch: number, deadlineMs: number): Promise<Pick<Observation, 'deliveries' | 'latenciesMs'>> {
  const people = Object.values(world.users).filter((u) => u.kind !== 'admin').map((u) => u.name);
  const deliveries: Delivery[] = [];
  const latenciesMs: number[] = [];
  const complete = () => expected.every((e) => deliveries.some((d) => sameDelivery(e, d)));
  for (let wait = 0; ; wait = Math.min(50, Math.max(1, wait * 2))) {
    for (const u of people)
      for (const d of await session.drain(u)) {
        deliveries.push(d);
        // The system's own arrival time when it gives one (an SSE timestamp), else when we saw it.
        latenciesMs.push(d.deliveredAt !== undefined ? Math.max(0, d.deliveredAt - sentAtEpoch) : performance.now() - sentAt);
      }
    const elapsed = performance.now() - sentAt;
    if (complete() || expected.length === 0 || elapsed > listenMs(deadlineMs)) break;
    await pause(wait);
  }
  return { deliveries, latenciesMs };
}

export async function runScenario(s: Scenario, o: RunOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const base = { id: s.id, title: s.title, file: s.file, area: s.area, tags: s.tags, adapter: o.adapter.name, requirements: s.requirements };
  const notRun = (verdict: Verdict, reason: string): ScenarioResult => ({
    ...base, verdict, reason, durationMs: performance.now() - started,
    steps: s.steps.map((st) => ({ ...stepBase(st), verdict: 'skip', mismatches: [], error: reason, durationMs: 0 })),
  });
  const missing = neededCapabilities(s).filter((c) => !o.adapter.capabilities.includes(c));
  if (missing.length) return notRun('skip', `adapter ${o.adapter.name} lacks: ${missing.join(', ')}`);

  let session: Session;
  try {
    session = await within(o.stepTimeoutMs, 'opening the world', () => o.adapter.open(s.world));
  } catch (e) {
    return notRun('error', `the adapter could not open the world: ${faultOf(e)}`);
  }
  const deadlineMs = o.deadlineOverrideMs ?? s.deadlineMs ?? o.deadlineMs;
  const steps: StepResult[] = [];
  let stopped: string | undefined;
  for (const st of s.steps) {
    if (stopped) {
      steps.push({ ...stepBase(st), verdict: 'skip', mismatches: [], error: stopped, durationMs: 0 });
      continue;
    }
    const t0 = performance.now();
    const t0Epoch = Date.now();
    try {
      const outcome = await within(o.stepTimeoutMs, `${st.actor}'s ${st.action.kind}`, () => session.perform(st.actor, st.action));
      // Once the actor's outcome is wrong the step has failed: take what has arrived, don't wait for the rest.
      const waitFor = outcome.status === st.prediction.outcome.status ? st.prediction.deliveries : [];
      const observed: Observation = { outcome, ...(await collect(session, s.world, waitFor, t0, t0Epoch, deadlineMs)) };
      const mismatches = compare(st.prediction, observed, deadlineMs);
      steps.push({ ...stepBase(st), verdict: mismatches.length ? 'fail' : 'pass', observed, mismatches, durationMs: performance.now() - t0 });
      if (mismatches.length) stopped = `not run: step ${st.index} failed`;
    } catch (e) {
      if (e instanceof WireFormatViolation) {
        // The system answered, in the wrong shape: a conformance failure, with the schema errors as evidence.
        const message = [e.message, ...e.details].join('; ');
        steps.push({ ...stepBase(st), verdict: 'fail', mismatches: [{ message, requirements: [WIRE_REQUIREMENT] }], durationMs: performance.now() - t0 });
        stopped = `not run: step ${st.index} failed`;
        continue;
      }
      steps.push({ ...stepBase(st), verdict: 'error', mismatches: [], error: faultOf(e), durationMs: performance.now() - t0 });
      stopped = `not run: step ${st.index} hit an adapter error`;
    }
  }
  let reason: string | undefined;
  try {
    await within(o.stepTimeoutMs, 'closing the world', () => session.close());
  } catch (e) {
    reason = `the adapter could not close the world: ${faultOf(e)}`;
  }
  // Over a wire every answer is checked against the API document: every step run exercises WIRE-001.
  const wire = o.adapter.capabilities.includes('wire');
  if (wire) for (const x of steps) if (x.verdict !== 'skip' && !x.requirements.includes(WIRE_REQUIREMENT)) x.requirements = [...x.requirements, WIRE_REQUIREMENT];
  const verdict: Verdict = steps.some((x) => x.verdict === 'error') || reason ? 'error' : steps.some((x) => x.verdict === 'fail') ? 'fail' : 'pass';
  const requirements = wire && !base.requirements.includes(WIRE_REQUIREMENT) ? [...base.requirements, WIRE_REQUIREMENT] : base.requirements;
  return { ...base, requirements, verdict, steps, durationMs: performance.now() - started, ...(reason ? { reason } : {}) };
}

function stepBase(st: Scenario['steps'][number]) {
  const p = st.prediction;
  return { index: st.index, location: st.location, actor: st.actor, action: st.action, expected: { outcome: p.outcome, deliveries: p.deliveries }, rule: p.rule, trace: p.trace, requirements: p.requirements };
}

export async function runScenarios(scenarios: Scenario[], o: RunOptions): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const s of scenarios) {
    const r = await runScenario(s, o);
    if (o.expectedToFail?.has(r.id)) r.expectedToFail = true;
    results.push(r);
    await o.reporter?.onScenarioEnd?.(r);
  }
  return results;
}
