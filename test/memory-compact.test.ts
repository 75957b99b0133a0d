/**
 * harness/compact-scenarios.ts: `run` holds each scenario compact from when it is loaded until the runner takes it.
 * What the runner expands must be the scenario as loaded; selection reads the facts without expanding anything; a
 * worker thread receives the compact form and expands the same; the loader says the same problems either way.
 */
import t from 'tap';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  compactScenario,
  expanded,
  loadCompact,
  portable,
  rulesTaken,
  ScenarioTexts,
} from '../harness/compact-scenarios.js';
import { TextSpill } from '../reports/result-spill.js';
import { findScenarioFiles, freshLoader, loadScenarios } from '../harness/load.js';
import { loadCatalogue } from '../harness/specs-files.js';
import { coverageOfRules, modelCoverage } from '../harness/model-coverage.js';
import { SCENARIOS_DIR } from '../specs/schemas/files.js';

const catalogue = loadCatalogue().requirements;
const files = findScenarioFiles([SCENARIOS_DIR]);
const { scenarios } = loadScenarios(files, catalogue);

t.test('every scenario of the suite expands to the scenario as loaded, its facts read unexpanded', async (t) => {
  const compact = scenarios.map((s) => compactScenario(s));
  t.equal(compact.length, 163);
  t.same(compact.map(expanded), scenarios, 'expanded: as loaded');
  t.same(
    compact.map((s) => [s.id, s.title, s.file, s.area, s.tags, s.requirements, s.deadlineMs]),
    scenarios.map((s) => [s.id, s.title, s.file, s.area, s.tags, s.requirements, s.deadlineMs]),
    'the selection facts, as fields',
  );
  t.same(compact[7]!.steps, scenarios[7]!.steps, 'steps and world read on a compact one: expanded for the read');
  t.same(compact[7]!.world, scenarios[7]!.world);
  t.equal(compactScenario(compact[3]!), compact[3], 'compacting a compact scenario leaves it');
  t.equal(expanded(scenarios[3]!), scenarios[3], 'expanding a whole scenario leaves it');
  // What a worker thread receives (`portable`, structured cloned) expands the same.
  t.same(expanded(structuredClone(portable(compact[11]!))), scenarios[11]);
  t.same(
    coverageOfRules(rulesTaken(compact)),
    modelCoverage(scenarios),
    'model coverage from the rules taken, read compact, is that of the loaded scenarios',
  );
  t.same(
    [...rulesTaken(compact, new Set([compact[5]!.id]))],
    [...new Set(scenarios[5]!.steps.flatMap((st) => st.prediction.trace))],
    'only the scenarios with a result (an interrupted run)',
  );
});

t.test('loading compact says the same problems, located the same, and keeps the same scenarios', async (t) => {
  const dir = t.testdir({ chat: {} });
  const good = files.find((f) => f.endsWith('chat/both-ways-after-teams-starts.yaml'))!;
  const text = readFileSync(good, 'utf8');
  writeFileSync(join(dir, 'chat', 'a.yaml'), `id: chat/same\n${text}`);
  writeFileSync(join(dir, 'chat', 'b.yaml'), `id: chat/same\n${text}`); // the same id in two files
  writeFileSync(join(dir, 'chat', 'c.yaml'), 'title: [unclosed\n');
  writeFileSync(join(dir, 'chat', 'd.yaml'), text);
  const mine = findScenarioFiles([dir]);
  const whole = freshLoader.scenarios(mine, catalogue);
  const compact = loadCompact(freshLoader, mine, catalogue);
  t.equal(whole.problems.length, 2, 'the clash and the syntax error');
  t.same(compact.problems, whole.problems);
  t.same(compact.scenarios.map(expanded), whole.scenarios);
  t.ok(
    compact.scenarios.every((s) => portable(s) !== s),
    'each held compact',
  );
});

const FACTS = ['id', 'title', 'file', 'area', 'tags', 'requirements'];
/** A spill under `parent` as the run makes it, kept in `made` for the test to look at. */
const spillIn = (parent: string, made: TextSpill[]) => () => {
  const spill = new TextSpill(parent, 'interop-conformance-scenarios-', 'scenarios.jsonl');
  made.push(spill);
  return spill;
};

t.test(
  "a run's scenario texts go to a private file, read back as loaded, and the file goes with dispose",
  async (t) => {
    const parent = t.testdir();
    const made: TextSpill[] = [];
    const texts = new ScenarioTexts(spillIn(parent, made));
    const compact = loadCompact(freshLoader, files, catalogue, texts).scenarios;
    t.equal(texts.spilled, true);
    const [folder] = readdirSync(parent);
    t.match(folder, /^interop-conformance-scenarios-/);
    const file = join(parent, folder!, 'scenarios.jsonl');
    t.equal(statSync(join(parent, folder!)).mode & 0o777, 0o700, 'the folder: 0700');
    t.equal(statSync(file).mode & 0o777, 0o600, 'the file: 0600');
    t.equal(readFileSync(file, 'utf8').split('\n').length - 1, 163, 'one line a scenario');
    t.same(compact.map(expanded), scenarios, 'each expands to the scenario as loaded, read back from the file');
    t.same(compact[7]!.steps, scenarios[7]!.steps);
    t.same(expanded(structuredClone(portable(compact[11]!))), scenarios[11], 'what a thread receives expands the same');
    t.same(
      Object.keys(compact[0]!).filter((k) => !FACTS.includes(k) && k !== 'deadlineMs'),
      [],
      'the facts alone are its own fields: the text is not in the heap (nor cloned to a thread)',
    );
    texts.dispose();
    t.equal(existsSync(join(parent, folder!)), false, 'dispose removes the folder');
    t.throws(() => expanded(compact[0]!), /spilled scenarios were read after the run was done/);
    texts.dispose(); // twice: nothing more
    t.equal(made.length, 1);
  },
);

t.test('with no temporary folder to spill to, the texts stay in memory and read back the same', async (t) => {
  const texts = new ScenarioTexts(spillIn(join(t.testdir(), 'missing'), []));
  t.equal(texts.spilled, false);
  const compact = scenarios.map((s) => compactScenario(s, texts));
  t.same(compact.map(expanded), scenarios);
  texts.dispose();
  t.same(expanded(compact[4]!), scenarios[4], 'kept in memory: still read after dispose');
});

t.test(
  'a write that fails midway (a full disk): what was spilled comes back into memory, the rest stays there',
  async (t) => {
    const parent = t.testdir();
    class FullAfterFive extends TextSpill {
      override add(text: string): number {
        if (this.length === 5) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        return super.add(text);
      }
    }
    const texts = new ScenarioTexts(
      () => new FullAfterFive(parent, 'interop-conformance-scenarios-', 'scenarios.jsonl'),
    );
    t.equal(texts.spilled, true);
    const compact = scenarios.map((s) => compactScenario(s, texts));
    t.equal(texts.spilled, false, 'in memory since the failed write');
    t.same(readdirSync(parent), [], 'the spill is removed at once');
    t.same(compact.map(expanded), scenarios, 'the five spilled and the rest read back as loaded');
  },
);

t.test('a process that ends without dispose (the run never began) removes the file on its way out', async (t) => {
  const parent = t.testdir();
  const module = new URL('../harness/compact-scenarios.ts', import.meta.url).href;
  const spill = new URL('../reports/result-spill.ts', import.meta.url).href;
  const code = `const { ScenarioTexts } = await import(${JSON.stringify(module)});
    const { TextSpill } = await import(${JSON.stringify(spill)});
    const texts = new ScenarioTexts(() => new TextSpill(${JSON.stringify(parent)}, 'interop-conformance-scenarios-'));
    texts.add('{}');
    console.log((await import('node:fs')).readdirSync(${JSON.stringify(parent)}).length);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    env: { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' },
    encoding: 'utf8',
  });
  t.equal(r.stdout.trim(), '1', `one spill while it ran ${r.stderr.slice(-1000)}`);
  t.same(readdirSync(parent), [], 'none once it ended');
});

t.test('worker threads play spilled compact scenarios, and keep no result when the run records them', async (t) => {
  const { runInThreads } = await import('../harness/workers/pool.js');
  const texts = new ScenarioTexts(spillIn(t.testdir(), []));
  t.teardown(() => texts.dispose());
  const three = scenarios.slice(0, 3).map((s) => compactScenario(s, texts));
  const threads = (keepResults?: boolean) => {
    const reported: string[] = [];
    const results = runInThreads(three, {
      recipe: { spec: 'reference', options: {}, timeoutMs: 10_000 },
      run: { deadlineMs: 2000, stepTimeoutMs: 10_000, settleMs: 0 },
      threads: 2,
      adapterName: 'reference',
      reporter: { onScenarioEnd: (r) => void reported.push(`${r.id} ${r.verdict}`) },
      onCrash: (c) => t.fail(c),
      onSecrets: () => {},
      onNote: () => {},
      ...(keepResults === undefined ? {} : { keepResults }),
    });
    return results.then((r) => ({ kept: r.length, reported }));
  };
  const played = scenarios.slice(0, 3).map((s) => `${s.id} pass`);
  t.same(await threads(false), { kept: 0, reported: played }, 'recorded by the reporter alone: none kept');
  t.same(await threads(), { kept: 3, reported: played }, 'by default (the API) every result is kept');
});

t.test('texts are held in memory up to the budget of characters, then all go to one spill, in order', async (t) => {
  const made: TextSpill[] = [];
  const budget = JSON.stringify(portable(scenarios[0]!)).length; // about one scenario's text: crossed by the second
  const texts = new ScenarioTexts(spillIn(t.testdir(), made), budget);
  const first = compactScenario(scenarios[0]!, texts);
  t.equal(texts.spilled, false, 'one scenario: in memory');
  t.equal(made.length, 0, 'no spill made');
  const rest = scenarios.slice(1, 5).map((s) => compactScenario(s, texts));
  t.equal(texts.spilled, true, 'past the budget: on disk');
  t.equal(made.length, 1);
  t.equal(made[0]!.length, 5, 'the text held so far moved to the spill, then the others');
  t.same([first, ...rest].map(expanded), scenarios.slice(0, 5), 'each expands to the scenario as loaded');
  texts.dispose();
});

t.test('scenarios stay whole while few (wholeSteps), and all are made compact once they pass it', async (t) => {
  const few = new ScenarioTexts(spillIn(t.testdir(), []), 2 ** 30, 10 ** 6);
  const whole = loadCompact(freshLoader, files, catalogue, few).scenarios;
  t.equal(
    whole.filter((s) => portable(s) !== s).length,
    0,
    'all 163 whole under a budget of a million steps: none compact',
  );
  t.same(whole, scenarios);
  const past = new ScenarioTexts(spillIn(t.testdir(), []), 2 ** 30, 100);
  const compact = loadCompact(freshLoader, files, catalogue, past).scenarios;
  t.equal(compact.filter((s) => portable(s) !== s).length, 163, 'past 100 steps: all 163 compact');
  t.same(compact.map(expanded), scenarios);
});
