/** Delivery latency statistics (F13): nearest-rank percentiles over every delivery observed. */
import type { LatencyStats, ScenarioResult } from '../reports/results.js';

export function latencyStats(results: readonly ScenarioResult[]): LatencyStats | undefined {
  const all = results.flatMap((r) => r.steps.flatMap((s) => s.observed?.latenciesMs ?? [])).sort((a, b) => a - b);
  if (!all.length) return undefined;
  const at = (p: number) => all[Math.min(all.length - 1, Math.max(0, Math.ceil(p * all.length) - 1))]!;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { count: all.length, p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(all[all.length - 1]!) };
}
