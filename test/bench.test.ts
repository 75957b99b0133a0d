/**
 * `npm run bench` (bench/): its arithmetic, its settings, and a smoke run with tiny settings that writes JSON of the
 * documented shape. The shape and the counts are pinned, never a timing.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, BenchUsageError, SECTIONS, settings, type Results } from '../bench/bench.js';
import { ChildError, runNode } from '../bench/child.js';
import { availableClis, CLIS } from '../bench/cold.js';
import { figures, takesNoCache } from '../bench/growth.js';
import { spread } from '../bench/stats.js';

t.test('a spread is the median, the quartiles and the extremes of the values, whatever their order', async (t) => {
  t.same(spread([4, 1, 3, 2]), { n: 4, median: 2.5, q1: 1.75, q3: 3.25, min: 1, max: 4 });
  t.same(spread([7]), { n: 1, median: 7, q1: 7, q3: 7, min: 7, max: 7 });
  t.throws(() => spread([]), /no values/, 'nothing to summarise is an error, not NaN');
});

t.test('the defaults are 7 pairs, 3 growth rounds over 1, 2, 5, 10, 20×, every section', async (t) => {
  t.same(settings([]), {
    pairs: 7,
    growthRounds: 3,
    sizes: [1, 2, 5, 10, 20],
    suite: 'scenarios',
    out: 'bench-results.json',
    only: [...SECTIONS],
    workersCopies: 3,
  });
  t.equal(settings(['--pairs', '9']).pairs, 9);
});

t.test('bad settings are refused with a message naming the option', async (t) => {
  const refused: [string[], RegExp][] = [
    [['--pairs', '0'], /--pairs must be a whole number ≥ 1, not "0"/],
    [['--pairs', '2.5'], /--pairs must be a whole number/],
    [['--sizes', '2,5'], /--sizes must start at 1/],
    [['--only', 'cold,speed'], /--only: no section speed/],
    [['--paris', '3'], /Unknown option '--paris'/],
  ];
  for (const [argv, message] of refused) t.throws(() => settings(argv), message, argv.join(' '));
  t.throws(() => settings(['--pairs', '0']), { name: BenchUsageError.name }, 'a usage error (exit 2)');
});

t.test('npm run bench with a bad setting exits 2 with one line, no stack, nothing measured', async (t) => {
  // No coverage in the child: its tsx compiles the sources other than tap's loader does, and tap's merge of the two
  // by URL reads lines the tests run as not run.
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/bench.ts', '--pairs', '0'], {
    encoding: 'utf8',
    env: { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' },
  });
  t.equal(r.status, 2);
  t.equal(r.stderr, 'bench: --pairs must be a whole number ≥ 1, not "0"\n');
  t.equal(r.stdout, '');
});

t.test('growth ratios are taken within a round: each size over the 1× run of the same round', async (t) => {
  const [one, two] = figures([
    { k: 1, scenarios: 10, wallMs: [100, 200], runMs: [10, 20], peakRssMiB: [100, 100] },
    { k: 2, scenarios: 20, wallMs: [150, 400], runMs: [20, 60], peakRssMiB: [110, 130] },
  ]);
  t.same(one!.perScenarioWallRatio, spread([1, 1]));
  t.equal(one!.marginalPerScenarioMs, null, 'nothing beyond 1× at 1×');
  // Round 1: 7.5 ms a scenario against 10 → 0.75; round 2: 20 against 20 → 1. Across rounds it would be 0.75–2.
  t.same(two!.perScenarioWallRatio, spread([0.75, 1]));
  t.same(two!.perScenarioRunRatio, spread([1, 1.5]));
  t.same(two!.peakRssRatio, spread([1.1, 1.3]));
  t.same(two!.marginalPerScenarioMs, spread([5, 20]), 'what the 10 scenarios beyond 1× added, a scenario');
});

t.test('a timed process that exits with an unexpected code fails the bench, saying which and why', async (t) => {
  await t.rejects(runNode(['-e', 'console.error("broken"); process.exit(3)']), {
    name: ChildError.name,
    message: /exited 3: broken$/,
  });
  await t.rejects(runNode(['-e', 'process.exit(3)']), /node -e process\.exit\(3\) exited 3$/);
  t.equal((await runNode(['-e', 'process.exit(1)'], { okCodes: [0, 1] })).code, 1, 'a code it expects is timed');
  const rss = await runNode(['-e', 'globalThis.keep = Buffer.alloc(64 * 2 ** 20, 1)'], { maxRss: true });
  t.ok(rss.peakRssMiB! > 64, `the child's own peak RSS, after touching 64 MiB: ${rss.peakRssMiB} MiB`);
});

t.test('a tiny bench runs every section and writes JSON of the documented shape', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ic-bench-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // Two scenarios that play in process and two wire probes, which only the HTTP section plays.
  const suite = join(dir, 'suite');
  for (const [area, name] of [
    ['chat', 'both-ways-after-skype-starts'],
    ['chat', 'both-ways-after-teams-starts'],
    ['security', 'cannot-send-as-another-user'],
    // Its chunked oversized body must be replayed as sent: a replay without it got 400 for 413 (otherAnswers 2).
    ['security', 'oversized-body-refused'],
  ]) {
    mkdirSync(join(suite, area!), { recursive: true });
    cpSync(join('scenarios', area!, `${name}.yaml`), join(suite, area!, `${name}.yaml`));
  }
  const out = join(dir, 'bench.json');
  const lines: string[] = [];
  const returned = await bench(
    // The workers section (cold runs of --workers 1 and 2) has its own test: test/workers-bench.test.ts.
    {
      ...settings(['--pairs', '2', '--growth-rounds', '1', '--sizes', '1,2', '--out', out]),
      only: ['cold', 'version', 'warm', 'http', 'growth'],
      suite,
    },
    (l) => lines.push(l),
  );
  const results = JSON.parse(readFileSync(out, 'utf8')) as Results;
  t.same(results, JSON.parse(JSON.stringify(returned)), 'the JSON is what the bench returned');
  t.same(Object.keys(results), [
    'bench',
    'date',
    'machine',
    'settings',
    'distStale',
    'comparisons',
    'http',
    'warm',
    'growth',
    'growthNoCache',
    'workers',
  ]);
  const clis = availableClis();
  t.same(
    results.comparisons.map((c) => c.id),
    [
      // A CLI with a load cache is timed with it warm and with --no-cache (a dist/ built before it, plainly).
      ...clis.flatMap((c) => (takesNoCache(CLIS[c], '.') ? [`run-${c}`, `run-${c}-no-cache`] : [`run-${c}`])),
      ...clis.map((c) => `version-${c}`),
      'warm',
      'warm-run',
      'http',
      'http-world',
    ],
    'every comparison, cold ones for each CLI present (dist/ once built)',
  );
  for (const c of results.comparisons) {
    t.same(Object.keys(c), ['id', 'a', 'b', 'goal', 'aMs', 'bMs', 'ratio', 'ratios'], `${c.id}: its fields`);
    t.equal(c.ratios.length, 2, `${c.id}: one ratio per pair`);
    t.same(Object.keys(c.ratio), ['n', 'median', 'q1', 'q3', 'min', 'max'], `${c.id}: a spread`);
    t.equal(c.ratio.n, 2);
    t.equal(c.goal!.met, c.ratio.median <= c.goal!.max, `${c.id}: the goal judged by the median`);
  }
  t.same(results.warm, { scenarios: 2, steps: 11 }, 'warm: the two in-process scenarios, every step');
  t.match(results.http, { scenarios: 4, steps: 16, missedCursors: 0, otherAnswers: 0 }, 'http: the same work');
  t.equal(results.http!.requestsPerRun.n, 2);
  t.match(results.http!.world, { missedCursors: 0, otherAnswers: 0 }, 'http, events=world: the same work');
  t.equal(
    results.http!.world!.perStep.streams! * 16,
    8,
    'events=world: one world stream opened and reopened once per scenario, 2 a scenario',
  );
  t.same(
    results.growth!.map((g) => [g.k, g.scenarios, g.wallMs.n]),
    [
      [1, 4, 1],
      [2, 8, 1],
    ],
    'growth: distinct copies, each size run once a round',
  );
  const cli = clis.includes('dist') ? CLIS.dist : CLIS.bin;
  t.equal(results.growthNoCache, takesNoCache(cli, '.'), 'growth skips a load cache when the CLI has one');
  writeFileSync(join(dir, 'offers.mjs'), `console.log('--no-cache   skip the load cache')`);
  writeFileSync(join(dir, 'lacks.mjs'), `console.log('--out DIR   report folder')`);
  t.equal(takesNoCache(join(dir, 'offers.mjs'), '.'), true, 'a help that offers --no-cache');
  t.equal(takesNoCache(join(dir, 'lacks.mjs'), '.'), false, 'a help that does not');
  t.equal(results.workers, null, 'workers: not asked for');
  t.match(lines.at(-1), `written: ${out}`);
});
