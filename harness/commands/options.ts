/**
 * Which options a command takes, checked before it runs: an option given to a command that does not use it is a
 * usage error (exit 2), never silently ignored — a user who asked `validate --shard 1/2` or `list --workers 3`
 * must not believe they sharded or ran in parallel. The table is the help's own (help.ts: each command's
 * `options`, and `OPTION_NEEDS` for an option used only beside another), so what `--help` lists and what is
 * accepted cannot drift apart.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { COMMAND_HELP, OPTION_NEEDS, type CommandInfo } from './help.js';
import { UsageError } from './exit.js';

/** Taken by every command: they act before any command runs. */
export const GLOBAL_OPTIONS: readonly string[] = ['help', 'version'];

const COMMANDS: readonly CommandInfo[] = Object.values(COMMAND_HELP);

const list = (names: readonly string[]) => names.map((n) => `--${n}`).join(', ');

/** `--workers (an option of run, mutants)`: where an option the user reached for does something. */
function owned(option: string): string {
  const by = COMMANDS.filter((c) => c.options.includes(option)).map((c) => c.name);
  return by.length ? `--${option} (an option of ${by.join(', ')})` : `--${option}`;
}

/**
 * Refuse what `command` would ignore among the options `given` (as typed: long names, each once or more): an option
 * it does not take, or one it takes only beside another that was not given. Nothing when every one is used.
 */
export function refuseUnusedOptions(command: CommandInfo, given: readonly string[]): void {
  const asked = new Set(given);
  const unused = [...asked].filter((o) => !GLOBAL_OPTIONS.includes(o) && !command.options.includes(o));
  if (unused.length) {
    const one = unused.length === 1;
    throw new UsageError(
      `${command.name} takes no ${unused.map(owned).join(' or ')}: ${one ? 'it' : 'they'} would be ignored. ${command.name} takes only ${list(command.options)}`,
    );
  }
  const needs: Readonly<Record<string, string>> = OPTION_NEEDS[command.name] ?? {};
  for (const o of asked) {
    const partner = needs[o];
    const name = partner && /^--([a-z-]+)/.exec(partner)![1]!;
    if (name && !asked.has(name))
      throw new UsageError(`--${o} goes with ${partner}: without it, ${command.name} does not use --${o}`);
  }
}

/** The long names of the options in parseArgs' tokens (`-h` is `help`), in the order given. */
export const givenOptions = (tokens: readonly { kind: string; name?: string }[]): string[] =>
  tokens.filter((t) => t.kind === 'option').map((t) => t.name!);

/**
 * Refuse an `--out` folder a file stands in the way of (the path itself, or a folder above it), for a command that
 * writes there: found before anything runs, not after a whole run (or a mutation score) could not write its reports.
 * Anything else the writing may meet (no permission, a full disk) is said when it happens.
 */
export function refuseOutInTheWay(command: CommandInfo, out: string): void {
  if (!command.options.includes('out')) return;
  for (let p = resolve(out); ; p = dirname(p)) {
    let folder: boolean;
    try {
      folder = statSync(p).isDirectory();
    } catch (e) {
      // Not there (or under a file, ENOTDIR): the first part of the path that is there decides.
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(p) !== p) continue;
      return;
    }
    if (folder) return;
    const where = p === resolve(out) ? 'is a file' : `cannot be made: ${p} is a file`;
    throw new UsageError(`--out ${out} ${where}, not a folder; ${command.name} writes there: name a folder`);
  }
}

/**
 * Refuse what the adapter chosen would ignore: `--command` starts the stdio adapter's program, `--url` names the
 * system of the http adapter (or of a module of yours), and the in-process reference takes neither. (`run` checks
 * `--command` itself too, for the package API, which names no option on a command line.)
 */
export function refuseIgnoredByAdapter(
  command: CommandInfo,
  given: readonly string[],
  values: { adapter: string; server?: string },
): void {
  if (!command.options.includes('adapter')) return;
  // run --server tests a system over HTTP: the default adapter is then http (run-server.ts).
  const specs = (values.server !== undefined && values.adapter === 'reference' ? 'http' : values.adapter)
    .split(',')
    .filter(Boolean);
  if (given.includes('command') && !specs.includes('stdio'))
    throw new UsageError('--command starts the adapter process of --adapter stdio; no stdio adapter was named');
  if (given.includes('url') && specs.every((s) => s === 'reference'))
    throw new UsageError(
      '--url names the system under test of --adapter http (or of a module of yours); the in-process reference takes none',
    );
}

/** Every check of the options as given, before the command runs (cli.ts). */
export function refuseMisusedOptions(
  command: CommandInfo,
  given: readonly string[],
  values: { adapter: string; out: string; server?: string },
): void {
  refuseUnusedOptions(command, given);
  refuseOutInTheWay(command, values.out);
  refuseIgnoredByAdapter(command, given, values);
}
