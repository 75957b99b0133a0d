/**
 * Drives several reporters as one. Each event goes to each reporter in turn, awaited one after another (stream
 * output stays in order). A reporter that throws, synchronously or by rejecting, is recorded in `failures` and
 * gets no further events (its state is suspect, and one failure per report is what a person needs to read); the
 * others carry on. The multiplexer itself never throws.
 */
import type { RunResult, ScenarioResult } from './results.js';
import { keepIdsOf, keepIdsOfRun, redact } from './redact.js';
import type { NamedReporter, Reporter, RunBegin } from './reporter.js';

export interface ReporterFailure {
  /** The reporter's name, e.g. `junit`. */
  reporter: string;
  /** The event it failed in. */
  event: 'onBegin' | 'onScenarioEnd' | 'onEnd';
  /** The error's message, redacted. */
  message: string;
  error: unknown;
}

export class Multiplexer implements Reporter {
  readonly failures: ReporterFailure[] = [];
  private readonly reporters: NamedReporter[];

  constructor(reporters: readonly NamedReporter[]) {
    this.reporters = [...reporters];
  }

  /** Whether every report was produced; when false the CLI should say which (see `failures`) and exit non-zero. */
  get ok(): boolean {
    return this.failures.length === 0;
  }

  private async each(event: ReporterFailure['event'], call: (r: Reporter) => void | Promise<void>): Promise<void> {
    for (const { name, reporter } of this.reporters) {
      if (this.failures.some((f) => f.reporter === name)) continue;
      try {
        await call(reporter);
      } catch (error) {
        const message = redact(error instanceof Error ? error.message : String(error));
        this.failures.push({ reporter: name, event, message, error });
      }
    }
  }

  onBegin(run: RunBegin): Promise<void> {
    return this.each('onBegin', (r) => r.onBegin?.(run));
  }

  onScenarioEnd(result: ScenarioResult): Promise<void> {
    try {
      keepIdsOf(result); // its ids must survive redaction in every format
    } catch {
      // a malformed result is the reporters' to report
    }
    return this.each('onScenarioEnd', (r) => r.onScenarioEnd?.(result));
  }

  onEnd(run: RunResult): Promise<void> {
    try {
      keepIdsOfRun(run);
    } catch {
      // a malformed result is the reporters' to report
    }
    return this.each('onEnd', (r) => r.onEnd?.(run));
  }
}
