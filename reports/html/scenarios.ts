/**
 * Each scenario of report.html: a collapsible block (open when it failed or errored) with its steps — the action,
 * what the model expected and what was observed, the rule that decided and the rules consulted (trace), the
 * requirements, and each mismatch laid at the clauses it breaks.
 */
import type { RunResult, ScenarioResult, StepResult } from '../results.js';
import type { Level } from '../../specs/requirement.js';
import * as f from '../format.js';
import { plainJson } from '../json-safe.js';
import { anchor, attr, badge, esc, plural } from './escape.js';
import { rowData } from './requirements.js';

/** The same value whatever the order of its keys: a delivery observed with its fields in another order is the same. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/**
 * Whether a step observed what was expected, whatever the order of the keys. Plain data written the same by JSON
 * is the same whatever its keys' order, and is most passing steps: only the others are copied in canonical order.
 */
function observedAsExpected(s: StepResult): boolean {
  if (!s.observed) return false;
  const expected = [s.expected.outcome, s.expected.deliveries];
  const observed = [s.observed.outcome, s.observed.deliveries];
  const text = plainJson(expected);
  if (text !== undefined && text === plainJson(observed)) return true;
  return f.json(canonical(expected)) === f.json(canonical(observed));
}

/** A passing step observed what was expected: saying it twice would only double the page. */
function observedCell(s: StepResult): string {
  if (s.verdict === 'pass' && observedAsExpected(s)) return '<span class="muted">as expected</span>';
  return `<pre class="observed">${esc(f.observed(s))}</pre>`;
}

/** `file:line:col` without the file, which the scenario's head names. */
const where = (location: string, file: string) =>
  location.startsWith(`${file}:`) ? `line ${location.slice(file.length + 1)}` : location;

function latencies(s: StepResult): string {
  const ms = (s.observed?.latenciesMs ?? []).filter((x): x is number => typeof x === 'number');
  return ms.length ? `<div class="muted">latency ${ms.map((x) => `${x.toFixed(2)} ms`).join(', ')}</div>` : '';
}

function stepRows(s: StepResult, file: string): string {
  const trace =
    s.trace && s.trace.length > 1
      ? `<div class="trace">consulted ${s.trace.map((r) => `<code>${esc(r)}</code>`).join(' → ')}</div>`
      : '';
  const main =
    `<tr class="step step-${attr(s.verdict)}"><td>${s.index}</td>` +
    `<td><code>${esc(s.actor)}</code> <code>${esc(f.action(s))}</code><div class="muted">${esc(where(s.location, file))}</div></td>` +
    `<td>${badge(s.verdict)}</td><td><pre class="expected">${esc(f.expected(s))}</pre></td><td>${observedCell(s)}${latencies(s)}</td>` +
    `<td><code>${esc(s.rule)}</code>${trace}</td><td>${s.requirements.map((r) => `<a href="#${anchor('r', r)}">${esc(r)}</a>`).join(' ')}</td></tr>`;
  const notes = [
    ...s.mismatches.map((m) => `<li class="mismatch">${esc(f.mismatchLine(m))}</li>`),
    ...(s.error ? [`<li class="error">error: ${esc(s.error)}</li>`] : []),
    ...(s.late ?? []).map(
      (l) =>
        `<li>arrived late (${l.latencyMs.toFixed(1)} ms${l.duringStep ? `, during step ${l.duringStep}` : ''}): <code>${esc(f.json(l.delivery))}</code></li>`,
    ),
  ];
  return notes.length
    ? `${main}\n<tr class="notes"><td></td><td colspan="6"><ul>${notes.join('')}</ul></td></tr>`
    : main;
}

function scenarioBlock(s: ScenarioResult, levelOf: ReadonlyMap<string, Level>, differential: boolean): string {
  const o = f.outcomeOf(s);
  const open = o === 'fail' || o === 'error' || o === 'xpass' ? ' open' : '';
  const levels = s.requirements.map((r) => levelOf.get(r)).filter((l): l is Level => !!l);
  const text = [s.id, s.title, s.area, s.adapter, ...s.requirements, ...s.steps.map((st) => st.rule)].join(' ');
  const baseline =
    o === 'xfail'
      ? ' <span class="muted">(expected failure: in the baseline)</span>'
      : o === 'xpass'
        ? ' <strong>passed although the baseline lists it: remove the entry</strong>'
        : '';
  const steps = s.steps.length
    ? `<table class="steps"><thead><tr><th>#</th><th>Step</th><th>Verdict</th><th>Expected (model)</th><th>Observed</th><th>Rule</th><th>Requirements</th></tr></thead><tbody>\n${s.steps.map((st) => stepRows(st, s.file)).join('\n')}\n</tbody></table>`
    : '';
  return (
    `<details id="${anchor('s', s.adapter, s.id)}" ${rowData(s.verdict, s.area, levels, text)}${open}>` +
    `<summary>${badge(s.verdict)} <code>${esc(s.id)}</code> ${esc(s.title)}${differential ? ` <span class="muted">on ${esc(s.adapter)}</span>` : ''}` +
    ` <span class="muted">${plural(s.steps.length, 'step')} · ${esc(f.duration(s.durationMs))}</span>${baseline}</summary>` +
    `<div class="scenario"><div class="muted">${esc(s.file)} · requirements ${s.requirements.map((r) => `<a href="#${anchor('r', r)}">${esc(r)}</a>`).join(' ')}</div>` +
    `${s.reason ? `<p class="reason">${esc(s.reason)}</p>` : ''}${steps}</div></details>`
  );
}

/** The scenarios' section, a scenario at a time: at 20× the suite it is most of the page's 23 MB. */
export function* scenarioSection(run: RunResult): Generator<string> {
  const levelOf = new Map(run.requirements.map((r) => [r.id, r.level]));
  const differential = !!run.differential;
  yield `<section id="scenarios"><h2>Scenarios <span class="muted" data-count-of="scenarios"></span></h2>
<div data-table="scenarios">
`;
  for (const [i, s] of run.scenarios.entries()) yield `${i ? '\n' : ''}${scenarioBlock(s, levelOf, differential)}`;
  yield '\n</div></section>';
}
