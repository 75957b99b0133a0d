/**
 * `junit.xml` for CI test tabs (Jenkins, GitLab, Azure DevOps, GitHub's test-report actions). Valid against the
 * Jenkins xUnit plugin's junit-10.xsd (vendored in test/fixtures/xsd/ and checked with xmllint in npm test),
 * which that plugin enforces: it skips an invalid file whole.
 *
 * Shape, and why:
 * - one `<testsuite>` per scenario (per scenario and adapter in a differential run), with `file` = the scenario's
 *   file. junit-10.xsd allows `file` on `testsuite` only (not on `testcase` or `failure`), and that is where
 *   mikepenz/action-junit-report takes a file from when the testcase has none.
 * - its `<properties>` (allowed on `testsuite`, not on `testcase`): run id, harness and catalogue versions, the
 *   adapter, the scenario's requirements, and `expected-failure` for a baseline entry.
 * - one `<testcase>` per suite: classname = the area (`chat`), or `adapter.area` in a differential run with the
 *   adapter's stable name (no URL, no port: CI keeps test history by classname); name = "id — title".
 * - the failing step's place as the last line of the failure text, `    at step 4 (scenarios/chat/x.yaml:25:5)`:
 *   dorny/test-reporter (jest-junit) reads `(file:line:col)` at a line's end, mikepenz/action-junit-report the
 *   last ` …file…:line` after the suite's file; junit-10.xsd allows no `line` attribute anywhere.
 * - fail: `<failure type="conformance">`; error: `<error type="error">`; unexpected pass of a baseline entry:
 *   `<failure type="unexpected-pass">` (it closes the gate); skip and expected failure: `<skipped>`. Never an
 *   empty `<failure/>` or `<error/>`: dorny's parser crashes on one.
 */
import type { RunResult, ScenarioResult } from './results.js';
import { failingRequirements, failureLines, mismatchLine, outcomeOf, badSteps } from './format.js';
import { keepIdsOfRun, sanitize } from './redact.js';
import { FileReporter } from './file-reporter.js';
import type { ReporterContext } from './reporter.js';

// Not allowed anywhere in an XML 1.0 document: C0 controls but tab/LF/CR (`sanitize` replaces those), lone
// surrogates, U+FFFE, U+FFFF.
const INVALID_XML = /[\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;
const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\n': '&#10;',
  '\r': '&#13;',
  '\t': '&#9;',
};

/** Escaped for XML: sanitized (redacted, no ANSI, no control characters), other invalid characters as U+FFFD. */
export function xml(text: string, inAttribute = true): string {
  const clean = sanitize(text).replace(INVALID_XML, '\uFFFD');
  return clean.replace(inAttribute ? /[&<>"'\n\r\t]/g : /[&<>"']/g, (c) => ENTITY[c] ?? c);
}

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

/**
 * An adapter's name as CI may key history by: a URL inside it (`http(http://127.0.0.1:46071)`) changes every run
 * and goes; what is left becomes letters, digits, `_` and `-` (a dot would read as a package separator).
 */
export function stableAdapterName(name: string): string {
  const stable = name
    .replace(/\(?[a-z][a-z0-9+.-]*:\/\/[^\s)]*\)?/gi, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return stable || 'adapter';
}

/** Stable names for the adapters of a run, told apart by a suffix where two would read the same. */
function classPrefixes(adapters: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const a of adapters) {
    const base = stableAdapterName(a);
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    out.set(a, name);
  }
  return out;
}

/** Where the CI actions should point: the first bad step's `file:line:col`, else the scenario file's first line. */
export function failurePlace(s: ScenarioResult): string {
  const step = badSteps(s)[0];
  return step && /:\d+:\d+$/.test(step.location) ? step.location : `${s.file}:1:1`;
}

/** The element saying why a testcase did not pass; never empty. */
function outcomeElement(s: ScenarioResult): string {
  const o = outcomeOf(s);
  if (o === 'pass') return '';
  if (o === 'skip') return `<skipped message="${xml(s.reason ?? 'skipped')}"/>`;
  const lines = failureLines(s);
  const step = badSteps(s)[0];
  const where = `    at ${step ? `step ${step.index}` : 'scenario'} (${failurePlace(s)})`;
  const text = xml([...lines, where].join('\n'), false);
  if (o === 'xfail') {
    return `<skipped message="${xml(`expected failure: ${failingRequirements(s).join(', ')}`)}"/><system-out>${text}</system-out>`;
  }
  if (o === 'xpass')
    return `<failure message="unexpected pass: remove it from the expected-failures baseline" type="unexpected-pass">${text}</failure>`;
  const first = step?.mismatches[0];
  if (o === 'fail') {
    const message = `${failingRequirements(s).join(', ')}${first ? `: ${mismatchLine(first)}` : ''}`;
    return `<failure message="${xml(message)}" type="conformance">${text}</failure>`;
  }
  const fault = s.reason ?? s.steps.find((st) => st.error)?.error ?? 'error';
  return `<error message="${xml(fault)}" type="error">${text}</error>`;
}

interface Tally {
  failures: number;
  errors: number;
  skipped: number;
}

function tally(scenarios: readonly ScenarioResult[]): Tally {
  const n = (...outcomes: string[]) => scenarios.filter((s) => outcomes.includes(outcomeOf(s))).length;
  return { failures: n('fail', 'xpass'), errors: n('error'), skipped: n('skip', 'xfail') };
}

function suite(s: ScenarioResult, run: RunResult, classname: string, timestamp: string): string {
  const t = tally([s]);
  const props: [string, string][] = [
    ...(run.summary.runId ? [['run-id', run.summary.runId] as [string, string]] : []),
    ['harness-version', run.summary.version],
    ['catalogue-version', run.summary.catalogueVersion],
    ['adapter', s.adapter],
    ['requirements', s.requirements.join(' ')],
    ...(s.expectedToFail ? [['expected-failure', 'true'] as [string, string]] : []),
  ];
  const body = outcomeElement(s);
  const name = run.differential ? `${s.id} [${classname.slice(0, classname.lastIndexOf('.'))}]` : s.id;
  return (
    `  <testsuite name="${xml(name)}" package="${xml(s.area)}" file="${xml(s.file)}" timestamp="${xml(timestamp)}" ` +
    `tests="1" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}" time="${seconds(s.durationMs)}">\n` +
    `    <properties>${props.map(([k, v]) => `<property name="${xml(k)}" value="${xml(v)}"/>`).join('')}</properties>\n` +
    `    <testcase classname="${xml(classname)}" name="${xml(`${s.id} — ${s.title}`)}" time="${seconds(s.durationMs)}"` +
    `${body ? `>\n      ${body}\n    </testcase>` : '/>'}\n` +
    '  </testsuite>\n'
  );
}

/** junit.xml's text, a testsuite at a time. */
export function* renderJunitChunks(run: RunResult): Generator<string> {
  const { summary } = run;
  keepIdsOfRun(run);
  const prefixes = run.differential
    ? classPrefixes([...new Set([...run.differential.adapters, ...run.scenarios.map((s) => s.adapter)])])
    : undefined;
  const t = tally(run.scenarios);
  // junit-10.xsd allows only name, time, tests, failures and errors on <testsuites>: the run id and versions are
  // in the name and in each suite's properties.
  const name = `${summary.tool} ${summary.version} (catalogue ${summary.catalogueVersion}): adapter ${summary.adapter}${summary.runId ? `, run ${summary.runId}` : ''}`;
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(name)}" tests="${run.scenarios.length}" failures="${t.failures}" errors="${t.errors}" time="${seconds(summary.durationMs)}">\n`;
  for (const s of run.scenarios)
    yield suite(s, run, prefixes ? `${prefixes.get(s.adapter)!}.${s.area}` : s.area, summary.startedAt);
  yield '</testsuites>\n';
}

export const renderJunit = (run: RunResult): string => [...renderJunitChunks(run)].join('');

export class JunitReporter extends FileReporter {
  constructor(ctx: Pick<ReporterContext, 'outDir' | 'set'>) {
    super(ctx, 'junit', renderJunitChunks);
  }
}
