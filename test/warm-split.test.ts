/**
 * What the warm bench's run-only comparison sets against what (bench/warm-split.ts): the adapter calls of the
 * harness's run and of the bare loop, counted on two chat scenarios (11 steps, 2 people each).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { main, warmSplit } from '../bench/warm-split.js';
import { RUNS } from '../bench/warm.js';

t.test('the harness drains every inbox before and after each action and once after the last step', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ic-warm-split-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'chat'));
  for (const name of ['both-ways-after-skype-starts', 'both-ways-after-teams-starts'])
    cpSync(join('scenarios', 'chat', `${name}.yaml`), join(dir, 'chat', `${name}.yaml`));
  const r = await warmSplit(dir, 1);
  t.equal(r.scenarios, 2);
  // 11 steps × 2 people: 22 drains after the actions, 22 before them, and 2 × 2 after the last steps.
  t.same(r.calls.harness, { open: 2, perform: 11, drain: 48, close: 2 });
  t.same(r.calls.bare, { open: 2, perform: 11, drain: 22, close: 2 }, 'the bare loop: only after each action');
  for (const p of [r.vsBoth, r.vsAdapter]) {
    t.equal(p.ratios.length, 1, 'one pair');
    t.equal(p.ratios[0], (p.aMs[0]! * RUNS) / (p.bMs[0]! * RUNS), 'its ratio: the sums of the runs alternated in it');
  }
  const lines: string[] = [];
  await main(['--pairs', '1', '--scenarios', dir], (l) => lines.push(l));
  t.equal(lines.length, 6, 'the script: the counts, then each comparison and its times');
  t.match(
    lines[0],
    /^2 scenarios; adapter calls made by the harness's run: \{"open":2,"perform":11,"drain":48,"close":2\}$/,
  );
  t.match(lines[4], /^run \/ bare adapter alone: +[\d.]+× \(pairs/);
});
