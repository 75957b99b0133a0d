/**
 * Wording shared by the formats, so a failure reads the same in the terminal, in CI logs, in JUnit and in Markdown.
 * Plain text only: no colour, no escaping, no redaction (each format sanitizes and escapes for its medium).
 */
import type { ActorOutcome, Delivery } from '../specs/protocol.js';
import { safeStringify } from './json-safe.js';
import {
  GATE_NOTE,
  type Counts,
  type Mismatch,
  type RunResult,
  type ScenarioResult,
  type StepResult,
} from './results.js';

/**
 * How a scenario reads to people, the baseline taken into account:
 * - `xfail`: failed, and the expected-failures baseline says it does (the gate allows it);
 * - `xpass`: passed although the baseline says it fails (the gate closes until the entry is removed).
 */
export type Outcome = 'pass' | 'fail' | 'error' | 'skip' | 'xfail' | 'xpass';

export function outcomeOf(scenario: ScenarioResult): Outcome {
  if (scenario.expectedToFail && scenario.verdict === 'fail') return 'xfail';
  if (scenario.expectedToFail && scenario.verdict === 'pass') return 'xpass';
  return scenario.verdict;
}

/** The label that starts a scenario's line in plain output: upper case means "look at this". */
export const LABEL: Readonly<Record<Outcome, string>> = {
  pass: 'pass',
  fail: 'FAIL',
  error: 'ERROR',
  skip: 'skip',
  xfail: 'xfail',
  xpass: 'XPASS',
};

export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Never throws: a circular or BigInt-holding observation from an adapter still prints. */
export function json(value: unknown): string {
  return safeStringify(value);
}

export function action(step: StepResult): string {
  const { kind, ...rest } = step.action;
  return Object.keys(rest).length ? `${kind} ${json(rest)}` : kind;
}

export function outcome(o: ActorOutcome): string {
  if (o.status === 'error') return `error ${o.error}`;
  const { status, ...data } = o;
  return Object.keys(data).length ? `${status} ${json(data)}` : status;
}

export function deliveries(ds: Delivery[]): string {
  return ds.length ? `delivers ${json(ds)}` : 'delivers nothing';
}

export function expected(step: StepResult): string {
  return `${outcome(step.expected.outcome)}, ${deliveries(step.expected.deliveries)}`;
}

export function observed(step: StepResult): string {
  return step.observed ? `${outcome(step.observed.outcome)}, ${deliveries(step.observed.deliveries)}` : 'nothing';
}

/** Steps worth showing: those that failed or errored. */
export function badSteps(scenario: ScenarioResult): StepResult[] {
  return scenario.steps.filter((s) => s.verdict === 'fail' || s.verdict === 'error');
}

/**
 * Requirement ids the scenario's failures break, in order of first appearance: those of the failing steps'
 * mismatches, else those the failing steps cite, else the scenario's own.
 */
export function failingRequirements(scenario: ScenarioResult): string[] {
  const failing = scenario.steps.filter((s) => s.verdict === 'fail');
  const byMismatch = new Set(failing.flatMap((s) => s.mismatches.flatMap((m) => m.requirements)));
  if (byMismatch.size) return [...byMismatch];
  const byStep = new Set(failing.flatMap((s) => s.requirements));
  return byStep.size ? [...byStep] : scenario.requirements;
}

/** "the actor was shown ok; expected error … [REQ-003]" */
export function mismatchLine(m: Mismatch): string {
  return m.requirements.length ? `${m.message} [${m.requirements.join(', ')}]` : m.message;
}

/** "step N (file:line:col) actor action — expected …, observed …, rule …, requirements …" */
export function stepLine(step: StepResult): string {
  const reqs = step.requirements.length ? step.requirements.join(', ') : 'none';
  return (
    `step ${step.index} (${step.location}) ${step.actor} ${action(step)} — ` +
    `expected ${expected(step)}; observed ${observed(step)}; rule ${step.rule}; requirements ${reqs}`
  );
}

/** The details of a scenario that did not pass: a line per bad step, its mismatches and fault indented below it. */
export function failureLines(scenario: ScenarioResult): string[] {
  const lines: string[] = [];
  if (scenario.reason) lines.push(`reason: ${scenario.reason}`);
  for (const step of badSteps(scenario)) {
    lines.push(stepLine(step));
    for (const m of step.mismatches) lines.push(`  - ${mismatchLine(m)}`);
    if (step.error) lines.push(`  error: ${step.error}`);
  }
  if (outcomeOf(scenario) === 'xpass')
    lines.push('passed, but the expected-failures baseline lists it: remove the entry');
  return lines;
}

/** One line per scenario: "pass chat/x (3 steps, 2 ms)"; skips give their reason instead of the counts. */
export function scenarioLine(scenario: ScenarioResult): string {
  const o = outcomeOf(scenario);
  if (o === 'skip') return `skip ${scenario.id}${scenario.reason ? `: ${scenario.reason}` : ''}`;
  const extra = o === 'xfail' ? `, expected failure: ${failingRequirements(scenario).join(', ')}` : '';
  return `${LABEL[o]} ${scenario.id} (${plural(scenario.steps.length, 'step')}, ${duration(scenario.durationMs)}${extra})`;
}

/** Whether a scenario's details are printed in full as it ends. */
export function needsDetails(scenario: ScenarioResult): boolean {
  const o = outcomeOf(scenario);
  return o === 'fail' || o === 'error' || o === 'xpass';
}

/**
 * The line CI systems read: `N passed, N failed, N errors, N skipped`, counting scenarios. `failed` counts
 * conformance failures only (expected failures included: the gate, not this line, decides); `errors` are adapter
 * or harness faults, where nothing is known about conformance: never counted as failures.
 */
export function countLine(c: Counts): string {
  return `${c.pass} passed, ${c.fail} failed, ${plural(c.error, 'error')}, ${c.skip} skipped`;
}

/** A gate's reasons apart: those that close it, and its notes (without their `note: `). */
export function gateReasons(gate: { reasons: readonly string[] }): { closing: string[]; notes: string[] } {
  const isNote = (r: string) => r.startsWith(GATE_NOTE);
  return {
    closing: gate.reasons.filter((r) => !isNote(r)),
    notes: gate.reasons.filter(isNote).map((r) => r.slice(GATE_NOTE.length)),
  };
}

/** The end of a run in plain text; the first line is `countLine`. */
export function summaryLines(run: RunResult): string[] {
  const { summary: s } = run;
  const xfail = run.scenarios.filter((r) => outcomeOf(r) === 'xfail').length;
  const lines = [countLine(s.scenarios)];
  if (xfail) lines.push(`  ${plural(xfail, 'failure')} expected by the baseline`);
  if (s.scenarios.error)
    lines.push(`  ${plural(s.scenarios.error, 'error')}: adapter or harness faults, not conformance verdicts`);
  if (s.latency)
    lines.push(
      `delivery latency: p50 ${s.latency.p50Ms} ms, p95 ${s.latency.p95Ms} ms, max ${s.latency.maxMs} ms over ${s.latency.count} ${s.latency.count === 1 ? 'delivery' : 'deliveries'}`,
    );
  if (run.differential)
    lines.push(`adapters disagree at ${plural(run.differential.disagreements.length, 'step')} (see summary.md)`);
  const r = s.requirements;
  lines.push(
    `requirements: ${r.pass} pass, ${r.fail} fail, ${r.error} error, ${r.skip} skip, ${r.untested} untested; ` +
      `steps: ${s.steps.pass}/${s.steps.total} pass`,
  );
  lines.push(`${s.gate.conformant ? 'conformant' : 'NOT conformant'}: adapter ${s.adapter}, ${duration(s.durationMs)}`);
  for (const reason of s.gate.reasons) lines.push(`  - ${reason}`);
  return lines;
}
