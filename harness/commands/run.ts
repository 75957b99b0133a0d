/** `run`: the conformance run, with reports and the gate's exit code. */
import { Multiplexer } from '../../reports/multiplexer.js';
import { createReporters } from '../../reports/reporter.js';
import { loadBaseline } from '../baseline.js';
import { conformanceRun } from '../conformance-run.js';
import { differentialRun } from '../differential.js';
import { DEFAULT_STEP_TIMEOUT_MS } from '../run.js';
import { EXIT, UsageError, type Command } from './context.js';

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
    // `--adapter a,b`: one differential run over several adapters.
    const adapters = await Promise.all(o.adapter.split(',').filter(Boolean).map((spec) => ctx.adapter(spec)));
    if (new Set(adapters.map((a) => a.name)).size !== adapters.length) throw new UsageError('each adapter of a differential run needs a different name');
    const isTTY = Boolean(ctx.io.stdout.isTTY) && !ctx.io.env.CI;
    const stream = o.quiet ? [] : [isTTY ? 'line' : 'plain'];
    let reporters;
    try {
      reporters = createReporters([...stream, ...o.reporter.split(',').filter(Boolean)], { outDir: o.out, stream: ctx.io.stdout, isTTY, color: isTTY && !ctx.io.env.NO_COLOR });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const mux = new Multiplexer(reporters);
    const common = {
      catalogue: ctx.catalogue().requirements, strict: o.strict, baseline, stepTimeoutMs, reporter: mux,
      ...(deadlineOverrideMs ? { deadlineOverrideMs } : {}),
      ...(settleMs !== undefined ? { settleMs } : {}),
    };
    const run = adapters.length === 1 ? await conformanceRun(scenarios, { ...common, adapter: adapters[0]! }) : await differentialRun(scenarios, adapters, common);
    await Promise.allSettled(adapters.map((a) => a.dispose?.()));
    await mux.onEnd(run);
    for (const f of mux.failures) ctx.io.stderr.write(`report ${f.reporter} could not be written: ${f.message}\n`);
    return mux.failures.length ? EXIT.internal : run.summary.gate.exitCode;
  },
};
