/** The CLI's commands, in the order --help lists them. */
import type { Command } from './context.js';
import { exploreCommand } from './explore.js';
import { generateCommand } from './generate.js';
import { listCommand } from './list.js';
import { mutantsCommand } from './mutants.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { validateCommand } from './validate.js';

export const COMMANDS: readonly Command[] = [
  runCommand,
  validateCommand,
  listCommand,
  mutantsCommand,
  generateCommand,
  exploreCommand,
  serveCommand,
];
