/**
 * `junit.xml` for CI test tabs (GitLab, Jenkins, Azure DevOps, GitHub test-report actions).
 *
 * One `<testsuite>` per area (search, request, chat, …), in catalogue order, inside one `<testsuites>` for the run:
 * CI systems group and count by suite, so a reader sees at a glance which part of the protocol breaks; a single
 * suite would be one flat list of every scenario. One `<testcase>` per scenario: classname = area, name =
 * "id — title", file = the scenario's file, time in seconds.
 *
 * - fail: `<failure message="failing requirement ids" type="conformance">` with a line per failing step.
 * - error: `<error message="reason or first fault" type="error">` with the same lines.
 * - skip: `<skipped message="reason"/>`.
 * - expected failure (baseline): `<skipped message="expected failure: ids"/>`, details in `<system-out>`, and a
 *   property `expected-failure=true`: the gate allows it, so CI must not turn red, yet it stays visible.
 * - unexpected pass (baseline lists it, it passed): `<failure type="unexpected-pass">`, since it closes the gate.
 */
import { join } from 'node:path';
import type { Area, RunResult, ScenarioResult } from '../specs/results.js';
import { failingRequirements, failureLines, outcomeOf } from './format.js';
import { keepIdsOfRun, sanitize } from './redact.js';
import { REPORT_FILES, writeReport } from './report-set.js';
import type { Reporter, ReporterContext } from './reporter.js';

const AREAS: readonly Area[] = ['search', 'request', 'chat', 'call', 'block', 'admin', 'security'];

// Not allowed anywhere in an XML 1.0 document: C0 controls but tab/LF/CR (`sanitize` replaces those), lone
// surrogates, U+FFFE, U+FFFF.
const INVALID_XML = /[\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;
const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;',
};

/** Escaped for XML: sanitized (redacted, no ANSI, no control characters), other invalid characters as U+FFFD. */
export function xml(text: string, inAttribute = true): string {
  const clean = sanitize(text).replace(INVALID_XML, '\uFFFD');
  return clean.replace(inAttribute ? /[&<>"'\n\r\t]/g : /[&<>"']/g, (c) => ENTITY[c] ?? c);
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function testcase(s: ScenarioResult, multi = false): { xml: string; failed: boolean; errored: boolean; skipped: boolean } {
  const o = outcomeOf(s);
  const details = xml(failureLines(s).join('\n'), false);
  const props = [`<property name="requirements" value="${xml(s.requirements.join(' '))}"/>`];
  if (s.expectedToFail) props.push('<property name="expected-failure" value="true"/>');
  const body: string[] = [`<properties>${props.join('')}</properties>`];
  if (o === 'fail') {
    body.push(`<failure message="${xml(failingRequirements(s).join(', '))}" type="conformance">${details}</failure>`);
  } else if (o === 'xpass') {
    body.push(`<failure message="unexpected pass: remove it from the expected-failures baseline" type="unexpected-pass"/>`);
  } else if (o === 'error') {
    const fault = s.reason ?? s.steps.find((st) => st.error)?.error ?? 'error';
    body.push(`<error message="${xml(fault)}" type="error">${details}</error>`);
  } else if (o === 'skip') {
    body.push(`<skipped message="${xml(s.reason ?? 'skipped')}"/>`);
  } else if (o === 'xfail') {
    body.push(`<skipped message="${xml(`expected failure: ${failingRequirements(s).join(', ')}`)}"/>`);
    body.push(`<system-out>${details}</system-out>`);
  }
  // In a differential run the same scenario runs once per adapter: the adapter tells the cases apart.
  const attrs = `classname="${xml(multi ? `${s.adapter}.${s.area}` : s.area)}" name="${xml(`${s.id} — ${s.title}`)}" file="${xml(s.file)}" time="${seconds(s.durationMs)}"`;
  return {
    xml: `    <testcase ${attrs}>\n${body.map((b) => `      ${b}\n`).join('')}    </testcase>`,
    failed: o === 'fail' || o === 'xpass',
    errored: o === 'error',
    skipped: o === 'skip' || o === 'xfail',
  };
}

function counts(cases: ReturnType<typeof testcase>[], ms: number): string {
  const n = (f: (c: ReturnType<typeof testcase>) => boolean) => cases.filter(f).length;
  return `tests="${cases.length}" failures="${n((c) => c.failed)}" errors="${n((c) => c.errored)}" skipped="${n((c) => c.skipped)}" time="${seconds(ms)}"`;
}

export function renderJunit(run: RunResult): string {
  const { summary } = run;
  keepIdsOfRun(run);
  const areas = [...AREAS, ...new Set(run.scenarios.map((s) => s.area).filter((a) => !AREAS.includes(a)))];
  const all: ReturnType<typeof testcase>[] = [];
  const suites: string[] = [];
  for (const area of areas) {
    const scenarios = run.scenarios.filter((s) => s.area === area);
    if (!scenarios.length) continue;
    const cases = scenarios.map((x) => testcase(x, run.differential !== undefined));
    all.push(...cases);
    const ms = scenarios.reduce((sum, s) => sum + s.durationMs, 0);
    suites.push(
      `  <testsuite name="${xml(area)}" timestamp="${xml(summary.startedAt)}" ${counts(cases, ms)}>\n` +
        `${cases.map((c) => `${c.xml}\n`).join('')}  </testsuite>`,
    );
  }
  const name = xml(`${summary.tool} ${summary.version}: adapter ${summary.adapter}`);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${summary.runId ? `id="${xml(summary.runId)}" ` : ''}name="${name}" ${counts(all, summary.durationMs)}>\n` +
    `${suites.map((s) => `${s}\n`).join('')}</testsuites>\n`
  );
}

export class JunitReporter implements Reporter {
  readonly file: string;

  constructor(private readonly ctx: Pick<ReporterContext, 'outDir' | 'set'>) {
    this.file = join(ctx.outDir, REPORT_FILES.junit);
  }

  async onEnd(run: RunResult): Promise<void> {
    await writeReport(this.ctx, this.file, renderJunit(run));
  }
}
