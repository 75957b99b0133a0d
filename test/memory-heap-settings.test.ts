/**
 * harness/heap-settings.ts: in a long run (more than LONG_RUN_FILES scenario files) the CLI program keeps V8's young
 * generation at its initial size (main thread and worker threads); a short run, and the package API whatever its
 * size, leave the process's V8 settings as they were. Each child runs with a
 * preload that, as the process exits, allocates what grows a default young generation (objects that survive a
 * scavenge or two, as loading's do) and records the new space's size before and after, and the resource limits of
 * every worker thread started. No timing, no RSS threshold: sizes V8 reports.
 */
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  applyCliHeapSettings,
  heapSettingsForRun,
  keepHeapSettings,
  LONG_RUN_FILES,
  threadResourceLimits,
  THREAD_YOUNG_GENERATION_MB,
} from '../harness/heap-settings.js';
import v8 from 'node:v8';
import { SCENARIOS_DIR } from '../specs/schemas/files.js';

interface HeapFacts {
  /** The new space's size (both semi-spaces): when the preload ran, as the process exits, after the churn then. */
  initial: number;
  atExit: number;
  final: number;
  /** The `resourceLimits` option of each worker thread started, null when none. */
  threads: (Record<string, number> | null)[];
}

/** Grows a default young generation: ~60 MB allocated, a tenth of it kept for a while. Also sent as text, to children. */
function churn(): void {
  const keep: unknown[] = [];
  for (let i = 0; i < 1e6; i++) {
    const o = { i, s: 'x' + i, a: [i] };
    if (i % 10 === 0) keep.push(o);
    if (keep.length > 50000) keep.length = 0;
  }
}

/** The new space's size, both semi-spaces. Also sent as text: `v8` is in scope where it runs. */
function newSpace(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;
}

const PRELOAD = `import v8 from 'node:v8';
import { writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import wt from 'node:worker_threads';
const newSpace = ${newSpace};
const churn = ${churn};
const initial = newSpace();
const threads = [];
const Base = wt.Worker;
wt.Worker = class extends Base {
  constructor(what, options) {
    super(what, options);
    threads.push(options?.resourceLimits ?? null);
  }
};
syncBuiltinESMExports();
process.on('exit', () => {
  const atExit = newSpace();
  churn();
  writeFileSync(process.env.HEAP_FACTS_FILE, JSON.stringify({ initial, atExit, final: newSpace(), threads }));
});
`;

const BIN = new URL('../bin/interop-conformance.js', import.meta.url).pathname;
const API = new URL('../harness/api.ts', import.meta.url).href;

const SMALL = ['both-ways-after-teams-starts', 'long-texts-arrive-whole', 'group-chat-refused'];

/**
 * A child `node --import <preload> ...args` (`DIR`: its own folder, holding `suite/chat/`: the three SMALL scenarios,
 * or with `long`, LONG_RUN_FILES + 1 copies of the smallest, each a file of its own).
 */
function heapFacts(t: Test, args: readonly string[], long = false): HeapFacts {
  const dir = t.testdir({ suite: { chat: {} } });
  const at = (name: string) => join(dir, 'suite', 'chat', `${name}.yaml`);
  if (!long) for (const name of SMALL) copyFileSync(join(SCENARIOS_DIR, 'chat', `${name}.yaml`), at(name));
  else {
    const text = readFileSync(join(SCENARIOS_DIR, 'chat', 'group-chat-refused.yaml'), 'utf8');
    for (let i = 0; i <= LONG_RUN_FILES; i++) writeFileSync(at(`group-chat-refused--c${i}`), text);
  }
  const preload = join(dir, 'heap-facts.mjs');
  writeFileSync(preload, PRELOAD);
  const file = join(dir, 'facts.json');
  const r = spawnSync(process.execPath, ['--import', preload, ...args.map((a) => a.replaceAll('DIR', dir))], {
    cwd: dir,
    env: { ...process.env, HEAP_FACTS_FILE: file, _TAPJS_PROCESSINFO_COVERAGE_: '0' },
    encoding: 'utf8',
  });
  t.equal(r.status, 0, `the run is conformant ${r.stderr.slice(-1000)}`);
  return JSON.parse(readFileSync(file, 'utf8')) as HeapFacts;
}

const cli = (...more: string[]) => [BIN, 'run', 'DIR/suite', '--out', 'DIR/out', '--no-cache', ...more];

t.test(
  "a short run keeps V8's defaults: the same churn grows its young generation, threads get no limits",
  async (t) => {
    const f = heapFacts(t, cli('--workers', '2'));
    t.ok(f.final > f.atExit, `grown: ${f.atExit} -> ${f.final} bytes`);
    t.same(f.threads, [null, null], "two threads, V8's defaults");
  },
);

t.test(
  `a long run (more than ${LONG_RUN_FILES} files) keeps its young generation at its initial size, and its threads' at 3 MiB`,
  async (t) => {
    const f = heapFacts(t, cli('--workers', '2'), true);
    t.same(f.threads, [{ maxYoungGenerationSizeMb: 3 }, { maxYoungGenerationSizeMb: 3 }]);
    t.equal(f.final, f.atExit, "the main thread's: the new space after the churn as before it");
  },
);

t.test("the package API leaves the process's V8 settings: the same churn grows its young generation", async (t) => {
  const code = `const { runConformance } = await import(${JSON.stringify(API)});
const o = await runConformance({ adapter: 'reference', scenarios: process.argv[1] });
if (o.exitCode !== 0) { console.error(o.errors.join('\\n')); process.exitCode = 1; }`;
  const f = heapFacts(t, ['--import', 'tsx', '--input-type=module', '-e', code, 'DIR/suite']);
  t.ok(f.final > f.atExit, `grown: ${f.atExit} -> ${f.final} bytes`);
});

t.test('a thread started with these limits keeps a 1 MiB semi-space; one without grows its own', async (t) => {
  const inThread = `const v8 = require('node:v8');
const newSpace = ${newSpace};
const initial = newSpace();
(${churn})();
require('node:worker_threads').parentPort.postMessage([initial, newSpace()]);`;
  const sizes = (resourceLimits?: { maxYoungGenerationSizeMb: number }) =>
    new Promise<[number, number]>((done, fail) =>
      new Worker(inThread, { eval: true, ...(resourceLimits ? { resourceLimits } : {}) })
        .once('message', done)
        .once('error', fail),
    );
  const [initial, capped] = await sizes({ maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB });
  t.equal(capped, 2 * 1024 * 1024, 'two semi-spaces of 1 MiB');
  t.equal(capped, initial, 'as it started');
  const [, free] = await sizes();
  t.ok(free > capped, `V8's default grows it: ${free} bytes`);
});

// Last: it applies the CLI's settings to this test process. (That a thread's start leaves the main thread its
// settings is shown by the `--workers 2` run above: this process's young generation has long grown.)
t.test('once applied, threads get the CLI young generation; before, V8 defaults', async (t) => {
  t.equal(threadResourceLimits(), undefined, 'before: V8 defaults for threads');
  t.equal(heapSettingsForRun(LONG_RUN_FILES + 1), false, 'not the program: a long run here applies nothing');
  applyCliHeapSettings();
  applyCliHeapSettings(); // idempotent
  t.same(threadResourceLimits(), { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB });
  const started = new Worker("require('node:worker_threads').parentPort.postMessage('up')", {
    eval: true,
    resourceLimits: threadResourceLimits()!,
  });
  const thread = keepHeapSettings(started);
  t.equal(thread, started, 'the thread itself, watched');
  t.equal(await new Promise((said) => thread.once('message', said)), 'up');
  await new Promise((done) => thread.once('exit', done));
});
