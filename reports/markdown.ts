/**
 * `summary.md` for people (a PR comment, `$GITHUB_STEP_SUMMARY`): headline, the gate's reasons, a requirements table
 * with failures first, a section per failing or erroring scenario, then the requirements no scenario tested.
 * Short when everything passes (about 6 KB for the whole catalogue): a passing requirement is one row with its
 * scenario count; statements and scenario ids are printed only for what failed (report.json has everything).
 */
import type { RequirementResult, RunResult, ScenarioResult, StepResult } from './results.js';
import * as f from './format.js';
import { keepIdsOfRun, sanitize } from './redact.js';
import { FileReporter } from './file-reporter.js';
import type { ReporterContext } from './reporter.js';

const ICON = { pass: '✅', fail: '❌', error: '💥', skip: '⏭️', untested: '∅' } as const;
/** Table order: what needs attention first. */
const ORDER = { fail: 0, error: 1, skip: 2, pass: 3, untested: 4 } as const;

/** Free text outside code spans: sanitized, on one line, no raw HTML, no table-breaking `|`. */
export function md(text: string): string {
  return sanitize(text)
    .replace(/\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|');
}

/** A code span that survives backticks in `text` (a fence longer than any run of them inside). */
export function code(text: string): string {
  const t = sanitize(text).replace(/\n/g, ' ');
  if (!t) return '(empty)';
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const pad = longest > 0 ? ' ' : '';
  return `${'`'.repeat(longest + 1)}${pad}${t}${pad}${'`'.repeat(longest + 1)}`;
}

/** A code span inside a table cell: as `code`, with `|` escaped (GFM splits cells before it parses spans). */
const cellCode = (text: string): string => code(text).replace(/\|/g, '\\|');

function headline(run: RunResult): string[] {
  const s = run.summary;
  const c = s.scenarios;
  const verdict = s.gate.conformant ? `${ICON.pass} Conformant` : `${ICON.fail} Not conformant`;
  return [
    `# ${verdict}: adapter ${code(s.adapter)}`,
    '',
    `**${f.plural(c.total, 'scenario')}**: ${c.pass} passed, ${c.fail} failed, ${f.plural(c.error, 'error')}, ${c.skip} skipped · ` +
      `${f.plural(s.steps.total, 'step')} · ${s.requirements.total - s.requirements.untested} of ` +
      `${f.plural(s.requirements.total, 'requirement')} tested · ${f.duration(s.durationMs)} · ` +
      `started ${md(s.startedAt)} · ${md(`${s.tool} ${s.version}`)} · catalogue ${md(s.catalogueVersion)}${s.gate.strict ? ' · strict' : ''}` +
      `${s.runId ? ` · run ${code(s.runId)}` : ''}${s.interrupted ? ' · **interrupted**' : ''}`,
    ...(s.latency ? ['', `Delivery latency: ${latency(s.latency)}`] : []),
  ];
}

function gate(run: RunResult): string[] {
  const g = run.summary.gate;
  const out: string[] = [];
  const { closing, notes } = f.gateReasons(g);
  if (closing.length) out.push('', '## Why the gate is closed', '', ...closing.map((r) => `- ${md(r)}`));
  if (notes.length) out.push('', '## Notes on the gate', '', ...notes.map((r) => `- ${md(r)}`));
  if (g.expectedFailures.length) {
    out.push('', `Expected failures allowed by the baseline: ${g.expectedFailures.map(code).join(', ')}`);
  }
  if (g.unexpectedPasses.length) {
    out.push(
      '',
      `Passed although the baseline expects them to fail (remove them): ${g.unexpectedPasses.map(code).join(', ')}`,
    );
  }
  return out;
}

function requirementTable(reqs: RequirementResult[]): string[] {
  const tested = reqs.filter((r) => r.verdict !== 'untested');
  const sorted = tested.map((r, i) => ({ r, i })).sort((a, b) => ORDER[a.r.verdict] - ORDER[b.r.verdict] || a.i - b.i);
  return [
    '',
    '## Requirements',
    '',
    '| Requirement | Level | Area | Verdict | Scenarios |',
    '| --- | --- | --- | --- | --- |',
    ...sorted.map(
      ({ r }) =>
        `| ${md(r.id)} | ${md(r.level)} | ${md(r.area)} | ${ICON[r.verdict]} ${r.verdict} | ${scenarioCell(r)} |`,
    ),
  ];
}

/** A passing requirement: how many scenarios; one that did not pass: its statement and the scenarios that broke it. */
function scenarioCell(r: RequirementResult): string {
  const n = f.plural(r.scenarios.length, 'scenario');
  if (r.verdict === 'pass') return n;
  const by = r.failedBy.length ? `: failed by ${r.failedBy.map(cellCode).join(', ')}` : '';
  return `${n}${by}<br>${md(r.statement)}`;
}

function step(s: StepResult): string[] {
  const out = [
    '',
    `**Step ${s.index}** ${code(s.location)}: ${code(s.actor)} ${code(f.action(s))} (${s.verdict})`,
    '',
    `- Expected: ${code(f.expected(s))}`,
    `- Observed: ${code(f.observed(s))}`,
    `- Rule: ${code(s.rule)}${s.trace && s.trace.length > 1 ? ` (consulted ${s.trace.map(code).join(' → ')})` : ''}`,
    `- Requirements: ${s.requirements.map(md).join(', ') || 'none'}`,
  ];
  if (s.mismatches.length) out.push('- Mismatches:', ...s.mismatches.map((m) => `  - ${md(f.mismatchLine(m))}`));
  if (s.error) out.push(`- Error: ${code(s.error)}`);
  return out;
}

function scenarioSection(s: ScenarioResult): string[] {
  const o = f.outcomeOf(s);
  const icon = s.verdict === 'error' ? ICON.error : ICON.fail;
  const out = [
    '',
    `### ${icon} ${code(s.id)}: ${md(s.title)}`,
    '',
    `${code(s.file)} · ${f.plural(s.steps.length, 'step')} · ${f.duration(s.durationMs)} · ` +
      `verdict **${s.verdict}**${o === 'xfail' ? ' (expected failure: in the baseline)' : ''} · ` +
      `requirements: ${f.failingRequirements(s).map(md).join(', ')}`,
  ];
  if (s.reason) out.push('', `Reason: ${md(s.reason)}`);
  return [...out, ...f.badSteps(s).flatMap(step)];
}

const latency = (l: { count: number; p50Ms: number; p95Ms: number; maxMs: number } | null | undefined) =>
  l
    ? `p50 ${l.p50Ms} ms · p95 ${l.p95Ms} ms · max ${l.maxMs} ms (${l.count} ${l.count === 1 ? 'delivery' : 'deliveries'})`
    : 'no deliveries';

/** Adapters × requirements, rows where the adapters differ first; then every step where they observed differently. */
function differentialSection(run: RunResult): string[] {
  const d = run.differential;
  if (!d) return [];
  const differs = (v: Record<string, string>) => new Set(Object.values(v)).size > 1;
  const rows = [...d.matrix].sort((a, b) => Number(differs(b.verdicts)) - Number(differs(a.verdicts)));
  const out = [
    '',
    '## Adapters × requirements',
    '',
    `| Requirement | Level | ${d.adapters.map(md).join(' | ')} |`,
    `| --- | --- | ${d.adapters.map(() => '---').join(' | ')} |`,
    ...rows.map(
      (r) =>
        `| ${md(r.requirement)} | ${md(r.level)} | ${d.adapters.map((a) => `${ICON[r.verdicts[a] ?? 'untested']} ${r.verdicts[a] ?? 'untested'}`).join(' | ')} |`,
    ),
    '',
    '### Delivery latency',
    '',
    ...d.adapters.map((a) => `- ${code(a)}: ${latency(d.latency[a])}`),
    '',
    `## Where the adapters disagree (${d.disagreements.length})`,
    '',
    d.disagreements.length
      ? 'Steps at which the adapters observed different things, whatever the model predicted.'
      : 'Nowhere: every step observed the same on every adapter.',
  ];
  for (const x of d.disagreements) {
    out.push(
      '',
      `**${code(x.scenario)} step ${x.step}** ${code(x.location)}: ${code(x.actor)} ${code(`${x.action.kind} ${JSON.stringify({ ...x.action, kind: undefined })}`)}`,
      '',
    );
    for (const a of d.adapters) {
      const o = x.observed[a];
      if (o)
        out.push(`- ${code(a)} (${x.verdicts[a]}): ${code(`${f.outcome(o.outcome)}; ${f.deliveries(o.deliveries)}`)}`);
    }
  }
  return out;
}

/** Which rules and states of each model the run's scenarios take; what they miss is what no scenario checks. */
function coverageSection(run: RunResult): string[] {
  const models = run.coverage?.models ?? [];
  if (!models.length) return [];
  const pct = (c: { total: number; covered: number }) => `${c.covered}/${c.total}`;
  return [
    '',
    '## Model coverage',
    '',
    '| Model | Transitions | States | Not taken by any scenario |',
    '| --- | --- | --- | --- |',
    ...models.map(
      (m) =>
        `| ${md(m.name)} | ${pct(m.transitions)} | ${pct(m.states)} | ${m.missed.map(cellCode).join(', ') || '—'} |`,
    ),
  ];
}

/** summary.md's lines, each section as it comes: the failures of a large run are never all in memory at once. */
function* markdownLines(run: RunResult): Generator<string> {
  keepIdsOfRun(run);
  const untested = run.requirements.filter((r) => r.verdict === 'untested');
  yield* [...headline(run), ...gate(run), ...requirementTable(run.requirements)];
  let bad = false;
  for (const s of run.scenarios) {
    if (s.verdict !== 'fail' && s.verdict !== 'error') continue;
    if (!bad) yield* ['', '## Failures'];
    bad = true;
    yield* scenarioSection(s);
  }
  if (untested.length) {
    yield* [
      '',
      '## Untested requirements',
      '',
      '| Requirement | Level | Area | Statement |',
      '| --- | --- | --- | --- |',
    ];
    yield* untested.map((r) => `| ${md(r.id)} | ${md(r.level)} | ${md(r.area)} | ${md(r.statement)} |`);
  }
  yield* [...differentialSection(run), ...coverageSection(run)];
}

/** summary.md's text, in chunks of lines. */
export function* renderMarkdownChunks(run: RunResult): Generator<string> {
  let first = true;
  for (const line of markdownLines(run)) {
    yield first ? line : `\n${line}`;
    first = false;
  }
  yield '\n';
}

export const renderMarkdown = (run: RunResult): string => [...renderMarkdownChunks(run)].join('');

export class MarkdownReporter extends FileReporter {
  constructor(ctx: Pick<ReporterContext, 'outDir' | 'set'>) {
    super(ctx, 'markdown', renderMarkdownChunks);
  }
}
