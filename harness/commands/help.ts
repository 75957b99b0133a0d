/**
 * What `--help` says of each command, in the order it lists them. Data only, so the CLI prints help without
 * loading any command, and each command's module spreads its own entry: the help is written once.
 */
import type { Command } from './context.js';

/** What --help says of a command, without loading it. */
export type CommandInfo = Omit<Command, 'run'>;

export const COMMAND_HELP = {
  run: {
    name: 'run',
    summary: 'run scenarios against an adapter and write reports (default PATH: scenarios/)',
    usage: 'run [PATH...] [options]',
    options: [
      'adapter',
      'adapter-option',
      'command',
      'url',
      'server',
      'server-timeout',
      'reuse-server',
      'out',
      'reporter',
      'grep',
      'tag',
      'shard',
      'shard-durations',
      'strict',
      'expect-failures',
      'update-baseline',
      'update-baseline-add',
      'cache-dir',
      'no-cache',
      'deadline',
      'timeout',
      'settle',
      'workers',
      'quiet',
    ],
  },
  'merge-reports': {
    name: 'merge-reports',
    summary:
      'merge the blob reports of run --shard i/n (each DIR or its blob/ folder) into the reports of one run; exit code: its gate',
    usage: 'merge-reports DIR... [--out DIR] [--reporter LIST]',
    options: ['out', 'reporter', 'quiet'],
  },
  validate: {
    name: 'validate',
    summary: 'check scenarios against the schema and the models, run nothing',
    usage: 'validate [PATH...]',
    options: ['cache-dir', 'no-cache'],
  },
  list: {
    name: 'list',
    summary: 'list scenarios, the requirements they cover and the model rules they take',
    usage: 'list [PATH...] [--grep TEXT] [--tag TAG]',
    options: ['grep', 'tag', 'cache-dir', 'no-cache'],
  },
  mutants: {
    name: 'mutants',
    summary:
      'the mutation score: scenarios against each faulty variant of the reference (--adapter-option faults=a,b: some; --implementation NAME: over HTTP)',
    usage: 'mutants [PATH...] [options]',
    options: [
      'grep',
      'tag',
      'adapter-option',
      'implementation',
      'workers',
      'out',
      'deadline',
      'timeout',
      'settle',
      'quiet',
      'cache-dir',
      'no-cache',
    ],
  },
  generate: {
    name: 'generate',
    summary: 'write scenarios that take every transition of every model into --out DIR',
    usage: 'generate --out DIR',
    options: ['out'],
  },
  explore: {
    name: 'explore',
    summary:
      'random action sequences against an adapter; a divergence is shrunk and written as a scenario (--runs, --seed)',
    usage: 'explore [--runs N] [--seed S] [options]',
    options: ['runs', 'seed', 'adapter', 'adapter-option', 'command', 'url', 'out', 'deadline', 'timeout'],
  },
  serve: {
    name: 'serve',
    summary:
      'serve the reference interop service (or --implementation independent) over HTTP, or HTTPS with --tls (specs/openapi.yaml), until SIGINT/SIGTERM',
    usage: 'serve [--host H] [--port P] [--tls [--tls-cert-out FILE] | --tls-cert FILE --tls-key FILE] [options]',
    options: ['host', 'port', 'implementation', 'adapter-option', 'tls', 'tls-cert-out', 'tls-cert', 'tls-key'],
  },
} as const satisfies Record<string, CommandInfo>;

/**
 * Options a command uses only beside another (as its help names that one): given without it, the command would
 * ignore them, so they are refused (harness/commands/options.ts). Conditions on values, not on presence (`--command`
 * without a stdio adapter, the TLS flags of `serve`), are the commands' own.
 */
export const OPTION_NEEDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  run: {
    'update-baseline-add': '--update-baseline FILE',
    'shard-durations': '--shard i/n',
    'server-timeout': '--server CMD',
    'reuse-server': '--server CMD',
  },
  // In process every variant is the reference's own, one at a time, and settles at once.
  mutants: { workers: '--implementation NAME', settle: '--implementation NAME' },
};
