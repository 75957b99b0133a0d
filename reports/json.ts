/**
 * `report.json`: the run's `RunResult`, as is, for machines. Its shape is `specs/schemas/report.schema.json`.
 * Strings pass through `redact()`; nothing else changes.
 */
import { join } from 'node:path';
import type { RunResult } from '../specs/results.js';
import { redactDeep } from './redact.js';
import type { Reporter, ReporterContext } from './reporter.js';
import { writeFileAtomic } from './write-file.js';

export class JsonReporter implements Reporter {
  readonly file: string;

  constructor(ctx: Pick<ReporterContext, 'outDir'>) {
    this.file = join(ctx.outDir, 'report.json');
  }

  async onEnd(run: RunResult): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(redactDeep(run), null, 2)}\n`);
  }
}
