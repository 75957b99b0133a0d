/** Delivery latency statistics (F13): nearest-rank percentiles over every delivery observed. */
import type { LatencyStats, ScenarioResult } from '../reports/results.js';

export function latencyStats(results: readonly ScenarioResult[]): LatencyStats | undefined {
  let n = 0;
  for (const r of results) for (const s of r.steps) n += s.observed?.latenciesMs?.length ?? 0;
  if (!n) return undefined;
  // A typed array sorts numbers as numbers, without a comparator called per pair: the run's every latency is here.
  const all = new Float64Array(n);
  let i = 0;
  for (const r of results) for (const s of r.steps) for (const ms of s.observed?.latenciesMs ?? []) all[i++] = ms;
  all.sort();
  const at = (p: number) => all[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { count: n, p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(all[n - 1]!) };
}
