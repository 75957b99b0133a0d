/**
 * The differential part of report.html (`--adapter a,b`): adapters × requirements, rows where the adapters differ
 * first, each adapter's delivery latency, then every step at which the adapters observed different things.
 */
import type { LatencyStats, RunResult } from '../results.js';
import * as f from '../format.js';
import { anchor, badge, esc } from './escape.js';

export function latencyText(l: LatencyStats | null | undefined): string {
  return l
    ? `p50 ${l.p50Ms} ms · p95 ${l.p95Ms} ms · max ${l.maxMs} ms (${l.count} ${l.count === 1 ? 'delivery' : 'deliveries'})`
    : 'no deliveries';
}

export function differentialSection(run: RunResult): string {
  const d = run.differential;
  if (!d) return '';
  const differs = (v: Record<string, string>) => new Set(Object.values(v)).size > 1;
  const rows = [...d.matrix].sort((a, b) => Number(differs(b.verdicts)) - Number(differs(a.verdicts)));
  const matrix = rows.map(
    (r) =>
      `<tr${differs(r.verdicts) ? ' class="differs"' : ''}><td><a href="#${anchor('r', r.requirement)}">${esc(r.requirement)}</a></td><td>${esc(r.level)}</td>` +
      `${d.adapters.map((a) => `<td>${badge(r.verdicts[a] ?? 'untested')}</td>`).join('')}</tr>`,
  );
  const disagreements = d.disagreements.map((x) => {
    const { kind, ...rest } = x.action;
    const per = d.adapters
      .filter((a) => x.observed[a])
      .map(
        (a) =>
          `<tr><td>${esc(a)}</td><td>${badge(x.verdicts[a] ?? 'untested')}</td><td><pre>${esc(`${f.outcome(x.observed[a]!.outcome)}; ${f.deliveries(x.observed[a]!.deliveries)}`)}</pre></td></tr>`,
      );
    return (
      `<div class="disagreement"><p><code>${esc(x.scenario)}</code> step ${x.step} <span class="muted">${esc(x.location)}</span>: ` +
      `<code>${esc(x.actor)}</code> <code>${esc(`${kind} ${f.json(rest)}`)}</code></p>` +
      `<table class="per-adapter"><thead><tr><th>Adapter</th><th>Step verdict</th><th>Observed</th></tr></thead><tbody>${per.join('')}</tbody></table></div>`
    );
  });
  return `<section id="differential"><h2>Adapters × requirements</h2>
<table class="matrix"><thead><tr><th>Requirement</th><th>Level</th>${d.adapters.map((a) => `<th>${esc(a)}</th>`).join('')}</tr></thead><tbody>
${matrix.join('\n')}
</tbody></table>
<h3>Delivery latency</h3><ul>${d.adapters.map((a) => `<li><code>${esc(a)}</code>: ${esc(latencyText(d.latency[a]))}</li>`).join('')}</ul>
<h3>Where the adapters disagree (${d.disagreements.length})</h3>
<p class="muted">${d.disagreements.length ? 'Steps at which the adapters observed different things, whatever the model predicted.' : 'Nowhere: every step observed the same on every adapter.'}</p>
${disagreements.join('\n')}
</section>`;
}
