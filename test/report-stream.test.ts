/**
 * File reports are written as they render (issue 9: peak RSS at 20× the suite): report.json is still exactly
 * `JSON.stringify(redactDeep(run), null, 2)`, every format is still whole and the same, no format hands the writer
 * its whole text at once, and the report set's guarantees hold for reports written before its commit.
 */
import t from 'tap';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../harness/cli.js';
import { renderHtmlChunks } from '../reports/html.js';
import { renderJsonChunks } from '../reports/json.js';
import { renderJunitChunks } from '../reports/junit.js';
import { renderMarkdownChunks } from '../reports/markdown.js';
import { redactDeep } from '../reports/redact.js';
import { ReportSet } from '../reports/report-set.js';
import type { RunResult } from '../reports/results.js';
import { writeDurably } from '../reports/write-file.js';

const sink = () => new Writable({ write: (_c, _e, done) => done() });

/** A small real run with failures (chat scenarios, a fault), its reports in `outDir`; the RunResult as reported. */
let once: Promise<{ run: RunResult; outDir: string; code: number }> | undefined;
const realRun = () => (once ??= aRealRun());

async function aRealRun(): Promise<{ run: RunResult; outDir: string; code: number }> {
  const outDir = await mkdtemp(join(tmpdir(), 'ic-report-stream-'));
  t.teardown(() => rm(outDir, { recursive: true, force: true }));
  let run: RunResult | undefined;
  const code = await main(
    // A short deadline: each dropped message is waited for that long.
    [
      'run',
      'scenarios/chat',
      '--grep',
      'both-ways',
      '--adapter-option',
      `faults=${FAULT}`,
      '--deadline',
      '50',
      '--out',
      outDir,
    ],
    { stdout: sink(), stderr: sink(), env: { CI: '1' }, onRun: (r) => void (run = r) },
  );
  return { run: run!, outDir, code };
}

const FAULT = 'teams-to-skype-messages-dropped';
const RENDERERS = {
  'report.json': renderJsonChunks,
  'junit.xml': renderJunitChunks,
  'summary.md': renderMarkdownChunks,
  'report.html': renderHtmlChunks,
} as const;

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ic-report-stream-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test(
  'a real run: report.json is JSON.stringify(redactDeep(run), null, 2), every file its whole render',
  async (t) => {
    const { run, outDir, code } = await realRun();
    t.equal(code, 1, 'the fault closes the gate');
    t.same(
      run.scenarios.map((s) => s.verdict).sort(),
      ['fail', 'fail', 'fail', 'pass'],
      'four scenarios, three failing: the failure sections are rendered too',
    );
    t.equal(
      await readFile(join(outDir, 'report.json'), 'utf8'),
      `${JSON.stringify(redactDeep(run), null, 2)}\n`,
      'report.json byte for byte',
    );
    for (const [file, render] of Object.entries(RENDERERS))
      t.equal(await readFile(join(outDir, file), 'utf8'), [...render(run)].join(''), `${file} is its render, whole`);
    t.same((await readdir(outDir)).sort(), ['junit.xml', 'report.html', 'report.json', 'summary.md'], 'no temporary');
  },
);

t.test('report.json is redactDeep then JSON.stringify for awkward values too', async (t) => {
  const cycle: Record<string, unknown> = { name: 'c' };
  cycle.self = cycle;
  const secret = 'token=abcdefghijkl';
  const runs = [
    {
      summary: { a: 1, gone: undefined, f: () => 1, big: 10n, nan: NaN, empty: [], none: {}, text: secret },
      scenarios: [undefined, null, 1, secret, [], {}, cycle, { toJSON: () => secret }, new Date(0)],
      // Under an id field nothing is redacted, in an array of arrays too; elsewhere it is.
      failedBy: [[secret]],
      requirements: [{ id: secret, statement: secret, scenarios: [secret] }],
    },
    {
      scenarios: [{ steps: [{ observed: cycle }] }],
      summary: {
        get broken(): string {
          throw new Error('a throwing getter');
        },
      },
    },
    {},
  ];
  for (const run of runs)
    t.equal(
      [...renderJsonChunks(run as unknown as RunResult)].join(''),
      `${JSON.stringify(redactDeep(run), null, 2)}\n`,
      `keys ${Object.keys(run).join(', ') || 'none'}`,
    );
});

t.test('no format hands the writer its whole text: at 40 copies of a run, no chunk is 1/20 of it', async (t) => {
  const { run } = await realRun();
  const big: RunResult = {
    ...run,
    scenarios: Array.from({ length: 40 }, (_, i) => run.scenarios.map((s) => ({ ...s, id: `${s.id}--c${i}` }))).flat(),
  };
  for (const [file, render] of Object.entries(RENDERERS)) {
    const sizes = [...render(big)].map((c) => c.length);
    const whole = sizes.reduce((a, b) => a + b, 0);
    t.ok(Math.max(...sizes) < whole / 20, `${file}: largest chunk ${Math.max(...sizes)} of ${whole} characters`);
  }
});

/** 600 lines of 1,000 two-byte characters: more than two of the writer's batches. */
const LINE = `${'é'.repeat(999)}\n`;

t.test('a report reaches its temporary file while it is still rendering, and arrives whole', async (t) => {
  const dir = await tempDir();
  const set = new ReportSet(dir, 'run-1');
  const temp = join(dir, '.report.json.run-1.tmp');
  let midway = -1;
  function* render(): Generator<string> {
    for (let i = 0; i < 600; i++) {
      if (i === 550) midway = existsSync(temp) ? statSync(temp).size : -1;
      yield LINE;
    }
  }
  await set.write(join(dir, 'report.json'), render());
  t.ok(midway >= 2 * 256 * 1024, `${midway} bytes on disk before the last chunks were rendered`);
  t.same(await set.commit(), []);
  t.equal(await readFile(join(dir, 'report.json'), 'utf8'), LINE.repeat(600), 'whole, multi-byte text intact');
  t.same(await readdir(dir), ['report.json']);
});

t.test('a renderer that throws midway: the write rejects, its temporary goes, the previous report stays', async (t) => {
  const dir = await tempDir();
  await writeFile(join(dir, 'report.json'), 'previous');
  const set = new ReportSet(dir, 'run-2');
  function* render(): Generator<string> {
    for (let i = 0; i < 600; i++) yield LINE;
    throw new Error('a malformed result');
  }
  await t.rejects(set.write(join(dir, 'report.json'), render()), /a malformed result/);
  t.same(await set.commit(), []);
  t.equal(await readFile(join(dir, 'report.json'), 'utf8'), 'previous', 'not replaced by half a report');
  t.same(await readdir(dir), ['report.json'], 'no temporary left');
});

t.test('a commit that fails removes the temporaries written before it: the previous set stays whole', async (t) => {
  const dir = await tempDir();
  await writeFile(join(dir, 'report.json'), 'previous json');
  await writeFile(join(dir, 'summary.md'), 'previous md');
  const set = new ReportSet(dir, 'run-3');
  // Staged first, so the commit fails on it before it reaches the temporary written below.
  set.stage(join(dir, `${'x'.repeat(250)}.xml`), 'new');
  await set.write(join(dir, 'report.json'), ['new ', 'json']);
  set.discard(join(dir, 'summary.md'));
  await t.rejects(set.commit(), /ENAMETOOLONG/);
  t.equal(await readFile(join(dir, 'report.json'), 'utf8'), 'previous json');
  t.same((await readdir(dir)).sort(), ['report.json', 'summary.md'], 'nothing removed, no temporary left');
});

t.test('writeDurably never writes over a file: a report set never clobbers what it did not make', async (t) => {
  const dir = await tempDir();
  await writeFile(join(dir, 'taken'), 'mine');
  await t.rejects(writeDurably(join(dir, 'taken'), ['x']), { code: 'EEXIST' });
  t.equal(await readFile(join(dir, 'taken'), 'utf8'), 'mine');
});
