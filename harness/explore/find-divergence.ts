/**
 * The search: `runs` random move sequences from `seed`, each run as a scenario against the adapter exactly as
 * `run` runs one (runScenario: the same collection of deliveries, the same comparison). The property is "every
 * step passes". A failing sequence is run a second time and counts only if it fails again, so that a hiccup of
 * timing (a delivery measured late while the machine was busy) is not taken for a divergence. On the first
 * sequence that fails, fast-check shrinks it, then minimize.ts leaves out what still can go. Same seed, runs and
 * adapter → same sequences → same finding.
 */
import fc from 'fast-check';
import type { Adapter } from '../../adapters/adapter.js';
import type { ScenarioResult } from '../../reports/results.js';
import type { Scenario } from '../load.js';
import { runScenario } from '../run.js';
import { MAX_MOVES, movesArbitrary } from './arbitraries.js';
import { effectiveScenario } from './effective-scenario.js';
import { minimize } from './minimize.js';
import { movesOf, type Move } from './moves.js';
import type { ExploreWorld } from './world.js';

export interface ExploreOptions {
  adapter: Adapter;
  world: ExploreWorld;
  runs: number;
  seed: number;
  deadlineMs: number;
  stepTimeoutMs: number;
  maxMoves?: number;
}

export interface Divergence {
  /** The minimal scenario: every step allowed by the models, the last one fails. */
  scenario: Scenario;
  result: ScenarioResult;
  /** The run (1-based) whose sequence first failed, and how many shrinking steps made it smaller. */
  foundOnRun: number;
  shrinks: number;
  /** Steps of the first failing sequence, up to its failing step, before any shrinking. */
  stepsBeforeShrinking: number;
  /** When the search reached the first failing sequence, ms after it began. */
  foundAfterMs: number;
}

export interface ExploreOutcome {
  divergence?: Divergence;
  /** Sequences run (shrinking and confirmations included), steps performed, moves no pair allowed. */
  sequences: number;
  steps: number;
  dropped: number;
  /** Sequences that failed once and passed when run again. */
  flaky: number;
  /**
   * The search saw a sequence fail (twice in a row), but the counterexample fast-check settled on passed when run
   * once more: not "no divergence" — the system's behaviour depends on timing or on something outside the sequence.
   */
  unreproduced?: {
    foundOnRun: number;
    shrinks: number;
    stepsBeforeShrinking: number;
    foundAfterMs: number;
    result?: ScenarioResult;
  };
  ms: number;
}

interface Attempt {
  scenario: Scenario;
  result: ScenarioResult;
  failed: boolean;
}

const failed = (r: ScenarioResult) => r.verdict === 'fail' || r.verdict === 'error';
/** The steps a failing run took, up to and including the one that failed. */
const stepsTaken = (a: Attempt): Move[] => {
  const last = a.result.steps.findIndex((s) => s.verdict === 'fail' || s.verdict === 'error');
  return a.scenario.steps.slice(0, last < 0 ? undefined : last + 1).map(({ actor, action }) => ({ actor, action }));
};

export async function findDivergence(o: ExploreOptions): Promise<ExploreOutcome> {
  const started = performance.now();
  const arbitrary = movesArbitrary(movesOf(o.world.world, o.adapter.capabilities), o.maxMoves ?? MAX_MOVES);
  const tally = { sequences: 0, steps: 0, dropped: 0, flaky: 0 };
  const runOnce = async (moves: Move[]) => {
    const { scenario, dropped } = effectiveScenario(o.world, moves);
    const result = await runScenario(scenario, {
      adapter: o.adapter,
      deadlineMs: o.deadlineMs,
      deadlineOverrideMs: o.deadlineMs,
      stepTimeoutMs: o.stepTimeoutMs,
    });
    tally.sequences++;
    tally.dropped += dropped;
    tally.steps += result.steps.filter((s) => s.verdict !== 'skip').length;
    return { scenario, result };
  };
  const attempt = async (moves: Move[]): Promise<Attempt> => {
    const first = await runOnce(moves);
    if (!failed(first.result)) return { ...first, failed: false };
    const again = await runOnce(moves);
    if (!failed(again.result)) tally.flaky++;
    return { ...again, failed: failed(again.result) };
  };

  let first: { steps: number; atMs: number; result: ScenarioResult } | undefined;
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (moves) => {
      const a = await attempt(moves);
      if (a.failed) first ??= { steps: stepsTaken(a).length, atMs: performance.now() - started, result: a.result };
      return !a.failed;
    }),
    { seed: o.seed, numRuns: o.runs },
  );
  if (!details.failed || !details.counterexample) return { ...tally, ms: performance.now() - started };

  let last = await attempt(details.counterexample[0]);
  if (!last.failed) {
    const unreproduced = {
      foundOnRun: details.numRuns,
      shrinks: details.numShrinks,
      stepsBeforeShrinking: first?.steps ?? 0,
      foundAfterMs: first?.atMs ?? 0,
      ...(first ? { result: first.result } : {}),
    };
    return { ...tally, ms: performance.now() - started, unreproduced };
  }
  await minimize(stepsTaken(last), async (moves) => {
    const a = await attempt(moves);
    if (!a.failed) return undefined;
    const taken = stepsTaken(a);
    if (taken.length < stepsTaken(last).length) last = a;
    return taken;
  });
  // The scenario that is written: exactly the steps taken, so nothing after the failing step.
  const final = await attempt(stepsTaken(last));
  if (final.failed) last = final;
  return {
    ...tally,
    ms: performance.now() - started,
    divergence: {
      scenario: last.scenario,
      result: last.result,
      foundOnRun: details.numRuns,
      shrinks: details.numShrinks,
      stepsBeforeShrinking: first?.steps ?? last.scenario.steps.length,
      foundAfterMs: first?.atMs ?? 0,
    },
  };
}
