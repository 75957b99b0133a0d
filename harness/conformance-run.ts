/**
 * One conformance run, from loaded scenarios to a `RunResult`: run them, judge the requirements, close or open
 * the gate. The CLI's `run`, the `mutants` command and the bench all go through here.
 */
import { DEFAULT_SETTLE_MS, type Adapter } from '../adapters/adapter.js';
import type { Coverage, RunResult, ScenarioResult } from '../reports/results.js';
import type { Requirement } from '../specs/requirement.js';
import type { Reporter } from '../reports/reporter.js';
import { HeldThenSpilled, ResultSpill } from '../reports/result-spill.js';
import { gate } from './gate.js';
import { latencyStats } from './latency.js';
import type { Scenario } from './load.js';
import { coverageOfRules, modelCoverage } from './model-coverage.js';
import { rulesTaken } from './compact-scenarios.js';
import { catalogueVersion } from './specs-files.js';
import type { ThreadsOptions } from './workers/pool.js';
import { DEFAULT_DEADLINE_MS, DEFAULT_STEP_TIMEOUT_MS, runScenarios } from './run.js';
import { requirementCounts, RunTally } from './verdicts.js';

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
  threads?: Omit<ThreadsOptions, 'run' | 'threads' | 'adapterName' | 'reporter' | 'expectedToFail' | 'keepResults'>;
  /**
   * The results as `reporter` records them (the CLI: tallied, and spilled to disk for its reports): the runner then
   * keeps none itself, and the `RunResult` is assembled from this record. Absent (the API): every result is kept.
   */
  recorded?: RecordedResults;
}

/** A run's results as they were recorded: their tally, and the results themselves, read back when asked. */
export interface RecordedResults {
  readonly tally: RunTally;
  results(): ScenarioResult[];
}

/**
 * The CLI's record of a run: each result tallied and spilled to disk as it ends (reports/result-spill.ts), none
 * kept in memory; `results()` reads them back one at a time for the reports. `dispose()` once they are written.
 * Where no spill can be made or written (no writable temporary folder, a full disk), the results are kept in memory
 * instead, as before the spill: the run and its reports are the same, only its memory is not.
 */
export class SpilledResults implements RecordedResults {
  readonly tally = new RunTally();
  readonly #results: HeldThenSpilled<ScenarioResult>;

  constructor(
    makeSpill: () => ResultSpill = () => new ResultSpill(),
    /** Steps held in memory before spilling (SPILL_AFTER.resultSteps for a run); 0: spill from the start. */
    budget = 0,
  ) {
    this.#results = new HeldThenSpilled(makeSpill, (r) => r.steps.length + 1, budget);
  }

  add(result: ScenarioResult): void {
    this.tally.add(result);
    this.#results.add(result);
  }

  /** Whether the results are on disk (false: kept in memory, the spill could not be made or written). */
  get spilled(): boolean {
    return this.#results.spilled;
  }

  results(): ScenarioResult[] {
    return this.#results.all();
  }

  /** The ids of the scenarios with a result, in the order they came. */
  ids(): Set<string> {
    return new Set(this.tally.gated.map((r) => r.id));
  }

  dispose(): void {
    this.#results.dispose();
  }
}

export const VERSION = '0.1.0';

export async function conformanceRun(scenarios: Scenario[], o: ConformanceOptions): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  await o.reporter?.onBegin?.({ adapter: o.adapter.name, scenarioCount: scenarios.length, startedAt });
  const results = await resultsOf(scenarios, o);
  const run = { adapter: o.adapter.name, startedAt, durationMs: performance.now() - t0 };
  if (o.recorded)
    return assembleTally(coverageOfRules(rulesTaken(scenarios)), o.recorded.tally, o.recorded.results(), o, run);
  return assemble(scenarios, results, o, run);
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
      keepResults: !o.recorded,
    });
  }
  return runScenarios(scenarios, {
    adapter: o.adapter,
    ...settings,
    ...shared,
    ...(o.crashes ? { crashes: o.crashes } : {}),
    lanes: workers,
    keepResults: !o.recorded,
  });
}

/** Judge requirements, close or open the gate, count: the `RunResult` of some scenario results. */
export function assemble(
  scenarios: Scenario[],
  results: ScenarioResult[],
  o: Omit<ConformanceOptions, 'adapter'>,
  run: { adapter: string; startedAt: string; durationMs: number },
): RunResult {
  const tally = new RunTally();
  for (const r of results) tally.add(r);
  return assembleTally(modelCoverage(scenarios), tally, results, o, run);
}

/** The `RunResult` of results tallied as they came (`results`, in the same order, are what the reports read). */
export function assembleTally(
  coverage: Coverage,
  tally: RunTally,
  results: ScenarioResult[],
  o: Omit<ConformanceOptions, 'adapter'>,
  run: { adapter: string; startedAt: string; durationMs: number },
): RunResult {
  const baseline = o.baseline ?? new Set<string>();
  const requirements = tally.evidence.results(o.catalogue.values());
  const latency = latencyStats(tally.gated);
  return {
    summary: {
      tool: 'interop-conformance',
      version: VERSION,
      catalogueVersion: o.catalogueVersion ?? catalogueVersion(),
      adapter: run.adapter,
      startedAt: run.startedAt,
      durationMs: run.durationMs,
      scenarios: { ...tally.scenarios },
      steps: { ...tally.steps },
      requirements: requirementCounts(requirements),
      gate: gate(tally.gated, o.catalogue, { strict: o.strict ?? false, baseline }),
      ...(latency ? { latency } : {}),
    },
    scenarios: results,
    requirements,
    coverage,
  };
}
