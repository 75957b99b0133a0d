/**
 * `interop-conformance/test`: the conformance run as tests of the user's own test runner, node:test or tap.
 *
 *   import { test } from 'node:test';
 *   import { conformanceTests } from 'interop-conformance/test';
 *   await conformanceTests('./my-adapter.ts', { test });            // tap: { test: t.test.bind(t) }
 *
 * One run (runConformance, the CLI's own), then one test per scenario: a failing scenario fails its test with the
 * verdict's evidence — each bad step's expected and observed, the rule that predicted it, the requirements broken —
 * as the terminal report words it; a skipped one is skipped with its reason; a baseline's expected failure is a
 * todo. A last test is the gate itself, which can close when no single scenario fails (every one skipped, a crash,
 * an unexpected pass). Bad input fails one test with the located problems.
 */
import { failingRequirements, failureLines, outcomeOf } from '../reports/format.js';
import { sanitize } from '../reports/redact.js';
import type { ScenarioResult } from '../reports/results.js';
import { formatDiagnostic } from './diagnostics.js';
import { runConformance, type ConformanceOutcome, type RunConformanceOptions } from './api.js';

/** node:test's `test` and tap's `t.test` both take (name, options, fn); fn is async, since tap ends a test when its promise does. */
export type TestFunction = (
  name: string,
  options: { skip?: string | boolean; todo?: string | boolean },
  fn: () => Promise<void>,
) => unknown;

export interface ConformanceTestsOptions extends Omit<RunConformanceOptions, 'adapter'> {
  /** The runner's test function: `test` from node:test, or `t.test.bind(t)` under tap. */
  test: TestFunction;
}

/** A failure whose text is the evidence alone: the runner prints the message, and there is no stack to read. */
export class ConformanceFailure extends Error {
  override name = 'ConformanceFailure';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

/** The title of a scenario's test: its id and what it is about. */
export const testName = (s: ScenarioResult): string => `${s.id}: ${s.title}`;

/** Why a scenario's test fails: what it breaks, then the evidence lines of the terminal report. */
export function evidence(s: ScenarioResult): string {
  const head =
    s.verdict === 'error'
      ? `${s.id}: the adapter or the harness failed, nothing is known about conformance`
      : `${s.id} does not conform: breaks ${failingRequirements(s).join(', ')}`;
  return sanitize([head, ...failureLines(s)].join('\n'));
}

/** One test per scenario of a conformance run against `adapter`, and one for the gate; the run's outcome. */
export async function conformanceTests(
  adapter: RunConformanceOptions['adapter'],
  options: ConformanceTestsOptions,
): Promise<ConformanceOutcome> {
  const { test, ...rest } = options;
  const outcome = await runConformance({ ...rest, adapter });
  if (!outcome.run) {
    const lines = [...outcome.problems.map(formatDiagnostic), ...outcome.errors];
    test('interop-conformance could not run', {}, async () => {
      throw new ConformanceFailure(sanitize(lines.join('\n')));
    });
    return outcome;
  }
  for (const s of outcome.run.scenarios) {
    const o = outcomeOf(s);
    if (o === 'skip') test(testName(s), { skip: s.reason ?? true }, async () => undefined);
    else if (o === 'xfail')
      test(testName(s), { todo: 'listed in the expected-failures baseline' }, async () => {
        throw new ConformanceFailure(evidence(s));
      });
    else
      test(testName(s), {}, async () => {
        if (o !== 'pass') throw new ConformanceFailure(o === 'xpass' ? failureLines(s).join('\n') : evidence(s));
      });
  }
  const { gate } = outcome.run.summary;
  test('the conformance gate', {}, async () => {
    if (outcome.exitCode !== 0)
      throw new ConformanceFailure(
        sanitize([`not conformant (exit code ${outcome.exitCode})`, ...gate.reasons, ...outcome.errors].join('\n')),
      );
  });
  return outcome;
}
