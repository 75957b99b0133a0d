/** `mutants`: not built yet (issue 4). */
import { UsageError, type Command } from './context.js';

export const mutantsCommand: Command = {
  name: 'mutants',
  summary: '(not built yet)',
  async run() {
    throw new UsageError('mutants is not built yet');
  },
};
