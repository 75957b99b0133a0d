/**
 * `--reporter github` (added by default when `GITHUB_ACTIONS=true`): for GitHub Actions.
 *
 * - An annotation per scenario that did not pass, at its failing step's line: `::error file=…,line=…,col=…,
 *   title=…::…` for a failure, an error or an unexpected pass (all close the gate), `::notice` for a failure the
 *   baseline expects. GitHub shows them on the pull request's diff, at the scenario's line.
 * - A short Markdown summary appended to `$GITHUB_STEP_SUMMARY` when it is set: the verdict, counts, versions, why
 *   the gate is closed, and one line per scenario that failed (summary.md has the details).
 *
 * Text is escaped per GitHub's workflow-command rules (actions/toolkit's command.ts): in the message `%`, CR, LF;
 * in properties also `:` and `,`, so a title or path holding them cannot end a property early.
 */
import { appendFile } from 'node:fs/promises';
import type { RunResult, ScenarioResult } from './results.js';
import { badSteps, countLine, failingRequirements, failureLines, outcomeOf } from './format.js';
import { failurePlace } from './junit.js';
import { code, md } from './markdown.js';
import { keepIdsOfRun, sanitize } from './redact.js';
import type { Reporter, ReporterContext } from './reporter.js';

/** The most scenarios the step summary lists one by one; summary.md has them all. */
export const SUMMARY_MAX_SCENARIOS = 20;

export const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::name key=value,…::message`, everything sanitized (redacted, no control characters) and escaped. */
export function command(name: string, props: Record<string, string | number>, message: string): string {
  const p = Object.entries(props)
    .map(([k, v]) => `${k}=${escapeProperty(sanitize(String(v)))}`)
    .join(',');
  return `::${name}${p ? ` ${p}` : ''}::${escapeData(sanitize(message))}`;
}

const TITLE: Record<string, string> = {
  fail: 'fails',
  error: 'errored',
  xpass: 'passed but the baseline expects it to fail',
  xfail: 'fails, as the baseline expects',
};

/** The annotation for one scenario, or none when it passed or was skipped. */
export function annotation(s: ScenarioResult): string | undefined {
  const o = outcomeOf(s);
  if (o === 'pass' || o === 'skip') return undefined;
  const [, file = s.file, line = '1', col = '1'] = /^(.*):(\d+):(\d+)$/.exec(failurePlace(s)) ?? [];
  const reqs = o === 'fail' || o === 'xfail' ? ` ${failingRequirements(s).join(', ')}` : '';
  const step = badSteps(s)[0];
  return command(
    o === 'xfail' ? 'notice' : 'error',
    {
      file,
      line,
      col,
      title: `${s.id} ${TITLE[o]}${reqs}${step ? ` at step ${step.index}` : ''}${s.adapter ? ` [${s.adapter}]` : ''}`,
    },
    failureLines(s).join('\n'),
  );
}

/** The step summary: short whatever the run (its size grows with what failed, capped at SUMMARY_MAX_SCENARIOS). */
export function renderGithubSummary(run: RunResult): string {
  const s = run.summary;
  const bad = run.scenarios.filter((x) => ['fail', 'error', 'xpass'].includes(outcomeOf(x)));
  const lines = [
    `### ${s.gate.conformant ? '✅ Conformant' : '❌ Not conformant'}: adapter ${code(s.adapter)}`,
    '',
    `${md(countLine(s.scenarios))} · requirements: ${s.requirements.pass} pass, ${s.requirements.fail} fail, ` +
      `${s.requirements.untested} untested · ${md(`${s.tool} ${s.version}`)} · catalogue ${md(s.catalogueVersion)}` +
      `${s.runId ? ` · run ${code(s.runId)}` : ''}`,
  ];
  // The gate's reasons but those the table below says (one per failing scenario): crashes, interruption, …
  const reasons = s.gate.reasons.filter((r) => !bad.some((x) => r.startsWith(`${x.id} `)));
  if (reasons.length) lines.push('', ...reasons.slice(0, SUMMARY_MAX_SCENARIOS).map((r) => `- ${md(r)}`));
  if (reasons.length > SUMMARY_MAX_SCENARIOS) lines.push(`- … and ${reasons.length - SUMMARY_MAX_SCENARIOS} more`);
  if (bad.length) {
    lines.push('', '| Scenario | Outcome | Where |', '| --- | --- | --- |');
    for (const x of bad.slice(0, SUMMARY_MAX_SCENARIOS))
      lines.push(`| ${code(x.id)} | ${outcomeOf(x)} | ${code(failurePlace(x)).replace(/\|/g, '\\|')} |`);
    if (bad.length > SUMMARY_MAX_SCENARIOS) lines.push(`| … and ${bad.length - SUMMARY_MAX_SCENARIOS} more | | |`);
  }
  lines.push('', 'Details: summary.md, junit.xml and report.json in the report folder.');
  return `${lines.join('\n')}\n\n`;
}

export class GithubReporter implements Reporter {
  constructor(private readonly ctx: Pick<ReporterContext, 'stream' | 'env'>) {}

  async onEnd(run: RunResult): Promise<void> {
    keepIdsOfRun(run);
    const annotations = run.scenarios.map(annotation).filter((a): a is string => a !== undefined);
    if (annotations.length) this.ctx.stream.write(`${annotations.join('\n')}\n`);
    const file = this.ctx.env?.GITHUB_STEP_SUMMARY;
    if (file) await appendFile(file, renderGithubSummary(run));
  }
}
