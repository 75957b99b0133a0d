/**
 * Results in scenario order, whatever order they end in: with several lanes or worker threads a late scenario may
 * end before an early one. Each is held until every scenario before it has ended, then handed to the reporter, one
 * at a time (a reporter's `onScenarioEnd` is awaited before the next), so reports and progress read as with one.
 */
import type { ScenarioResult } from '../../reports/results.js';
import type { Reporter } from '../../reports/reporter.js';

export class InOrder {
  private readonly results: ScenarioResult[] = [];
  /** How many results have been handed on (kept or not). */
  private handed = 0;
  private readonly early = new Map<number, ScenarioResult>();
  private reporting: Promise<void> = Promise.resolve();

  constructor(
    private readonly reporter?: Reporter,
    /** Scenario ids the baseline expects to fail: marked on each result here, before any reporter sees it. */
    private readonly expectedToFail?: ReadonlySet<string>,
    /** Whether results are kept for `all()`; false: the reporter alone has each (the CLI records them itself). */
    private readonly keep = true,
  ) {}

  /** Scenario `index`'s result: reported now if every one before it has been, else once they have. */
  add(index: number, result: ScenarioResult): void {
    if (this.expectedToFail?.has(result.id)) result.expectedToFail = true;
    this.early.set(index, result);
    for (let r = this.early.get(this.handed); r; r = this.early.get(this.handed)) {
      this.early.delete(this.handed++);
      if (this.keep) this.results.push(r);
      const ended = r;
      this.reporting = this.reporting.then(() => this.reporter?.onScenarioEnd?.(ended));
    }
  }

  /** How many results have been handed on, in order (those held back for an earlier one are not counted). */
  get count(): number {
    return this.handed;
  }

  /** Every result handed on, in scenario order (none when not kept), once the reporter has had each. */
  async all(): Promise<ScenarioResult[]> {
    await this.reporting;
    return this.results;
  }
}
