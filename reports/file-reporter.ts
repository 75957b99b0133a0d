/**
 * What every file report shares: one file of the report set (`REPORT_FILES`), rendered from the whole run when it
 * ends and put in place through the set (written to its temporary, then committed with the others) or atomically on
 * its own. A report renders as chunks, pulled as the file is written: its whole text is never in memory at once.
 */
import { join } from 'node:path';
import type { RunResult } from './results.js';
import { REPORT_FILES, writeReport } from './report-set.js';
import type { Reporter, ReporterContext } from './reporter.js';

export class FileReporter implements Reporter {
  readonly file: string;

  constructor(
    private readonly ctx: Pick<ReporterContext, 'outDir' | 'set'>,
    name: keyof typeof REPORT_FILES,
    private readonly render: (run: RunResult) => Iterable<string>,
  ) {
    this.file = join(ctx.outDir, REPORT_FILES[name]);
  }

  async onEnd(run: RunResult): Promise<void> {
    await writeReport(this.ctx, this.file, this.render(run));
  }
}
