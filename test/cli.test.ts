/** The CLI end to end, in-process: the suite, user adapters, skips, adapter errors, listing and reporters. */
import t from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAT_SCENARIO, cli, scenarioDir } from './support.js';
import { loadCatalogue } from '../harness/specs-files.js';

/** The hand-written suite when last pinned: whoever adds or removes a scenario re-pins it (and the README's figure). */
const SUITE = { total: 163, pass: 153, skip: 10 };

t.test('the suite against the reference: 153 of 163 pass, the 10 wire probes skip, every MUST covered', async (t) => {
  const r = await cli(['run']);
  t.equal(r.code, 0, r.out.slice(-2000));
  const report = r.report();
  const { total, pass, fail, error, skip } = report.summary.scenarios;
  t.same({ total, pass, skip, fail, error }, { ...SUITE, fail: 0, error: 0 }, 'the suite, exactly');
  t.ok(
    report.scenarios.filter((s) => s.verdict === 'skip').every((s) => s.area === 'security'),
    'only wire scenarios are skipped',
  );
  // Security and wire-format requirements need a wire: the in-process reference skips them (see http tests).
  const must = [...loadCatalogue().requirements.values()]
    .filter((q) => q.level === 'MUST' && q.area !== 'security')
    .map((q) => q.id);
  const untested = report.requirements.filter((q) => must.includes(q.id) && q.verdict !== 'pass').map((q) => q.id);
  t.same(untested, [], 'every MUST requirement that needs no wire has a passing scenario');
  for (const f of ['report.json', 'junit.xml', 'summary.md']) t.ok(existsSync(join(r.outDir, f)), `${f} written`);
  t.match(r.out, /^\d+ passed, 0 failed/m, 'the plain closing line CI systems read');
});

t.test('every scenario covers both directions where the catalogue asks for it', async (t) => {
  const r = await cli(['list']);
  t.equal(r.code, 0);
  t.notMatch(
    r.out,
    /UNTESTED/,
    'every requirement has a scenario (security ones in scenarios/security, run over a wire)',
  );
  for (const area of ['search', 'request', 'chat', 'call']) {
    const both =
      (await cli(['validate', `scenarios/${area}`])).code === 0 &&
      (await cli(['list', `scenarios/${area}`, '--tag', 'skype-to-teams'])).out.includes(`${area}/`);
    t.ok(both, `${area} has Skype → Teams scenarios`);
    t.match(
      (await cli(['list', `scenarios/${area}`, '--tag', 'teams-to-skype'])).out,
      new RegExp(`${area}/`),
      `${area} has Teams → Skype scenarios`,
    );
  }
});

t.test('a user adapter module plugs in with options', async (t) => {
  const dir = scenarioDir({ 'chat/a.yaml': CHAT_SCENARIO });
  const r = await cli(['run', dir, '--adapter', 'test/fixtures/wrapped-adapter.ts', '--adapter-option', 'label=mine']);
  t.equal(r.code, 0, r.err);
  t.equal(r.report().summary.adapter, 'wrapped(mine)');
});

t.test(
  'a scenario needing a capability the adapter lacks is skipped, not failed; a run of skips alone is not conformant',
  async (t) => {
    const dir = scenarioDir({ 'chat/a.yaml': CHAT_SCENARIO });
    const r = await cli([
      'run',
      dir,
      '--adapter',
      'test/fixtures/wrapped-adapter.ts',
      '--adapter-option',
      'without=relationship',
    ]);
    t.equal(r.code, 1, 'nothing was checked: exit 1, not 0');
    const s = r.report().scenarios[0]!;
    t.equal(s.verdict, 'skip');
    t.match(s.reason, /lacks: relationship/);
    t.equal(r.report().summary.scenarios.fail, 0, 'a skip is never counted as a failure');
    t.match(r.report().summary.gate.reasons, [
      /^nothing was checked: all 1 scenario was skipped \(adapter wrapped\(reference\) lacks: relationship\)$/,
    ]);
  },
);

t.test('adapter faults are verdict error with their cause, the run goes on, and reports are written', async (t) => {
  const dir = scenarioDir({
    'chat/a.yaml': CHAT_SCENARIO,
    'chat/b.yaml': CHAT_SCENARIO.replace(
      'tara: { platform: teams }',
      'tara: { platform: teams }\n    nobody: { platform: teams }',
    ),
    'chat/c.yaml': CHAT_SCENARIO.replace(
      /actor: tara\n    message: \{ to: sam, text: hello \}/,
      'actor: sam\n    message: { to: tara, text: hello }',
    ).replace('  - actor: sam\n    accept: { from: tara }', '  - actor: tara\n    accept: { from: sam }'),
  });
  const r = await cli(['run', dir, '--adapter', 'test/fixtures/broken-adapter.ts', '--timeout', '50']);
  t.equal(r.code, 1);
  const [a, b, c] = r.report().scenarios;
  t.match(a, {
    verdict: 'error',
    steps: [{ verdict: 'error', error: 'socket hang up' }, { verdict: 'skip' }, { verdict: 'skip' }],
  });
  t.match(b, { verdict: 'error', reason: /could not open the world: connection refused/ });
  t.match(c, { verdict: 'error', steps: [{ verdict: 'error', error: /took longer than 50 ms/ }] });
  t.equal(r.report().summary.scenarios.fail, 0, 'no conformance verdict without an observation');
});

t.test('a module that is not an adapter is a usage error', async (t) => {
  const f = join(scenarioDir({ 'chat/a.yaml': CHAT_SCENARIO }), '..', 'not-adapter.mjs');
  writeFileSync(f, 'export default 42;\n');
  const r = await cli(['run', 'scenarios/chat', '--adapter', f]);
  t.equal(r.code, 2);
  t.match(r.err, /default export must be an Adapter/);
  const missing = await cli(['run', 'scenarios/chat', '--adapter', './nope.ts']);
  t.equal(missing.code, 2);
  t.match(missing.err, /cannot load adapter module/);
});

t.test('--grep and --tag select scenarios', async (t) => {
  const r = await cli(['run', '--grep', 'voicemail', '--quiet', '--reporter', 'json']);
  t.equal(r.code, 0);
  t.equal(r.report().scenarios.length, 5, 'the five voicemail scenarios');
  t.ok(r.report().scenarios.every((s) => /voicemail/i.test(`${s.id} ${s.title}`)));
});

t.test('a report that cannot be written exits 3 and the other reports are still written', async (t) => {
  const dir = scenarioDir({ 'chat/a.yaml': CHAT_SCENARIO });
  const out = join(dir, '..', 'out');
  const r0 = await cli(['run', dir, '--out', out]);
  t.equal(r0.code, 0);
  writeFileSync(join(out, 'blocker'), '');
  // junit.xml as a folder cannot be replaced by a file.
  const { mkdirSync, rmSync } = await import('node:fs');
  rmSync(join(out, 'junit.xml'));
  mkdirSync(join(out, 'junit.xml'));
  rmSync(join(out, 'report.json'));
  const r = await cli(['run', dir, '--out', out]);
  t.equal(r.code, 3);
  t.match(r.err, /report junit could not be written/);
  t.ok(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).summary, 'report.json still written, whole');
});

t.test('an adapter whose inbox fails is an error verdict, not a crash', async (t) => {
  const dir = scenarioDir({ 'chat/a.yaml': CHAT_SCENARIO });
  const f = join(dir, '..', 'throwing-adapter.mjs');
  writeFileSync(
    f,
    "export default { name: 'x', capabilities: ['chat', 'relationship'], open: async () => ({ perform: async () => ({ status: 'ok' }), drain: async () => { throw new Error('drain broke'); }, close: async () => {} }) };\n",
  );
  const r = await cli(['run', dir, '--adapter', f]);
  t.equal(r.code, 1, 'a drain failure is an adapter error, not a crash');
  t.match(r.report().scenarios[0], { verdict: 'error', steps: [{ error: 'drain broke' }] });
});

t.test('reports say, per model, which rules and states the scenarios take and which they never do', async (t) => {
  const dir = scenarioDir({ 'chat/a.yaml': CHAT_SCENARIO });
  const r = await cli(['run', dir]);
  const rel = r.report().coverage?.models.find((m) => m.name === 'relationship');
  t.equal(rel?.transitions.covered, 3, 'three rules of the relationship model: a request, its acceptance, a message');
  t.ok(rel && rel.transitions.covered < rel.transitions.total, 'partial coverage of the relationship model');
  t.ok(rel?.missed.includes('relationship.teams-blocks'), 'a rule the scenario never takes is listed as missed');
  t.notOk(rel?.missed.includes('relationship.teams-first-contact-is-request'), 'a rule it takes is not');
  const md = readFileSync(join(r.outDir, 'summary.md'), 'utf8');
  t.match(md, /## Model coverage/);
  t.match(md, /\| relationship \| \d+\/\d+ \| \d+\/\d+ \| .*relationship\.teams-blocks/);
  const list = await cli(['list']);
  t.match(
    list.out,
    /model tenant-policy +transitions \d+\/\d+/,
    'list prints the same coverage for the hand-written suite',
  );
});

t.test(
  'an adapter answering with a circular or BigInt observation cannot stop the reports from being written',
  async (t) => {
    const dir = scenarioDir({ 'chat/a.yaml': CHAT_SCENARIO });
    const f = join(dir, '..', 'unserialisable-adapter.mjs');
    writeFileSync(
      f,
      `export default { name: 'odd', capabilities: ['chat', 'relationship'], settleMs: 0, open: async () => ({
    perform: async () => { const o = { status: 'ok', big: 10n }; o.self = o; return o; },
    drain: async () => [], close: async () => {} }) };\n`,
    );
    const r = await cli(['run', dir, '--adapter', f]);
    t.not(r.code, 0, 'never green');
    t.not(r.code, 3, 'no report failed to write');
    t.equal(r.err, '', 'no reporter complained');
    const report = r.report();
    t.ok(['fail', 'error'].includes(report.scenarios[0]!.verdict), report.scenarios[0]!.verdict);
    for (const file of ['junit.xml', 'summary.md'])
      t.ok(readFileSync(join(r.outDir, file), 'utf8').length > 0, `${file} written`);
  },
);

t.test(
  'one run, one report set: the same run id in report.json, junit.xml and summary.md; reports not asked for are not left from an earlier run',
  async (t) => {
    const dir = scenarioDir({ 'chat/a.yaml': CHAT_SCENARIO });
    const out = join(dir, '..', 'set-out');
    const full = await cli(['run', dir, '--out', out]);
    t.equal(full.code, 0);
    const id = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).summary.runId as string;
    t.match(id, /^\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    t.match(readFileSync(join(out, 'junit.xml'), 'utf8'), `<property name="run-id" value="${id}"/>`);
    t.match(readFileSync(join(out, 'summary.md'), 'utf8'), `run \`${id}\``);
    const jsonOnly = await cli(['run', dir, '--out', out, '--reporter', 'json']);
    t.equal(jsonOnly.code, 0);
    t.not(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).summary.runId, id, 'a new run id');
    t.notOk(existsSync(join(out, 'junit.xml')), 'the earlier junit.xml is gone, not left beside the new report.json');
    t.notOk(existsSync(join(out, 'summary.md')));
  },
);

t.test(
  'in-process, a crashing or hanging adapter still ends the run in reports: exit 3, the crash named',
  async (t) => {
    const dir = scenarioDir({ 'chat/a.yaml': CHAT_SCENARIO });
    const exits = await cli([
      'run',
      dir,
      '--adapter',
      'test/fixtures/crash-adapter.ts',
      '--adapter-option',
      'crash=exit-in-perform',
    ]);
    t.equal(exits.code, 3);
    t.match(exits.report().summary, {
      crashes: [/process\.exit\(0\)/],
      gate: { conformant: false, reasons: [/^the adapter crashed/] },
    });
    t.equal(typeof process.exit, 'function');
    t.notMatch(String(process.exit), /AdapterExit/, 'process.exit is given back after the run');
    const hangs = await cli([
      'run',
      dir,
      '--adapter',
      'test/fixtures/crash-adapter.ts',
      '--adapter-option',
      'crash=hang-factory',
      '--timeout',
      '200',
    ]);
    t.equal(hangs.code, 3);
    t.match(hangs.report().scenarios[0], {
      verdict: 'error',
      reason:
        /^the adapter could not be loaded: making adapter test\/fixtures\/crash-adapter\.ts took longer than 200 ms$/,
    });
    const atImport = await cli(['run', dir, '--adapter', 'test/fixtures/exit-at-import-adapter.ts']);
    t.equal(atImport.code, 3);
    t.match(atImport.report().summary.crashes, [/process\.exit\(0\)/]);
  },
);
