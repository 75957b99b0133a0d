/**
 * Each model's graph — its states, its rules (transitions) and its initial states — as model coverage needs it. A
 * command whose loader found the graphs in the load cache (harness/load-cache.ts, keyed like every entry by the
 * specification's hash) takes them from there, and so a run of cached scenarios never loads the models, nor
 * xstate; anything else takes them from the models. The choice is made once, when this module is first imported
 * (a top-level await): every importer sees a plain constant, and the models are imported only when needed.
 */
import type { RuleInfo } from '../specs/models/index.js';
import { cachedModelGraphs } from './load-cache.js';

export interface ModelGraph {
  name: string;
  states: string[];
  /** The states a machine starts in. */
  initial: string[];
  rules: RuleInfo[];
}

/** The graphs of the models of specs/models/, in MODELS' order. */
export function graphsOf(models: typeof import('../specs/models/index.js')): ModelGraph[] {
  return Object.entries(models.MODELS).map(([name, machine]) => ({
    name,
    states: models.statesOf(machine),
    initial: machine.root.initial?.target.map((n) => n.path.join('.')) ?? [],
    rules: models.rulesOf(machine),
  }));
}

export const MODEL_GRAPHS: readonly ModelGraph[] =
  cachedModelGraphs() ?? graphsOf(await import('../specs/models/index.js'));
