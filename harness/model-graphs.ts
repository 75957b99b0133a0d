/**
 * Each model's graph — its states, its rules (transitions) and its initial states — as model coverage needs it. A
 * command whose loader found the graphs in the load cache (harness/cached-loader.ts, keyed like every entry by the
 * specification's hash) takes them from there, and so a run of cached scenarios never loads the models, nor
 * xstate; anything else takes them from the models. The choice is made once, when this module is first imported
 * (a top-level await): every importer sees a plain constant, and the models are imported only when needed.
 */
import { cachedModelGraphs, graphsOf, type ModelGraph } from './cached-loader.js';

export type { ModelGraph } from './cached-loader.js';

export const MODEL_GRAPHS: readonly ModelGraph[] =
  cachedModelGraphs() ?? graphsOf(await import('../specs/models/index.js'));
