/**
 * The inline style and script of report.html (no CDN, no web font, nothing fetched; the script is renderer.ts,
 * bundled from browser.ts). The page's Content-Security-Policy admits exactly these two by their hashes, so that
 * even a piece of text that escaped escaping could neither run nor load anything.
 */
import { createHash } from 'node:crypto';
import { RENDERER } from './renderer.js';

export const STYLE = `
:root { color-scheme: light; --ok: #1a7f37; --bad: #cf222e; --err: #8250df; --skip: #9a6700; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; padding: 16px 24px 48px; max-width: 1500px; color: #1f2328; }
h1 { font-size: 22px; margin: 8px 0; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); } h3 { font-size: 15px; margin: 18px 0 6px; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; max-height: 16em; overflow: auto; }
[hidden] { display: none !important; }
.muted { color: var(--muted); font-weight: normal; }
.conformant { color: var(--ok); } .not-conformant { color: var(--bad); }
.v { display: inline-block; min-width: 4.5em; text-align: center; border-radius: 10px; padding: 0 6px; font-size: 12px; font-weight: 600; color: #fff; background: var(--muted); }
.v-pass { background: var(--ok); } .v-fail { background: var(--bad); } .v-error { background: var(--err); } .v-skip { background: var(--skip); } .v-untested { background: #fff; color: var(--muted); border: 1px solid var(--line); }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.id { white-space: nowrap; font-weight: 600; } td.links a { margin-right: 6px; white-space: nowrap; }
a.failed-by, span.failed-by { color: var(--bad); font-weight: 600; }
.filters { position: sticky; top: 0; z-index: 2; background: #fff; padding: 8px 0; border-bottom: 1px solid var(--line); display: flex; gap: 16px; flex-wrap: wrap; align-items: center; }
.filters input { width: 18em; }
details { border: 1px solid var(--line); border-radius: 6px; margin: 4px 0; }
details > summary { cursor: pointer; padding: 4px 8px; }
details[open] > summary { background: #f6f8fa; }
.scenario { padding: 4px 8px 8px; }
tr.step-fail td, tr.step-error td { background: #fff5f5; }
tr.notes ul { margin: 0; padding-left: 18px; } li.mismatch, li.error { color: var(--bad); }
.trace { color: var(--muted); font-size: 12px; }
.reasons li { color: var(--bad); }
.drawing { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; background: #fcfcfd; }
svg.model text { font: 12px ui-monospace, Menlo, Consolas, monospace; fill: #1f2328; }
svg.model .state rect { fill: #eef9f0; stroke: var(--ok); stroke-width: 1.5; }
svg.model .state.missed rect { fill: #fff0f0; stroke: var(--bad); stroke-dasharray: 5 3; }
svg.model .state.root rect { fill: #f6f8fa; stroke: var(--muted); }
svg.model text.stays { fill: var(--muted); font-size: 11px; }
svg.model .edge path { fill: none; stroke-width: 1.6; }
svg.model .edge.covered path { stroke: var(--ok); } svg.model .edge.missed path { stroke: var(--bad); stroke-dasharray: 6 4; }
svg.model .edge circle { fill: #fff; stroke-width: 1.2; } svg.model .edge.covered circle { stroke: var(--ok); } svg.model .edge.missed circle { stroke: var(--bad); }
svg.model .edge text { text-anchor: middle; font-size: 10px; }
svg.model .head-ok path { fill: var(--ok); } svg.model .head-no path { fill: var(--bad); }
table.rules tr.missed td { color: var(--bad); }
tr.differs td { background: #fff8e6; }
.disagreement { border-left: 3px solid var(--skip); padding-left: 8px; margin: 10px 0; }
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Nothing but this page's own style and script; no fetch, image, font, frame or form target anywhere. */
export const CSP = `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(RENDERER)}; img-src 'none'; base-uri 'none'; form-action 'none'`;
