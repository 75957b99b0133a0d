/** One step being decided: the world, the models' composition, and the step's requirement attribution so far. */
import type { ActorOutcome, Delivery, ErrorCode, World } from '../../specs/protocol.js';
import type { Decision } from '../../specs/models/rule.js';
import { attribute, type Attribution, type Why } from './attribution.js';
import { Composition, type ModelState } from './composition.js';
import { OutOfScope } from '../world-queries.js';

/** A step the models do not allow: the scenario is wrong (an authoring error, reported before anything runs). */
export const NotAllowed = OutOfScope;

export class Step {
  readonly models: Composition;
  readonly attribution: Attribution[] = [];
  constructor(
    readonly world: World,
    state: ModelState,
  ) {
    this.models = new Composition(state);
  }
  because(why: Why, requirements: readonly string[]): void {
    this.attribution.push(...attribute(why, requirements));
  }
}

/** What one action comes to: the actor's outcome, what reaches others, and the rule that decided. */
export interface Decided {
  outcome: ActorOutcome;
  deliveries: Delivery[];
  decision: Decision;
}

export const ok = (data: Omit<Extract<ActorOutcome, { status: 'ok' }>, 'status'> = {}): ActorOutcome => ({
  status: 'ok',
  ...data,
});
export const error = (code: ErrorCode): ActorOutcome => ({ status: 'error', error: code });
export const decided = (outcome: ActorOutcome, decision: Decision, deliveries: Delivery[] = []): Decided => ({
  outcome,
  deliveries,
  decision,
});
