/**
 * The fast-check arbitrary of move sequences: a weighted choice of group, then a move of that group. Sequences
 * shrink by dropping moves and by moving each choice towards the first of its group, so a counterexample shrinks
 * to few, simple steps.
 */
import fc from 'fast-check';
import type { Move, MoveGroup } from './moves.js';

/** Long enough to reach a call in a connected, then blocked and unblocked, conversation. */
export const MAX_MOVES = 30;

export function movesArbitrary(groups: MoveGroup[], maxLength = MAX_MOVES): fc.Arbitrary<Move[]> {
  const move = fc.oneof(...groups.map((g) => ({ arbitrary: fc.constantFrom(...g.moves), weight: g.weight })));
  return fc.array(move, { minLength: 1, maxLength, size: 'max' });
}
