/**
 * The bench's workers section (bench/workers.ts): `run --workers 2` against `--workers 1`, cold processes, over
 * HTTP (`--server "serve"`) and in process, each a pair per round; its JSON shape and goal, not its timings.
 */
import t from 'tap';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, settings, type Results } from '../bench/bench.js';
import { whereTimeGoes } from '../bench/workers-time.js';

t.test('bench --only workers: both kinds paired, the run and the whole process, the HTTP goal', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ic-bench-workers-test-'));
  const suite = join(dir, 'suite');
  for (const [area, name] of [
    ['chat', 'both-ways-after-teams-starts'],
    ['block', 'unblock-restores-chat-and-calls'],
  ]) {
    mkdirSync(join(suite, area!), { recursive: true });
    cpSync(join('scenarios', area!, `${name}.yaml`), join(suite, area!, `${name}.yaml`));
  }
  const out = join(dir, 'bench.json');
  const lines: string[] = [];
  await bench(
    { ...settings(['--only', 'workers', '--pairs', '1', '--workers-copies', '2', '--out', out]), suite },
    (l) => lines.push(l),
  );
  const results = JSON.parse(readFileSync(out, 'utf8')) as Results;
  t.same(
    results.workers,
    { copies: 2, scenarios: 4, workers: 2, erroredRuns: [] },
    'two distinct copies of the two scenarios',
  );
  t.same(
    results.comparisons.map((c) => [c.id, c.ratios.length, c.goal?.max]),
    [
      ['workers-http', 1, 1 / 1.6],
      ['workers-http-wall', 1, undefined],
      ['workers-in-process', 1, undefined],
      ['workers-in-process-wall', 1, undefined],
    ],
    'the goal (throughput ≥ 1.6×) is over HTTP only',
  );
  for (const c of results.comparisons) t.equal(c.ratios[0], c.aMs.median / c.bMs.median, `${c.id}: A/B`);
  t.match(lines.join('\n'), /http: throughput of the run \d+\.\d\d× one worker's/);
  t.throws(() => settings(['--workers-copies', '0']), /--workers-copies must be a whole number ≥ 1/);
});

t.test('bench/workers-time.ts: a one-lane HTTP run, its steps and its world openings timed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ic-bench-where-'));
  mkdirSync(join(dir, 'chat'));
  for (const name of ['both-ways-after-teams-starts', 'mobile-clients-chat'])
    cpSync(join('scenarios', 'chat', `${name}.yaml`), join(dir, 'chat', `${name}.yaml`));
  const lines = await whereTimeGoes(dir);
  t.equal(lines.length, 6);
  t.match(lines[0], /over HTTP, one lane: exit 0, 2 scenarios, \d+ steps$/);
  t.match(lines[3], /^ {2}opening the 2 worlds: \d+\.\d\d s/);
});

t.test('bench/workers-time.ts: a run that writes no report says why', async (t) => {
  await t.rejects(whereTimeGoes(join(tmpdir(), 'no-such-folder-of-scenarios')), /run exited 2: .*no-such-folder/);
});
