/**
 * `report.json`: the run's `RunResult`, as is, for machines. Its shape is `specs/schemas/report.schema.json`.
 * Strings pass through `redact()`; nothing else changes.
 */
import { join } from 'node:path';
import type { RunResult } from '../specs/results.js';
import { redactDeep } from './redact.js';
import { REPORT_FILES, writeReport } from './report-set.js';
import type { Reporter, ReporterContext } from './reporter.js';

export class JsonReporter implements Reporter {
  readonly file: string;

  constructor(private readonly ctx: Pick<ReporterContext, 'outDir' | 'set'>) {
    this.file = join(ctx.outDir, REPORT_FILES.json);
  }

  async onEnd(run: RunResult): Promise<void> {
    await writeReport(this.ctx, this.file, `${JSON.stringify(redactDeep(run), null, 2)}\n`);
  }
}
