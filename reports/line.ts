/**
 * Progress for a terminal: one status line rewritten in place (`\r` + clear-line), e.g.
 * `[12/48] ✓ 11 ✗ 1 chat/teams-to-skype` (`! N` errors and `↷ N` skipped appear once non-zero). A scenario that
 * needs a look is printed in full above the status line as it ends; the run ends with the summary of `plain`.
 * Not a TTY: no status line at all, only the failures and the summary.
 */
import type { RunResult, ScenarioResult } from './results.js';
import { failureLines, needsDetails, scenarioLine, summaryLines } from './format.js';
import { sanitize } from './redact.js';
import type { Reporter, ReporterContext, RunBegin } from './reporter.js';

const CLEAR = '\r\u001B[2K';
const paint = (code: number) => (s: string) => `\u001B[${code}m${s}\u001B[0m`;
const red = paint(31);
const green = paint(32);
const yellow = paint(33);

export class LineReporter implements Reporter {
  private total = 0;
  private done = 0;
  private readonly n = { pass: 0, fail: 0, error: 0, skip: 0 };
  private shown = false;

  constructor(private readonly ctx: ReporterContext) {}

  private color(f: (s: string) => string, s: string): string {
    return this.ctx.color ? f(s) : s;
  }

  private clear(): void {
    if (this.shown) this.ctx.stream.write(CLEAR);
    this.shown = false;
  }

  private status(last: string): void {
    if (!this.ctx.isTTY) return;
    const { pass, fail, error, skip } = this.n;
    const parts: [string, (s: string) => string][] = [
      [`[${this.done}/${this.total}]`, (s) => s],
      [`✓ ${pass}`, green],
      [`✗ ${fail}`, red],
    ];
    if (error) parts.push([`! ${error}`, red]);
    if (skip) parts.push([`↷ ${skip}`, yellow]);
    const width = (this.ctx.stream as { columns?: number }).columns ?? 80;
    const room = width - 2 - parts.reduce((sum, [p]) => sum + p.length + 1, 0);
    const id = sanitize(last).replace(/\n/g, ' ');
    const tail = id.length <= room ? id : room > 1 ? `…${id.slice(-(room - 1))}` : '';
    this.clear();
    this.ctx.stream.write(`${parts.map(([p, c]) => this.color(c, p)).join(' ')} ${tail}`);
    this.shown = true;
  }

  onBegin(run: RunBegin): void {
    this.total = run.scenarioCount;
    this.status(`adapter ${run.adapter}`);
  }

  onScenarioEnd(result: ScenarioResult): void {
    this.done += 1;
    this.n[result.verdict] += 1;
    if (needsDetails(result)) {
      this.clear();
      const [head = '', ...rest] = sanitize(
        [scenarioLine(result), ...failureLines(result).map((l) => `  ${l}`)].join('\n'),
      ).split('\n');
      this.ctx.stream.write([this.color(red, head), ...rest].map((l) => `${l}\n`).join(''));
    }
    this.status(result.id);
  }

  onEnd(run: RunResult): void {
    this.clear();
    const verdict = run.summary.gate.conformant ? green : red;
    const lines = sanitize(summaryLines(run).join('\n')).split('\n');
    const painted = lines.map((l) => (/^(NOT )?conformant:/.test(l) ? this.color(verdict, l) : l));
    this.ctx.stream.write(['', ...painted].map((l) => `${l}\n`).join(''));
  }
}
