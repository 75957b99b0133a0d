/**
 * `interop-conformance run | validate | list [PATH...]`. Exit codes: 0 conformant (or valid), 1 not conformant,
 * 2 bad input or usage, 3 the harness itself failed (a report could not be written, an internal error).
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { Requirement, RunResult } from '../specs/results.js';
import { Multiplexer } from '../reports/multiplexer.js';
import { createReporters } from '../reports/reporter.js';
import { AdapterLoadError, loadAdapter } from './adapters.js';
import { loadBaseline } from './baseline.js';
import { formatDiagnostic, InputError } from './diagnostics.js';
import { gate } from './gate.js';
import { findScenarioFiles, loadScenarios, type Scenario } from './load.js';
import { DEFAULT_DEADLINE_MS, DEFAULT_STEP_TIMEOUT_MS, runScenarios } from './run.js';
import { loadCatalogue } from './specs-files.js';
import { requirementCounts, requirementResults, count } from './verdicts.js';

export const EXIT = { conformant: 0, notConformant: 1, badInput: 2, internal: 3 } as const;

const USAGE = `usage: interop-conformance <command> [PATH...] [options]

commands:
  run        run scenarios against an adapter and write reports (default PATH: scenarios/)
  validate   check scenarios against the schema and the models, run nothing
  list       list scenarios and which requirements they cover

options:
  --adapter NAME|FILE      reference (default) or a module exporting an Adapter
  --adapter-option K=V     passed to the adapter factory (repeatable); reference takes faults=a,b
  --out DIR                report folder (default conformance-report/)
  --reporter LIST          file reports to write (default json,junit,markdown)
  --grep TEXT              only scenarios whose id or title contains TEXT
  --tag TAG                only scenarios with this tag (repeatable)
  --strict                 SHOULD failures also fail the gate
  --expect-failures FILE   baseline of scenario ids expected to fail
  --deadline MS            delivery deadline for every scenario (default: the scenario's
                           deadlineMs, else ${DEFAULT_DEADLINE_MS})
  --timeout MS             per-step timeout (default ${DEFAULT_STEP_TIMEOUT_MS})
  --quiet                  no progress output

exit codes: 0 conformant, 1 not conformant, 2 bad input or usage, 3 harness failure`;

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

class UsageError extends Error {}

const OPTIONS = {
  adapter: { type: 'string', default: 'reference' },
  'adapter-option': { type: 'string', multiple: true },
  out: { type: 'string', default: 'conformance-report' },
  reporter: { type: 'string', default: 'json,junit,markdown' },
  grep: { type: 'string' },
  tag: { type: 'string', multiple: true },
  strict: { type: 'boolean', default: false },
  'expect-failures': { type: 'string' },
  deadline: { type: 'string' },
  timeout: { type: 'string' },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function positiveInt(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} takes a whole number of milliseconds above 0; got "${v}"`);
  return n;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const say = (s: string) => io.stdout.write(`${s}\n`);
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values: o, positionals } = parsed;
    const [command, ...paths] = positionals;
    if (o.help || command === undefined || command === 'help') {
      say(USAGE);
      return command === undefined && !o.help ? EXIT.badInput : EXIT.conformant;
    }
    if (!['run', 'validate', 'list'].includes(command)) throw new UsageError(`unknown command "${command}"`);

    const catalogue = loadCatalogue();
    const { scenarios: all, problems } = loadScenarios(findScenarioFiles(paths.length ? paths : ['scenarios']), catalogue.requirements);
    if (problems.length) throw new InputError(problems);
    const scenarios = select(all, o.grep, o.tag ?? []);

    if (command === 'validate') {
      const covered = new Set(all.flatMap((s) => s.requirements));
      const must = [...catalogue.requirements.values()].filter((r) => r.level === 'MUST');
      say(`${all.length} scenarios valid; they cover ${covered.size}/${catalogue.requirements.size} requirements (MUST: ${must.filter((r) => covered.has(r.id)).length}/${must.length})`);
      return EXIT.conformant;
    }
    if (command === 'list') {
      list(scenarios, catalogue.requirements, say);
      return EXIT.conformant;
    }

    const adapterOptions = Object.fromEntries((o['adapter-option'] ?? []).map((kv) => {
      const i = kv.indexOf('=');
      if (i < 1) throw new UsageError(`--adapter-option takes KEY=VALUE; got "${kv}"`);
      return [kv.slice(0, i), kv.slice(i + 1)];
    }));
    const baseline = o['expect-failures'] ? loadBaseline(o['expect-failures']) : new Set<string>();
    const deadlineOverrideMs = o.deadline === undefined ? undefined : positiveInt('deadline', o.deadline, DEFAULT_DEADLINE_MS);
    const stepTimeoutMs = positiveInt('timeout', o.timeout, DEFAULT_STEP_TIMEOUT_MS);
    const adapter = await loadAdapter(o.adapter, adapterOptions);

    const isTTY = Boolean(io.stdout.isTTY) && !io.env.CI;
    const stream = o.quiet ? [] : [isTTY ? 'line' : 'plain'];
    const color = isTTY && !io.env.NO_COLOR;
    let reporters;
    try {
      reporters = createReporters([...stream, ...o.reporter.split(',').filter(Boolean)], { outDir: o.out, stream: io.stdout, isTTY, color });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const mux = new Multiplexer(reporters);
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    await mux.onBegin({ adapter: adapter.name, scenarioCount: scenarios.length, startedAt });
    const results = await runScenarios(scenarios, { adapter, deadlineMs: DEFAULT_DEADLINE_MS, ...(deadlineOverrideMs ? { deadlineOverrideMs } : {}), stepTimeoutMs, reporter: mux, expectedToFail: baseline });
    const requirements = requirementResults(catalogue.requirements.values(), results);
    const run: RunResult = {
      summary: {
        tool: 'interop-conformance', version: '0.1.0', adapter: adapter.name, startedAt,
        durationMs: performance.now() - t0,
        scenarios: count(results.map((r) => r.verdict)),
        steps: count(results.flatMap((r) => r.steps.map((s) => s.verdict))),
        requirements: requirementCounts(requirements),
        gate: gate(results, catalogue.requirements, { strict: o.strict, baseline }),
      },
      scenarios: results,
      requirements,
    };
    await mux.onEnd(run);
    for (const f of mux.failures) io.stderr.write(`report ${f.reporter} could not be written: ${f.message}\n`);
    if (mux.failures.length) return EXIT.internal;
    return run.summary.gate.exitCode;
  } catch (e) {
    if (e instanceof InputError) {
      e.diagnostics.forEach((d) => io.stderr.write(`${formatDiagnostic(d)}\n`));
      io.stderr.write(`${e.diagnostics.length} problem${e.diagnostics.length === 1 ? '' : 's'} found; nothing was run\n`);
      return EXIT.badInput;
    }
    if (e instanceof UsageError || e instanceof AdapterLoadError) {
      io.stderr.write(`interop-conformance: ${e.message}\n(see interop-conformance --help)\n`);
      return EXIT.badInput;
    }
    io.stderr.write(`interop-conformance: internal error: ${(e as Error)?.message ?? e}\n`);
    if (io.env.DEBUG) io.stderr.write(`${(e as Error)?.stack}\n`);
    return EXIT.internal;
  }
}

function select(all: Scenario[], grep: string | undefined, tags: string[]): Scenario[] {
  const g = grep?.toLowerCase();
  return all.filter((s) => (!g || s.id.toLowerCase().includes(g) || s.title.toLowerCase().includes(g)) && tags.every((t) => s.tags.includes(t)));
}

function list(scenarios: Scenario[], catalogue: Map<string, Requirement>, say: (s: string) => void) {
  for (const s of scenarios) say(`${s.id}  (${s.steps.length} steps)  ${s.title}\n    ${s.requirements.join(' ')}`);
  say('');
  for (const r of catalogue.values()) {
    const by = scenarios.filter((s) => s.requirements.includes(r.id));
    say(`${r.id.padEnd(10)} ${r.level.padEnd(6)} ${by.length ? `${by.length} scenario${by.length === 1 ? '' : 's'}` : 'UNTESTED'}`);
  }
}

/** Run as a program (`tsx harness/cli.ts …` or the `interop-conformance` bin). */
export async function runAsProgram(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runAsProgram();
