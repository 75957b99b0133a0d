/**
 * The package API (harness/api.ts, harness/test-helper.ts): runConformance and loadScenarios as a user's code calls
 * them, from the sources (test/packed-example.test.ts runs the same API compiled, from an installed tarball).
 */
import t, { type Test } from 'tap';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  builtinAdapters,
  EXIT,
  loadScenarios,
  runConformance,
  scenariosDir,
  type Adapter,
  type RunResult,
} from '../harness/api.js';
import { defaultScenarioPaths } from '../harness/scenario-files.js';
import { globRegExp } from '../harness/scenario-globs.js';
import { conformanceTests, ConformanceFailure, type TestFunction } from '../harness/test-helper.js';
import { PACKAGE_ROOT } from '../specs/schemas/files.js';
import { CHAT_SCENARIO, scenarioDir } from './support.js';

const CHAT = readdirSync('scenarios/chat').filter((f) => f.endsWith('.yaml')).length;
const ALL = readdirSync('scenarios', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).length;
/** Three chat scenarios: those whose file names start with `first-`. */
const FIRST = 'scenarios/chat/first-*.yaml';
const FIRST_IDS = readdirSync('scenarios/chat')
  .filter((f) => f.startsWith('first-'))
  .map((f) => `chat/${f.replace(/\.yaml$/, '')}`);

const referenceWith = (faults: string) => builtinAdapters.reference!({ faults }) as Adapter;
const scratchDirs = () => readdirSync(tmpdir()).filter((f) => f.startsWith('interop-conformance-')).length;

t.test('data files are found from the package root, whether the code runs from source or from dist/', async (t) => {
  t.equal(PACKAGE_ROOT, process.cwd(), 'the root of a clone is the folder holding package.json');
  t.equal(scenariosDir, join(process.cwd(), 'scenarios'));
  t.same(defaultScenarioPaths(process.cwd()), ['scenarios'], 'in a clone the default reads scenarios/ as before');
  t.same(defaultScenarioPaths(tmpdir()), [scenariosDir], "from a user's project: the package's own, by full path");
});

/** Every code file under `dir`. */
const codeFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.[cm]?ts$/.test(f))
    .map((f) => join(dir, f));

/** A data file found beside the module (`new URL('../x.yaml', import.meta.url)`): compiled into dist/, it is not there. */
const besideTheModule = (text: string): boolean =>
  /new URL\(\s*['"`]\.\.?\/[^'"`]*['"`]\s*,\s*import\.meta\.url/.test(text);

t.test('no code reads a data file beside itself: compiled into dist/ it would not be there', async (t) => {
  const offenders = ['specs', 'harness', 'adapters', 'reports']
    .flatMap(codeFiles)
    .filter((f) => besideTheModule(readFileSync(f, 'utf8')));
  t.same(offenders, [], 'data files are found through specs/schemas/files.ts (specsFile, SCENARIOS_DIR)');
  t.ok(besideTheModule(`readFileSync(new URL('../../specs/openapi.yaml', import.meta.url), 'utf8')`), 'a faulty read');
  t.notOk(besideTheModule(`readFileSync(specsFile('openapi.yaml'), 'utf8')`));
});

t.test('globs: ** spans folders, * and ? stay within a name, {a,b} is either', async (t) => {
  t.ok(globRegExp('**/*.yaml').test('chat/a.yaml'));
  t.ok(globRegExp('**/*.yaml').test('a.yaml'), '**/ may be no folder at all');
  t.notOk(globRegExp('*.yaml').test('chat/a.yaml'), '* does not cross a folder');
  t.ok(globRegExp('{chat,call}/?.yaml').test('call/b.yaml'));
  t.notOk(globRegExp('{chat,call}/?.yaml').test('block/b.yaml'));
  t.notOk(globRegExp('a.yaml').test('abyaml'), 'a dot is a dot');
  t.ok(globRegExp('chat/**').test('chat/x/y.yaml'));
  t.ok(globRegExp('a{b.yaml').test('a{b.yaml'), 'an unclosed brace is a brace');
});

t.test('loadScenarios: the scenarios loaded and predicted, or every problem located, never a throw', async (t) => {
  t.equal(loadScenarios().scenarios.length, ALL, `by default the package's ${ALL} scenarios`);
  const first = loadScenarios(FIRST);
  t.same(
    first.scenarios.map((s) => s.id),
    FIRST_IDS,
    `a glob selects exactly ${FIRST_IDS.length} files`,
  );
  t.match(first.scenarios[0]!.steps[0]!.prediction.rule, /^[a-z-]+\.[a-z-]+$/, 'each step carries its prediction');
  const broken = scenarioDir({ 'chat/a.yaml': CHAT_SCENARIO.replace('actor: sam', 'actor: nobody') });
  const bad = loadScenarios(broken);
  t.same(bad.scenarios, []);
  t.match(bad.problems, [{ file: join(broken, 'chat/a.yaml'), line: 9, col: 12, message: /unknown actor "nobody"/ }]);
  t.match(loadScenarios('no/such/folder').problems, [{ file: 'no/such/folder', message: /ENOENT/ }]);
  t.match(loadScenarios('scenarios/nothing-*.yaml').problems, [{ message: /no scenario files match/ }]);
});

t.test(
  'runConformance against the reference by name: conformant, exit code 0, the results, nothing written',
  async (t) => {
    const before = scratchDirs();
    const r = await runConformance({ adapter: 'reference', scenarios: 'scenarios/chat' });
    t.equal(r.exitCode, EXIT.conformant);
    t.equal(r.conformant, true);
    t.same(r.run?.summary.scenarios, { total: CHAT, pass: CHAT, fail: 0, error: 0, skip: 0 });
    t.same(r.problems, []);
    t.same(r.errors, []);
    t.equal(scratchDirs(), before, 'a run without reporters leaves no folder behind');
  },
);

t.test(
  'an Adapter object with a fault: exit code 1, each failure laid at its requirement, the adapter disposed of',
  async (t) => {
    const faulty = referenceWith('messages-stored-in-clear');
    let disposed = 0;
    const adapter: Adapter = Object.assign(Object.create(faulty) as Adapter, {
      name: 'clear, text',
      dispose: async () => void disposed++,
    });
    const r = await runConformance({ adapter, scenarios: [FIRST, 'scenarios/chat/both-ways-after-teams-starts.yaml'] });
    t.equal(r.exitCode, EXIT.notConformant);
    t.equal(r.conformant, false);
    const failed = r.run!.scenarios.filter((s) => s.verdict === 'fail');
    t.ok(failed.length > 0, 'some scenarios fail');
    t.ok(
      failed.every((s) => s.steps.some((st) => st.mismatches.some((m) => m.requirements.includes('CHAT-005')))),
      'every failure breaks CHAT-005 (messages stored in clear)',
    );
    t.match(r.run!.summary.gate.reasons, [/breaks CHAT-005/]);
    t.equal(r.run!.summary.adapter, 'clear, text', "the adapter's own name, a comma included");
    t.equal(disposed, 1, 'disposed of once, as the CLI does');
  },
);

t.test('a factory, a module path, and what is not an adapter', async (t) => {
  const made = await runConformance({ adapter: () => referenceWith(''), scenarios: FIRST });
  t.equal(made.exitCode, 0, 'a function making the adapter');

  const dir = mkdtempSync(join(tmpdir(), 'ic-api-module-'));
  const module = join(dir, 'nothing.mjs');
  writeFileSync(
    module,
    `export default () => ({ name: 'nothing', capabilities: [], open() { throw new Error('no'); } });\n`,
  );
  const skipped = await runConformance({ adapter: module, scenarios: FIRST });
  t.equal(skipped.exitCode, EXIT.notConformant, 'a module path; declaring no capability checks nothing: not green');
  t.match(skipped.run?.summary.gate.reasons, [/nothing was checked/]);

  const notOne = await runConformance({ adapter: () => ({ name: 'x' }) as unknown as Adapter, scenarios: FIRST });
  t.equal(notOne.exitCode, EXIT.badInput);
  t.match(notOne.errors, [/must be an Adapter \{name, capabilities, open\(\)\}/]);
  t.notOk(notOne.run, 'nothing ran');

  const unknown = await runConformance({ adapter: 'no-such-adapter', scenarios: FIRST });
  t.equal(unknown.exitCode, EXIT.badInput);
  t.match(unknown.errors, [/unknown adapter "no-such-adapter"/]);
});

t.test('bad input is returned with exit code 2, never thrown: scenarios, globs, options', async (t) => {
  const broken = scenarioDir({ 'chat/a.yaml': CHAT_SCENARIO.replace('actor: sam', 'actor: nobody') });
  const r = await runConformance({ adapter: 'reference', scenarios: broken });
  t.equal(r.exitCode, EXIT.badInput);
  t.match(r.problems, [{ line: 9, col: 12, message: /unknown actor/ }]);
  const glob = await runConformance({ adapter: 'reference', scenarios: ['scenarios/chat/zz-*.yaml'] });
  t.equal(glob.exitCode, EXIT.badInput);
  t.same(glob.errors, ['no scenario files match scenarios/chat/zz-*.yaml: nothing to run']);
  const timeout = await runConformance({ adapter: 'reference', scenarios: FIRST, timeoutMs: 0 });
  t.equal(timeout.exitCode, EXIT.badInput);
  t.match(timeout.errors, [/--timeout takes a whole number above 0; got "0"/]);
  const command = await runConformance({ adapter: 'reference', scenarios: FIRST, command: 'python3 adapter.py' });
  t.equal(command.exitCode, EXIT.badInput, 'command is --command: the program of the stdio adapter');
  t.match(command.errors, [/--command starts the adapter process of --adapter stdio/]);
  const none = await runConformance({ adapter: 'reference', scenarios: FIRST, grep: 'no scenario has this' });
  t.equal(none.exitCode, EXIT.badInput);
  t.match(none.errors, [/no scenario selected: --grep "no scenario has this"/]);
});

t.test('reporters write the CLI report set; progress goes where asked; secrets are redacted', async (t) => {
  const outDir = mkdtempSync(join(tmpdir(), 'ic-api-out-'));
  const lines: string[] = [];
  const progress = { write: (s: string) => (lines.push(s), true) } as unknown as NodeJS.WritableStream;
  const r = await runConformance({ adapter: 'reference', scenarios: FIRST, reporters: ['json'], outDir, progress });
  const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as RunResult;
  t.equal(report.summary.runId, r.run!.summary.runId, 'report.json is this run');
  t.notOk(existsSync(join(outDir, 'junit.xml')), 'only the reports asked for');
  t.match(lines.join(''), new RegExp(`${FIRST_IDS.length} passed, 0 failed, 0 errors, 0 skipped`));

  const blocked = join(outDir, 'report.json', 'x');
  const unwritable = await runConformance({
    adapter: 'reference',
    scenarios: FIRST,
    reporters: ['json'],
    outDir: blocked,
  });
  t.equal(unwritable.exitCode, EXIT.internal, 'a report that cannot be written: exit code 3, as the CLI');
  t.match(unwritable.errors, [/^report json could not be written: /]);
  t.equal(unwritable.run?.summary.gate.conformant, true, 'the results are still returned');

  const secret = 'hunter2-very-secret-token';
  const leaky: Adapter = {
    name: 'leaky',
    capabilities: ['chat', 'relationship'],
    secrets: () => [secret],
    open: async () => {
      throw new Error(`could not log in with ${secret}`);
    },
  };
  const leaked = await runConformance({ adapter: leaky, scenarios: FIRST });
  const text = JSON.stringify(leaked.run);
  t.notMatch(text, secret, "the adapter's secret is not in the results");
  t.match(text, 'could not log in with [redacted]');
});

/** A stand-in for node:test's `test`: what the helper declares, and (once `done`) each test's outcome. */
function recorder(t: Test) {
  const tests: { name: string; options: object; error?: string }[] = [];
  const running: Promise<void>[] = [];
  const test: TestFunction = (name, options, fn) => {
    const entry: (typeof tests)[number] = { name, options };
    tests.push(entry);
    running.push(
      fn().catch((e: Error) => {
        t.type(e, ConformanceFailure);
        t.equal(e.stack, `ConformanceFailure: ${e.message}`, 'no stack to read');
        entry.error = e.message;
      }),
    );
  };
  return { tests, test, done: () => Promise.all(running) };
}

t.test('conformanceTests: one test per scenario and one for the gate; a failure is its evidence', async (t) => {
  const pass = recorder(t);
  await conformanceTests('reference', { test: pass.test, scenarios: FIRST });
  await pass.done();
  t.same(
    pass.tests.map((x) => x.name.split(':')[0]),
    [...FIRST_IDS, 'the conformance gate'],
  );
  t.same(
    pass.tests.filter((x) => x.error),
    [],
    'all pass',
  );

  const fail = recorder(t);
  const outcome = await conformanceTests(referenceWith('messages-stored-in-clear'), {
    test: fail.test,
    scenarios: 'scenarios/chat/both-ways-after-teams-starts.yaml',
  });
  await fail.done();
  t.equal(outcome.exitCode, 1);
  t.equal(fail.tests.length, 2);
  const [scenario, gate] = fail.tests;
  t.match(scenario!.error, /^chat\/both-ways-after-teams-starts does not conform: breaks CHAT-005\n/);
  t.match(scenario!.error, /step 1 \(scenarios\/chat\/both-ways-after-teams-starts\.yaml:16:5\) tom message/);
  t.match(
    scenario!.error,
    /— expected ok, delivers .*; observed ok, delivers .*; rule [a-z-]+\.[a-z-]+; requirements /,
  );
  t.match(scenario!.error, /encrypted is false; expected true \[CHAT-005\]/);
  t.match(gate!.error, /^not conformant \(exit code 1\)\n.*breaks CHAT-005/);
});

t.test('conformanceTests: skips, expected failures, an erroring adapter, and a run that cannot start', async (t) => {
  const noCalls: Adapter = Object.assign(Object.create(referenceWith('')) as Adapter, { capabilities: ['chat'] });
  const skipping = recorder(t);
  await conformanceTests(noCalls, {
    test: skipping.test,
    scenarios: 'scenarios/chat/first-messages-within-deadline.yaml',
  });
  await skipping.done();
  t.match(skipping.tests[0]!.options, { skip: /lacks: relationship/ }, 'a skip carries its reason');
  t.match(skipping.tests[1]!.error, /nothing was checked/, 'and a run that checked nothing fails the gate');

  const baseline = join(mkdtempSync(join(tmpdir(), 'ic-api-baseline-')), 'known.yaml');
  writeFileSync(baseline, '- chat/both-ways-after-teams-starts\n');
  const known = recorder(t);
  await conformanceTests(referenceWith('messages-stored-in-clear'), {
    test: known.test,
    scenarios: 'scenarios/chat/both-ways-after-teams-starts.yaml',
    expectFailures: baseline,
  });
  await known.done();
  t.match(known.tests[0]!, { options: { todo: /expected-failures baseline/ }, error: /breaks CHAT-005/ });
  t.notOk(known.tests[1]!.error, 'an expected failure keeps the gate open');
  const unexpected = recorder(t);
  await conformanceTests('reference', {
    test: unexpected.test,
    scenarios: 'scenarios/chat/both-ways-after-teams-starts.yaml',
    expectFailures: baseline,
  });
  await unexpected.done();
  t.match(unexpected.tests[0]!.error, /passed, but the expected-failures baseline lists it/);

  const broken: Adapter = {
    name: 'broken',
    capabilities: ['chat', 'relationship'],
    open: () => Promise.reject(new Error('down')),
  };
  const erroring = recorder(t);
  await conformanceTests(broken, {
    test: erroring.test,
    scenarios: 'scenarios/chat/first-messages-within-deadline.yaml',
  });
  await erroring.done();
  t.match(erroring.tests[0]!.error, /the adapter or the harness failed, nothing is known about conformance\n.*down/s);

  const cannot = recorder(t);
  const out = await conformanceTests('reference', {
    test: cannot.test,
    scenarios: scenarioDir({ 'chat/a.yaml': 'title: [' }),
  });
  await cannot.done();
  t.equal(out.exitCode, 2);
  t.equal(cannot.tests.length, 1);
  t.match(cannot.tests[0]!, { name: 'interop-conformance could not run', error: /chat\/a\.yaml:\d+:\d+: / });
});

t.test('under tap: the helper makes real subtests', async (t) => {
  const outcome = await conformanceTests('reference', { test: t.test.bind(t), scenarios: FIRST });
  t.equal(outcome.exitCode, 0);
  t.equal(outcome.run!.scenarios.length, FIRST_IDS.length, 'one subtest per scenario');
  t.equal(resolve(outcome.run!.scenarios[0]!.file), resolve('scenarios/chat', `${FIRST_IDS[0]!.slice(5)}.yaml`));
});
