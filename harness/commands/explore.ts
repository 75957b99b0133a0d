/** `explore`: not built yet (issue 4). */
import { UsageError, type Command } from './context.js';

export const exploreCommand: Command = {
  name: 'explore',
  summary: '(not built yet)',
  async run() {
    throw new UsageError('explore is not built yet');
  },
};
