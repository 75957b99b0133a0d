/**
 * The two suites the oracle predicts — the hand-written scenarios/ and the generated one (a scenario per
 * transition of every model) — loaded in memory, and replayed step by step through `predict()` under a given
 * stepping. Shared by test/oracle-equivalence.test.ts (do two steppings predict the same?) and
 * bench/oracle-step.ts (what does a step cost under each?).
 */
import { join } from 'node:path';
import {
  initialTransition,
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type InputFrom,
  type SnapshotFrom,
} from 'xstate';
import { generateSuite } from '../harness/generate/suite.js';
import { findScenarioFiles, loadScenario, loadScenarios, type Scenario } from '../harness/load.js';
import { initialModelState, predict, type ModelState } from '../harness/oracle.js';
import { withStepping, type Stepping } from '../harness/oracle/stepping.js';
import { loadCatalogue } from '../harness/specs-files.js';
import type { Prediction } from '../reports/results.js';

/** The oracle's stepping before issue 9: xstate's own pure functions, a throwaway actor scope per call. */
export const xstateStepping: Stepping = {
  // `initialTransition` types its input as required or optional by the machine; `start`'s is optional for all.
  start: <M extends AnyStateMachine>(machine: M, input?: InputFrom<M>) =>
    initialTransition<AnyStateMachine>(machine, input)[0] as SnapshotFrom<M>,
  next: (machine, from, event) => transition(machine, from, event)[0],
};

export interface Suites {
  handWritten: Scenario[];
  generated: Scenario[];
}

/** Both suites, loaded as the loader loads them (the generated files under a virtual `generated/` folder). */
export function loadSuites(): Suites {
  const catalogue = loadCatalogue().requirements;
  const { scenarios: handWritten, problems } = loadScenarios(findScenarioFiles(['scenarios']), catalogue);
  const generated: Scenario[] = [];
  for (const f of generateSuite('../../specs/schemas/scenario.schema.json').files) {
    const r = loadScenario(join('generated', f.path), f.text, catalogue);
    problems.push(...r.problems);
    if (r.scenario) generated.push(r.scenario);
  }
  if (problems.length) throw new Error(`the suites do not load: ${problems.map((p) => p.message).join('; ')}`);
  return { handWritten, generated };
}

/** One predicted step: where it is, what the oracle predicted (or why it refused), every model's snapshot after it. */
export interface PlayedStep {
  at: string;
  prediction: Prediction | { refused: string };
  models: unknown;
}

const persisted = (s: AnyMachineSnapshot) => s.machine.getPersistedSnapshot(s);
const eachPersisted = (r: Readonly<Record<string, AnyMachineSnapshot>>) =>
  Object.fromEntries(Object.entries(r).map(([k, s]) => [k, persisted(s)]));

/** Every model instance's snapshot as xstate persists it (value, context with the decision, status, children). */
export function persistedModels(state: ModelState) {
  return {
    tenants: eachPersisted(state.tenants),
    search: persisted(state.search),
    blockedList: persisted(state.blockedList),
    chat: persisted(state.chat),
    escalation: persisted(state.escalation),
    security: persisted(state.security),
    relationships: eachPersisted(state.relationships),
    calls: eachPersisted(state.calls),
  };
}

/** Predict every step of `scenarios` under `stepping`; a step the models refuse ends its scenario, as in the loader. */
export function replay(scenarios: readonly Scenario[], stepping: Stepping): PlayedStep[] {
  return withStepping(stepping, () => {
    const played: PlayedStep[] = [];
    for (const s of scenarios) {
      let state = initialModelState(s.world);
      for (const step of s.steps) {
        const at = `${s.id} step ${step.index}`;
        const answer = predict(s.world, state, step.actor, step.action);
        if (!answer.allowed) {
          played.push({ at, prediction: { refused: answer.reason }, models: persistedModels(state) });
          break;
        }
        state = answer.next;
        played.push({ at, prediction: answer.prediction, models: persistedModels(state) });
      }
    }
    return played;
  });
}

/** Predict every step and keep nothing: what a load costs of the oracle. Returns the number of steps. */
export function predictAll(scenarios: readonly Scenario[], stepping: Stepping): number {
  return withStepping(stepping, () => {
    let steps = 0;
    for (const s of scenarios) {
      let state = initialModelState(s.world);
      for (const step of s.steps) {
        const answer = predict(s.world, state, step.actor, step.action);
        if (answer.allowed) state = answer.next;
        steps++;
      }
    }
    return steps;
  });
}
