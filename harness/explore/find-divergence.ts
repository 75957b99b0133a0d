/**
 * The search: `runs` random move sequences from `seed`, each run as a scenario against the adapter exactly as
 * `run` would run it (runScenario: same collection of deliveries, same comparison). The property is "every step
 * passes"; on the first sequence that breaks it, fast-check shrinks the sequence, and the smallest failing one is
 * returned with its result. Same seed, runs and adapter → same sequences → same finding.
 */
import fc from 'fast-check';
import type { Adapter } from '../../adapters/adapter.js';
import type { ScenarioResult } from '../../specs/results.js';
import type { Scenario } from '../load.js';
import { runScenario } from '../run.js';
import { movesArbitrary } from './arbitraries.js';
import { effectiveScenario } from './effective-scenario.js';
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
  /** The shrunk sequence, as drawn (dropped moves included, though shrinking leaves few). */
  moves: Move[];
  scenario: Scenario;
  result: ScenarioResult;
  /** The run (1-based) whose sequence first failed, and how many shrinking steps made it smaller. */
  foundOnRun: number;
  shrinks: number;
  /** Steps of the first failing sequence, before shrinking. */
  stepsBeforeShrinking: number;
}

export interface ExploreOutcome {
  divergence?: Divergence;
  /** Sequences run, shrinking attempts included; steps performed against the adapter; moves dropped by the models. */
  sequences: number;
  steps: number;
  dropped: number;
  ms: number;
}

const failed = (r: ScenarioResult) => r.verdict === 'fail' || r.verdict === 'error';

export async function findDivergence(o: ExploreOptions): Promise<ExploreOutcome> {
  const started = performance.now();
  const arbitrary = movesArbitrary(movesOf(o.world.world, o.adapter.capabilities), o.maxMoves);
  const tally = { sequences: 0, steps: 0, dropped: 0 };
  let firstFailureSteps: number | undefined;
  const runMoves = async (moves: Move[]) => {
    const { scenario, dropped } = effectiveScenario(o.world, moves);
    const result = await runScenario(scenario, { adapter: o.adapter, deadlineMs: o.deadlineMs, deadlineOverrideMs: o.deadlineMs, stepTimeoutMs: o.stepTimeoutMs });
    tally.sequences++;
    tally.dropped += dropped;
    tally.steps += result.steps.filter((s) => s.verdict !== 'skip').length;
    return { scenario, result };
  };
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (moves) => {
      const { scenario, result } = await runMoves(moves);
      if (failed(result)) firstFailureSteps ??= scenario.steps.length;
      return !failed(result);
    }),
    { seed: o.seed, numRuns: o.runs },
  );
  if (!details.failed || !details.counterexample) return { ...tally, ms: performance.now() - started };
  const [moves] = details.counterexample;
  // Run the smallest sequence once more: its result is the finding (and a flaky adapter shows up as a pass here).
  const { scenario, result } = await runMoves(moves);
  return {
    ...tally,
    ms: performance.now() - started,
    divergence: { moves, scenario, result, foundOnRun: details.numRuns, shrinks: details.numShrinks, stepsBeforeShrinking: firstFailureSteps ?? scenario.steps.length },
  };
}
