/** Predict one step: decide it on the models, attribute its requirements, and keep the models' next state. */
import type { Prediction } from '../../reports/results.js';
import type { Action, World } from '../../specs/protocol.js';
import { attribute, views } from './attribution.js';
import type { ModelState } from './composition.js';
import { decide } from './decide.js';
import { NotAllowed, Step } from './step.js';

export type OracleAnswer =
  { allowed: true; prediction: Prediction; next: ModelState } | { allowed: false; reason: string };

/** `world` is resolved; actors and names were checked by the loader. */
export function predict(world: World, state: ModelState, actorName: string, action: Action): OracleAnswer {
  const step = new Step(world, state);
  try {
    const { outcome, deliveries, decision } = decide(step, actorName, action);
    const attribution = [...attribute('decides', decision.requirements), ...step.attribution];
    return {
      allowed: true,
      prediction: {
        outcome,
        deliveries,
        rule: decision.rule,
        ...views(attribution, deliveries),
        trace: step.models.trace,
      },
      next: step.models.state(),
    };
  } catch (e) {
    if (e instanceof NotAllowed) return { allowed: false, reason: e.message };
    throw e;
  }
}
