/**
 * The CI gate: exit codes, --strict, and the expected-failures baseline (a listed failure is tolerated; a listed
 * scenario that passes closes the gate until it is removed).
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAT_SCENARIO, cli, scenarioDir } from './support.js';

const SRV_SCENARIO = `title: A tenant without the SRV record has no interop
world:
  tenants:
    contoso: { sipFederationSrv: null }
  users:
    tara: { platform: teams }
    sam: { platform: skype }
steps:
  - actor: tara
    message: { to: sam, text: hello }
    expect: { error: interop-unavailable }
`;
const dir = scenarioDir({ 'chat/tara-and-sam.yaml': CHAT_SCENARIO, 'admin/no-srv.yaml': SRV_SCENARIO });
const baseline = (lines: string) => {
  const f = join(dir, '..', 'baseline.yaml');
  writeFileSync(f, lines);
  return f;
};
const dropping = ['--adapter-option', 'faults=teams-to-skype-messages-dropped', '--deadline', '50'];

t.test('a conformant run exits 0', async (t) => {
  const r = await cli(['run', dir]);
  t.equal(r.code, 0, r.err);
  t.equal(r.report().summary.gate.conformant, true);
});

t.test('a MUST failure exits 1 and names the requirement', async (t) => {
  const r = await cli(['run', dir, ...dropping]);
  t.equal(r.code, 1);
  t.match(r.report().summary.gate.reasons, [/chat\/tara-and-sam breaks .*CHAT-001/]);
});

t.test('a SHOULD failure passes the gate, and fails it with --strict', async (t) => {
  const srvIgnored = ['--adapter-option', 'faults=sip-srv-not-checked'];
  const lax = await cli(['run', dir, ...srvIgnored]);
  t.equal(lax.report().summary.scenarios.fail, 1, 'the scenario fails');
  t.equal(lax.code, 0, 'but ADMIN-007 is a SHOULD');
  const strict = await cli(['run', dir, ...srvIgnored, '--strict']);
  t.equal(strict.code, 1);
  t.match(strict.report().summary.gate.reasons, [/admin\/no-srv breaks ADMIN-007/]);
});

t.test('a failure listed in the baseline does not close the gate', async (t) => {
  const r = await cli([
    'run',
    dir,
    ...dropping,
    '--expect-failures',
    baseline('- scenario: chat/tara-and-sam\n  reason: known gateway bug\n'),
  ]);
  t.equal(r.code, 0, r.out);
  t.same(r.report().summary.gate.expectedFailures, ['chat/tara-and-sam']);
  t.equal(r.report().scenarios.find((s) => s.id === 'chat/tara-and-sam')?.expectedToFail, true);
});

t.test('a listed scenario that passes is an unexpected pass and closes the gate', async (t) => {
  const r = await cli(['run', dir, '--expect-failures', baseline('- chat/tara-and-sam\n')]);
  t.equal(r.code, 1);
  t.same(r.report().summary.gate.unexpectedPasses, ['chat/tara-and-sam']);
  t.match(r.report().summary.gate.reasons, [/passed but is listed as an expected failure/]);
});

t.test('a baseline entry for a scenario not in the run is noted, not gating', async (t) => {
  const r = await cli(['run', dir, '--expect-failures', baseline('- chat/renamed-long-ago\n')]);
  t.equal(r.code, 0);
  t.match(r.report().summary.gate.reasons, [/baseline lists chat\/renamed-long-ago/]);
});

t.test('a malformed baseline is bad input, located', async (t) => {
  const f = baseline('- { scenario: 3 }\n');
  const r = await cli(['run', dir, '--expect-failures', f]);
  t.equal(r.code, 2);
  t.match(r.err, `${f}:1:`);
  const missing = await cli(['run', dir, '--expect-failures', '/nonexistent.yaml']);
  t.equal(missing.code, 2);
  t.match(missing.err, /cannot read the baseline/);
});

t.test('usage errors exit 2 with a pointer to --help', async (t) => {
  for (const args of [
    ['frobnicate'],
    ['run', dir, '--deadline', 'soon'],
    ['run', dir, '--adapter', 'nope'],
    ['run', dir, '--reporter', 'pdf'],
    ['run', dir, '--no-such-flag'],
    ['run', dir, '--adapter-option', 'x'],
  ]) {
    const r = await cli(args);
    t.equal(r.code, 2, args.join(' '));
    t.match(r.err, /see interop-conformance (run )?--help/, args.join(' '));
  }
  t.equal((await cli([])).code, 2, 'no command is a usage error');
  const help = await cli(['--help']);
  t.equal(help.code, 0);
  t.match(help.out, /exit codes: 0 conformant, 1 not conformant, 2 bad input or usage/);
});

t.test('an unknown fault name is a usage error naming the known faults', async (t) => {
  const r = await cli(['run', dir, '--adapter-option', 'faults=no-such-fault']);
  t.equal(r.code, 2);
  t.match(r.err, /no-such-fault/);
});

t.test('nothing selected is a usage error (exit 2), never an empty green run, and writes no report', async (t) => {
  const empty = scenarioDir({});
  const { mkdirSync } = await import('node:fs');
  mkdirSync(empty, { recursive: true });
  const cases: [string[], RegExp][] = [
    [
      ['run', dir, '--grep', 'nothing'],
      /no scenario selected: --grep "nothing" matches none of the 2 scenarios under /,
    ],
    [['run', dir, '--tag', 'no-such-tag'], /no scenario selected: --tag no-such-tag matches none of the 2 scenarios/],
    [['run', empty], /no scenario files \(\.yaml\) under .*: nothing to run/],
    [['validate', empty], /no scenario files/],
    [['list', dir, '--grep', 'nothing'], /no scenario selected/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    t.equal(r.code, 2, args.join(' '));
    t.match(r.err, message, args.join(' '));
    t.notMatch(r.out, /conformant/, 'no verdict is printed');
    if (args[0] === 'run') t.throws(() => r.report(), /ENOENT/, 'no report.json');
  }
});

t.test(
  'a run in which every MUST in scope was skipped is not conformant; skips beside checked MUSTs are judged on what ran',
  async () => {
    const { gate } = await import('../harness/gate.js');
    const { loadCatalogue } = await import('../harness/specs-files.js');
    const catalogue = loadCatalogue().requirements;
    const should = [...catalogue.values()].find((q) => q.level === 'SHOULD')!.id;
    const [mustA, mustB] = [...catalogue.values()].filter((q) => q.level === 'MUST').map((q) => q.id);
    const result = (id: string, verdict: 'pass' | 'skip', requirements: string[]) =>
      ({
        id,
        title: id,
        file: `${id}.yaml`,
        area: 'chat',
        tags: [],
        adapter: 'a',
        verdict,
        requirements,
        steps: [],
        durationMs: 0,
        ...(verdict === 'skip' ? { reason: 'adapter a lacks: chat' } : {}),
      }) as never;
    const o = { strict: false, baseline: new Set<string>() };
    const onlyShouldRan = gate(
      [result('chat/should', 'pass', [should]), result('chat/must', 'skip', [mustA!])],
      catalogue,
      o,
    );
    t.equal(onlyShouldRan.conformant, false);
    t.same(onlyShouldRan.reasons, [
      `no MUST requirement in scope was checked: ${mustA} only in skipped scenarios (adapter a lacks: chat)`,
    ]);
    const oneMustRan = gate(
      [result('chat/must-a', 'pass', [mustA!]), result('chat/must-b', 'skip', [mustB!])],
      catalogue,
      o,
    );
    t.equal(oneMustRan.conformant, true, 'a MUST was checked: the skip is reported, not gating');
    t.same(oneMustRan.reasons, []);
    const allSkipped = gate([result('chat/x', 'skip', [mustA!]), result('chat/y', 'skip', [mustB!])], catalogue, o);
    t.same(allSkipped.reasons, ['nothing was checked: all 2 scenarios were skipped (adapter a lacks: chat)']);
    t.equal(allSkipped.exitCode, 1);
  },
);

t.test('the marks of a run that did not end normally close the gate, each with its reason; notes do not', async () => {
  const { markRun, signalExitCode } = await import('../harness/run-end.js');
  const fresh = () =>
    ({
      summary: {
        gate: { conformant: true, exitCode: 0, strict: false, expectedFailures: [], unexpectedPasses: [], reasons: [] },
      },
      scenarios: [{}],
      requirements: [],
    }) as never;
  const quiet = markRun(fresh(), {
    runId: 'r1',
    planned: 2,
    crashes: [],
    notes: ['adapter x could not be disposed of: slow'],
  });
  t.match(quiet.summary, {
    runId: 'r1',
    gate: { conformant: true, exitCode: 0, reasons: ['note: adapter x could not be disposed of: slow'] },
  });
  t.notOk('interrupted' in quiet.summary || 'crashes' in quiet.summary, 'no marks without cause');
  const bad = markRun(fresh(), {
    runId: 'r2',
    planned: 3,
    crashes: ['uncaught exception: boom'],
    notes: [],
    unfinished: 'internal error: x',
    interrupted: 'SIGTERM',
  });
  t.match(bad.summary, {
    interrupted: true,
    crashes: ['uncaught exception: boom'],
    gate: { conformant: false, exitCode: 1 },
  });
  t.same(bad.summary.gate.reasons, [
    'the run was interrupted by SIGTERM after 1 of 3 scenario results: not every scenario ran',
    'the run did not finish (internal error: x): only 1 of 3 scenario results',
    'the adapter crashed: uncaught exception: boom',
  ]);
  t.same([signalExitCode('SIGINT'), signalExitCode('SIGTERM')], [130, 143]);
});
