/**
 * What every command gets: the parsed options, the positional paths, the I/O streams, and lazy helpers for
 * the things most commands need (the catalogue, the selected scenarios, the adapter). Commands return an exit
 * code; they throw `UsageError`/`InputError` for the CLI to report.
 */
import type { Adapter } from '../../adapters/adapter.js';
import type { RunResult } from '../../reports/results.js';
import { InputError } from '../diagnostics.js';
import { loadCompact, type ScenarioTexts } from '../compact-scenarios.js';
import type { Scenario } from '../load.js';
import { defaultScenarioPaths, findScenarioFiles, type SuiteLoader } from '../scenario-files.js';
import { heapSettingsForRun } from '../heap-settings.js';
import { DEFAULT_STEP_TIMEOUT_MS } from '../run.js';
import type { Catalogue } from '../specs-files.js';

export { EXIT, UsageError } from './exit.js';
import { UsageError } from './exit.js';

/** The longest delay setTimeout honours (2^31 - 1 ms); the options that become timers are checked against it. */
export const MAX_TIMER_MS = 2_147_483_647;
const DURATIONS: ReadonlySet<string> = new Set(['deadline', 'timeout', 'settle', 'server-timeout']);

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  /** Handed `run`'s result once it is complete, before its reports are written: the package API (harness/api.ts). */
  onRun?: (run: RunResult) => void;
}

export interface Options {
  adapter: string;
  'adapter-option'?: string[];
  /** `--adapter stdio --command CMD`: the adapter process to start (adapters/stdio/). */
  command?: string;
  out: string;
  reporter: string;
  grep?: string;
  tag?: string[];
  strict: boolean;
  'expect-failures'?: string;
  /** Rewrite this expected-failures file from the run (harness/baseline.ts); `-add`: add new failures too. */
  'update-baseline'?: string;
  'update-baseline-add'?: boolean;
  deadline?: string;
  timeout?: string;
  settle?: string;
  quiet: boolean;
  runs?: string;
  seed?: string;
  /** The system under test's address, for networked adapters (`--adapter http --url URL`). */
  url?: string;
  /** `run --server CMD`: start the system under test (harness/commands/run-server.ts), wait for --url, stop it. */
  server?: string;
  'server-timeout'?: string;
  'reuse-server'?: boolean;
  host?: string;
  port?: string;
  /** An implementation served over HTTP (harness/implementations.ts), for `mutants` and `serve`. */
  implementation?: string;
  workers?: string;
  /** The load cache's folder (harness/load-cache.ts); `no-cache`: load everything fresh, write no cache. */
  'cache-dir'?: string;
  'no-cache'?: boolean;
  /** `run --shard i/n` (harness/shard.ts), balanced by `--shard-durations` (a previous report.json). */
  shard?: string;
  'shard-durations'?: string;
}

export class CommandContext {
  private cat?: Catalogue;
  private walked?: { files: string[] } | { error: unknown };
  /** What loads the catalogue and the scenarios: set by `prepare`, or by a subclass (the package API). */
  protected loader?: SuiteLoader;
  constructor(
    readonly options: Options,
    readonly paths: string[],
    readonly io: Io,
  ) {}

  say(line: string): void {
    this.io.stdout.write(`${line}\n`);
  }

  /**
   * Before the command runs (cli.ts): its loader, through the load cache when the command takes one (`cached`) and
   * --no-cache is not given. Imported now, as it is needed: a cache hit loads no parser, validator or model.
   */
  async prepare(cached: boolean): Promise<void> {
    const { defaultCacheDir, prepareLoader } = await import('../cached-loader.js');
    const paths = this.paths.length ? this.paths : defaultScenarioPaths();
    // An empty --cache-dir would put the entries in the working folder.
    if (this.options['cache-dir']?.trim() === '') throw new UsageError('--cache-dir needs a folder name');
    const use = cached && !this.options['no-cache'];
    const walked = this.walk();
    // A long run bounds its heap (harness/heap-settings.ts), decided before any file is read. A path that cannot be
    // walked is reported where the scenarios are loaded, as it was: here it only counts as no file.
    heapSettingsForRun('files' in walked ? walked.files.length : 0);
    const files = 'files' in walked ? walked.files : undefined;
    this.loader = await prepareLoader(
      use ? { dir: this.options['cache-dir'] ?? defaultCacheDir(), paths, files } : { paths },
    );
  }

  /** The scenario files under the paths, walked once for the command (a walk stats every file), or what it met. */
  private walk(): { files: string[] } | { error: unknown } {
    if (!this.walked) {
      try {
        this.walked = { files: findScenarioFiles(this.paths.length ? this.paths : defaultScenarioPaths()) };
      } catch (error) {
        this.walked = { error };
      }
    }
    return this.walked;
  }

  private load(): SuiteLoader {
    if (!this.loader) throw new Error('the command context was not prepared: nothing can load the catalogue');
    return this.loader;
  }

  catalogue(): Catalogue {
    return (this.cat ??= this.load().catalogue());
  }

  /** Every scenario under the paths (default `scenarios/`), or bad input with every problem located. */
  allScenarios(compact?: ScenarioTexts): Scenario[] {
    const paths = this.paths.length ? this.paths : defaultScenarioPaths();
    const walked = this.walk();
    if ('error' in walked) throw walked.error;
    const files = walked.files;
    // An empty folder selects nothing: a run of nothing must not read as "conformant".
    if (!files.length) throw new UsageError(`no scenario files (.yaml) under ${paths.join(', ')}: nothing to run`);
    // `compact` (run): each scenario held compact from when it is loaded, its text kept there (compact-scenarios.ts).
    const { scenarios, problems } = compact
      ? loadCompact(this.load(), files, this.catalogue().requirements, compact)
      : this.load().scenarios(files, this.catalogue().requirements);
    if (problems.length) throw new InputError(problems);
    return scenarios;
  }

  /** The scenarios `--grep` and `--tag` select; selecting none is a usage error (exit 2), never an empty green run. */
  scenarios(compact?: ScenarioTexts): Scenario[] {
    const g = this.options.grep?.toLowerCase();
    const tags = this.options.tag ?? [];
    const all = this.allScenarios(compact);
    const chosen = all.filter(
      (s) =>
        (!g || s.id.toLowerCase().includes(g) || s.title.toLowerCase().includes(g)) &&
        tags.every((t) => s.tags.includes(t)),
    );
    if (!chosen.length) {
      const by = [
        ...(this.options.grep !== undefined ? [`--grep "${this.options.grep}"`] : []),
        ...tags.map((t) => `--tag ${t}`),
      ].join(' ');
      throw new UsageError(
        `no scenario selected: ${by} matches none of the ${all.length} scenarios under ${(this.paths.length ? this.paths : defaultScenarioPaths()).join(', ')}`,
      );
    }
    return chosen;
  }

  adapterOptions(): Record<string, string> {
    return Object.fromEntries(
      (this.options['adapter-option'] ?? []).map((kv) => {
        const i = kv.indexOf('=');
        if (i < 1) throw new UsageError(`--adapter-option takes KEY=VALUE; got "${kv}"`);
        return [kv.slice(0, i), kv.slice(i + 1)];
      }),
    );
  }

  async adapter(spec = this.options.adapter, extra: Record<string, string> = {}): Promise<Adapter> {
    const url: Record<string, string> = this.options.url ? { url: this.options.url } : {};
    const stepMs = this.positiveInt('timeout', DEFAULT_STEP_TIMEOUT_MS);
    // The stdio adapter gives up on a silent child just before the step timeout, so that its error, which carries
    // the child's stderr, is the one reported.
    const stdio: Record<string, string> =
      spec === 'stdio'
        ? { timeout: String(stepMs), ...(this.options.command !== undefined ? { command: this.options.command } : {}) }
        : {};
    // Imported only now: `validate` and `list` take no adapter, and the loader reaches every built-in one.
    const { loadAdapter, unreadOptions } = await import('../adapters.js');
    const named = [...new Set([...(this.options.adapter ?? '').split(','), spec].filter(Boolean))];
    const unread = unreadOptions(named, Object.keys(this.adapterOptions()));
    if (unread) throw new UsageError(unread);
    // Under the step timeout: a module import or factory that hangs must not hold the command.
    return loadAdapter(spec, { ...url, ...stdio, ...this.adapterOptions(), ...extra }, stepMs);
  }

  /**
   * A whole number above 0 (digits only) from option `name`, or `fallback` when it is not given. A duration is at
   * most Node's timer maximum: beyond it, setTimeout silently fires after 1 ms and every step would time out.
   */
  positiveInt<T extends number | undefined>(
    name: 'deadline' | 'timeout' | 'settle' | 'runs' | 'seed' | 'port' | 'workers' | 'server-timeout',
    fallback: T,
    allowZero = false,
  ): number | T {
    const v = this.options[name];
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < (allowZero ? 0 : 1))
      throw new UsageError(`--${name} takes a whole number${allowZero ? '' : ' above 0'}; got "${v}"`);
    if (DURATIONS.has(name) && n > MAX_TIMER_MS)
      throw new UsageError(
        `--${name} takes at most ${MAX_TIMER_MS} ms (Node's timer maximum, about 24.8 days); got ${v}`,
      );
    return n;
  }
}

export interface Command {
  name: string;
  /** One line for --help. */
  summary: string;
  /** The synopsis `<command> --help` shows, e.g. `run [PATH...] [options]`. */
  usage: string;
  /** The options the command reads (names of cli.ts's OPTIONS), in the order its --help lists them. */
  options: readonly string[];
  run(ctx: CommandContext): Promise<number>;
}
