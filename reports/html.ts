/**
 * `report.html`: the run for people, in one self-contained file that needs no network — rendered here to static
 * HTML, with a little inline script for the filters (the page reads the same without it, unfiltered). Headline and
 * gate, the requirement matrix (filters by verdict, area, level and text, which also filter the scenarios), each
 * scenario's steps (expected vs observed, rule and trace, mismatches), model coverage drawn per model, the
 * differential matrix and disagreements when present, and latency.
 *
 * Everything comes from the `RunResult`; every piece of text goes through `esc()` (redaction, then HTML escaping),
 * and a Content-Security-Policy admits only this page's own style and script.
 */
import type { RunResult } from './results.js';
import * as f from './format.js';
import { keepIdsOfRun } from './redact.js';
import { FileReporter } from './file-reporter.js';
import type { ReporterContext } from './reporter.js';
import { CSP, SCRIPT, STYLE } from './html/assets.js';
import { differentialSection, latencyText } from './html/differential.js';
import { attr, esc, plural } from './html/escape.js';
import { modelSection } from './html/model-svg.js';
import { filterBar, requirementMatrix } from './html/requirements.js';
import { scenarioSection } from './html/scenarios.js';

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
  if (g.reasons.length)
    out.push(
      `<h2>Why the gate is closed</h2><ul class="reasons">${g.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`,
    );
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

/** report.html's text, in chunks: the requirement matrix a row, the scenarios a scenario at a time. */
export function* renderHtmlChunks(run: RunResult): Generator<string> {
  keepIdsOfRun(run);
  const s = run.summary;
  const title = `${s.gate.conformant ? 'Conformant' : 'Not conformant'}: ${s.adapter} — interop conformance report`;
  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${attr(`${s.tool} ${s.version}`)}">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${headline(run)}
${gate(run)}
<nav class="muted"><a href="#requirements">Requirements</a> · <a href="#scenarios">Scenarios</a>${run.coverage?.models.length ? ' · <a href="#coverage">Model coverage</a>' : ''}${run.differential ? ' · <a href="#differential">Adapters</a>' : ''}</nav>
${filterBar(run)}
`;
  yield* requirementMatrix(run);
  yield '\n';
  yield* scenarioSection(run);
  yield `
${differentialSection(run)}
${modelSection(run.coverage?.models ?? [])}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

export const renderHtml = (run: RunResult): string => [...renderHtmlChunks(run)].join('');

export class HtmlReporter extends FileReporter {
  constructor(ctx: Pick<ReporterContext, 'outDir' | 'set'>) {
    super(ctx, 'html', renderHtmlChunks);
  }
}
