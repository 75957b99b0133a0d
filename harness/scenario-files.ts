/**
 * The scenario files of a selection, what a loaded scenario is, and the suite they make, without loading any of
 * them: what the cached loader (harness/cached-loader.ts) and the loader (harness/load.ts) share. No YAML parser,
 * schema validator or model is imported here, so a command whose every scenario comes from the cache loads none.
 */
import { readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, relative } from 'node:path';
import { SCENARIOS_DIR } from '../specs/schemas/files.js';
import { InputError, type Diagnostic } from './diagnostics.js';
import type { Action, World } from '../specs/protocol.js';
import type { Prediction } from '../reports/results.js';
import type { Area, Requirement } from '../specs/requirement.js';
import type { Expectation } from './expectations.js';
import type { Catalogue } from './specs-files.js';
import { describeFsError } from './text-file.js';

export interface LoadedStep {
  index: number;
  location: string;
  actor: string;
  action: Action;
  expect?: Expectation;
  /** `false`: go on without waiting for this step's deliveries (several in flight at once); they are judged as they arrive. */
  wait?: false;
  prediction: Prediction;
}

export interface Scenario {
  id: string;
  title: string;
  file: string;
  area: Area;
  tags: string[];
  deadlineMs?: number;
  world: World;
  steps: LoadedStep[];
  /** Every requirement some step exercises. */
  requirements: string[];
}

/** Loads the catalogue and the scenarios of a selection, synchronously, once prepared (CommandContext.prepare). */
export interface SuiteLoader {
  catalogue(): Catalogue;
  scenarios(files: string[], requirements: Map<string, Requirement>): { scenarios: Scenario[]; problems: Diagnostic[] };
}

/**
 * All scenario files under the given files and folders, sorted, each once. A path that cannot be read, a symlink
 * loop, or something in a folder that is neither a folder nor a regular file is bad input, located at its path.
 */
export function findScenarioFiles(paths: string[]): string[] {
  const out = new Set<string>();
  const problems: Diagnostic[] = [];
  const refuse = (p: string, message: string) => problems.push({ file: p, line: 1, col: 1, message });
  const walk = (p: string, within: ReadonlySet<string>) => {
    let st: Stats;
    let entries: string[];
    try {
      st = statSync(p);
      if (!st.isDirectory()) {
        if (!/\.ya?ml$/.test(p)) return;
        // A FIFO or device named *.yaml would block or never end the read.
        if (!st.isFile()) return void refuse(p, 'not a regular file; a scenario file must be one');
        return void out.add(p);
      }
      const real = realpathSync(p);
      // A symlink back to a folder being walked would be walked for ever.
      if (within.has(real)) return void refuse(p, `a symlink loop: this leads back to ${real}, which contains it`);
      entries = readdirSync(p).sort();
      within = new Set([...within, real]);
    } catch (e) {
      return void refuse(p, describeFsError(e));
    }
    for (const e of entries) walk(join(p, e), within);
  };
  for (const p of paths) walk(p, new Set());
  if (problems.length) throw new InputError(problems);
  return [...out].sort();
}

/**
 * The suite of `files`, each loaded by `loadOne` (fresh or from the cache): its scenarios in file order and every
 * problem, an id used by two files among them.
 */
export function collectScenarios(
  files: readonly string[],
  loadOne: (file: string) => { scenario?: Scenario; problems: Diagnostic[] },
): { scenarios: Scenario[]; problems: Diagnostic[] } {
  const scenarios: Scenario[] = [];
  const problems: Diagnostic[] = [];
  const ids = new Map<string, string>();
  for (const file of files) {
    const r = loadOne(file);
    problems.push(...r.problems);
    if (!r.scenario) continue;
    const clash = ids.get(r.scenario.id);
    if (clash)
      problems.push({ file, line: 1, col: 1, message: `scenario id "${r.scenario.id}" is already used by ${clash}` });
    ids.set(r.scenario.id, file);
    scenarios.push(r.scenario);
  }
  return { scenarios, problems };
}

/**
 * The scenarios run when no path is given: the package's own, named `scenarios` when the working folder is the
 * package's root (a clone: locations read `scenarios/chat/x.yaml:3:5`), else by their absolute path (an installed
 * package run from a user's project, or a clone run from any other folder — even one above it, where a relative
 * path would name the package's folder by where it happens to lie).
 */
export function defaultScenarioPaths(cwd = process.cwd()): string[] {
  return [relative(cwd, SCENARIOS_DIR) === 'scenarios' ? 'scenarios' : SCENARIOS_DIR];
}
