/**
 * The runner's evidence against systems that are not synchronous and in-process: a settle window and late
 * deliveries laid at the step that caused them, worlds that overlap (isolation), event streams reopened midway,
 * latency on the harness's clock, every adapter call under the timeout, and answers that are no answers.
 */
import t from 'tap';
import type { Adapter, Session } from '../adapters/adapter.js';
import { createReferenceAdapter } from '../adapters/reference/adapter.js';
import { findScenarioFiles, loadScenarios, type Scenario } from '../harness/load.js';
import { runScenario, runScenarios, type RunOptions } from '../harness/run.js';
import { loadCatalogue } from '../harness/specs-files.js';
import type { ScenarioResult } from '../reports/results.js';
import makeQueued from './fixtures/queued-adapter.js';
import { CHAT_SCENARIO, scenarioDir } from './support.js';

const catalogue = loadCatalogue().requirements;
function load(...paths: string[]): Scenario[] {
  const { scenarios, problems } = loadScenarios(findScenarioFiles(paths), catalogue);
  if (problems.length) throw new Error(JSON.stringify(problems));
  return scenarios;
}
const run = (scenarios: Scenario[], adapter: Adapter, o: Partial<RunOptions> = {}) =>
  runScenarios(scenarios, { adapter, deadlineMs: 2000, stepTimeoutMs: 2000, settleMs: 0, ...o });
const failing = (rs: ScenarioResult[]) =>
  rs
    .filter((r) => r.verdict !== 'pass')
    .map((r) => r.id)
    .sort();
const broken = (r: ScenarioResult) =>
  [...new Set(r.steps.flatMap((s) => s.mismatches.flatMap((m) => m.requirements)))].sort();

/** Two scenarios with the same people and different words, for worlds that overlap. */
const twins = () =>
  load(
    scenarioDir({
      'chat/one.yaml': CHAT_SCENARIO,
      'chat/two.yaml': CHAT_SCENARIO.replace('hello', 'second world').replace('again', 'still two'),
    }),
  );

t.test('a system that delivers 150 ms after answering passes the block scenarios with a settle window', async (t) => {
  const rs = await run(load('scenarios/block'), makeQueued({ 'delay-ms': '150' }), { settleMs: 400 });
  t.same(failing(rs), []);
});

t.test(
  'the same queued system leaking to a Teams blocker fails every scenario where the blocked Skype user writes or calls, at the causing step',
  async (t) => {
    const rs = await run(load('scenarios/block'), makeQueued({ 'delay-ms': '150', faults: 'block-not-enforced' }), {
      settleMs: 400,
    });
    // Every scenario in which a Skype user writes to or calls a Teams user who blocks them: the models say which.
    const sendsToTeamsBlocker = (s: Scenario) =>
      s.steps.some((st) => /^relationship\.blocked(-request)?-skype-sender-dropped$/.test(st.prediction.rule));
    const expected = load('scenarios/block')
      .filter(sendsToTeamsBlocker)
      .map((s) => s.id)
      .sort();
    t.equal(expected.length, 14, 'the block scenarios in which a blocked Skype user writes or calls');
    t.same(
      expected.filter((id) => !failing(rs).includes(id)),
      [],
      'every one of them fails',
    );
    t.same(
      failing(rs).filter((id) => !expected.includes(id)),
      ['block/blockers-refused-after-accept-both-sides'],
      'and one more: the unenforced block also lets the blocker write (BLOCK-006)',
    );
    const tba = rs.find((r) => r.id === 'block/teams-blocks-after-accept')!;
    const laid = tba.steps.filter((s) => s.verdict === 'fail');
    t.same(
      laid.map((s) => s.action.kind),
      ['message', 'call'],
      'each leak is laid at the blocked send or call that caused it',
    );
    t.ok(
      laid.every(
        (s) =>
          s.late?.length === 1 &&
          s.mismatches.every((m) => m.requirements.includes('BLOCK-001') && m.requirements.includes('BLOCK-003')),
      ),
    );
  },
);

t.test("a leak on a scenario's last step is seen within the settle window, not after it", async (t) => {
  const last = load('scenarios/block/teams-blocks-after-accept.yaml');
  const leaky = { 'delay-ms': '150', faults: 'block-not-enforced' };
  const settled = await runScenario(last[0]!, {
    adapter: makeQueued(leaky),
    deadlineMs: 2000,
    stepTimeoutMs: 2000,
    settleMs: 400,
  });
  t.equal(settled.verdict, 'fail');
  t.match(settled.steps.at(-1)!.mismatches[0]!.message, /after the last step/);
  const unsettled = await runScenario(last[0]!, {
    adapter: makeQueued(leaky),
    deadlineMs: 2000,
    stepTimeoutMs: 2000,
    settleMs: 0,
  });
  t.equal(
    unsettled.steps.at(-1)!.verdict,
    'pass',
    "without a settle window the last step's leak is not seen: the window is what catches it",
  );
});

t.test(
  'worlds overlap: a system that keys inboxes by user name leaks into the other world, and that fails WIRE-002',
  async (t) => {
    const rs = await run(twins(), makeQueued({ 'shared-inboxes': 'true' }));
    t.same(
      rs.map((r) => r.verdict),
      ['fail', 'pass'],
      'the world still open when the next one ran got its traffic',
    );
    t.same(broken(rs[0]!), ['WIRE-002']);
    t.match(rs[0]!.steps.at(-1)!.mismatches[0]!.message, /"second world" from tara.*another world's traffic leaked in/);
    const named = await run(twins(), createReferenceAdapter({ faults: ['deliveries-shared-across-worlds'] }));
    t.same(
      named.map((r) => broken(r)),
      [['WIRE-002'], []],
      "the reference's own fault of that kind is caught the same way",
    );
    const isolated = await run(twins(), makeQueued({}));
    t.same(
      isolated.map((r) => r.verdict),
      ['pass', 'pass'],
    );
    t.ok(
      isolated[0]!.requirements.includes('WIRE-002'),
      'a world that stayed open while the next ran exercises WIRE-002',
    );
    t.notOk(isolated[1]!.requirements.includes('WIRE-002'), 'the last world overlapped no other');
  },
);

t.test(
  'event streams reopened midway: replayed events and lost events fail WIRE-003; an exact reconnect passes',
  async (t) => {
    const chat = load('scenarios/chat/both-ways-after-teams-starts.yaml');
    const replay = await run(chat, makeQueued({ reconnect: 'replay' }));
    t.equal(replay[0]!.verdict, 'fail');
    t.same(broken(replay[0]!), ['WIRE-003']);
    t.match(replay[0]!.steps[0]!.mismatches[0]!.message, /arrived a second time.*it was replayed/);
    const lose = await run(chat, makeQueued({ reconnect: 'lose', 'delay-ms': '50' }), {
      settleMs: 100,
      deadlineOverrideMs: 100,
    });
    t.equal(lose[0]!.verdict, 'fail');
    t.ok(broken(lose[0]!).includes('WIRE-003'));
    const exact = await run(chat, makeQueued({ reconnect: 'exact', 'delay-ms': '50' }), { settleMs: 100 });
    t.equal(exact[0]!.verdict, 'pass');
    t.ok(exact[0]!.requirements.includes('WIRE-003'));
  },
);

t.test(
  "latency is the harness's own: a clock running 3 s behind hides no late delivery, and is itself a finding",
  async (t) => {
    const chat = load('scenarios/chat/both-ways-after-teams-starts.yaml');
    const [r] = await run(chat, makeQueued({ 'clock-offset-ms': '-3000', 'delay-ms': '300' }), {
      settleMs: 100,
      deadlineOverrideMs: 200,
    });
    const ms = r!.steps[0]!.mismatches.map((m) => m.message);
    t.match(ms[0], /arrived after 3\d\d ms; the deadline is 200 ms/);
    t.match(ms[1], /stamped \d{4} ms before its action was sent/);
    t.same(broken(r!), ['CHAT-006']);
    t.ok(
      r!.steps[0]!.observed!.systemLatenciesMs![0]! < 0,
      "the system's own claim is reported beside the harness's measurement",
    );
    const ontime = await run(chat, makeQueued({ 'clock-offset-ms': '0' }));
    t.equal(ontime[0]!.verdict, 'pass');
  },
);

/** The reference, with one Session method replaced. */
function bent(change: (s: Session) => Partial<Session>): Adapter {
  const inner = createReferenceAdapter();
  return {
    name: 'bent',
    capabilities: inner.capabilities,
    async open(w) {
      const s = await inner.open(w);
      return { ...s, perform: s.perform.bind(s), drain: s.drain.bind(s), close: s.close.bind(s), ...change(s) };
    },
  };
}

t.test(
  'every adapter call runs under the timeout: a drain that never answers is an error, and the run ends',
  async (t) => {
    const rs = await run(
      load(scenarioDir({ 'chat/one.yaml': CHAT_SCENARIO })),
      bent(() => ({ drain: () => new Promise(() => {}) })),
      { stepTimeoutMs: 100 },
    );
    t.equal(rs[0]!.verdict, 'error');
    t.match(rs[0]!.steps[0]!.error, /draining \w+'s deliveries took longer than 100 ms/);
  },
);

t.test('answers that are no answers (circular, BigInt, missing) are adapter errors, not crashes', async (t) => {
  const scenario = load(scenarioDir({ 'chat/one.yaml': CHAT_SCENARIO }));
  const circular: Record<string, unknown> = { status: 'ok' };
  circular.self = circular;
  for (const [what, perform] of [
    ['circular', async () => circular],
    ['BigInt', async () => ({ status: 'ok', n: 1n })],
    ['missing', async () => undefined],
  ] as const) {
    const rs = await run(
      scenario,
      bent(() => ({ perform: perform as never })),
    );
    t.equal(rs[0]!.verdict, 'error', what);
    t.match(
      rs[0]!.steps[0]!.error,
      what === 'missing' ? /not what the Adapter interface promises/ : /cannot be serialised/,
      what,
    );
  }
});

t.test('what the crash guard caught during a call makes that step an error', async (t) => {
  let crash: string | undefined = 'the adapter called process.exit(0)';
  const rs = await run(load(scenarioDir({ 'chat/one.yaml': CHAT_SCENARIO })), createReferenceAdapter(), {
    crashes: {
      take: () => {
        const c = crash;
        crash = undefined;
        return c;
      },
    },
  });
  t.equal(rs[0]!.verdict, 'error');
  t.match(rs[0]!.reason ?? rs[0]!.steps.find((s) => s.verdict === 'error')?.error, /process\.exit\(0\)/);
});

t.test(
  'a misdelivered message ends the wait at once: the step fails on the wrong field, not after the listening window',
  async (t) => {
    const wrongSender = bent((s) => ({
      drain: async (u) => (await s.drain(u)).map((d) => ({ ...d, from: 'nobody' })),
    }));
    const rs = await run(load(scenarioDir({ 'chat/one.yaml': CHAT_SCENARIO })), wrongSender, { deadlineMs: 2000 });
    t.equal(rs[0]!.verdict, 'fail');
    t.ok(
      rs[0]!.steps[0]!.durationMs < 1000,
      `failed in ${Math.round(rs[0]!.steps[0]!.durationMs)} ms, without waiting out 4000 ms`,
    );
    t.match(rs[0]!.steps[0]!.mismatches.map((m) => m.message).join('\n'), /from is "nobody"|from is nobody/);
  },
);

t.test(
  'messages in flight together (wait: false) are judged as they land: an overtaking message fails CHAT-001/CHAT-002, which a step-by-step run cannot see',
  async (t) => {
    const inFlight = load(
      'scenarios/chat/several-messages-in-flight-teams-to-skype.yaml',
      'scenarios/chat/several-messages-in-flight-skype-to-teams.yaml',
    );
    t.same(failing(await run(inFlight, createReferenceAdapter())), []);
    const overtaking = createReferenceAdapter({ faults: ['messages-overtake-in-transit'] });
    const rs = (await run(inFlight, overtaking)).sort((a, b) => a.id.localeCompare(b.id));
    t.same(
      rs.map((r) => broken(r)),
      [
        ['CHAT-002', 'REQ-004'],
        ['CHAT-001', 'REQ-004'],
      ],
    );
    const [t2s] = rs.slice(1);
    t.same(
      t2s!.steps.map((s) => s.verdict),
      ['pass', 'pass', 'fail', 'pass', 'fail', 'pass', 'pass'],
      'laid at each overtaken message (the 1st and the 3rd), once it lands',
    );
    t.match(
      t2s!.steps[2]!.mismatches[0]!.message,
      /"First, the invoice\." .*\(step 3\) arrived after .*"Second, the delivery date\." .*\(step 4\), which was sent after it/,
    );
    const stepByStep = await run(
      load('scenarios/chat/long-conversation-both-ways.yaml'),
      createReferenceAdapter({ faults: ['messages-overtake-in-transit'] }),
      { deadlineOverrideMs: 200 },
    );
    t.same(
      failing(stepByStep),
      [],
      'waiting for each message hides the overtaking: only messages in flight together show it',
    );
  },
);

t.test('a message lost while in flight fails the step that sent it, once its listening window is over', async (t) => {
  const inFlight = load('scenarios/chat/several-messages-in-flight-teams-to-skype.yaml');
  const lossy = bent((s) => ({
    drain: async (u) => (await s.drain(u)).filter((d) => d.text !== 'Third, the address.'),
  }));
  const [r] = await run(inFlight, lossy, { deadlineOverrideMs: 100 });
  t.equal(r!.verdict, 'fail');
  t.same(
    r!.steps.map((s) => s.verdict),
    ['pass', 'pass', 'pass', 'pass', 'fail', 'pass', 'pass'],
    'a lost message is lost, not overtaken by the ones after it',
  );
  t.match(r!.steps[4]!.mismatches[0]!.message, /"Third, the address\." .*never arrived/);
  t.ok(
    r!.steps[4]!.mismatches[0]!.requirements.includes('CHAT-009'),
    'the sender was told it was sent: lost without a word',
  );
});
