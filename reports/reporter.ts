/**
 * One interface for every report format, after Playwright Test's reporters: each format is a small class that
 * renders the same event stream (begin → a `ScenarioResult` per scenario as it ends → the whole `RunResult`).
 * Reports see only results: they know no adapter, model or scenario file.
 *
 * This file holds the interface alone, so that every reporter can import it without importing the registry
 * (registry.ts), which imports every reporter. The CLI builds them by name there and drives them through a
 * `Multiplexer`, which isolates a failing one:
 *
 *   const mux = new Multiplexer(createReporters(['line', 'json', 'junit', 'markdown'], ctx));
 *   await mux.onBegin({ adapter, scenarioCount, startedAt });
 *   for (…) await mux.onScenarioEnd(result);
 *   await mux.onEnd(run);
 *   for (const f of mux.failures) console.error(`report ${f.reporter} could not be written: ${f.message}`);
 */
import type { RunResult, ScenarioResult } from './results.js';
import type { ReportSet } from './report-set.js';

export interface RunBegin {
  adapter: string;
  scenarioCount: number;
  startedAt: string;
}

export interface Reporter {
  onBegin?(run: RunBegin): void | Promise<void>;
  onScenarioEnd?(result: ScenarioResult): void | Promise<void>;
  onEnd?(run: RunResult): void | Promise<void>;
  /** The file a file report writes, for the CLI to mention; absent for stream reports. */
  readonly file?: string;
}

export interface ReporterContext {
  /** Where file reports go (`report.json`, `junit.xml`, `summary.md`); created when missing. */
  outDir: string;
  /** Where stream reports (`line`, `plain`, `github`) write; usually `process.stdout`. */
  stream: NodeJS.WritableStream;
  /** Whether `stream` is a terminal: `line` only rewrites its status line on one. */
  isTTY: boolean;
  /** Whether `line` may use ANSI colours (the CLI decides, with picocolors: `NO_COLOR`, `FORCE_COLOR`, TTY). */
  color: boolean;
  /** The environment, for reports that read it (`github`: `GITHUB_STEP_SUMMARY`); default none. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * When given, file reports stage their text here and the CLI commits the set as one (report-set.ts); without
   * it each writes its own file atomically as its `onEnd` runs.
   */
  set?: ReportSet;
  /**
   * For the `blob` report (blob.ts), what merge-reports needs beside the run's results: the shard (`run --shard
   * i/n`; 1/1 unsharded), the ids of the whole selection and of this shard's part, in file order, and the baseline.
   */
  blob?: {
    shard: { index: number; total: number };
    selected: readonly string[];
    assigned: readonly string[];
    baseline: readonly string[];
  };
}

export { REPORT_FILES } from './report-set.js';

/** A reporter and the name it was asked for by (`--reporter LIST`), for messages about it. */
export interface NamedReporter {
  name: string;
  reporter: Reporter;
}
