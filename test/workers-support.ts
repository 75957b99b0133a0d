/** Shared by the workers tests: report.json as two runs of the same scenarios must agree on it. */
import type { RunResult } from '../reports/results.js';

/** report.json without what differs between any two runs: times, durations, latencies, the run id. */
export function comparable(run: RunResult): string {
  const varying = new Set(['durationMs', 'startedAt', 'runId', 'deliveredAt', 'latenciesMs', 'systemLatenciesMs']);
  return JSON.stringify({ ...run, summary: { ...run.summary, latency: undefined } }, (k, v) =>
    varying.has(k) ? undefined : v,
  );
}
