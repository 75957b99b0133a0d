/**
 * Warm, in one process: the harness (load the scenario files + run them against the in-process reference) against
 * the bare work of the same steps (the models' `predict()` of every step, then the reference adapter performing
 * every action and draining every inbox, no checks), after a warm-up of both. Also the run alone (scenarios
 * already loaded) against the same bare work.
 *
 * One pair is RUNS runs of each side, alternated (A B A B …), its ratio the sum of A's times over the sum of B's: a
 * run of the suite takes tens of milliseconds, the size of a few time slices on a shared machine, and one slice lost
 * to another process moved a pair's ratio by half. Alternating runs within the pair keeps both sides under the same
 * load; the times reported are a run's (the pair's sum over RUNS).
 */
import { createReferenceAdapter } from '../adapters/reference/adapter.js';
import type { Adapter } from '../adapters/adapter.js';
import { conformanceRun } from '../harness/conformance-run.js';
import { findScenarioFiles, loadScenarios } from '../harness/load.js';
import { initialModelState, predict } from '../harness/oracle.js';
import { neededCapabilities } from '../harness/adapter-calls.js';
import { loadCatalogue } from '../harness/specs-files.js';
import type { Scenario } from '../harness/load.js';
import { emptyPaired, timed, type Paired } from './stats.js';

const WARM_UPS = 3;
export const RUNS = 5;

export interface Warm {
  scenarios: number;
  steps: number;
  loadAndRun: Paired;
  runOnly: Paired;
}

/** The models' prediction of every step, as the loader makes them (bare: no expectation checked). */
export function barePredictions(scenarios: readonly Scenario[]): void {
  for (const s of scenarios) {
    let state = initialModelState(s.world);
    for (const st of s.steps) {
      const answer = predict(s.world, state, st.actor, st.action);
      if (answer.allowed) state = answer.next;
    }
  }
}

/** Every action performed and, after it, every person's inbox drained once: no timeout, no check. */
export async function bareAdapter(scenarios: readonly Scenario[], adapter: Adapter): Promise<void> {
  for (const s of scenarios) {
    const people = Object.values(s.world.users)
      .filter((u) => u.kind !== 'admin')
      .map((u) => u.name);
    const session = await adapter.open(s.world);
    for (const st of s.steps) {
      await session.perform(st.actor, st.action);
      for (const u of people) await session.drain(u);
    }
    await session.close();
  }
}

/** The scenarios of `suite` the in-process reference plays (what needs a wire is skipped by the harness). */
export function playable(suite: string, adapter: Adapter) {
  const catalogue = loadCatalogue().requirements;
  const files = findScenarioFiles([suite]);
  const load = () =>
    loadScenarios(files, catalogue).scenarios.filter((s) =>
      neededCapabilities(s).every((c) => adapter.capabilities.includes(c)),
    );
  return { catalogue, load, scenarios: load() };
}

/** One pair: `runs` runs of A and of B, alternated; a run's time on each side and the ratio of the sums. */
export async function alternated(into: Paired, a: () => Promise<void>, b: () => Promise<void>, runs = RUNS) {
  let [aMs, bMs] = [0, 0];
  for (let i = 0; i < runs; i++) {
    aMs += await timed(a);
    bMs += await timed(b);
  }
  into.aMs.push(aMs / runs);
  into.bMs.push(bMs / runs);
  into.ratios.push(aMs / bMs);
}

export async function warm(suite: string, pairs: number): Promise<Warm> {
  const adapter = createReferenceAdapter();
  const { catalogue, load, scenarios } = playable(suite, adapter);
  const steps = scenarios.reduce((n, s) => n + s.steps.length, 0);

  const harness = async () => void (await conformanceRun(load(), { adapter, catalogue }));
  const runOnly = async () => void (await conformanceRun(scenarios, { adapter, catalogue }));
  const bare = async () => {
    barePredictions(scenarios);
    await bareAdapter(scenarios, adapter);
  };

  for (let i = 0; i < WARM_UPS; i++) for (const w of [harness, runOnly, bare]) await w();
  const out: Warm = { scenarios: scenarios.length, steps, loadAndRun: emptyPaired(), runOnly: emptyPaired() };
  for (let i = 0; i < pairs; i++) {
    await alternated(out.loadAndRun, harness, bare);
    await alternated(out.runOnly, runOnly, bare);
  }
  return out;
}
