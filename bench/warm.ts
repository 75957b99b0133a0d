/**
 * Warm, in one process: the harness (load the scenario files + run them against the in-process reference) against
 * the bare work of the same steps (the models' `predict()` of every step, then the reference adapter performing
 * every action and draining every inbox, no checks), A then B in each pair, after a warm-up of both. Also the run
 * alone (scenarios already loaded) against the same bare work.
 */
import { createReferenceAdapter } from '../adapters/reference/adapter.js';
import { conformanceRun } from '../harness/conformance-run.js';
import { findScenarioFiles, loadScenarios } from '../harness/load.js';
import { initialModelState, predict } from '../harness/oracle.js';
import { neededCapabilities } from '../harness/adapter-calls.js';
import { loadCatalogue } from '../harness/specs-files.js';
import type { Scenario } from '../harness/load.js';
import { emptyPaired, pair, timed, type Paired } from './stats.js';

const WARM_UPS = 3;

export interface Warm {
  scenarios: number;
  steps: number;
  loadAndRun: Paired;
  runOnly: Paired;
}

export async function warm(suite: string, pairs: number): Promise<Warm> {
  const catalogue = loadCatalogue().requirements;
  const adapter = createReferenceAdapter();
  const files = findScenarioFiles([suite]);
  // The in-process reference has no wire: what needs one is skipped by the harness, so neither side plays it.
  const playable = (all: Scenario[]) =>
    all.filter((s) => neededCapabilities(s).every((c) => adapter.capabilities.includes(c)));
  const load = () => playable(loadScenarios(files, catalogue).scenarios);
  const scenarios = load();
  const steps = scenarios.reduce((n, s) => n + s.steps.length, 0);

  const harness = async () => void (await conformanceRun(load(), { adapter, catalogue }));
  const runOnly = async () => void (await conformanceRun(scenarios, { adapter, catalogue }));
  const bare = async () => {
    for (const s of scenarios) {
      let state = initialModelState(s.world);
      for (const st of s.steps) {
        const answer = predict(s.world, state, st.actor, st.action);
        if (answer.allowed) state = answer.next;
      }
    }
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
  };

  for (let i = 0; i < WARM_UPS; i++) for (const w of [harness, runOnly, bare]) await w();
  const out: Warm = { scenarios: scenarios.length, steps, loadAndRun: emptyPaired(), runOnly: emptyPaired() };
  for (let i = 0; i < pairs; i++) {
    await pair(
      out.loadAndRun,
      () => timed(harness),
      () => timed(bare),
    );
    await pair(
      out.runOnly,
      () => timed(runOnly),
      () => timed(bare),
    );
  }
  return out;
}
