/** `serve`: not built yet (issue 3). */
import { UsageError, type Command } from './context.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: '(not built yet)',
  async run() {
    throw new UsageError('serve is not built yet');
  },
};
