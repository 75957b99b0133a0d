/**
 * Model coverage in report.html: each model drawn as an inline SVG — its states as boxes, its rules between two
 * states as numbered arrows, green and solid when a scenario of the run takes them, red and dashed when none does —
 * and below it the table of every rule by number (the rules that stay in their state are counted in their box and
 * listed there). The layout is ours and tiny (columns by distance from the initial state): no layout library, no
 * network. A report.json without graphs (an older run) gets the counts and the missed list only.
 */
import type { ModelCoverage, ModelGraph } from '../results.js';
import { attr, esc } from './escape.js';

const ROOT = '(root)';
const CHAR_W = 7.2; // px per character at the 12px monospace of the boxes: boxes fit their labels without measuring
const BOX_H = 44;
const ROW_GAP = 30;
const COL_GAP = 110;
const MARGIN = 24;

interface Box {
  state: string;
  x: number;
  y: number;
  w: number;
  h: number;
  label: string;
  stays: { covered: number; total: number };
  covered: boolean;
}

/** Columns: how many transitions from an initial state (or a machine-wide rule) a state is; unreached states sit by their relatives. */
function layers(g: ModelGraph, drawn: readonly string[]): Map<string, number> {
  const layer = new Map<string, number>();
  const queue = [...g.initial.filter((s) => drawn.includes(s))];
  for (const s of queue) layer.set(s, 0);
  if (drawn.includes(ROOT)) (layer.set(ROOT, 0), queue.unshift(ROOT));
  while (queue.length) {
    const s = queue.shift()!;
    for (const t of g.transitions) {
      if (t.from !== s) continue;
      for (const to of t.to)
        if (to !== s && !layer.has(to) && drawn.includes(to)) (layer.set(to, layer.get(s)! + 1), queue.push(to));
    }
  }
  const last = Math.max(0, ...layer.values());
  for (const s of drawn) {
    if (layer.has(s)) continue;
    const kin = [...layer].filter(([o]) => o.startsWith(`${s}.`) || s.startsWith(`${o}.`)).map(([, l]) => l);
    layer.set(s, kin.length ? Math.min(...kin) : last + 1);
  }
  return layer;
}

function boxes(m: ModelCoverage, g: ModelGraph): Box[] {
  const missed = new Set(m.missed);
  const drawn = [...(g.transitions.some((t) => t.from === ROOT) ? [ROOT] : []), ...g.states];
  const layer = layers(g, drawn);
  const stays = (s: string) =>
    g.transitions.filter((t) => t.from === s && (t.to.length === 0 || t.to.every((x) => x === s)));
  const columns = new Map<number, Box[]>();
  for (const state of drawn) {
    const own = stays(state);
    const label = state === ROOT ? '(any state)' : state;
    const w = Math.max(label.length, own.length ? 24 : 12) * CHAR_W + 20;
    const box: Box = {
      state,
      label,
      w,
      h: BOX_H,
      x: 0,
      y: 0,
      stays: { covered: own.filter((t) => !missed.has(t.rule)).length, total: own.length },
      covered: state === ROOT || !missed.has(`${m.name}#${state}`),
    };
    const col = layer.get(state)!;
    columns.set(col, [...(columns.get(col) ?? []), box]);
  }
  let x = MARGIN;
  for (const col of [...columns.keys()].sort((a, b) => a - b)) {
    const bs = columns.get(col)!;
    const width = Math.max(...bs.map((b) => b.w));
    bs.forEach((b, i) => ((b.x = x + (width - b.w) / 2), (b.y = MARGIN + i * (BOX_H + ROW_GAP))));
    x += width + COL_GAP;
  }
  return [...columns.values()].flat();
}

/** Where the line from the box's centre towards (tx, ty) leaves the box. */
function edgePoint(b: Box, tx: number, ty: number): [number, number] {
  const cx = b.x + b.w / 2;
  const cy = b.y + b.h / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  const t = Math.min(dx ? b.w / 2 / Math.abs(dx) : Infinity, dy ? b.h / 2 / Math.abs(dy) : Infinity);
  return [cx + dx * t, cy + dy * t];
}

const n = (v: number) => v.toFixed(1);

function arrows(m: ModelCoverage, g: ModelGraph, byState: ReadonlyMap<string, Box>, id: string): string[] {
  const missed = new Set(m.missed);
  const edges = g.transitions.flatMap((t, i) =>
    t.to.filter((to) => to !== t.from && byState.has(to) && byState.has(t.from)).map((to) => ({ t, i, to })),
  );
  const out: string[] = [];
  const pairCount = new Map<string, number>();
  for (const e of edges) pairCount.set(`${e.t.from}>${e.to}`, (pairCount.get(`${e.t.from}>${e.to}`) ?? 0) + 1);
  const pairSeen = new Map<string, number>();
  for (const { t, i, to } of edges) {
    const a = byState.get(t.from)!;
    const b = byState.get(to)!;
    const key = `${t.from}>${to}`;
    const k = pairSeen.get(key) ?? 0;
    pairSeen.set(key, k + 1);
    const [ax, ay, bx, by] = [a.x + a.w / 2, a.y + a.h / 2, b.x + b.w / 2, b.y + b.h / 2];
    const len = Math.hypot(bx - ax, by - ay) || 1;
    // Bend each arrow aside: A→B and B→A bend opposite ways, and arrows of one pair fan out.
    const bend = 14 + (k - (pairCount.get(key)! - 1) / 2) * 22 + (b.x <= a.x ? 30 : 0);
    const [cx, cy] = [(ax + bx) / 2 + (-(by - ay) / len) * bend, (ay + by) / 2 + ((bx - ax) / len) * bend];
    const [sx, sy] = edgePoint(a, cx, cy);
    const [ex, ey] = edgePoint(b, cx, cy);
    const [lx, ly] = [0.25 * sx + 0.5 * cx + 0.25 * ex, 0.25 * sy + 0.5 * cy + 0.25 * ey];
    const ok = !missed.has(t.rule);
    out.push(
      `<g class="edge ${ok ? 'covered' : 'missed'}"><title>${i + 1}. ${esc(t.rule)} (${esc(t.event)}): ${esc(t.from)} → ${esc(to)}, ${ok ? 'covered' : 'missed'}</title>` +
        `<path d="M${n(sx)},${n(sy)} Q${n(cx)},${n(cy)} ${n(ex)},${n(ey)}" marker-end="url(#${id}-${ok ? 'ok' : 'no'})"/>` +
        `<circle cx="${n(lx)}" cy="${n(ly)}" r="9"/><text x="${n(lx)}" y="${n(ly + 4)}">${i + 1}</text></g>`,
    );
  }
  return out;
}

function drawing(m: ModelCoverage, g: ModelGraph, index: number): string {
  const bs = boxes(m, g);
  const byState = new Map(bs.map((b) => [b.state, b]));
  const id = `m${index}`;
  const width = Math.max(...bs.map((b) => b.x + b.w)) + MARGIN + 40;
  const height = Math.max(...bs.map((b) => b.y + b.h)) + MARGIN + 16;
  const marker = (kind: string) =>
    `<marker id="${id}-${kind}" class="head-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`;
  const boxSvg = bs.map((b) => {
    const cls = b.state === ROOT ? 'state root' : `state ${b.covered ? 'covered' : 'missed'}`;
    const stays = b.stays.total
      ? `<text class="stays" x="${n(b.x + 10)}" y="${n(b.y + 34)}">↻ ${b.stays.covered}/${b.stays.total} rules stay here</text>`
      : '';
    return (
      `<g class="${cls}"><title>${esc(b.label)}${b.state === ROOT ? ': rules that apply in every state' : b.covered ? ': reached' : ': no scenario reaches it'}</title>` +
      `<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.w)}" height="${b.h}" rx="6"/><text x="${n(b.x + 10)}" y="${n(b.y + 17)}">${esc(b.label)}</text>${stays}</g>`
    );
  });
  return (
    `<svg class="model" role="img" aria-label="${attr(`states and transitions of the ${m.name} model`)}" viewBox="0 0 ${n(width)} ${n(height)}" width="${n(width)}" height="${n(height)}" xmlns="http://www.w3.org/2000/svg">` +
    `<defs>${marker('ok')}${marker('no')}</defs>${boxSvg.join('')}${arrows(m, g, byState, id).join('')}</svg>`
  );
}

function ruleTable(m: ModelCoverage, g: ModelGraph): string {
  const missed = new Set(m.missed);
  const rows = g.transitions.map((t, i) => {
    const ok = !missed.has(t.rule);
    const to = t.to.length && !t.to.every((x) => x === t.from) ? t.to.join(', ') : '(stays)';
    return `<tr class="${ok ? 'covered' : 'missed'}"><td>${i + 1}</td><td><code>${esc(t.rule)}</code></td><td>${esc(t.event)}</td><td>${esc(t.from)} → ${esc(to)}</td><td>${ok ? '✓ taken' : '✗ missed'}</td></tr>`;
  });
  return `<table class="rules"><thead><tr><th>#</th><th>Rule</th><th>Event</th><th>From → to</th><th>Coverage</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function modelSection(models: readonly ModelCoverage[]): string {
  if (!models.length) return '';
  const blocks = models.map((m, i) => {
    const head = `<h3>${esc(m.name)} <span class="muted">transitions ${m.transitions.covered}/${m.transitions.total} · states ${m.states.covered}/${m.states.total}</span></h3>`;
    if (!m.graph)
      return `${head}<p>Not taken by any scenario: ${m.missed.map((x) => `<code>${esc(x)}</code>`).join(', ') || 'nothing'}</p>`;
    return `<div class="model-block">${head}<div class="drawing">${drawing(m, m.graph, i)}</div><details><summary>Every rule of ${esc(m.name)}</summary>${ruleTable(m, m.graph)}</details></div>`;
  });
  return `<section id="coverage"><h2>Model coverage</h2><p class="muted">Boxes are states, arrows the rules between two states, numbered as in each model's table; green and solid: taken by a scenario of this run; red and dashed: taken by none. ↻ counts the rules that stay in a state.</p>${blocks.join('\n')}</section>`;
}
