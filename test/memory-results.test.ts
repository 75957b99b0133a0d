/**
 * Issue 9, peak memory at 20×: `run` keeps no scenario result once its reporters have had it. A child process runs
 * the CLI's `main` on three copies of three scenario files, watching every result the reporters are handed (a weak
 * reference, and its JSON); when the reports start to render (`onEnd`), after a full GC, it counts the results still
 * alive. Before the results were spilled (reports/result-spill.ts) all nine were: the run held them for its reports.
 * The reports must still hold exactly what the reporters were handed.
 *
 * The child is this file, run with MEMORY_RESULTS_CHILD set (it then prints one JSON line and imports no tap).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { RunResult, ScenarioResult } from '../reports/results.js';

const FILES = [
  'chat/both-ways-after-teams-starts.yaml',
  'block/block-unblock-block-again.yaml',
  'search/government-cloud-hides-tenant.yaml',
];
const COPIES = 3;

interface Seen {
  code: number;
  handed: number;
  aliveAtEnd: number;
  handedJson: string[];
  /** The scenario text files in the temporary folder while the reports render: [their lines]. */
  scenarioSpills: number[];
  /** What the run left in the temporary folder once it returned. */
  leftAfter: string[];
}

const ours = () => readdirSync(tmpdir()).filter((f) => f.startsWith('interop-conformance-'));

async function child(dir: string, out: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const { Multiplexer } = await import('../reports/multiplexer.js');
  const refs: WeakRef<ScenarioResult>[] = [];
  const handedJson: string[] = [];
  let aliveAtEnd = -1;
  let scenarioSpills: number[] = [];
  const { onScenarioEnd, onEnd } = Multiplexer.prototype;
  Multiplexer.prototype.onScenarioEnd = function (this: InstanceType<typeof Multiplexer>, r: ScenarioResult) {
    refs.push(new WeakRef(r));
    handedJson.push(JSON.stringify(r));
    return onScenarioEnd.call(this, r);
  };
  Multiplexer.prototype.onEnd = async function (this: InstanceType<typeof Multiplexer>, run: RunResult) {
    await new Promise((r) => setImmediate(r)); // a new task: weak references read earlier no longer hold
    gc();
    aliveAtEnd = refs.filter((w) => w.deref() !== undefined).length;
    scenarioSpills = ours()
      .filter((f) => f.startsWith('interop-conformance-scenarios-'))
      .map((f) => readFileSync(join(tmpdir(), f, 'scenarios.jsonl'), 'utf8').split('\n').length - 1);
    return onEnd.call(this, run);
  };
  if (process.env.MEMORY_RESULTS_SPILL_FROM_START) {
    // Nine results are far below what a run holds before spilling (SPILL_AFTER): spill them from the start.
    const { SPILL_AFTER } = await import('../reports/result-spill.js');
    Object.assign(SPILL_AFTER, { resultSteps: 0, wholeSteps: 0, scenarioChars: 0 });
  }
  const { main } = await import('../harness/cli.js');
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const code = await main(['run', dir, '--out', out, '--no-cache'], {
    stdout: sink,
    stderr: process.stderr,
    env: { ...process.env, CI: '1' },
  });
  const seen: Seen = { code, handed: refs.length, aliveAtEnd, handedJson, scenarioSpills, leftAfter: ours() };
  process.stdout.write(`${JSON.stringify(seen)}\n`);
}

if (process.env.MEMORY_RESULTS_CHILD) {
  const [dir, out] = process.env.MEMORY_RESULTS_CHILD.split('\n');
  await child(dir!, out!);
} else {
  const t = (await import('tap')).default;
  /** The child's run of three copies of FILES, spilling from the start or holding as a run of their size does. */
  const runChild = (spillFromStart: boolean) => {
    const tmp = mkdtempSync(join(tmpdir(), 'ic-memory-results-'));
    t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
    const dir = join(tmp, 'scenarios');
    for (const f of FILES) {
      const area = f.split('/')[0]!;
      mkdirSync(join(dir, area), { recursive: true });
      const text = readFileSync(join('scenarios', f), 'utf8');
      for (let i = 1; i <= COPIES; i++) writeFileSync(join(dir, area, `${basename(f, '.yaml')}--c${i}.yaml`), text);
    }
    const out = join(tmp, 'out');
    const temp = join(tmp, 'temp'); // the child's own temporary folder: what it leaves there is the run's
    mkdirSync(temp);
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: {
        ...process.env,
        MEMORY_RESULTS_CHILD: `${dir}\n${out}`,
        ...(spillFromStart ? { MEMORY_RESULTS_SPILL_FROM_START: '1' } : {}),
        TMPDIR: temp,
        _TAPJS_PROCESSINFO_COVERAGE_: '0',
      },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    t.ok(line.startsWith('{'), `the child's report: ${r.stderr.slice(-2000)}`);
    return { seen: JSON.parse(line) as Seen, out };
  };
  t.test(
    'run keeps no scenario result once reported, and its reports hold exactly what reporters were handed',
    async (t) => {
      const { seen, out } = runChild(true);
      t.equal(seen.code, 0, 'conformant');
      t.equal(seen.handed, FILES.length * COPIES, 'every scenario result was handed to the reporters');
      t.equal(seen.aliveAtEnd, 0, 'none of them is alive when the reports render');
      t.same(seen.scenarioSpills, [FILES.length * COPIES], "the scenarios' texts are in one file, one line each");
      t.same(seen.leftAfter, [], 'the run removed its temporary files (scenarios and results)');
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunResult;
      t.same(
        report.scenarios,
        seen.handedJson.map((j) => JSON.parse(j) as unknown),
        'report.json holds each result as handed',
      );
      t.match(readFileSync(join(out, 'junit.xml'), 'utf8'), new RegExp(`tests="${FILES.length * COPIES}"`));
    },
  );
  t.test(
    'a run far below what is held before spilling (SPILL_AFTER) spills nothing, and writes the same report',
    async (t) => {
      const { seen, out } = runChild(false);
      t.equal(seen.code, 0, 'conformant');
      t.equal(seen.aliveAtEnd, FILES.length * COPIES, 'all 9 results held in memory to the reports');
      t.same(seen.scenarioSpills, [], 'no file of scenario texts');
      t.same(seen.leftAfter, [], 'nothing in the temporary folder');
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunResult;
      t.same(
        report.scenarios,
        seen.handedJson.map((j) => JSON.parse(j) as unknown),
        'report.json holds each as handed',
      );
    },
  );
}
