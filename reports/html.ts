/**
 * `report.html`: the run for people, in one self-contained file that needs no network. The page embeds the run as
 * report.json's very text (redacted as report.json is, `<` written as \u003c so that no text ends the element) and
 * renders itself in the browser (html/browser.ts, bundled into html/renderer.ts), Playwright's way: a run writes
 * report.json's text twice instead of rendering every scenario's steps to HTML (issue 9, cold start). What the page
 * shows is html/page.ts: headline and gate, the requirement matrix and its filters, each scenario's steps, model
 * coverage drawn per model, the differential matrix and disagreements, latency.
 *
 * A Content-Security-Policy admits only this page's own style and script; without JavaScript the page says so.
 */
import type { RunResult } from './results.js';
import { FileReporter } from './file-reporter.js';
import { reportJsonText } from './json.js';
import type { ReporterContext } from './reporter.js';
import { CSP, STYLE } from './html/assets.js';
import { attr, esc } from './html/escape.js';
import { RENDERER } from './html/renderer.js';

/** JSON text that is also script data: `<` only ever stands inside a JSON string, where \u003c reads the same. */
const scriptData = (json: string) => (json.includes('<') ? json.replaceAll('<', '\\u003c') : json);

/** report.html's text, in chunks: the head, report.json's text as it was rendered, the script. */
export function* renderHtmlChunks(run: RunResult): Generator<string> {
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
<noscript><p>This report renders itself with JavaScript, which is off here: turn it on to read the run.</p></noscript>
<script type="application/json" id="report-data">`;
  for (const chunk of reportJsonText(run)) yield scriptData(chunk);
  yield `</script>
<script>${RENDERER}</script>
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
