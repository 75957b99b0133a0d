/**
 * The package's API — `import { runConformance, loadScenarios } from 'interop-conformance'` — for a user's own code
 * and `npm test`. It is the CLI without the argument parsing, not a second runner: `runConformance` hands the `run`
 * command (harness/commands/run.ts) a context made from its options, so a run has the same selection, loading,
 * crash guard, gate, report set and exit code as `interop-conformance run`; `loadScenarios` is the loading
 * `validate` does. What the CLI would print as a usage error or located problems is returned, never thrown.
 *
 * It sits in harness/ beside cli.ts, its twin (an entry point that reaches the adapters, like the CLI), and compiles
 * to dist/harness/api.js, the package's `.` export.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Adapter } from '../adapters/adapter.js';
import type { RunResult } from '../reports/results.js';
import { keepIdsOfRun, redactDeep } from '../reports/redact.js';
import type { ReporterName } from '../reports/registry.js';
import { AdapterLoadError, isAdapter } from './adapters.js';
import { CommandContext, EXIT, UsageError, type Io, type Options } from './commands/context.js';
import { runCommand } from './commands/run.js';
import { InputError, type Diagnostic } from './diagnostics.js';
import { freshLoader, type Scenario } from './load.js';
import { expandScenarioPaths } from './scenario-globs.js';

export type { Adapter, AdapterModule, Capability, Session } from '../adapters/adapter.js';
export type { Action, ActorOutcome, Delivery, Observation, World } from '../specs/protocol.js';
export type * from '../reports/results.js';
export type { ReporterName } from '../reports/registry.js';
export type { Diagnostic } from './diagnostics.js';
export type { LoadedStep, Scenario } from './load.js';
export { BUILTIN_ADAPTERS as builtinAdapters } from '../adapters/index.js';
/** Throw it when your system answers in the wrong shape: a conformance failure (WIRE-001), not an adapter error. */
export { WireFormatViolation } from '../adapters/adapter.js';
export { EXIT } from './commands/context.js';
export { VERSION as version } from './conformance-run.js';
/** The package's own scenarios (`<package>/scenarios`), to select from: `join(scenariosDir, 'chat')`. */
export { SCENARIOS_DIR as scenariosDir } from '../specs/schemas/files.js';

export interface RunConformanceOptions {
  /**
   * An adapter (or a function making one), a built-in's name (`reference`, `http`, `stdio`), or a module path
   * (`./my-adapter.ts`, `.js`) as `--adapter` takes. The run disposes of it at its end, as the CLI does.
   */
  adapter: Adapter | (() => Adapter | Promise<Adapter>) | string;
  /** `--adapter-option` pairs, for a named or module adapter: e.g. `{ faults: 'drop-first-message' }`. */
  adapterOptions?: Record<string, string>;
  /** `--url`: the system under test, for the `http` adapter. */
  url?: string;
  /** `--command`: the adapter program of the `stdio` adapter, in any language (specs/adapter-protocol.md). */
  command?: string;
  /** Scenario files, folders or globs (`**`, `*`, `?`, `{a,b}`); default: the package's own scenarios. */
  scenarios?: string | readonly string[];
  grep?: string;
  tags?: readonly string[];
  strict?: boolean;
  /** A baseline file of scenarios expected to fail (`--expect-failures`). */
  expectFailures?: string;
  deadlineMs?: number;
  timeoutMs?: number;
  settleMs?: number;
  /** File reports to write (`json`, `junit`, `markdown`, `html`, `github`); default none: nothing is written. */
  reporters?: readonly ReporterName[];
  /** Where the reports go (default `conformance-report`); unused without reporters. */
  outDir?: string;
  /** Where progress lines go (one per scenario, then the counts); default: nowhere. */
  progress?: NodeJS.WritableStream;
}

export interface ConformanceOutcome {
  /** The CLI's exit code: 0 conformant, 1 not conformant, 2 bad input (nothing ran), 3 the harness failed. */
  exitCode: number;
  conformant: boolean;
  /** The run, as report.json holds it (secrets redacted); absent when nothing ran. */
  run?: RunResult;
  /** Located problems of the scenario files (exit code 2). */
  problems: Diagnostic[];
  /** What the CLI would print on stderr: a usage error, a report that could not be written. */
  errors: string[];
}

/** A `CommandContext` handed the user's adapter object instead of loading one by name. */
class ApiContext extends CommandContext {
  constructor(
    options: Options,
    paths: string[],
    io: Io,
    private readonly given?: { spec: string; make: () => Adapter | Promise<Adapter> },
  ) {
    super(options, paths, io);
    // The API loads as it always has: no load cache (a CLI option) in a user's process.
    this.loader = freshLoader;
  }

  override async adapter(spec = this.options.adapter, extra: Record<string, string> = {}): Promise<Adapter> {
    if (!this.given || spec !== this.given.spec) return super.adapter(spec, extra);
    const made = await this.given.make();
    if (!isAdapter(made))
      throw new AdapterLoadError(
        `the adapter given must be an Adapter {name, capabilities, open()}; got ${typeof made}`,
      );
    return made;
  }
}

const sink = (into: string[]): NodeJS.WritableStream =>
  ({ write: (s: string | Uint8Array) => (into.push(String(s)), true) }) as unknown as NodeJS.WritableStream;

const durationOption = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));

/** The CLI's options for these API options: strings, checked by the same code as the CLI's. */
function optionsOf(o: RunConformanceOptions, adapterSpec: string, outDir: string): Options {
  const defined = <T extends object>(x: T) =>
    Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    adapter: adapterSpec,
    out: outDir,
    reporter: (o.reporters ?? []).join(','),
    strict: o.strict ?? false,
    quiet: !o.progress,
    ...defined({
      'adapter-option': o.adapterOptions ? Object.entries(o.adapterOptions).map(([k, v]) => `${k}=${v}`) : undefined,
      url: o.url,
      command: o.command,
      grep: o.grep,
      tag: o.tags ? [...o.tags] : undefined,
      'expect-failures': o.expectFailures,
      deadline: durationOption(o.deadlineMs),
      timeout: durationOption(o.timeoutMs),
      settle: durationOption(o.settleMs),
    }),
  };
}

/** The scenarios' paths, globs expanded; a glob that matches nothing is a usage error, as an empty folder is. */
function scenarioPaths(scenarios: string | readonly string[] | undefined): string[] {
  const asked = scenarios === undefined ? [] : typeof scenarios === 'string' ? [scenarios] : [...scenarios];
  const { paths, unmatched } = expandScenarioPaths(asked);
  if (unmatched.length) throw new UsageError(`no scenario files match ${unmatched.join(', ')}: nothing to run`);
  return paths;
}

/** The CLI's treatment of what a command throws (harness/cli.ts), as an outcome instead of stderr. */
function failed(e: unknown): ConformanceOutcome {
  const base = { conformant: false, problems: [] as Diagnostic[] };
  if (e instanceof InputError) return { ...base, exitCode: EXIT.badInput, problems: e.diagnostics, errors: [] };
  if (e instanceof UsageError || e instanceof AdapterLoadError)
    return { ...base, exitCode: EXIT.badInput, errors: [e.message] };
  return { ...base, exitCode: EXIT.internal, errors: [`internal error: ${(e as Error)?.message ?? e}`] };
}

/**
 * Run scenarios against an adapter, as `interop-conformance run` does: the run's results (the types the reports
 * render) and the gate's exit code. Bad input is returned (`problems`, `errors`, exit code 2), never thrown.
 */
export async function runConformance(o: RunConformanceOptions): Promise<ConformanceOutcome> {
  const given =
    typeof o.adapter === 'string'
      ? undefined
      : {
          spec: typeof o.adapter === 'function' ? 'adapter' : o.adapter.name.replaceAll(',', ' ') || 'adapter',
          make:
            typeof o.adapter === 'function'
              ? o.adapter
              : (
                  (a) => () =>
                    a
                )(o.adapter),
        };
  const writes = Boolean(o.reporters?.length);
  // Without reports the run writes nowhere: the run command clears its report folder of what it does not write.
  const scratch = writes ? undefined : mkdtempSync(join(tmpdir(), 'interop-conformance-'));
  const stderr: string[] = [];
  let run: RunResult | undefined;
  const io: Io = {
    stdout: o.progress ?? sink([]),
    stderr: sink(stderr),
    // GitHub annotations only when asked for by name: a user's test process is not the CI step's own output.
    env: { ...process.env, GITHUB_ACTIONS: undefined },
    // Redacted while the adapter's secrets are still registered: what report.json would hold.
    onRun: (r) => {
      keepIdsOfRun(r);
      run = redactDeep(r);
    },
  };
  try {
    const options = optionsOf(o, given?.spec ?? (o.adapter as string), scratch ?? o.outDir ?? 'conformance-report');
    const exitCode = await runCommand.run(new ApiContext(options, scenarioPaths(o.scenarios), io, given));
    const errors = stderr.join('').split('\n').filter(Boolean);
    return { exitCode, conformant: exitCode === EXIT.conformant, ...(run ? { run } : {}), problems: [], errors };
  } catch (e) {
    return failed(e);
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Load scenario files, folders or globs (default: the package's own) as `validate` does: parsed, checked against
 * the schema, their worlds resolved and every step predicted by the models; or every problem, located.
 */
export function loadScenarios(paths?: string | readonly string[]): { scenarios: Scenario[]; problems: Diagnostic[] } {
  try {
    const options = optionsOf({ adapter: 'reference' }, 'reference', 'conformance-report');
    const scenarios = new ApiContext(options, scenarioPaths(paths), { stdout: sink([]), stderr: sink([]), env: {} });
    return { scenarios: scenarios.allScenarios(), problems: [] };
  } catch (e) {
    if (e instanceof InputError) return { scenarios: [], problems: e.diagnostics };
    const where = paths === undefined ? 'scenarios' : [paths].flat().join(', ');
    return { scenarios: [], problems: [{ file: where, line: 1, col: 1, message: (e as Error).message }] };
  }
}
