/**
 * After fast-check's shrinking, a pass its array shrinker does not always make: leave out each step in turn, from
 * the last, keeping every removal after which the scenario still fails. `failing(moves)` runs a sequence and gives
 * back the steps it actually took, up to and including the failing one (so steps after it, never run, go too), or
 * undefined when it passes. The result is 1-minimal: no single step can be left out.
 */
import type { Move } from './moves.js';

export async function minimize(
  steps: Move[],
  failing: (moves: Move[]) => Promise<Move[] | undefined>,
): Promise<Move[]> {
  let kept = steps;
  for (let i = kept.length - 1; i >= 0; i--) {
    if (kept.length <= 1) break;
    if (i >= kept.length) continue;
    const smaller = await failing([...kept.slice(0, i), ...kept.slice(i + 1)]);
    if (smaller && smaller.length < kept.length) kept = smaller;
  }
  return kept;
}
