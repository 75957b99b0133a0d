/** `generate`: not built yet (issue 4). */
import { UsageError, type Command } from './context.js';

export const generateCommand: Command = {
  name: 'generate',
  summary: '(not built yet)',
  async run() {
    throw new UsageError('generate is not built yet');
  },
};
