/**
 * Differential runs (`--adapter a,b`): the same scenarios against several adapters in one run. Beside each
 * adapter's verdicts against the model, it lists every step at which the adapters observed different things —
 * a disagreement between two systems is evidence even where the model has nothing to say about it.
 */
import type { Adapter } from '../adapters/adapter.js';
import { safeStringify } from '../reports/json-safe.js';
import type { Observation } from '../specs/protocol.js';
import type { Disagreement, RunResult, ScenarioResult, StepResult } from '../reports/results.js';
import { assemble, resultsOf, type ConformanceOptions } from './conformance-run.js';
import { latencyStats } from './latency.js';
import type { Scenario } from './load.js';
import { requirementResults } from './verdicts.js';

/** What two systems must agree on: the outcome, and the deliveries in any order, without timing. */
function normalized(o: Observation): string {
  // safeStringify: an adapter's circular or BigInt observation must not crash the comparison.
  const deliveries = o.deliveries
    .map(({ deliveredAt: _t, ...d }) =>
      safeStringify(Object.fromEntries(Object.entries(d).sort(([a], [b]) => a.localeCompare(b)))),
    )
    .sort();
  return safeStringify([o.outcome, deliveries]);
}

export function disagreements(byAdapter: ReadonlyMap<string, ScenarioResult[]>): Disagreement[] {
  const out: Disagreement[] = [];
  const [first] = byAdapter.values();
  for (const scenario of first ?? []) {
    for (const step of scenario.steps) {
      const seen = new Map<string, StepResult>();
      for (const [adapter, results] of byAdapter) {
        const st = results.find((r) => r.id === scenario.id)?.steps.find((x) => x.index === step.index);
        if (st?.observed) seen.set(adapter, st);
      }
      if (seen.size < 2 || new Set([...seen.values()].map((x) => normalized(x.observed!))).size === 1) continue;
      out.push({
        scenario: scenario.id,
        step: step.index,
        location: step.location,
        actor: step.actor,
        action: step.action,
        observed: Object.fromEntries([...seen].map(([a, x]) => [a, x.observed!])),
        verdicts: Object.fromEntries([...seen].map(([a, x]) => [a, x.verdict])),
      });
    }
  }
  return out;
}

export async function differentialRun(
  scenarios: Scenario[],
  adapters: Adapter[],
  o: Omit<ConformanceOptions, 'adapter'>,
): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const name = adapters.map((a) => a.name).join(',');
  await o.reporter?.onBegin?.({ adapter: name, scenarioCount: scenarios.length * adapters.length, startedAt });
  const byAdapter = new Map<string, ScenarioResult[]>();
  for (const adapter of adapters) byAdapter.set(adapter.name, await resultsOf(scenarios, { ...o, adapter }));
  const all = [...byAdapter.values()].flat();
  const run = assemble(scenarios, all, o, { adapter: name, startedAt, durationMs: performance.now() - t0 });
  const perAdapter = new Map([...byAdapter].map(([a, rs]) => [a, requirementResults(o.catalogue.values(), rs)]));
  run.differential = {
    adapters: [...byAdapter.keys()],
    matrix: run.requirements.map((r) => ({
      requirement: r.id,
      level: r.level,
      verdicts: Object.fromEntries([...perAdapter].map(([a, rs]) => [a, rs.find((x) => x.id === r.id)!.verdict])),
    })),
    disagreements: disagreements(byAdapter),
    latency: Object.fromEntries([...byAdapter].map(([a, rs]) => [a, latencyStats(rs) ?? null])),
  };
  return run;
}
