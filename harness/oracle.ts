/**
 * The oracle: composes the models of `specs/models/` into a prediction for each step. Pure: it steps the machines
 * as xstate's `transition()` does (no actors, no timers; oracle/stepping.ts: one reused inert scope per machine)
 * and returns the next state with the prediction, or the reason the models do not allow the step at all (an
 * authoring error, reported before anything runs).
 *
 * In parts, each named for what it computes (harness/oracle/): composition.ts (the machines' snapshots, fire and
 * commit), decide.ts and the per-action files (search, contact, relationship-actions, in-call, admin, gates),
 * deliveries.ts (who is told what, on which surface), attribution.ts (the requirements a step answers to, in one
 * list), predict.ts (the three together). The protocol decisions they apply are specs/interop.ts's.
 */
export { initialModelState, type ModelState } from './oracle/composition.js';
export { predict, type OracleAnswer } from './oracle/predict.js';
