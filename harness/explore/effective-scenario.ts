/**
 * A move sequence → the scenario it stands for. Each move is tried in the state the models reached so far; a move
 * aimed at one person that the models do not allow there (accepting a request nobody sent) is tried again with the
 * other pairs of a Teams and a Skype user, in a fixed order starting from its own, so that such moves land where
 * they mean something; a move no pair allows is dropped. All of it deterministic: the same sequence always gives
 * the same scenario, and shrinking the sequence stays meaningful.
 */
import type { Area } from '../../specs/requirement.js';
import type { LoadedStep, Scenario } from '../load.js';
import { initialModelState, predict, type ModelState } from '../oracle.js';
import { orderedPairs, pairIndex, retarget, type Move } from './moves.js';
import type { ExploreWorld } from './world.js';

export interface EffectiveScenario {
  scenario: Scenario;
  /** How many moves of the sequence no pair allowed. */
  dropped: number;
}

/** The move and its stand-ins with the other pairs, in the order they are tried. */
function candidates(w: ExploreWorld, pairs: [string, string][], move: Move): Move[] {
  const at = pairIndex(pairs, move);
  if (at < 0 || !retarget(w.world, move, move.actor, pairs[at]![1])) return [move];
  return pairs.map((_, i) => pairs[(at + i) % pairs.length]!).map(([a, b]) => retarget(w.world, move, a, b)!);
}

export function effectiveScenario(
  w: ExploreWorld,
  moves: readonly Move[],
  id = 'explored',
  area: Area = 'chat',
): EffectiveScenario {
  const pairs = orderedPairs(w.world);
  let state: ModelState = initialModelState(w.world);
  const steps: LoadedStep[] = [];
  let dropped = 0;
  for (const move of moves) {
    let taken = false;
    const tried = candidates(w, pairs, move);
    // `call-state` is allowed for every pair; it means something where there is a call, so it is taken there if it can be.
    const showsCall = (m: Move) => {
      const a = predict(w.world, state, m.actor, m.action);
      return a.allowed && a.prediction.outcome.status === 'ok' && a.prediction.outcome.callState?.state !== 'none';
    };
    const where = move.action.kind === 'call-state' ? tried.find(showsCall) : undefined;
    for (const { actor, action } of where ? [where] : tried) {
      const answer = predict(w.world, state, actor, action);
      if (!answer.allowed) continue;
      state = answer.next;
      const index = steps.length + 1;
      steps.push({ index, location: `${id}:step ${index}`, actor, action, prediction: answer.prediction });
      taken = true;
      break;
    }
    if (!taken) dropped++;
  }
  const requirements = [...new Set(steps.flatMap((s) => s.prediction.requirements))].sort();
  return {
    scenario: { id, title: id, file: `(${id})`, area, tags: ['explored'], world: w.world, steps, requirements },
    dropped,
  };
}
