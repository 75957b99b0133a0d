/**
 * What report.html shows, as HTML: headline and gate, the requirement matrix with its filter bar, each scenario's
 * steps, the differential matrix and disagreements when present, model coverage drawn per model. The page renders
 * it in the browser (browser.ts) from the run it embeds — report.json's very text, redacted as report.json is — so
 * that a run writes report.json's text twice instead of rendering every scenario's steps to HTML (issue 9, cold
 * start: that render was ~40 ms of a ~380 ms run). Tests call it here to read what a browser shows.
 *
 * Every piece of text goes through `esc()`/`attr()` (redaction again, then HTML escaping): a title or a message
 * body holding `<script>` stays text.
 */
import type { RunResult } from '../results.js';
import * as f from '../format.js';
import { keepIds, keepIdsOfRun, REDACTED } from '../redact.js';
import { differentialSection, latencyText } from './differential.js';
import { esc, plural } from './escape.js';
import { modelSection } from './model-svg.js';
import { filterBar, requirementMatrix } from './requirements.js';
import { scenarioSection } from './scenarios.js';

function headline(run: RunResult): string {
  const s = run.summary;
  const c = s.scenarios;
  const r = s.requirements;
  const verdict = s.gate.conformant
    ? '<span class="conformant">Conformant</span>'
    : '<span class="not-conformant">Not conformant</span>';
  const facts = [
    `${plural(c.total, 'scenario')}: ${esc(f.countLine(c))}`,
    `${plural(s.steps.total, 'step')} (${s.steps.pass} pass)`,
    `${r.total - r.untested} of ${plural(r.total, 'requirement')} tested: ${r.pass} pass, ${r.fail} fail, ${r.error} error, ${r.skip} skip, ${r.untested} untested`,
    `delivery latency ${esc(latencyText(s.latency))}`,
    esc(f.duration(s.durationMs)),
    `started ${esc(s.startedAt)}`,
    `${esc(s.tool)} ${esc(s.version)}`,
    `catalogue ${esc(s.catalogueVersion)}`,
    ...(s.runId ? [`run <code>${esc(s.runId)}</code>`] : []),
    ...(s.gate.strict ? ['strict'] : []),
    ...(s.interrupted ? ['<strong>interrupted</strong>'] : []),
  ];
  return `<header><h1>${verdict}: adapter <code>${esc(s.adapter)}</code></h1><p>${facts.join(' · ')}</p></header>`;
}

function gate(run: RunResult): string {
  const g = run.summary.gate;
  const out: string[] = [];
  const { closing, notes } = f.gateReasons(g);
  if (closing.length)
    out.push(
      `<h2>Why the gate is closed</h2><ul class="reasons">${closing.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`,
    );
  if (notes.length)
    out.push(`<h3>Notes on the gate</h3><ul class="notes">${notes.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`);
  if (run.summary.crashes?.length)
    out.push(
      `<h3>Adapter crashes</h3><ul class="reasons">${run.summary.crashes.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`,
    );
  if (g.expectedFailures.length)
    out.push(
      `<p>Expected failures allowed by the baseline: ${g.expectedFailures.map((x) => `<code>${esc(x)}</code>`).join(', ')}</p>`,
    );
  if (g.unexpectedPasses.length)
    out.push(
      `<p>Passed although the baseline expects them to fail (remove them): ${g.unexpectedPasses.map((x) => `<code>${esc(x)}</code>`).join(', ')}</p>`,
    );
  return out.join('\n');
}

/** The page's body (its script aside), as the browser renders it from the embedded run. */
export function renderBody(run: RunResult): string {
  keepIdsOfRun(run);
  return [
    headline(run),
    '\n',
    gate(run),
    '\n<nav class="muted"><a href="#requirements">Requirements</a> · <a href="#scenarios">Scenarios</a>',
    run.coverage?.models.length ? ' · <a href="#coverage">Model coverage</a>' : '',
    run.differential ? ' · <a href="#differential">Adapters</a>' : '',
    '</nav>\n',
    filterBar(run),
    '\n',
    ...requirementMatrix(run),
    '\n',
    ...scenarioSection(run),
    '\n',
    differentialSection(run),
    '\n',
    modelSection(run.coverage?.models ?? []),
    '\n',
  ].join('');
}

/** What the page shows of the run it embeds: `data` is the embedded text (report.json's, `<` as \u003c). */
export function renderEmbedded(data: string): string {
  // The text is redacted already: a `token=[redacted]` must not be redacted again into `token=[redacted]]`.
  keepIds([REDACTED]);
  return renderBody(JSON.parse(data) as RunResult);
}
