/**
 * How a run that did not end normally still ends in a report: results for scenarios that never got an adapter,
 * and the marks (run id, interruption, crashes, notes) the CLI puts on a `RunResult` before the reports see it.
 * Each mark that means "this run is no evidence" closes the gate with its reason.
 */
import { GATE_NOTE, type RunResult, type ScenarioResult } from '../reports/results.js';
import type { Scenario } from './load.js';
import { scenarioBase } from './played.js';

/** Every scenario as `error` with `reason`, its steps `skip`: the adapter could not be had at all. */
export function notRunResults(scenarios: Scenario[], adapter: string, reason: string): ScenarioResult[] {
  return scenarios.map((s) => ({
    ...scenarioBase(s, adapter),
    verdict: 'error',
    reason,
    durationMs: 0,
    steps: s.steps.map((st) => ({
      index: st.index,
      location: st.location,
      actor: st.actor,
      action: st.action,
      expected: { outcome: st.prediction.outcome, deliveries: st.prediction.deliveries },
      rule: st.prediction.rule,
      trace: st.prediction.trace,
      requirements: st.prediction.requirements,
      verdict: 'skip',
      mismatches: [],
      error: reason,
      durationMs: 0,
    })),
  }));
}

export interface RunMarks {
  runId: string;
  /** The signal that stopped the run, if one did. */
  interrupted?: NodeJS.Signals;
  /** How many scenario results the run would have had. */
  planned: number;
  /** Everything the crash guard caught. */
  crashes: readonly string[];
  /** Why the run stopped before its end (a fault of the harness itself), if it did. */
  unfinished?: string;
  /** Trouble after the verdicts (an adapter's dispose): said, not gating. */
  notes: readonly string[];
}

/** Close the run's gate (in place), its reason first. */
export function close(run: RunResult, reason: string): void {
  const g = run.summary.gate;
  g.conformant = false;
  g.exitCode = 1;
  g.reasons.unshift(reason);
}

/** Put the marks on the run (in place) and return it. */
export function markRun(run: RunResult, m: RunMarks): RunResult {
  run.summary.runId = m.runId;
  if (m.crashes.length) {
    run.summary.crashes = [...m.crashes];
    for (const c of [...m.crashes].reverse()) close(run, `the adapter crashed: ${c}`);
  }
  if (m.unfinished)
    close(
      run,
      `the run did not finish (${m.unfinished}): only ${run.scenarios.length} of ${m.planned} scenario results`,
    );
  if (m.interrupted) {
    run.summary.interrupted = true;
    close(
      run,
      `the run was interrupted by ${m.interrupted} after ${run.scenarios.length} of ${m.planned} scenario results: not every scenario ran`,
    );
  }
  run.summary.gate.reasons.push(...m.notes.map((n) => `${GATE_NOTE}${n}`));
  return run;
}

/** The exit code of a signal, as shells report it: 128 + its number (SIGINT 130, SIGTERM 143). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as Partial<Record<NodeJS.Signals, number>>)[signal]!;
}
