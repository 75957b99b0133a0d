/**
 * report.html's script, run in the browser (bundled into renderer.ts by scripts/build-html-renderer.mjs): it reads
 * the run the page embeds (`<script type="application/json" id="report-data">`: report.json's text, redacted as
 * report.json is, `<` written as \u003c), renders the page (page.ts) before its scripts, and wires the filters.
 *
 * Filters: every element with `data-verdict` is shown when it matches the verdict, area, level and text chosen.
 * `bad` is fail or error; `data-level` lists levels (a scenario has those of its requirements).
 */
import { renderEmbedded } from './page.js';

function filters(): void {
  const get = (id: string) => document.getElementById(id) as HTMLInputElement;
  const [verdict, area, level, text] = ['f-verdict', 'f-area', 'f-level', 'f-text'].map(get) as [
    HTMLInputElement,
    HTMLInputElement,
    HTMLInputElement,
    HTMLInputElement,
  ];
  function matches(el: HTMLElement): boolean {
    const v = verdict.value;
    const d = el.dataset;
    if (v === 'bad' ? d.verdict !== 'fail' && d.verdict !== 'error' : v !== 'all' && d.verdict !== v) return false;
    if (area.value !== 'all' && d.area !== area.value) return false;
    if (level.value !== 'all' && ` ${d.level} `.indexOf(` ${level.value} `) < 0) return false;
    const q = text.value.trim().toLowerCase();
    return !q || (d.text ?? '').indexOf(q) >= 0;
  }
  function apply(): void {
    let shown = 0;
    let total = 0;
    document.querySelectorAll<HTMLElement>('[data-table]').forEach((table) => {
      const rows = table.querySelectorAll<HTMLElement>('.f-row');
      let n = 0;
      rows.forEach((row) => {
        const ok = matches(row);
        row.hidden = !ok;
        if (ok) n++;
      });
      const count = document.querySelector(`[data-count-of="${table.dataset.table}"]`);
      if (count) count.textContent = `(${n} of ${rows.length} shown)`;
      shown += n;
      total += rows.length;
    });
    get('f-count').textContent = shown === total ? '' : `${shown} of ${total} rows match`;
  }
  for (const el of [verdict, area, level, text]) {
    el.addEventListener('input', apply);
    el.addEventListener('change', apply);
  }
  apply();
}

const data = document.getElementById('report-data')?.textContent ?? 'null';
document.body.insertAdjacentHTML('afterbegin', renderEmbedded(data));
filters();
