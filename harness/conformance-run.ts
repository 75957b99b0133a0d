/**
 * One conformance run, from loaded scenarios to a `RunResult`: run them, judge the requirements, close or open
 * the gate. The CLI's `run`, the `mutants` command and the bench all go through here.
 */
import { DEFAULT_SETTLE_MS, type Adapter } from '../adapters/adapter.js';
import type { RunResult, ScenarioResult } from '../reports/results.js';
import type { Requirement } from '../specs/requirement.js';
import type { Reporter } from '../reports/reporter.js';
import { gate } from './gate.js';
import { latencyStats } from './latency.js';
import type { Scenario } from './load.js';
import { modelCoverage } from './model-coverage.js';
import { catalogueVersion } from './specs-files.js';
import type { ThreadsOptions } from './workers/pool.js';
import { DEFAULT_DEADLINE_MS, DEFAULT_STEP_TIMEOUT_MS, runScenarios } from './run.js';
import { count, requirementCounts, requirementResults } from './verdicts.js';

export interface ConformanceOptions {
  adapter: Adapter;
  catalogue: ReadonlyMap<string, Requirement>;
  /** The catalogue's version, stated by every report; default: that of specs/requirements.yaml. */
  catalogueVersion?: string;
  strict?: boolean;
  baseline?: ReadonlySet<string>;
  deadlineOverrideMs?: number;
  stepTimeoutMs?: number;
  /** The settle window for every adapter (`--settle`); absent: each adapter's own `settleMs`, else the default. */
  settleMs?: number;
  reporter?: Reporter;
  /** The crash guard of the run (harness/crash-guard.ts): the runner takes what it caught after each adapter call. */
  crashes?: { take(): string | undefined };
  /**
   * `--workers N`: N lanes of concurrent worlds in this thread (default 1), or, with `threads`, N worker threads
   * each making its own copy of the adapter. An `Adapter` object cannot cross threads: without a recipe to make it
   * again, a run stays in this thread.
   */
  workers?: number;
  threads?: Omit<ThreadsOptions, 'run' | 'threads' | 'adapterName' | 'reporter' | 'expectedToFail'>;
}

export const VERSION = '0.1.0';

export async function conformanceRun(scenarios: Scenario[], o: ConformanceOptions): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  await o.reporter?.onBegin?.({ adapter: o.adapter.name, scenarioCount: scenarios.length, startedAt });
  const results = await resultsOf(scenarios, o);
  return assemble(scenarios, results, o, { adapter: o.adapter.name, startedAt, durationMs: performance.now() - t0 });
}

/** Run the scenarios against one adapter, reporting each (in scenario order) as it ends. */
export async function resultsOf(scenarios: Scenario[], o: ConformanceOptions): Promise<ScenarioResult[]> {
  const settings = {
    deadlineMs: DEFAULT_DEADLINE_MS,
    ...(o.deadlineOverrideMs ? { deadlineOverrideMs: o.deadlineOverrideMs } : {}),
    stepTimeoutMs: o.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS,
    settleMs: o.settleMs ?? o.adapter.settleMs ?? DEFAULT_SETTLE_MS,
  };
  const shared = {
    ...(o.reporter ? { reporter: o.reporter } : {}),
    expectedToFail: o.baseline ?? new Set<string>(),
  };
  const workers = o.workers ?? 1;
  if (o.threads && workers > 1) {
    // Imported only for threads: a run in one thread does not load the pool.
    const { runInThreads } = await import('./workers/pool.js');
    return runInThreads(scenarios, {
      ...o.threads,
      ...shared,
      run: settings,
      threads: workers,
      adapterName: o.adapter.name,
    });
  }
  return runScenarios(scenarios, {
    adapter: o.adapter,
    ...settings,
    ...shared,
    ...(o.crashes ? { crashes: o.crashes } : {}),
    lanes: workers,
  });
}

/** Judge requirements, close or open the gate, count: the `RunResult` of some scenario results. */
export function assemble(
  scenarios: Scenario[],
  results: ScenarioResult[],
  o: Omit<ConformanceOptions, 'adapter'>,
  run: { adapter: string; startedAt: string; durationMs: number },
): RunResult {
  const baseline = o.baseline ?? new Set<string>();
  const requirements = requirementResults(o.catalogue.values(), results);
  const latency = latencyStats(results);
  return {
    summary: {
      tool: 'interop-conformance',
      version: VERSION,
      catalogueVersion: o.catalogueVersion ?? catalogueVersion(),
      adapter: run.adapter,
      startedAt: run.startedAt,
      durationMs: run.durationMs,
      scenarios: count(results.map((r) => r.verdict)),
      steps: count(results.flatMap((r) => r.steps.map((s) => s.verdict))),
      requirements: requirementCounts(requirements),
      gate: gate(results, o.catalogue, { strict: o.strict ?? false, baseline }),
      ...(latency ? { latency } : {}),
    },
    scenarios: results,
    requirements,
    coverage: modelCoverage(scenarios),
  };
}
