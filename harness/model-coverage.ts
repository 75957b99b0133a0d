/**
 * Model coverage: which rules (transitions) and states of each model the scenarios' predictions take. A state is
 * covered when a taken rule leaves it or enters it (or one of its sub-states), and a machine's initial state is
 * covered by every scenario, which starts there.
 */
import type { Coverage } from '../reports/results.js';
import { MODEL_GRAPHS } from './model-graphs.js';
import type { Scenario } from './load.js';

export function modelCoverage(scenarios: readonly Scenario[]): Coverage {
  return coverageOfRules(new Set(scenarios.flatMap((s) => s.steps.flatMap((st) => st.prediction.trace))));
}

/** Model coverage from the rules the predictions took (merge-reports has the rules of each shard, not scenarios). */
export function coverageOfRules(taken: ReadonlySet<string>): Coverage {
  return {
    // The graphs, not the machines: a run of cached scenarios loads no model (harness/model-graphs.ts).
    models: MODEL_GRAPHS.map(({ name, rules, initial, states }) => {
      const took = rules.filter((r) => taken.has(r.rule));
      const touched = [...initial, ...took.flatMap((r) => [r.state, ...r.targets])];
      const coveredStates = states.filter((s) => touched.some((t) => t === s || t.startsWith(`${s}.`)));
      return {
        name,
        states: { total: states.length, covered: coveredStates.length },
        transitions: { total: rules.length, covered: took.length },
        missed: [
          ...rules.filter((r) => !taken.has(r.rule)).map((r) => r.rule),
          ...states.filter((s) => !coveredStates.includes(s)).map((s) => `${name}#${s}`),
        ],
        graph: {
          states,
          initial,
          transitions: rules.map((r) => ({ rule: r.rule, from: r.state, event: r.event, to: r.targets })),
        },
      };
    }),
  };
}
