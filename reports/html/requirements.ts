/**
 * The filter bar and the requirement matrix of report.html. Every filterable row (a requirement here, a scenario in
 * scenarios.ts) carries `data-verdict`, `data-area`, `data-level` (space-separated) and `data-text` (lower case);
 * the page's script (assets.ts) hides the rows that do not match. Without the script every row shows.
 */
import type { RequirementResult, RunResult } from '../results.js';
import { anchor, attr, badge, esc } from './escape.js';

/** Table order: what needs attention first, as in summary.md. */
const ORDER = { fail: 0, error: 1, skip: 2, pass: 3, untested: 4 } as const;

export const VERDICT_FILTERS: readonly [string, string][] = [
  ['all', 'every verdict'],
  ['bad', 'failures and errors'],
  ['fail', 'fail'],
  ['error', 'error'],
  ['skip', 'skip'],
  ['pass', 'pass'],
  ['untested', 'untested'],
];

/** The attributes that make an element filterable. */
export function rowData(verdict: string, area: string, levels: Iterable<string>, text: string): string {
  return `class="f-row" data-verdict="${attr(verdict)}" data-area="${attr(area)}" data-level="${attr([...new Set(levels)].join(' '))}" data-text="${attr(text.toLowerCase())}"`;
}

const options = (pairs: readonly [string, string][]) =>
  pairs.map(([v, label]) => `<option value="${attr(v)}">${esc(label)}</option>`).join('');

export function filterBar(run: RunResult): string {
  const areas = [...new Set([...run.requirements.map((r) => r.area), ...run.scenarios.map((s) => s.area)])].sort();
  const levels = [...new Set(run.requirements.map((r) => r.level))].sort();
  return `<div id="filters" class="filters" role="search">
<label>Verdict <select id="f-verdict">${options(VERDICT_FILTERS)}</select></label>
<label>Area <select id="f-area">${options([['all', 'every area'], ...areas.map((a): [string, string] => [a, a])])}</select></label>
<label>Level <select id="f-level">${options([['all', 'MUST and SHOULD'], ...levels.map((l): [string, string] => [l, l])])}</select></label>
<label>Text <input id="f-text" type="search" placeholder="id, statement, title, rule…" autocomplete="off"></label>
<span id="f-count" class="muted" aria-live="polite"></span>
</div>`;
}

function scenarioLinks(r: RequirementResult, anchorOf: ReadonlyMap<string, string>): string {
  return r.scenarios
    .map((id) => {
      const cls = r.failedBy.includes(id) ? ' class="failed-by"' : '';
      const target = anchorOf.get(id);
      return target ? `<a${cls} href="#${target}">${esc(id)}</a>` : `<span${cls}>${esc(id)}</span>`;
    })
    .join(' ');
}

/** The requirement matrix, a row at a time (a requirement's row links every scenario that claims it). */
export function* requirementMatrix(run: RunResult): Generator<string> {
  // In a differential run a scenario id has a result per adapter: link the first, the others follow it.
  const anchorOf = new Map<string, string>();
  for (const s of run.scenarios) if (!anchorOf.has(s.id)) anchorOf.set(s.id, anchor('s', s.adapter, s.id));
  const sorted = run.requirements
    .map((r, i) => ({ r, i }))
    .sort((a, b) => ORDER[a.r.verdict] - ORDER[b.r.verdict] || a.i - b.i);
  yield `<section id="requirements"><h2>Requirements <span class="muted" data-count-of="requirements"></span></h2>
<table class="matrix" data-table="requirements"><thead><tr><th>Requirement</th><th>Level</th><th>Area</th><th>Verdict</th><th>Statement</th><th>Scenarios (failing ones marked)</th></tr></thead>
<tbody>
`;
  for (const [i, { r }] of sorted.entries()) {
    const text = [r.id, r.level, r.area, r.statement, ...r.scenarios].join(' ');
    const note = r.checkedBy ? `<div class="muted">checked by ${esc(r.checkedBy)}</div>` : '';
    yield (
      `${i ? '\n' : ''}<tr id="${anchor('r', r.id)}" ${rowData(r.verdict, r.area, [r.level], text)}>` +
      `<td class="id">${esc(r.id)}</td><td>${esc(r.level)}</td><td>${esc(r.area)}</td><td>${badge(r.verdict)}</td>` +
      `<td>${esc(r.statement)}${note}</td><td class="links">${scenarioLinks(r, anchorOf)}</td></tr>`
    );
  }
  yield '\n</tbody></table></section>';
}
