/**
 * A move sequence → the scenario it stands for: the moves the models allow, in order, each with the models'
 * prediction. A move the models do not allow in the state reached so far (accepting a request nobody sent) is
 * dropped, deterministically, so the same sequence always gives the same scenario and shrinking stays meaningful.
 */
import type { Area } from '../../specs/results.js';
import type { LoadedStep, Scenario } from '../load.js';
import { initialModelState, predict } from '../oracle.js';
import type { Move } from './moves.js';
import type { ExploreWorld } from './world.js';

export interface EffectiveScenario {
  scenario: Scenario;
  /** How many moves of the sequence the models did not allow. */
  dropped: number;
}

export function effectiveScenario(w: ExploreWorld, moves: readonly Move[], id = 'explored', area: Area = 'chat'): EffectiveScenario {
  let state = initialModelState(w.world);
  const steps: LoadedStep[] = [];
  let dropped = 0;
  for (const { actor, action } of moves) {
    const answer = predict(w.world, state, actor, action);
    if (!answer.allowed) {
      dropped++;
      continue;
    }
    state = answer.next;
    const index = steps.length + 1;
    steps.push({ index, location: `${id}:step ${index}`, actor, action, prediction: answer.prediction });
  }
  const requirements = [...new Set(steps.flatMap((s) => s.prediction.requirements))].sort();
  return { scenario: { id, title: id, file: `(${id})`, area, tags: ['explored'], world: w.world, steps, requirements }, dropped };
}
