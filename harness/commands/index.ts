/**
 * The CLI's commands, in the order --help lists them: what `--help` says of each, and how to load it. A command's
 * module is imported only when that command runs, so a process pays only for its own: `--version` and `--help`
 * load none, `run` against the reference never loads `generate`'s graph traversal (@xstate/graph), `mutants`'
 * HTTP client (undici) or `explore`'s property testing (fast-check). The help below is the one the CLI prints;
 * test/cold-start.test.ts holds each module's own `name`, `summary`, `usage` and `options` to it.
 */
import type { Command } from './context.js';

/** What --help says of a command, without loading it. */
export type CommandInfo = Omit<Command, 'run'>;

/** A command as the CLI dispatches it: its help, and its module, imported on `load()`. */
export interface LazyCommand extends CommandInfo {
  load(): Promise<Command>;
}

export const COMMANDS: readonly LazyCommand[] = [
  {
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
      'strict',
      'expect-failures',
      'update-baseline',
      'update-baseline-add',
      'deadline',
      'timeout',
      'settle',
      'quiet',
    ],
    load: async () => (await import('./run.js')).runCommand,
  },
  {
    name: 'validate',
    summary: 'check scenarios against the schema and the models, run nothing',
    usage: 'validate [PATH...]',
    options: [],
    load: async () => (await import('./validate.js')).validateCommand,
  },
  {
    name: 'list',
    summary: 'list scenarios, the requirements they cover and the model rules they take',
    usage: 'list [PATH...] [--grep TEXT] [--tag TAG]',
    options: ['grep', 'tag'],
    load: async () => (await import('./list.js')).listCommand,
  },
  {
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
    ],
    load: async () => (await import('./mutants.js')).mutantsCommand,
  },
  {
    name: 'generate',
    summary: 'write scenarios that take every transition of every model into --out DIR',
    usage: 'generate --out DIR',
    options: ['out'],
    load: async () => (await import('./generate.js')).generateCommand,
  },
  {
    name: 'explore',
    summary:
      'random action sequences against an adapter; a divergence is shrunk and written as a scenario (--runs, --seed)',
    usage: 'explore [--runs N] [--seed S] [options]',
    options: ['runs', 'seed', 'adapter', 'adapter-option', 'url', 'out', 'deadline', 'timeout'],
    load: async () => (await import('./explore.js')).exploreCommand,
  },
  {
    name: 'serve',
    summary:
      'serve the reference interop service (or --implementation independent) over HTTP, or HTTPS with --tls (specs/openapi.yaml), until SIGINT/SIGTERM',
    usage: 'serve [--host H] [--port P] [--tls [--tls-cert-out FILE] | --tls-cert FILE --tls-key FILE] [options]',
    options: ['host', 'port', 'implementation', 'adapter-option', 'tls', 'tls-cert-out', 'tls-cert', 'tls-key'],
    load: async () => (await import('./serve.js')).serveCommand,
  },
];
