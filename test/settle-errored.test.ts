/**
 * A step that errors after its action was sent (an answer lost, a stream that never catches up) ends the scenario,
 * and what its action delivers turns up later, in the settle window. That delivery is this world's: it is laid at
 * the errored step, judged by its fields, and never blamed on isolation (WIRE-002). Traffic that no step of the
 * world sent is still another world's, errored step or not.
 */
import t from 'tap';
import { WireFormatViolation, type Adapter, type Session } from '../adapters/adapter.js';
import { createReferenceAdapter } from '../adapters/reference/adapter.js';
import { startService } from '../adapters/reference/http/server.js';
import { findScenarioFiles, loadScenarios, type Scenario } from '../harness/load.js';
import { runScenarios } from '../harness/run.js';
import { loadCatalogue } from '../harness/specs-files.js';
import type { ScenarioResult } from '../reports/results.js';
import type { Delivery } from '../specs/protocol.js';
import { CHAT_SCENARIO, cli, scenarioDir } from './support.js';

const catalogue = loadCatalogue().requirements;
const chat = (): Scenario[] => {
  const { scenarios, problems } = loadScenarios(
    findScenarioFiles([scenarioDir({ 'chat/tara-and-sam.yaml': CHAT_SCENARIO })]),
    catalogue,
  );
  if (problems.length) throw new Error(JSON.stringify(problems));
  return scenarios;
};

/** Tara's second message to Sam, the last step's one delivery as the reference makes it. */
const AGAIN = { to: 'sam', from: 'tara', kind: 'message', text: 'again' } as const;

interface Trouble {
  /** The action (counted from 1) whose call throws after it was sent (an answer lost). */
  at?: number;
  /** The first call to drain throws instead: the first step errors before its action is sent. */
  firstDrain?: boolean;
  /** What the call throws (default: an adapter error). */
  error?: () => Error;
  /** Deliveries that turn up once the call has thrown, besides the reference's own. */
  extra?: Delivery[];
  /** A change the system makes to every delivery it hands over. */
  alter?: (d: Delivery) => Delivery;
}

/** The in-process reference, with one action's call throwing. */
function troubled(o: Trouble): Adapter {
  const inner = createReferenceAdapter();
  return {
    name: 'troubled',
    capabilities: inner.capabilities,
    async open(world): Promise<Session> {
      const s = await inner.open(world);
      const extra: Delivery[] = [];
      let n = 0;
      let drains = 0;
      const trouble = (): never => {
        extra.push(...(o.extra ?? []));
        throw o.error?.() ?? new Error('the answer was lost');
      };
      return {
        async perform(actor, action) {
          const outcome = await s.perform(actor, action);
          return ++n === o.at ? trouble() : outcome;
        },
        async drain(user) {
          if (o.firstDrain && ++drains === 1) trouble();
          const mine = extra.filter((d) => d.to === user);
          extra.splice(0, extra.length, ...extra.filter((d) => d.to !== user));
          return [...(await s.drain(user)), ...mine].map(o.alter ?? ((d) => d));
        },
        close: () => s.close(),
      };
    },
  };
}

const play = async (o: Trouble): Promise<ScenarioResult> =>
  (await runScenarios(chat(), { adapter: troubled(o), deadlineMs: 200, stepTimeoutMs: 2000, settleMs: 50 }))[0]!;
const verdicts = (r: ScenarioResult) => r.steps.map((s) => s.verdict);
const mismatches = (r: ScenarioResult) => r.steps.map((s) => s.mismatches.map((m) => m.requirements.join(',')));
const lateTexts = (r: ScenarioResult) => r.steps.map((s) => (s.late ?? []).map((l) => l.delivery.text));

t.test(
  "a step that errors after sending its action: the action's delivery, arriving after, is laid at that step with no finding, and nothing is blamed on WIRE-002",
  async (t) => {
    const r = await play({ at: 3 });
    t.equal(r.verdict, 'error');
    t.same(verdicts(r), ['pass', 'pass', 'error'], 'the steps before it keep their pass');
    t.same(mismatches(r), [[], [], []], 'no WIRE-002, nor any other finding');
    t.same(lateTexts(r), [[], [], ['again']], 'the delivery is evidence at the step that sent it');
    t.equal(r.steps[2]!.error, 'the answer was lost');
  },
);

t.test(
  'a step whose answer is in the wrong shape (a WIRE-001 failure) after sending its action: its delivery is laid at it, not at WIRE-002',
  async (t) => {
    const r = await play({ at: 3, error: () => new WireFormatViolation('the answer has no id') });
    t.same(verdicts(r), ['pass', 'pass', 'fail']);
    t.same(mismatches(r), [[], [], ['WIRE-001']]);
    t.same(lateTexts(r), [[], [], ['again']]);
  },
);

t.test('a true cross-world leak after a step that errored after sending its action still fails WIRE-002', async (t) => {
  const leak = { ...AGAIN, text: 'from another world', surface: 'skype', encrypted: true } as const;
  const r = await play({ at: 3, extra: [leak] });
  t.same(verdicts(r), ['pass', 'pass', 'error']);
  t.same(mismatches(r), [[], [], ['WIRE-002']], 'the leak is found, and laid at the last step played');
  t.match(r.steps[2]!.mismatches[0]!.message, /"from another world" from tara.*another world's traffic leaked in/);
  t.same(lateTexts(r), [[], [], ['again']], "the step's own delivery is still its own");

  // At the first step too: with no step finished, a leak was let through unjudged before.
  const first = await play({ at: 1, extra: [leak] });
  t.same(mismatches(first), [['WIRE-002'], [], []]);
  t.same(verdicts(first), ['error', 'skip', 'skip']);
});

t.test(
  "a step that errors before its action is sent caused nothing: a delivery just like its own is another world's (WIRE-002)",
  async (t) => {
    const hello = {
      to: 'sam',
      from: 'tara',
      kind: 'request',
      text: 'hello',
      surface: 'teams',
      external: true,
    } as const;
    const r = await play({ firstDrain: true, extra: [{ ...hello, encrypted: true }] });
    t.same(verdicts(r), ['error', 'skip', 'skip']);
    t.same(mismatches(r), [['WIRE-002'], [], []]);
    t.same(lateTexts(r), [[], [], []]);
  },
);

t.test(
  "an errored step's delivery is still judged: a wrong field fails that field's clause, a second copy the step's rule",
  async (t) => {
    const plain = await play({
      at: 3,
      alter: (d) => (d.text === 'again' ? { ...d, encrypted: false } : d),
    });
    t.same(mismatches(plain), [[], [], ['CHAT-005']], 'an unencrypted message breaks CHAT-005, not WIRE-002');
    t.same(verdicts(plain), ['pass', 'pass', 'error'], 'the error stands');

    const twice = await play({ at: 3, extra: [{ ...AGAIN, surface: 'skype', encrypted: true }] });
    t.equal(twice.steps[2]!.mismatches.length, 1);
    t.match(twice.steps[2]!.mismatches[0]!.message, /"again" from tara.*arrived a second time/);
    t.notOk(mismatches(twice).flat().join(',').includes('WIRE-002'));
  },
);

t.test(
  "a late delivery alike to a refused step's and to the errored retry that predicts it is laid at the retry: the refusal is not blamed on its clause",
  async (t) => {
    // Tara's message is refused (no enterprise app), Ada enables it, the same text is sent again and its answer lost.
    const { scenarios, problems } = loadScenarios(
      findScenarioFiles(['scenarios/admin/enabling-enterprise-app-restores-chat.yaml']),
      catalogue,
    );
    t.same(problems, []);
    const o = { adapter: troubled({ at: 3 }), deadlineMs: 200, stepTimeoutMs: 2000, settleMs: 50 };
    const r = (await runScenarios(scenarios, o))[0]!;
    t.same(verdicts(r), ['pass', 'pass', 'error', 'skip', 'skip']);
    t.same(mismatches(r), [[], [], [], [], []], 'no CHAT-008 at the refused step 1');
    t.same(lateTexts(r), [[], [], ['Hi Sam, Tara from Contoso.'], [], []]);
  },
);

t.test(
  'over HTTP against the served event-cursor-ahead variant: the step that waits in vain fails WIRE-001 (the cursor counts what the stream never shows), its delivery arrives after, and no WIRE-002 is reported',
  async (t) => {
    const s = await startService({ faults: 'event-cursor-ahead' });
    t.teardown(() => s.close());
    // Sam's probe delivers nothing and passes; his message then waits for an event the cursor counts but never comes.
    const r = await cli([
      'run',
      'scenarios/security/malformed-json-refused.yaml',
      '--adapter',
      'http',
      '--adapter-option',
      `url=${s.url}`,
      '--adapter-option',
      'timeout=200',
      '--settle',
      '300',
      '--quiet',
      '--reporter',
      'json',
    ]);
    const run = r.report().scenarios[0]!;
    t.equal(r.code, 1);
    t.same(verdicts(run), ['pass', 'fail']);
    t.same(mismatches(run), [[], ['WIRE-001']]);
    t.same(lateTexts(run), [[], ['Sorry, my client hiccupped. Hello!']]);
  },
);
