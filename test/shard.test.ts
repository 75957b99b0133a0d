/**
 * `run --shard i/n`: every selected scenario in exactly one shard, round-robin in file order or balanced by a
 * previous report's durations (longest first, deterministic); a shard with nothing to run is a usage error; each
 * shard writes the blob merge-reports reads. The CLI cases run the 11 chat scenarios `--grep refused` selects.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { RunResult } from '../reports/results.js';
import { UsageError } from '../harness/commands/exit.js';
import { durationsFrom, imbalance, parseShard, split, weightsOf } from '../harness/shard.js';
import { cli } from './support.js';

const root = mkdtempSync(join(tmpdir(), 'ic-shard-'));
const items = (ids: string) => ids.split(' ').map((id) => ({ id }));
const ids = (parts: { id: string }[][]) => parts.map((p) => p.map((x) => x.id).join(' '));

t.test('--shard takes i/n with 1 ≤ i ≤ n; anything else is a usage error naming what it got', async (t) => {
  t.same(parseShard('1/1'), { index: 1, total: 1 });
  t.same(parseShard('3/4'), { index: 3, total: 4 });
  for (const bad of ['0/3', '4/3', '1/0', '0/0', 'a/b', '1/', '2', '-1/3', '1.5/3', ' 1/2', ''])
    t.throws(() => parseShard(bad), new UsageError(`--shard takes i/n with 1 ≤ i ≤ n (e.g. 2/4); got "${bad}"`), bad);
});

t.test('without durations the split is round-robin in file order, every scenario in exactly one shard', async (t) => {
  t.same(ids(split(items('a b c d e f g'), 3)), ['a d g', 'b e', 'c f']);
  t.same(ids(split(items('a b c d e f g'), 1)), ['a b c d e f g']);
  const seven = items('a b c d e f g');
  for (let n = 1; n <= 9; n++) {
    const parts = split(seven, n);
    t.equal(parts.length, n);
    t.same(
      parts
        .flat()
        .map((x) => x.id)
        .sort(),
      ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
      `n = ${n}: each once`,
    );
  }
  t.same(ids(split(items('a b'), 4)), ['a', 'b', '', ''], 'more shards than scenarios leaves shards empty');
});

/** Ten scenarios of 100, 90 … 10 ms; the file lists them shuffled. */
const TEN = new Map(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((id, k) => [id, 100 - 10 * k]));

t.test('with durations: longest first to the least loaded shard; deterministic; imbalance pinned', async (t) => {
  const file = items('f c j a h e b i d g');
  const parts = split(file, 3, TEN);
  // a→1, b→2, c→3, d→3 (80 < 90, 100), e→2, f→1, g→1 (all at 150: the lowest shard), h→2, i→3, j→3.
  t.same(ids(parts), ['f a g', 'h e b', 'c j i d'], 'each shard keeps file order');
  const loads = parts.map((p) => p.reduce((s, x) => s + TEN.get(x.id)!, 0));
  t.same(loads, [190, 180, 180]);
  t.equal(imbalance(parts, TEN), 190 / (550 / 3));
  t.equal(Number(imbalance(parts, TEN).toFixed(4)), 1.0364);
  t.equal(
    Number(imbalance(split(file, 3), TEN).toFixed(4)),
    1.5273,
    'round-robin of the same file: f a b g = 280 of 183.3',
  );
  const reversed = split([...file].reverse(), 3, TEN);
  t.same(
    reversed.map((p) => p.map((x) => x.id).sort()),
    parts.map((p) => p.map((x) => x.id).sort()),
    'the file order changes no shard',
  );
  const ties = split(items('d c b a'), 2, new Map([...'abcd'].map((id) => [id, 5])));
  t.same(ids(ties), ['c a', 'd b'], 'equal durations go by id: a, c to shard 1; b, d to shard 2');
});

t.test('scenarios the durations do not know weigh the median of those they know', async (t) => {
  const w = weightsOf(
    ['a', 'x', 'b', 'c', 'y'],
    new Map([
      ['a', 10],
      ['b', 30],
      ['c', 80],
      ['z', 1000],
    ]),
  );
  t.same(
    [...w],
    [
      ['a', 10],
      ['x', 30],
      ['b', 30],
      ['c', 80],
      ['y', 30],
    ],
    'median of 10, 30, 80 (z is not selected)',
  );
  t.same(
    [
      ...weightsOf(
        ['a', 'b'],
        new Map([
          ['a', 10],
          ['b', 20],
        ]),
      ),
    ],
    [
      ['a', 10],
      ['b', 20],
    ],
  );
  t.same(
    [
      ...weightsOf(
        ['x', 'a', 'b'],
        new Map([
          ['a', 10],
          ['b', 20],
        ]),
      ),
    ],
    [
      ['x', 15],
      ['a', 10],
      ['b', 20],
    ],
    'even: the mean of the middle two',
  );
  t.same(
    [...weightsOf(['x', 'y'], new Map())],
    [
      ['x', 1],
      ['y', 1],
    ],
    'none known: all equal',
  );
});

t.test(
  "--shard-durations reads a scenario's work as its steps' durations, a differential report's added up",
  async (t) => {
    const write = (name: string, text: string) => (writeFileSync(join(root, name), text), join(root, name));
    const differential = {
      scenarios: [
        { id: 'a', durationMs: 900, steps: [{ durationMs: 4 }, { durationMs: 6 }] },
        { id: 'b', durationMs: 5 },
        { id: 'a', durationMs: 700, steps: [{ durationMs: 12 }] },
        { id: 'c', durationMs: 500, steps: [] },
      ],
    };
    t.same(
      [...durationsFrom(write('diff.json', JSON.stringify(differential)))],
      [
        ['a', 22],
        ['b', 5],
        ['c', 0],
      ],
      "not the scenarios' own durations (settle window and waiting for the next world): b, listing no steps, has its own",
    );
    const refused: [string, string, RegExp][] = [
      ['missing.json', '', /--shard-durations .*nothing\.json: not a readable report\.json \(ENOENT/],
      ['text.json', 'not json', /--shard-durations .*text\.json: not a readable report\.json \(Unexpected token/],
      [
        'none.json',
        '{"summary":{}}',
        /--shard-durations .*none\.json: not a report\.json \(it has no "scenarios" list\)/,
      ],
      ['null.json', 'null', /--shard-durations .*null\.json: not a report\.json/],
      [
        'bad.json',
        '{"scenarios":[{"id":"a","durationMs":1},{"id":"b"}]}',
        /bad\.json: scenarios\[1\] has no id and durationMs/,
      ],
      ['neg.json', '{"scenarios":[{"id":"a","durationMs":-1}]}', /neg\.json: scenarios\[0\] has no id and durationMs/],
      [
        'step.json',
        '{"scenarios":[{"id":"a","durationMs":1,"steps":[{"durationMs":1},{}]}]}',
        /step\.json: scenarios\[0\] has no id and durationMs \(of each step\)/,
      ],
    ];
    for (const [name, text, message] of refused) {
      const file = name === 'missing.json' ? join(root, 'nothing.json') : write(name, text);
      const error = (() => {
        try {
          durationsFrom(file);
        } catch (e) {
          return e as Error;
        }
      })();
      t.ok(error instanceof UsageError, `${name}: a usage error (exit 2)`);
      t.match(error?.message, message, name);
    }
  },
);

const SUBSET = ['run', 'scenarios/chat', '--grep', 'refused', '--quiet', '--reporter', 'json'];
const report = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunResult;
const records = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, any>);

t.test('run --shard: usage errors before anything runs, exit 2 and no report', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--shard', '12/12'], /shard 12\/12 has no scenario: the selection holds 11, so use at most 11 shards/],
    [['--shard', '0/3'], /--shard takes i\/n with 1 ≤ i ≤ n \(e\.g\. 2\/4\); got "0\/3"/],
    [['--shard-durations', 'x.json'], /--shard-durations goes with --shard i\/n/],
    [['--shard', '1/2', '--adapter', 'reference,other'], /a differential run \(--adapter a,b\) cannot be merged/],
    [['--shard', '1/2', '--shard-durations', join(root, 'nothing.json')], /not a readable report\.json/],
    [['--shard', '1/2', '--update-baseline', join(root, 'baseline.yaml')], /a shard sees only its part/],
  ];
  for (const [args, message] of cases) {
    const out = join(mkdtempSync(join(root, 'usage-')), 'out');
    const r = await cli([...SUBSET, ...args, '--out', out]);
    t.equal(r.code, 2, args.join(' '));
    t.match(r.err, message);
    t.notOk(existsSync(out), 'no report folder');
  }
});

t.test('a shard plays its part only and writes its blob: begin, its results, end', async (t) => {
  const whole = join(root, 'whole');
  t.equal((await cli([...SUBSET, '--out', whole])).code, 0);
  const all = report(whole).scenarios.map((s) => s.id);
  t.equal(all.length, 11);
  const out = join(root, 'balanced');
  const r = await cli([...SUBSET, '--shard', '2/3', '--shard-durations', join(whole, 'report.json'), '--out', out]);
  t.equal(r.code, 0, r.err);
  const expected = split(report(whole).scenarios, 3, durationsFrom(join(whole, 'report.json')))[1]!.map((s) => s.id);
  t.same(
    report(out).scenarios.map((s) => s.id),
    expected,
    "shard 2's part of the split by the report's durations",
  );
  const [begin, ...rest] = records(join(out, 'blob', 'shard-2-of-3.jsonl'));
  const end = rest.pop()!;
  t.same(begin, {
    type: 'begin',
    format: 'interop-conformance-blob/1',
    shard: { index: 2, total: 3 },
    selected: all,
    assigned: expected,
    baseline: [],
  });
  t.same(
    rest.map((x) => [x.type, x.result.id]),
    expected.map((id) => ['result', id]),
  );
  t.equal(end.type, 'end');
  t.equal(end.summary.runId, report(out).summary.runId, 'the blob is one of the run report set');
  t.same(end.summary.gate, report(out).summary.gate);
  const trace = new Set(report(out).scenarios.flatMap((s) => s.steps.flatMap((st) => st.trace ?? [])));
  t.same(end.taken, [...trace].sort(), 'the rules its predictions took, for model coverage');
});

t.test('a folder holds one run: blobs of another shard or of an unsharded run are removed', async (t) => {
  const out = join(root, 'one-folder');
  const blobs = () => (existsSync(join(out, 'blob')) ? readdirSync(join(out, 'blob')).sort() : []);
  t.equal((await cli([...SUBSET, '--reporter', 'json,blob', '--out', out])).code, 0);
  t.same(blobs(), ['shard-1-of-1.jsonl'], '--reporter blob unsharded: shard 1 of 1');
  t.equal((await cli([...SUBSET, '--shard', '3/3', '--reporter', 'json', '--out', out])).code, 0);
  t.same(blobs(), ['shard-3-of-3.jsonl'], '--shard adds the blob; the 1/1 blob of the earlier run goes');
  t.equal((await cli([...SUBSET, '--reporter', 'json', '--out', out])).code, 0);
  t.same(blobs(), [], 'a run writing no blob removes the earlier one');
});
