/**
 * `node --import tsx bench/warm-split.ts [--pairs N] [--scenarios DIR]`: what the warm section's run-only comparison
 * puts on each side. The harness's run (scenarios loaded) makes more adapter calls than the bare loop — a drain of
 * every inbox before each action (what was waiting is judged before acting) and after the last step (the settle
 * window) — and makes no prediction (the loader made them), while the bare side predicts every step. So the run is
 * set against the bare work with and without the predictions, and the calls each side makes are counted.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Adapter, Session } from '../adapters/adapter.js';
import { createReferenceAdapter } from '../adapters/reference/adapter.js';
import { conformanceRun } from '../harness/conformance-run.js';
import { emptyPaired, ratioText, spread, type Paired } from './stats.js';
import { alternated, bareAdapter, barePredictions, playable } from './warm.js';

export type Calls = Record<'open' | 'perform' | 'drain' | 'close', number>;

/** `adapter`, counting the calls made into it. */
export function counting(adapter: Adapter): { adapter: Adapter; calls: Calls } {
  const calls: Calls = { open: 0, perform: 0, drain: 0, close: 0 };
  const counted = (s: Session): Session => ({
    perform: (actor, action) => (calls.perform++, s.perform(actor, action)),
    drain: (user) => (calls.drain++, s.drain(user)),
    close: () => (calls.close++, s.close()),
  });
  return { adapter: { ...adapter, open: async (world) => (calls.open++, counted(await adapter.open(world))) }, calls };
}

export async function warmSplit(suite: string, pairs: number) {
  const reference = createReferenceAdapter();
  const { catalogue, scenarios } = playable(suite, reference);
  const harness = counting(reference);
  await conformanceRun(scenarios, { adapter: harness.adapter, catalogue });
  const bare = counting(reference);
  await bareAdapter(scenarios, bare.adapter);

  const run = async () => void (await conformanceRun(scenarios, { adapter: reference, catalogue }));
  const adapterOnly = () => bareAdapter(scenarios, reference);
  const both = async () => (barePredictions(scenarios), await adapterOnly());
  for (let i = 0; i < 3; i++) for (const w of [run, adapterOnly, both]) await w();
  const vsBoth: Paired = emptyPaired();
  const vsAdapter: Paired = emptyPaired();
  for (let i = 0; i < pairs; i++) {
    await alternated(vsBoth, run, both);
    await alternated(vsAdapter, run, adapterOnly);
  }
  return { scenarios: scenarios.length, calls: { harness: harness.calls, bare: bare.calls }, vsBoth, vsAdapter };
}

/** The script: the counts and both comparisons, a line each to `say`. */
export async function main(argv: readonly string[], say: (line: string) => void): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { pairs: { type: 'string', default: '7' }, scenarios: { type: 'string', default: 'scenarios' } },
  });
  const r = await warmSplit(values.scenarios, Number(values.pairs));
  const ms = (p: Paired, side: 'aMs' | 'bMs') => `${spread(p[side]).median.toFixed(1)} ms`;
  say(`${r.scenarios} scenarios; adapter calls made by the harness's run: ${JSON.stringify(r.calls.harness)}`);
  say(`${r.scenarios} scenarios; adapter calls made by the bare loop:       ${JSON.stringify(r.calls.bare)}`);
  say(`run / bare predictions + adapter: ${ratioText(spread(r.vsBoth.ratios))}`);
  say(`  run ${ms(r.vsBoth, 'aMs')}, bare ${ms(r.vsBoth, 'bMs')}`);
  say(`run / bare adapter alone:         ${ratioText(spread(r.vsAdapter.ratios))}`);
  say(`  run ${ms(r.vsAdapter, 'aMs')}, bare ${ms(r.vsAdapter, 'bMs')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2), console.log);
