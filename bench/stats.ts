/**
 * The bench's arithmetic: interleaved pairs and the spread of their ratios. A ratio is taken within one pair (A
 * and B run back to back), never between figures taken at different moments, so that a machine that slows down
 * or speeds up midway moves both sides of a pair together; the median and the spread are over the pairs' ratios.
 */

/** A sample's median, its quartiles (linear interpolation) and its extremes. */
export interface Spread {
  n: number;
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('no values to summarise');
  const s = [...values].sort((a, b) => a - b);
  return {
    n: s.length,
    median: quantile(s, 0.5),
    q1: quantile(s, 0.25),
    q3: quantile(s, 0.75),
    min: s[0]!,
    max: s.at(-1)!,
  };
}

/** One comparison: A's and B's times in each pair, in milliseconds, and A/B per pair. */
export interface Paired {
  aMs: number[];
  bMs: number[];
  ratios: number[];
}

export const emptyPaired = (): Paired => ({ aMs: [], bMs: [], ratios: [] });

/** Times A, then B, and records the pair: one call is one pair (the caller interleaves pairs of comparisons). */
export async function pair(into: Paired, a: () => Promise<number>, b: () => Promise<number>): Promise<void> {
  const aMs = await a();
  const bMs = await b();
  into.aMs.push(aMs);
  into.bMs.push(bMs);
  into.ratios.push(aMs / bMs);
}

/** Milliseconds `work` takes, on the monotonic clock. */
export async function timed(work: () => unknown): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

/** `1.23× (1.10–1.40)`: a spread of ratios as the bench prints it. */
export const ratioText = (s: Spread): string =>
  `${s.median.toFixed(2)}× (pairs ${s.min.toFixed(2)}–${s.max.toFixed(2)}, IQR ${s.q1.toFixed(2)}–${s.q3.toFixed(2)})`;
