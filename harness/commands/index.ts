/**
 * The CLI's commands, in the order --help lists them: what `--help` says of each, and how to load it. A command's
 * module is imported only when that command runs, so a process pays only for its own: `--version` and `--help`
 * load none, `run` against the reference never loads `generate`'s graph traversal (@xstate/graph), `mutants`'
 * HTTP client (undici) or `explore`'s property testing (fast-check). The help is help.ts's, which each
 * command's module spreads into itself.
 */
import type { Command } from './context.js';
import { COMMAND_HELP, type CommandInfo } from './help.js';

export type { CommandInfo };

/** A command as the CLI dispatches it: its help, and its module, imported on `load()`. */
export interface LazyCommand extends CommandInfo {
  load(): Promise<Command>;
}

export const COMMANDS: readonly LazyCommand[] = [
  { ...COMMAND_HELP.run, load: async () => (await import('./run.js')).runCommand },
  {
    ...COMMAND_HELP['merge-reports'],
    load: async () => (await import('./merge-reports.js')).mergeReportsCommand,
  },
  { ...COMMAND_HELP.validate, load: async () => (await import('./validate.js')).validateCommand },
  { ...COMMAND_HELP.list, load: async () => (await import('./list.js')).listCommand },
  { ...COMMAND_HELP.mutants, load: async () => (await import('./mutants.js')).mutantsCommand },
  { ...COMMAND_HELP.generate, load: async () => (await import('./generate.js')).generateCommand },
  { ...COMMAND_HELP.explore, load: async () => (await import('./explore.js')).exploreCommand },
  { ...COMMAND_HELP.serve, load: async () => (await import('./serve.js')).serveCommand },
];
