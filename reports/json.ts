/**
 * `report.json`: the run's `RunResult`, as is, for machines. Its shape is `specs/schemas/report.schema.json`.
 * Strings pass through `redact()`; nothing else changes.
 */
import { redactDeep } from './redact.js';
import { FileReporter } from './file-reporter.js';
import type { ReporterContext } from './reporter.js';

export class JsonReporter extends FileReporter {
  constructor(ctx: Pick<ReporterContext, 'outDir' | 'set'>) {
    super(ctx, 'json', (run) => `${JSON.stringify(redactDeep(run), null, 2)}\n`);
  }
}
