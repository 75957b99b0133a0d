/**
 * One interface for every report format, after Playwright Test's reporters: each format is a small class that
 * renders the same event stream (begin → a `ScenarioResult` per scenario as it ends → the whole `RunResult`).
 * Reports see only results: they know no adapter, model or scenario file.
 *
 * The CLI builds them by name and drives them through a `Multiplexer`, which isolates a failing one:
 *
 *   const mux = new Multiplexer(createReporters(['line', 'json', 'junit', 'markdown'], ctx));
 *   await mux.onBegin({ adapter, scenarioCount, startedAt });
 *   for (…) await mux.onScenarioEnd(result);
 *   await mux.onEnd(run);
 *   for (const f of mux.failures) console.error(`report ${f.reporter} could not be written: ${f.message}`);
 */
import type { RunResult, ScenarioResult } from '../specs/results.js';
import { JsonReporter } from './json.js';
import { JunitReporter } from './junit.js';
import { LineReporter } from './line.js';
import { MarkdownReporter } from './markdown.js';
import { PlainReporter } from './plain.js';
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
  /** Where stream reports (`line`, `plain`) write; usually `process.stdout`. */
  stream: NodeJS.WritableStream;
  /** Whether `stream` is a terminal: `line` only rewrites its status line on one. */
  isTTY: boolean;
  /** Whether `line` may use ANSI colours (the CLI decides: TTY, `NO_COLOR`, `FORCE_COLOR`). `plain` never does. */
  color: boolean;
  /**
   * When given, file reports stage their text here and the CLI commits the set as one (report-set.ts); without
   * it each writes its own file atomically as its `onEnd` runs.
   */
  set?: ReportSet;
}

export { REPORT_FILES } from './report-set.js';

export interface NamedReporter {
  name: ReporterName;
  reporter: Reporter;
}

const FACTORIES = {
  json: (ctx: ReporterContext) => new JsonReporter(ctx),
  junit: (ctx: ReporterContext) => new JunitReporter(ctx),
  markdown: (ctx: ReporterContext) => new MarkdownReporter(ctx),
  line: (ctx: ReporterContext) => new LineReporter(ctx),
  plain: (ctx: ReporterContext) => new PlainReporter(ctx),
} satisfies Record<string, (ctx: ReporterContext) => Reporter>;

export type ReporterName = keyof typeof FACTORIES;
export const REPORTER_NAMES = Object.keys(FACTORIES) as ReporterName[];

export function isReporterName(name: string): name is ReporterName {
  return Object.hasOwn(FACTORIES, name);
}

/**
 * Build reporters by name, in the order given, each name once. An unknown name throws before anything runs (a
 * usage error for the CLI), naming the known ones. `line` and `plain` both write to `ctx.stream`: pick one
 * (`line` when `ctx.isTTY`, `plain` otherwise is the sensible default).
 */
export function createReporters(names: readonly string[], ctx: ReporterContext): NamedReporter[] {
  const unknown = names.filter((n) => !isReporterName(n));
  if (unknown.length) {
    throw new Error(`unknown report ${unknown.map((n) => `"${n}"`).join(', ')}: known are ${REPORTER_NAMES.join(', ')}`);
  }
  return [...new Set(names as ReporterName[])].map((name) => ({ name, reporter: FACTORIES[name](ctx) }));
}
