/**
 * `run`: the conformance run, with reports and the gate's exit code. Whatever happens once scenarios are selected,
 * the run ends in one consistent report set (reports/report-set.ts) with a run id:
 * - adapter code is watched by the crash guard (process.exit, unhandled rejections, uncaught exceptions): each
 *   crash is named in the reports, closes the gate, and the exit code is 3;
 * - loading the adapter, and disposing of it, run under the step timeout; an adapter that crashes or hangs while
 *   loading gives a report with every scenario `error` (exit 3);
 * - SIGINT/SIGTERM stop the run: what it had is reported, marked interrupted, not conformant, exit 128 + signal;
 * - `--server CMD` starts the system under test first and stops it after, whatever the end (./run-server.ts).
 * why-long: every end of a run (finished, crashed, interrupted, unstarted, unloadable) reaches one report set here, read
 * top to bottom; what stands apart is in ../run-end.ts and ./run-server.ts.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Adapter } from '../../adapters/adapter.js';
import { writtenBlobs } from '../../reports/blob.js';
import type { RunResult } from '../../reports/results.js';
import { Multiplexer } from '../../reports/multiplexer.js';
import { registerSecrets } from '../../reports/redact.js';
import { newRunId, REPORT_FILES, ReportSet } from '../../reports/report-set.js';
import { createReporters } from '../../reports/registry.js';
import type { NamedReporter, Reporter, ReporterContext } from '../../reports/reporter.js';
import { AdapterLoadError } from '../adapters.js';
import { assemble, assembleTally, conformanceRun, SpilledResults } from '../conformance-run.js';
import { installCrashGuard, TimeoutError, withTimeout } from '../crash-guard.js';
import { differentialRun } from '../differential.js';
import { DEFAULT_STEP_TIMEOUT_MS } from '../run.js';
import { rulesTaken, ScenarioTexts } from '../compact-scenarios.js';
import { SPILL_AFTER } from '../../reports/result-spill.js';
import { coverageOfRules } from '../model-coverage.js';
import { markRun, notRunResults, signalExitCode } from '../run-end.js';
import { shardSelection } from '../shard.js';
import { workerPlan } from '../workers/policy.js';
import { CommandContext, EXIT, UsageError, type Command } from './context.js';
import { adapterSpec, serverOf } from './run-server.js';
import { COMMAND_HELP } from './help.js';

const require = createRequire(import.meta.url);

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** The first SIGINT/SIGTERM, as a promise. Only the first is caught: a second one ends the process as usual. */
function interruption(): { signal: Promise<NodeJS.Signals>; dispose(): void } {
  let resolve!: (s: NodeJS.Signals) => void;
  const signal = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const handlers = SIGNALS.map(
    (s) =>
      [
        s,
        () => {
          for (const [x, h] of handlers) process.off(x, h);
          resolve(s);
        },
      ] as const,
  );
  for (const [s, h] of handlers) process.once(s, h);
  return { signal, dispose: () => handlers.forEach(([s, h]) => process.off(s, h)) };
}

/**
 * The reporters of a run: progress (`line` on a terminal, `plain` in CI logs and pipes; none with --quiet), the
 * file reports of --reporter, and `github` whenever GitHub Actions runs us (`GITHUB_ACTIONS=true`).
 * Colour: only `line` paints, when colorDecision says so; FORCE_COLOR makes it paint off a terminal too (without
 * rewriting its status line), since CI logs show ANSI colours. `--shard` adds `blob` (merge-reports reads it).
 */
export function reportersOf(ctx: CommandContext, set: ReportSet, blob?: ReporterContext['blob']): NamedReporter[] {
  const o = ctx.options;
  const env = ctx.io.env;
  const isTTY = Boolean(ctx.io.stdout.isTTY) && !env.CI;
  const color = colorDecision(env, isTTY);
  const stream = o.quiet ? [] : [isTTY || color ? 'line' : 'plain'];
  const github = env.GITHUB_ACTIONS === 'true' ? ['github'] : [];
  const shard = o.shard !== undefined ? ['blob'] : [];
  try {
    return createReporters([...stream, ...o.reporter.split(',').filter(Boolean), ...shard, ...github], {
      outDir: o.out,
      stream: ctx.io.stdout,
      isTTY,
      color,
      env,
      set,
      ...(blob ? { blob } : {}),
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * Whether to paint: picocolors decides from the process's environment (NO_COLOR wins; FORCE_COLOR, a terminal or
 * CI allow), and we paint only on a terminal or when FORCE_COLOR (not 0/false) asks: a pipe or a file gets no
 * escape codes unasked. `env` is checked too, for callers of `main` that pass their own environment.
 */
export function colorDecision(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  const forced = env.FORCE_COLOR !== undefined && !['0', 'false'].includes(env.FORCE_COLOR);
  // picocolors is asked only where painting is possible at all: imported from here (CommonJS into ESM), it cost every
  // cold run ~5.5 ms.
  return !env.NO_COLOR && (isTTY || forced) && (require('picocolors') as typeof import('picocolors')).isColorSupported;
}

type Ended = { run: RunResult } | { failed: string } | { signal: NodeJS.Signals };

export const runCommand: Command = {
  ...COMMAND_HELP.run,
  async run(ctx) {
    const o = ctx.options;
    // Held compact from when each is loaded until it is played, their texts in a temporary file (issue 9: peak RSS
    // at 20×); removed in `finally` below, or as the process exits when the run does not begin.
    const texts = new ScenarioTexts(undefined, SPILL_AFTER.scenarioChars, SPILL_AFTER.wholeSteps);
    const sharded = shardSelection(o, ctx.scenarios(texts));
    const scenarios = sharded.scenarios;
    const baseline = await baselineOf(o);
    const deadlineOverrideMs = ctx.positiveInt('deadline', undefined);
    const stepTimeoutMs = ctx.positiveInt('timeout', DEFAULT_STEP_TIMEOUT_MS);
    const settleMs = ctx.positiveInt('settle', undefined, true);
    const server = serverOf(ctx);
    const specs = adapterSpec(o.adapter, server).split(',').filter(Boolean);
    if (o.command !== undefined && !specs.includes('stdio'))
      throw new UsageError('--command starts the adapter process of --adapter stdio; no stdio adapter was named');
    // --workers: lanes or threads by the adapter's kind (harness/workers/policy.ts); only the CLI's context makes
    // adapters by name, which a thread needs to make its own.
    const plan = workerPlan({
      asked: ctx.positiveInt('workers', undefined),
      specs,
      byName: ctx.adapter === CommandContext.prototype.adapter,
      cores: availableParallelism(),
    });
    const threadCrashes: string[] = [];
    const threadSecrets: string[] = [];
    const threadNotes: string[] = [];
    const runId = newRunId();
    const set = new ReportSet(o.out, runId);
    const reporters = reportersOf(ctx, set, sharded.blob(baseline));
    const mux = new Multiplexer(reporters);
    // Reports of an earlier run that this run does not produce go: the folder holds one run's set.
    for (const [name, file] of Object.entries(REPORT_FILES))
      if (!reporters.some((r) => r.name === name)) set.discard(join(o.out, file));
    if (!reporters.some((r) => r.name === 'blob')) writtenBlobs(o.out).forEach((f) => set.discard(f));

    const guard = installCrashGuard();
    const stop = interruption();
    const adapters: Adapter[] = [];
    const unregister = registerSecrets(() => [...adapters.flatMap((a) => a.secrets?.() ?? []), ...threadSecrets]);
    // Each result is tallied and spilled to disk as it ends, and kept nowhere in memory (issue 9: peak RSS at 20×).
    const seen = new SpilledResults(undefined, SPILL_AFTER.resultSteps);
    const tracking: Reporter = {
      onBegin: (b) => mux.onBegin(b),
      onScenarioEnd: (r) => (seen.add(r), mux.onScenarioEnd(r)),
    };
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const common = {
      catalogue: ctx.catalogue().requirements,
      catalogueVersion: ctx.catalogue().version,
      strict: o.strict,
      baseline,
      stepTimeoutMs,
      reporter: tracking,
      crashes: guard,
      ...(deadlineOverrideMs ? { deadlineOverrideMs } : {}),
      ...(settleMs !== undefined ? { settleMs } : {}),
    };
    try {
      const work = (async (): Promise<Ended> => {
        const unstarted = await server?.start();
        if (unstarted) return { failed: unstarted };
        try {
          // `--adapter a,b`: one differential run over several adapters.
          adapters.push(...(await Promise.all(specs.map((spec) => ctx.adapter(spec)))));
        } catch (e) {
          if (e instanceof TimeoutError || guard.all.length)
            return { failed: `the adapter could not be loaded: ${(e as Error).message}` };
          throw e;
        }
        if (new Set(adapters.map((a) => a.name)).size !== adapters.length)
          throw new UsageError('each adapter of a differential run needs a different name');
        return {
          run:
            adapters.length === 1
              ? await conformanceRun(scenarios, {
                  ...common,
                  adapter: adapters[0]!,
                  recorded: seen,
                  workers: plan.workers,
                  ...(plan.threads
                    ? {
                        threads: {
                          recipe: {
                            spec: specs[0]!,
                            options: { ...(o.url ? { url: o.url } : {}), ...ctx.adapterOptions() },
                            timeoutMs: stepTimeoutMs,
                          },
                          onCrash: (c: string) => threadCrashes.push(c),
                          onSecrets: (s: readonly string[]) => threadSecrets.push(...s),
                          onNote: (n: string) => threadNotes.push(n),
                          stop: stop.signal,
                        },
                      }
                    : {}),
                })
              : await differentialRun(scenarios, adapters, common),
        };
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
      const notes =
        'signal' in ended
          ? []
          : await Promise.race([
              dispose(adapters, stepTimeoutMs),
              stop.signal.then(() => ['disposing of the adapter was cut short by a signal']),
            ]);
      // After an interruption the server gets its grace all the same; a signal during it cuts it short.
      notes.push(...threadNotes);
      if (server) notes.push(...(await server.stop('signal' in ended ? new Promise(() => {}) : stop.signal)));
      const name = adapters.length ? adapters.map((a) => a.name).join(',') : specs.join(',');
      const timing = { adapter: name, startedAt, durationMs: performance.now() - t0 };
      const run =
        'run' in ended
          ? ended.run
          : 'failed' in ended && !seen.tally.scenarios.total
            ? assemble(scenarios, notRunResults(scenarios, name, ended.failed), common, timing)
            : assembleTally(
                coverageOfRules(rulesTaken(scenarios, seen.ids())),
                seen.tally,
                seen.results(),
                common,
                timing,
              );
      const crashes = [...guard.all, ...threadCrashes];
      const unfinished = 'failed' in ended && seen.tally.scenarios.total ? { unfinished: ended.failed } : {};
      markRun(run, {
        runId,
        planned: scenarios.length * Math.max(1, specs.length),
        crashes,
        notes,
        ...unfinished,
        ...('signal' in ended ? { interrupted: ended.signal } : {}),
      });
      // Whoever asks for the run (the package API, tests) keeps it: they get the results themselves, read back.
      ctx.io.onRun?.({ ...run, scenarios: [...run.scenarios] });
      const forced =
        'signal' in ended
          ? signalExitCode(ended.signal)
          : crashes.length || 'failed' in ended
            ? EXIT.internal
            : undefined;
      const code = await writeReports(ctx, run, mux, set, reporters, forced);
      if (o['update-baseline']) await rewriteBaseline(ctx, o['update-baseline'], run, forced === undefined);
      return code;
    } finally {
      await server?.stop(stop.signal); // already stopped, unless the run ended in an exception (a usage error)
      stop.dispose();
      unregister();
      guard.uninstall();
      seen.dispose();
      texts.dispose();
    }
  },
};

/**
 * The baseline the run judges by: --expect-failures, else the file --update-baseline will rewrite (when it exists),
 * so that an entry that now passes shows as an unexpected pass in this run's reports too. Both are checked now,
 * before anything runs. The baseline module (the YAML parser, a schema) is imported only for a run given one.
 */
async function baselineOf(o: CommandContext['options']): Promise<Set<string>> {
  const update = o['update-baseline'];
  if (o['update-baseline-add'] && !update) throw new UsageError('--update-baseline-add needs --update-baseline FILE');
  if (update !== undefined && !update.trim()) throw new UsageError('--update-baseline needs a file name');
  if (!o['expect-failures'] && !(update && existsSync(update))) return new Set<string>();
  const { loadBaseline } = await import('../baseline.js');
  const updated = update && existsSync(update) ? loadBaseline(update) : undefined;
  if (o['expect-failures']) return loadBaseline(o['expect-failures']);
  return updated ?? new Set<string>();
}

/** --update-baseline: only from a run that finished (no signal, crash or harness fault), whose verdicts are whole. */
async function rewriteBaseline(ctx: CommandContext, file: string, run: RunResult, finished: boolean): Promise<void> {
  if (!finished || run.summary.interrupted) {
    ctx.io.stderr.write(`baseline ${file} not updated: the run did not finish\n`);
    return;
  }
  try {
    const { describeUpdate, updateBaseline } = await import('../baseline.js');
    for (const line of describeUpdate(
      file,
      await updateBaseline(file, run.scenarios, Boolean(ctx.options['update-baseline-add'])),
    ))
      ctx.say(line);
  } catch (e) {
    ctx.io.stderr.write(`baseline ${file} could not be written: ${(e as Error).message}\n`);
  }
}

/** Each adapter's `dispose`, under the step timeout: trouble here comes after the verdicts and is noted. */
async function dispose(adapters: Adapter[], ms: number): Promise<string[]> {
  const settled = await Promise.allSettled(
    adapters.map((a) => withTimeout(ms, `disposing of adapter ${a.name}`, () => a.dispose?.())),
  );
  return settled.flatMap((s, i) =>
    s.status === 'rejected'
      ? [`adapter ${adapters[i]!.name} could not be disposed of: ${(s.reason as Error)?.message ?? s.reason}`]
      : [],
  );
}

export async function writeReports(
  ctx: CommandContext,
  run: RunResult,
  mux: Multiplexer,
  set: ReportSet,
  reporters: NamedReporter[],
  forced: number | undefined,
): Promise<number> {
  await mux.onEnd(run);
  const failed = new Map(mux.failures.map((f) => [f.reporter, f.message]));
  // A report that failed to render is not left from an earlier run either.
  for (const r of reporters) if (failed.has(r.name) && r.reporter.file) set.discard(r.reporter.file);
  try {
    for (const f of await set.commit())
      failed.set(reporters.find((r) => r.reporter.file === f.file)?.name ?? f.file, f.message);
  } catch (e) {
    for (const r of reporters) if (r.reporter.file && !failed.has(r.name)) failed.set(r.name, (e as Error).message);
  }
  for (const [name, message] of failed) ctx.io.stderr.write(`report ${name} could not be written: ${message}\n`);
  if (forced !== undefined) return forced;
  return failed.size ? EXIT.internal : run.summary.gate.exitCode;
}
