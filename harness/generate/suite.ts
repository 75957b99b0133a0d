/**
 * The generated suite: one scenario per transition of every model (`<area>/<model>-<rule>.yaml`), and the check
 * that it is what it claims — every file loads (schema, names, the composed oracle allows every step), every
 * file's steps take the rule it was generated for, and together they take every rule of every model.
 */
import { join } from 'node:path';
import type { Coverage } from '../../reports/results.js';
import type { Requirement } from '../../specs/requirement.js';
import { formatDiagnostic } from '../diagnostics.js';
import { loadScenario, type Scenario } from '../load.js';
import { modelCoverage } from '../model-coverage.js';
import { allModelPaths } from './model-paths.js';
import { toScenario, toYaml } from './to-scenario.js';

export interface GeneratedFile {
  /** Relative to the output folder, `/`-separated. */
  path: string;
  text: string;
  model: string;
  rule: string;
  steps: number;
}

export interface Suite {
  files: GeneratedFile[];
  /** Rules the generator found no path for. */
  unreachable: { model: string; rule: string; why: string }[];
}

/** Every file of the suite, in model and rule order. `schemaRef`: the scenario schema, relative to `<out>/<area>/`. */
export function generateSuite(schemaRef: string): Suite {
  const files: GeneratedFile[] = [];
  const unreachable: Suite['unreachable'] = [];
  for (const m of allModelPaths()) {
    unreachable.push(...m.unreachable.map((u) => ({ model: m.model, ...u })));
    for (const path of m.paths) {
      const s = toScenario(path);
      files.push({
        path: `${s.area}/${s.name}.yaml`,
        text: toYaml(s, schemaRef),
        model: s.model,
        rule: s.rule,
        steps: s.steps,
      });
    }
  }
  return { files, unreachable };
}

export interface SuiteCheck {
  scenarios: Scenario[];
  coverage: Coverage;
  /** What is wrong with the suite; empty when it validates and takes every transition. */
  problems: string[];
}

/** Load every file as the loader would from `dir`, and measure what the suite takes. */
export function checkSuite(
  files: readonly GeneratedFile[],
  dir: string,
  catalogue: Map<string, Requirement>,
): SuiteCheck {
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  for (const f of files) {
    const { scenario, problems: found } = loadScenario(join(dir, f.path), f.text, catalogue);
    problems.push(...found.map((d) => `${f.path} does not validate: ${formatDiagnostic(d)}`));
    if (!scenario) continue;
    scenarios.push(scenario);
    if (!scenario.steps.some((st) => st.prediction.trace.includes(f.rule)))
      problems.push(
        `${f.path} was generated for ${f.rule}, but the oracle's prediction of its steps never takes that rule`,
      );
  }
  const coverage = modelCoverage(scenarios);
  for (const m of coverage.models)
    if (m.transitions.covered < m.transitions.total)
      problems.push(
        `model ${m.name}: the suite takes ${m.transitions.covered}/${m.transitions.total} transitions; missed: ${m.missed.filter((x) => !x.includes('#')).join(', ')}`,
      );
  return { scenarios, coverage, problems };
}
