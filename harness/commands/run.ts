/**
 * `run`: the conformance run, with reports and the gate's exit code. Whatever happens once scenarios are selected,
 * the run ends in one consistent report set (reports/report-set.ts) with a run id:
 * - adapter code is watched by the crash guard (process.exit, unhandled rejections, uncaught exceptions): each
 *   crash is named in the reports, closes the gate, and the exit code is 3;
 * - loading the adapter, and disposing of it, run under the step timeout; an adapter that crashes or hangs while
 *   loading gives a report with every scenario `error` (exit 3);
 * - SIGINT/SIGTERM stop the run: what it had is reported, marked interrupted, not conformant, exit 128 + signal.
 */
import { join } from 'node:path';
import type { Adapter } from '../../adapters/adapter.js';
import type { RunResult, ScenarioResult } from '../../specs/results.js';
import { Multiplexer } from '../../reports/multiplexer.js';
import { registerSecrets } from '../../reports/redact.js';
import { newRunId, REPORT_FILES, ReportSet } from '../../reports/report-set.js';
import { createReporters } from '../../reports/registry.js';
import type { NamedReporter, Reporter } from '../../reports/reporter.js';
import { AdapterLoadError } from '../adapters.js';
import { loadBaseline } from '../baseline.js';
import { assemble, conformanceRun } from '../conformance-run.js';
import { installCrashGuard, TimeoutError, withTimeout } from '../crash-guard.js';
import { differentialRun } from '../differential.js';
import type { Scenario } from '../load.js';
import { DEFAULT_STEP_TIMEOUT_MS } from '../run.js';
import { markRun, notRunResults, signalExitCode } from '../run-end.js';
import { EXIT, UsageError, type Command, type CommandContext } from './context.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** The first SIGINT/SIGTERM, as a promise. Only the first is caught: a second one ends the process as usual. */
function interruption(): { signal: Promise<NodeJS.Signals>; dispose(): void } {
  let resolve!: (s: NodeJS.Signals) => void;
  const signal = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const handlers = SIGNALS.map((s) => [s, () => {
    for (const [x, h] of handlers) process.off(x, h);
    resolve(s);
  }] as const);
  for (const [s, h] of handlers) process.once(s, h);
  return { signal, dispose: () => handlers.forEach(([s, h]) => process.off(s, h)) };
}

function reportersOf(ctx: CommandContext, set: ReportSet): NamedReporter[] {
  const o = ctx.options;
  const isTTY = Boolean(ctx.io.stdout.isTTY) && !ctx.io.env.CI;
  const stream = o.quiet ? [] : [isTTY ? 'line' : 'plain'];
  try {
    return createReporters([...stream, ...o.reporter.split(',').filter(Boolean)], { outDir: o.out, stream: ctx.io.stdout, isTTY, color: isTTY && !ctx.io.env.NO_COLOR, set });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

type Ended = { run: RunResult } | { failed: string } | { signal: NodeJS.Signals };

export const runCommand: Command = {
  name: 'run',
  summary: 'run scenarios against an adapter and write reports (default PATH: scenarios/)',
  async run(ctx) {
    const o = ctx.options;
    const scenarios = ctx.scenarios();
    const baseline = o['expect-failures'] ? loadBaseline(o['expect-failures']) : new Set<string>();
    const deadlineOverrideMs = ctx.positiveInt('deadline', undefined);
    const stepTimeoutMs = ctx.positiveInt('timeout', DEFAULT_STEP_TIMEOUT_MS);
    const settleMs = ctx.positiveInt('settle', undefined, true);
    const specs = o.adapter.split(',').filter(Boolean);
    const runId = newRunId();
    const set = new ReportSet(o.out, runId);
    const reporters = reportersOf(ctx, set);
    const mux = new Multiplexer(reporters);
    // Reports of an earlier run that this run does not produce go: the folder holds one run's set.
    for (const [name, file] of Object.entries(REPORT_FILES)) if (!reporters.some((r) => r.name === name)) set.discard(join(o.out, file));

    const guard = installCrashGuard();
    const stop = interruption();
    const adapters: Adapter[] = [];
    const unregister = registerSecrets(() => adapters.flatMap((a) => a.secrets?.() ?? []));
    const seen: ScenarioResult[] = [];
    const tracking: Reporter = {
      onBegin: (b) => mux.onBegin(b),
      onScenarioEnd: (r) => (seen.push(r), mux.onScenarioEnd(r)),
    };
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const common = {
      catalogue: ctx.catalogue().requirements, catalogueVersion: ctx.catalogue().version, strict: o.strict, baseline, stepTimeoutMs, reporter: tracking, crashes: guard,
      ...(deadlineOverrideMs ? { deadlineOverrideMs } : {}),
      ...(settleMs !== undefined ? { settleMs } : {}),
    };
    try {
      const work = (async (): Promise<Ended> => {
        try {
          // `--adapter a,b`: one differential run over several adapters.
          adapters.push(...(await Promise.all(specs.map((spec) => ctx.adapter(spec)))));
        } catch (e) {
          if (e instanceof TimeoutError || guard.all.length) return { failed: `the adapter could not be loaded: ${(e as Error).message}` };
          throw e;
        }
        if (new Set(adapters.map((a) => a.name)).size !== adapters.length) throw new UsageError('each adapter of a differential run needs a different name');
        return { run: adapters.length === 1 ? await conformanceRun(scenarios, { ...common, adapter: adapters[0]! }) : await differentialRun(scenarios, adapters, common) };
      })();
      let ended: Ended;
      try {
        ended = await Promise.race([work, stop.signal.then((signal) => ({ signal }))]);
      } catch (e) {
        if (e instanceof UsageError || e instanceof AdapterLoadError) throw e;
        // A fault of the harness itself mid-run: still a report, with what the run had (exit 3).
        ended = { failed: `internal error: ${(e as Error)?.message ?? e}` };
      }
      // A signal while disposing (at most the step timeout) cuts the wait short: the verdicts are already in.
      const notes = 'signal' in ended ? [] : await Promise.race([dispose(adapters, stepTimeoutMs), stop.signal.then(() => ['disposing of the adapter was cut short by a signal'])]);
      const name = adapters.length ? adapters.map((a) => a.name).join(',') : specs.join(',');
      const timing = { adapter: name, startedAt, durationMs: performance.now() - t0 };
      const run =
        'run' in ended ? ended.run
        : 'failed' in ended && !seen.length ? assemble(scenarios, notRunResults(scenarios, name, ended.failed), common, timing)
        : assemble(ranOnly(scenarios, seen), seen, common, timing);
      const crashes = guard.all;
      const unfinished = 'failed' in ended && seen.length ? { unfinished: ended.failed } : {};
      markRun(run, { runId, planned: scenarios.length * Math.max(1, specs.length), crashes, notes, ...unfinished, ...('signal' in ended ? { interrupted: ended.signal } : {}) });
      return await writeReports(ctx, run, mux, set, reporters, 'signal' in ended ? signalExitCode(ended.signal) : crashes.length || 'failed' in ended ? EXIT.internal : undefined);
    } finally {
      stop.dispose();
      unregister();
      guard.uninstall();
    }
  },
};

/** The scenarios that have a result: model coverage of an interrupted run is of what ran. */
const ranOnly = (scenarios: Scenario[], seen: ScenarioResult[]) => scenarios.filter((s) => seen.some((r) => r.id === s.id));

/** Each adapter's `dispose`, under the step timeout: trouble here comes after the verdicts and is noted. */
async function dispose(adapters: Adapter[], ms: number): Promise<string[]> {
  const settled = await Promise.allSettled(adapters.map((a) => withTimeout(ms, `disposing of adapter ${a.name}`, () => a.dispose?.())));
  return settled.flatMap((s, i) => (s.status === 'rejected' ? [`adapter ${adapters[i]!.name} could not be disposed of: ${(s.reason as Error)?.message ?? s.reason}`] : []));
}

async function writeReports(ctx: CommandContext, run: RunResult, mux: Multiplexer, set: ReportSet, reporters: NamedReporter[], forced: number | undefined): Promise<number> {
  await mux.onEnd(run);
  const failed = new Map(mux.failures.map((f) => [f.reporter, f.message]));
  // A report that failed to render is not left from an earlier run either.
  for (const r of reporters) if (failed.has(r.name) && r.reporter.file) set.discard(r.reporter.file);
  try {
    for (const f of await set.commit()) failed.set(reporters.find((r) => r.reporter.file === f.file)?.name ?? f.file, f.message);
  } catch (e) {
    for (const r of reporters) if (r.reporter.file && !failed.has(r.name)) failed.set(r.name, (e as Error).message);
  }
  for (const [name, message] of failed) ctx.io.stderr.write(`report ${name} could not be written: ${message}\n`);
  if (forced !== undefined) return forced;
  return failed.size ? EXIT.internal : run.summary.gate.exitCode;
}
