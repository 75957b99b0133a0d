/**
 * Plain progress for CI logs and other non-terminals: one line per scenario as it ends, details indented under the
 * ones that need a look, and a summary whose first line is `N passed, N failed, N errors, N skipped` (scenarios;
 * errors, adapter or harness faults, are never counted as failures). No colour, no cursor movement: every byte written stays readable in a log file.
 *
 *   pass chat/teams-to-skype-after-accept (3 steps, 2 ms)
 *   FAIL chat/teams-to-skype-before-accept (2 steps, 4 ms)
 *     step 2 (scenarios/chat/…:14:5) sam message {"to":"tara"} — expected …; observed …; rule …; requirements …
 *       - tara received a message, expected nothing
 */
import type { RunResult, ScenarioResult } from './results.js';
import { failureLines, needsDetails, scenarioLine, summaryLines } from './format.js';
import { sanitize } from './redact.js';
import type { Reporter, ReporterContext, RunBegin } from './reporter.js';

export class PlainReporter implements Reporter {
  constructor(private readonly ctx: Pick<ReporterContext, 'stream'>) {}

  private print(lines: string[]): void {
    this.ctx.stream.write(sanitize(lines.map((l) => `${l}\n`).join('')));
  }

  onBegin(run: RunBegin): void {
    this.print([`running ${run.scenarioCount} scenarios against adapter ${run.adapter}`]);
  }

  onScenarioEnd(result: ScenarioResult): void {
    const details = needsDetails(result) ? failureLines(result).map((l) => `  ${l}`) : [];
    this.print([scenarioLine(result), ...details]);
  }

  onEnd(run: RunResult): void {
    this.print(['', ...summaryLines(run)]);
  }
}
