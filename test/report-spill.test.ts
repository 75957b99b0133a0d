/**
 * reports/result-spill.ts: a run's results on disk, read back one at a time by the reports through an array that
 * holds none of them. What the reports read must be what they would have read from the results themselves.
 */
import t from 'tap';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderJsonChunks } from '../reports/json.js';
import { lazyArray, ResultSpill } from '../reports/result-spill.js';
import { keepIdsOfRun, redact } from '../reports/redact.js';
import type { RunResult, ScenarioResult } from '../reports/results.js';

function result(i: number, more: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    id: `chat/s${i}`,
    title: `scenario ${i} — “quoted” ✓`,
    file: `scenarios/chat/s${i}.yaml`,
    area: 'chat',
    tags: [],
    adapter: 'reference',
    verdict: i % 2 ? 'fail' : 'pass',
    requirements: ['CHAT-001'],
    steps: [],
    durationMs: i + 0.25,
    ...more,
  };
}

t.test('the view reads back every result as added, through the array methods the reports use', async (t) => {
  const spill = new ResultSpill();
  t.teardown(() => spill.dispose());
  const added = Array.from({ length: 5 }, (_, i) =>
    result(i, i === 3 ? { reason: 'line\nbreak', expectedToFail: true } : {}),
  );
  for (const r of added) spill.add(r);
  const view = spill.view();
  t.equal(spill.length, 5);
  t.equal(view.length, 5);
  t.ok(Array.isArray(view), 'an array to Array.isArray (json.ts and jsonSafe lay arrays out by it)');
  t.same([...view], added, 'for…of');
  t.same(
    view.map((r) => r.id),
    added.map((r) => r.id),
    'map',
  );
  t.same(
    view.filter((r) => r.verdict === 'fail').map((r) => r.id),
    ['chat/s1', 'chat/s3'],
    'filter',
  );
  t.same(
    [...view.entries()].map(([i, r]) => `${i}:${r.id}`),
    ['0:chat/s0', '1:chat/s1', '2:chat/s2', '3:chat/s3', '4:chat/s4'],
  );
  t.same(
    view.flatMap((r) => r.requirements),
    Array(5).fill('CHAT-001'),
    'flatMap',
  );
  t.equal(view[5], undefined, 'past the end: nothing');
  t.equal(JSON.stringify(view), JSON.stringify(added), 'JSON.stringify');
  t.not(view[2], view[2], 'each read is a new object: the view holds none');
});

t.test('report.json rendered from the view is byte for byte the one rendered from the results', async (t) => {
  const spill = new ResultSpill();
  t.teardown(() => spill.dispose());
  const added = Array.from({ length: 3 }, (_, i) => result(i));
  for (const r of added) spill.add(r);
  const run = (scenarios: ScenarioResult[]) =>
    ({ summary: { tool: 'x' }, scenarios, requirements: [] }) as unknown as RunResult;
  t.equal([...renderJsonChunks(run(spill.view()))].join(''), [...renderJsonChunks(run(added))].join(''));
});

t.test('a result JSON cannot write (a BigInt, a cycle) is spilled as the reports would copy it', async (t) => {
  const spill = new ResultSpill();
  t.teardown(() => spill.dispose());
  const odd = result(0) as ScenarioResult & { extra?: unknown };
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  odd.extra = { big: 12n, cycle };
  spill.add(odd);
  t.same((spill.at(0) as typeof odd).extra, { big: '12n', cycle: { self: '[circular]' } });
});

t.test('the view is read-only, and reading it after dispose says so', async (t) => {
  const spill = new ResultSpill();
  spill.add(result(0));
  const view = spill.view();
  t.throws(() => ((view as ScenarioResult[])[0] = result(9)), /read-only/);
  t.throws(() => view.push(result(9)), /read-only/);
  spill.dispose();
  spill.dispose(); // twice is harmless
  t.throws(() => view[0], /read after the run was done/);
});

t.test('the spill lives in a folder of its own, this user alone, and dispose removes it', async (t) => {
  const spill = new ResultSpill(t.testdir());
  spill.add(result(0));
  const folder = readdirSync(t.testdirName).map((d) => `${t.testdirName}/${d}`)[0]!;
  const file = `${folder}/${readdirSync(folder)[0]!}`;
  t.equal(statSync(folder).mode & 0o777, 0o700, 'the folder: 0700');
  t.equal(statSync(file).mode & 0o777, 0o600, 'the file: 0600');
  t.equal(dirname(file), folder);
  spill.dispose();
  t.notOk(existsSync(folder), 'gone after dispose');
});

t.test(
  "a run's ids are kept once: every report asking again for the same spilled run reads no result back",
  async (t) => {
    let reads = 0;
    const results = lazyArray(4, (i) => (reads++, result(100 + i)));
    const run = { scenarios: results, requirements: [] } as unknown as RunResult;
    keepIdsOfRun(run);
    t.equal(reads, 4, 'the first ask reads each result once');
    for (let i = 0; i < 4; i++) keepIdsOfRun(run); // the multiplexer, then html, junit, markdown, github
    t.equal(reads, 4, 'the later asks read none');
    t.equal(redact('see chat/s102 for details'), 'see chat/s102 for details', 'its ids are kept');
  },
);
