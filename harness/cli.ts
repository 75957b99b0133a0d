/**
 * `interop-conformance <command> [PATH...]`: parses the arguments, dispatches to a command (harness/commands/),
 * and turns what goes wrong into a message and an exit code — 0 conformant (or done), 1 not conformant, 2 bad
 * input or usage, 3 the harness itself failed. Nobody sees a stack trace unless DEBUG is set.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { COMMANDS, type CommandInfo } from './commands/index.js';
import type { Io, Options } from './commands/context.js';
import { EXIT, UsageError } from './commands/exit.js';
import { escapeControls, formatDiagnostic, InputError } from './diagnostics.js';
import { redact } from '../reports/redact.js';
import { DEFAULT_SETTLE_MS } from '../adapters/adapter.js';
import { PACKAGE_ROOT, specsFile } from '../specs/schemas/files.js';
import { allowCliHeapSettings } from './heap-settings.js';

// Cold start: what is imported above is all `--version` loads. A command, its context (the scenario loader, the
// catalogue's schema, the models) and the runner's defaults quoted in the help are imported when they are needed.
export { EXIT } from './commands/exit.js';
export type { Io } from './commands/context.js';

/**
 * Each option's help, in the order the global help lists them. A command's `--help` lists the options of its
 * `options` (harness/commands/index.ts), so each command says its own.
 */
const optionHelp = async (): Promise<Readonly<Record<string, string>>> => {
  const { DEFAULT_DEADLINE_MS, DEFAULT_STEP_TIMEOUT_MS } = await import('./run.js');
  return {
    adapter: `--adapter NAME|FILE      reference (default) or a module exporting an Adapter; a,b = a differential run`,
    'adapter-option': `--adapter-option K=V     passed to the adapter factory (repeatable); reference takes faults=a,b;
                           http takes events=person|world|auto (each person's own event stream, the
                           default; one stream per world, specs/openapi.yaml 0.4.0; world where offered)`,
    command: `--command CMD            --adapter stdio: the command that starts your adapter process, in any
                           language, speaking specs/adapter-protocol.md (the same as
                           --adapter-option command=CMD)`,
    url: `--url URL                the system under test, for --adapter http (and --server)`,
    server: `--server CMD             start the system under test with CMD (through the shell), wait until
                           --url answers below 500, run, then stop CMD's process group; --adapter
                           defaults to http. A --url that already answers is refused (exit 2)`,
    'server-timeout': `--server-timeout MS      how long --url may take to answer (default 30000); CMD exiting
                           first or this passing: every scenario error, exit 3`,
    'reuse-server': `--reuse-server           test what already answers at --url instead; CMD is not started`,
    out: `--out DIR                report folder; also where generate writes, and explore writes
                           into explored/ (default conformance-report/)`,
    reporter: `--reporter LIST          file reports to write (default json,junit,markdown,html); github is
                           added when GITHUB_ACTIONS=true (annotations and $GITHUB_STEP_SUMMARY); blob:
                           the run's events for merge-reports (added by --shard)`,
    shard: `--shard i/n              run: only part i of n of the selected scenarios (round-robin in file
                           order, or balanced by --shard-durations); adds the blob report
                           (blob/shard-i-of-n.jsonl) for merge-reports. A shard given no scenario
                           is a usage error (exit 2)`,
    'shard-durations': `--shard-durations FILE   a previous report.json (or a merged one): split by its scenarios'
                           step durations, longest first, unknown ones at their median`,
    grep: `--grep TEXT              only scenarios whose id or title contains TEXT`,
    tag: `--tag TAG                only scenarios with this tag (repeatable)`,
    strict: `--strict                 SHOULD failures also fail the gate`,
    'expect-failures': `--expect-failures FILE   baseline of scenario ids expected to fail`,
    'update-baseline': `--update-baseline FILE   rewrite that baseline from the run: entries that now pass are
                           removed, the others keep their reason and link (the run also judges by
                           it when no --expect-failures is given)`,
    'update-baseline-add': `--update-baseline-add    also add the run's new failures, with reason: TODO`,
    deadline: `--deadline MS            delivery deadline for every scenario (default: the scenario's
                           deadlineMs, else ${DEFAULT_DEADLINE_MS}; mutants 200, 1000 with --implementation;
                           explore 25 on the reference)`,
    timeout: `--timeout MS             per-step timeout (default ${DEFAULT_STEP_TIMEOUT_MS})`,
    settle: `--settle MS              how long to keep listening after a scenario's last step before
                           concluding nothing more arrives (default: the adapter's own,
                           0 for the in-process reference, else ${DEFAULT_SETTLE_MS})`,
    runs: `--runs N                 explore: how many random sequences (default 200)`,
    seed: `--seed S                 explore: the seed that makes them (default: random, printed)`,
    implementation: `--implementation NAME    mutants, serve: an implementation served over HTTP (reference,
                           independent); mutants scores its fault catalogue`,
    workers: `--workers N              run: scenarios at once, reported in scenario order — worlds in
                           parallel lanes over http (default: the machine's cores) or stdio
                           (default 1: one child holds every world); worker threads for the
                           reference or a module (default 1: measured slower, README "Parallel
                           runs"). mutants --implementation: faulty servers at a time (default 2)`,
    host: `--host H                 serve: where to listen (default 127.0.0.1)`,
    port: `--port P                 serve: the port (default: an ephemeral one)`,
    tls: `--tls                    serve: https with a throwaway self-signed certificate made at start
                           (for the Graph SDK, which sends tokens only to https hosts)`,
    'tls-cert-out': `--tls-cert-out FILE      serve --tls: write the certificate (public part) here for clients
                           to trust (default: a temporary file, its path printed)`,
    'tls-cert': `--tls-cert FILE          serve: https with this PEM certificate (with --tls-key)`,
    'tls-key': `--tls-key FILE           serve: the PEM private key of --tls-cert`,
    quiet: `--quiet                  no progress output`,
    'cache-dir': `--cache-dir DIR          the load cache: the catalogue and each scenario as loaded (parsed,
                           checked, predicted), keyed by its text and the specification
                           (default node_modules/.cache/interop-conformance/ of this project)`,
    'no-cache': `--no-cache               load every scenario afresh; read and write no load cache`,
  };
};

const COMMON = `  -h, --help               this help
  -V, --version            the harness's version and the requirement catalogue's`;

const EXIT_CODES = `exit codes: 0 conformant, 1 not conformant, 2 bad input or usage (nothing selected), 3 harness
failure or adapter crash (reports still written), 130/143 interrupted by SIGINT/SIGTERM`;

type OptionHelp = Readonly<Record<string, string>>;

const indent = (help: OptionHelp, names: readonly string[]) => names.map((n) => `  ${help[n] ?? `--${n}`}`).join('\n');

const usage = (help: OptionHelp) => `usage: interop-conformance <command> [PATH...] [options]
       interop-conformance <command> --help     the command's own options

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

options:
${indent(help, Object.keys(help))}
${COMMON}

${EXIT_CODES}`;

/** `<command> --help`: its synopsis, what it does, and only the options it reads. */
export function commandHelp(c: CommandInfo, help: OptionHelp): string {
  return `usage: interop-conformance ${c.usage}

${c.summary}

options:
${c.options.length ? `${indent(help, c.options)}\n` : ''}${COMMON}

${EXIT_CODES}`;
}

/** The catalogue's version as the schema requires it (MAJOR.MINOR.PATCH, requirements.schema.json). */
const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

/**
 * The version a catalogue's text states, read from its one top-level `version:` line without parsing the YAML —
 * or undefined when that line cannot settle it (none, two, a value that is not a plain or quoted semver, a second
 * document), for the caller to parse the catalogue. A line starting at column 0 is a key of the root mapping:
 * block scalars and continued lines are indented (the yaml package reads an unindented continuation as a new key).
 */
export function statedCatalogueVersion(text: string): string | undefined {
  if (/^(---|\.\.\.)(\s|$)/m.test(text)) return undefined;
  const keys = [...text.matchAll(/^["']?version["']?[ \t]*:(.*)$/gm)];
  if (keys.length !== 1) return undefined;
  const value = /^[ \t]*(["']?)([^"'#\s]*)\1(?:[ \t]+#.*)?[ \t]*$/.exec(keys[0]![1]!);
  return value && SEMVER.test(value[2]!) && keys[0]![0]!.startsWith('version') ? value[2] : undefined;
}

/**
 * `--version`: the harness's version (package.json's, which VERSION in conformance-run.ts states; a test holds them
 * equal), and that of the catalogue its verdicts are judged against. A cold start: the catalogue is not parsed and
 * schema-checked for one line of it, unless that line cannot settle its version (then loadCatalogue says what is
 * wrong with it, as before).
 */
export async function versionLine(file = specsFile('requirements.yaml')): Promise<string> {
  const harness = (JSON.parse(readFileSync(`${PACKAGE_ROOT}/package.json`, 'utf8')) as { version: string }).version;
  const catalogue =
    statedCatalogueVersion(readFileSync(file, 'utf8')) ??
    (await import('./specs-files.js')).loadCatalogue(file).version;
  return `interop-conformance ${harness} (requirement catalogue ${catalogue})`;
}

const OPTIONS = {
  adapter: { type: 'string', default: 'reference' },
  'adapter-option': { type: 'string', multiple: true },
  command: { type: 'string' },
  out: { type: 'string', default: 'conformance-report' },
  reporter: { type: 'string', default: 'json,junit,markdown,html' },
  grep: { type: 'string' },
  tag: { type: 'string', multiple: true },
  strict: { type: 'boolean', default: false },
  'expect-failures': { type: 'string' },
  'update-baseline': { type: 'string' },
  'update-baseline-add': { type: 'boolean', default: false },
  deadline: { type: 'string' },
  timeout: { type: 'string' },
  settle: { type: 'string' },
  runs: { type: 'string' },
  seed: { type: 'string' },
  url: { type: 'string' },
  server: { type: 'string' },
  'server-timeout': { type: 'string' },
  'reuse-server': { type: 'boolean', default: false },
  implementation: { type: 'string' },
  workers: { type: 'string' },
  shard: { type: 'string' },
  'shard-durations': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  tls: { type: 'boolean', default: false },
  'tls-cert-out': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  quiet: { type: 'boolean', default: false },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'V', default: false },
} as const;

export async function main(argv: string[], io: Io): Promise<number> {
  // A usage error points at the help that lists the options of the command at hand.
  let help = 'interop-conformance --help';
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
    const [name, ...paths] = positionals;
    // An empty --out would write the reports (and generate's files) into the current folder.
    if (!values.out.trim()) throw new UsageError(`--out needs a folder name; got "${values.out}"`);
    if (values.version) {
      io.stdout.write(`${await versionLine()}\n`);
      return EXIT.conformant;
    }
    // `help [COMMAND]` and `COMMAND --help` print to stdout and succeed; a bare call is a usage error (stderr, 2).
    const topic = name === 'help' ? paths[0] : name;
    if (name === undefined && !values.help) {
      io.stderr.write(`${usage(await optionHelp())}\n`);
      return EXIT.badInput;
    }
    const command = COMMANDS.find((c) => c.name === topic);
    if (topic !== undefined && !command) throw new UsageError(`unknown command "${topic}"`);
    if (values.help || name === 'help') {
      const options = await optionHelp();
      io.stdout.write(`${command ? commandHelp(command, options) : usage(options)}\n`);
      return EXIT.conformant;
    }
    if (!command) throw new UsageError('no command given');
    help = `interop-conformance ${command.name} --help`;
    // An option the command would ignore is refused: defaults fill `values`, so the tokens say what was typed.
    // Imported here, as the command is: --version and --help load no more than they print.
    const { givenOptions, refuseMisusedOptions } = await import('./commands/options.js');
    refuseMisusedOptions(command, givenOptions(parsed.tokens), values);
    const { CommandContext } = await import('./commands/context.js');
    const ctx = new CommandContext(values as Options, paths, io);
    // The commands that load scenarios take the load cache (they list --no-cache); the others load fresh. Before the
    // command is imported: what the cache holds of the models (their graphs) is then taken instead of the models.
    await ctx.prepare(command.options.includes('no-cache'));
    return await (await command.load()).run(ctx);
  } catch (e) {
    if (e instanceof InputError) {
      e.diagnostics.forEach((d) => io.stderr.write(`${formatDiagnostic(d)}\n`));
      io.stderr.write(
        `${e.diagnostics.length} problem${e.diagnostics.length === 1 ? '' : 's'} found; nothing was run\n`,
      );
      return EXIT.badInput;
    }
    // Only a command loads the adapter loader, so its error class is imported (cached by then) only for the others.
    const adapterLoad = !(e instanceof UsageError) && e instanceof (await import('./adapters.js')).AdapterLoadError;
    if (e instanceof UsageError || adapterLoad) {
      // An adapter that could not start may quote what its system said (the stdio adapter: the child's stderr).
      const message = adapterLoad ? redact(e.message) : e.message;
      io.stderr.write(`interop-conformance: ${escapeControls(message)}\n(see ${help})\n`);
      return EXIT.badInput;
    }
    io.stderr.write(`interop-conformance: internal error: ${escapeControls(String((e as Error)?.message ?? e))}\n`);
    if (io.env.DEBUG) io.stderr.write(`${(e as Error)?.stack}\n`);
    return EXIT.internal;
  }
}

// Taken before any adapter module is imported: the exit the program ends with, whatever adapter code did to it.
const exitProcess = process.exit.bind(process);

const flushed = (stream: NodeJS.WriteStream) =>
  new Promise<void>((done) => (stream.writableLength ? stream.write('', () => done()) : done()));

/**
 * Run as a program (`tsx harness/cli.ts …` or the `interop-conformance` bin). Once `main` has returned, the
 * reports are written: the process ends with its exit code even if an adapter left sockets or timers open, and
 * what adapter code does in the meantime (process.exit, a late exception) can no longer change the outcome.
 */
export async function runAsProgram(): Promise<void> {
  // A long run's V8 heap settings are the program's to set, never the API's: harness/heap-settings.ts.
  allowCliHeapSettings();
  const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
  process.exitCode = code;
  // Adapter code that calls process.exit from now on exits nothing: the run's code is decided.
  Object.defineProperty(process, 'exit', { value: () => undefined });
  process.on('uncaughtException', () => undefined).on('unhandledRejection', () => undefined);
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  exitProcess(code);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runAsProgram();
