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
 *
 * In parts, by what each computes: this file plays scenarios in order, on one or more lanes (`--workers`), and keeps
 * worlds overlapping; play-step.ts plays and judges one step; settle.ts ends a scenario (settle window, close,
 * verdict); played.ts holds the state they share and lays late deliveries at the step that caused them; workers/
 * runs lanes on worker threads and reports results in scenario order.
 */
import { WireFormatViolation, type Adapter } from '../adapters/adapter.js';
import type { ScenarioResult, Verdict } from '../reports/results.js';
import type { Reporter } from '../reports/reporter.js';
import { checked, faultOf, guarded, neededCapabilities } from './adapter-calls.js';
import { expanded } from './compact-scenarios.js';
import type { Scenario } from './load.js';
import { playStep } from './play-step.js';
import { scenarioBase, skipped, stepBase, unfinished, WIRE_REQUIREMENT, type Played } from './played.js';
import { finish } from './settle.js';
import { InOrder } from './workers/in-order.js';

export { neededCapabilities, WIRE_REQUIREMENT };

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
  /** Worlds played at once, each lane taking the next scenario in file order (`--workers` for networked adapters). */
  lanes?: number;
  /** Whether the results are kept and returned (default); false: each goes to the reporter alone (the CLI's record). */
  keepResults?: boolean;
}

export const DEFAULT_DEADLINE_MS = 2000;
export const DEFAULT_STEP_TIMEOUT_MS = 10_000;
/** Worlds kept open at once while they settle; beyond it the runner waits for the oldest to close. */
export const MAX_SETTLING_WORLDS = 32;

/** Open the world and take every step; the world stays open for `finish`. */
async function play(queued: Scenario, o: RunOptions): Promise<Played> {
  const s = expanded(queued); // held compact until now (`run`), and dropped once played
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
  const base = scenarioBase(s, o.adapter.name);
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
    // The service's answer while the world was opened breaks its document (WIRE-001, e.g. a stream it offers and
    // does not serve): a finding, laid at the first step, which could not be played; not an adapter error.
    if (e instanceof WireFormatViolation && s.steps.length) {
      const [first, ...rest] = s.steps;
      const why = 'not run: the world could not be opened';
      return {
        ...p,
        result: {
          ...base,
          verdict: 'fail',
          durationMs: performance.now() - started,
          steps: [unfinished(first!, e, started), ...rest.map((st) => skipped(st, why))],
        },
      };
    }
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
      p.steps.push(await playStep(p, st, call, st.index === midway));
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

/** One scenario on its own: played, settled, closed. */
export async function runScenario(s: Scenario, o: RunOptions): Promise<ScenarioResult> {
  return finish(await play(s, o), o, Promise.resolve(false));
}

/** A scenario as a lane takes it: its place in file order, which reports follow. */
export interface Queued {
  index: number;
  scenario: Scenario;
}

/**
 * What lanes share, in one thread or across worker threads (harness/workers/): one queue in file order, which
 * scenario has been played, and where results go.
 */
export interface Lanes {
  /** The next scenario in file order, or undefined when none is left. */
  take(): Promise<Queued | undefined> | Queued | undefined;
  /** Scenario `index` has been played (its world, when `opened`, is still open). */
  played(index: number, opened: boolean): void;
  /** Once the scenario after `index` in file order has been played, by whatever lane: whether its world opened. */
  nextPlayed(index: number): Promise<boolean>;
  /** Scenario `index`'s result (in the order lanes finish). */
  done(index: number, result: ScenarioResult): void;
}

/**
 * One lane: scenarios from the queue, one after another. A world is closed only after its settle window and after
 * the next scenario in file order has been played — by this lane or another — so worlds overlap in time (with the
 * same user names, most of the time): isolation is checked, not assumed, and which scenarios exercise it (WIRE-002)
 * does not depend on the number of lanes. A lane takes a scenario only when it will play it at once (any wait for
 * settling worlds comes first), so the scenario another lane's world waits for is never stuck in the queue.
 */
export async function runLane(lanes: Lanes, o: RunOptions): Promise<void> {
  const settling: Promise<void>[] = [];
  for (;;) {
    if (settling.length >= MAX_SETTLING_WORLDS) await settling[settling.length - MAX_SETTLING_WORLDS];
    const q = await lanes.take();
    if (!q) break;
    const played = await play(q.scenario, o);
    lanes.played(q.index, played.session !== undefined);
    settling.push(finish(played, o, lanes.nextPlayed(q.index)).then((r) => lanes.done(q.index, r)));
  }
  await Promise.all(settling);
}

/** Lanes in this thread over `scenarios`: results kept in file order, and reported in it (harness/workers/). */
export function localLanes(scenarios: readonly Scenario[], done: Lanes['done']): Lanes {
  let next = 0;
  const played = scenarios.map(() => deferred<boolean>());
  return {
    take: () => (next < scenarios.length ? { index: next, scenario: scenarios[next++]! } : undefined),
    played: (index, opened) => played[index]!.resolve(opened),
    nextPlayed: (index) => played[index + 1]?.promise ?? Promise.resolve(false),
    done,
  };
}

export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Every scenario, on `o.lanes` lanes in this thread (default 1) taking them in file order: worlds of different
 * lanes are open at once, played concurrently. Results reach the reporter in scenario order whatever order they
 * end in (one that ends early waits for those before it), and come back in that order.
 */
export async function runScenarios(scenarios: Scenario[], o: RunOptions): Promise<ScenarioResult[]> {
  const inOrder = new InOrder(o.reporter, o.expectedToFail, o.keepResults ?? true);
  const lanes = localLanes(scenarios, (index, r) => inOrder.add(index, r));
  const n = Math.max(1, Math.min(o.lanes ?? 1, scenarios.length));
  await Promise.all(Array.from({ length: n }, () => runLane(lanes, o)));
  return inOrder.all();
}
