/**
 * The comparison's keys and values (harness/compare.ts), as its fast paths must keep them: every key either side
 * carries is compared or named undocumented, those named like Object's own methods too; a value the same on both
 * sides passes, and values that differ are compared as normal JSON (absent means the default, a set is unordered).
 */
import t from 'tap';
import { compare } from '../harness/compare.js';
import { latencyStats } from '../harness/latency.js';
import type { Prediction, ScenarioResult } from '../reports/results.js';
import type { ActorOutcome, Delivery } from '../specs/protocol.js';

const message: Delivery = { to: 'sam', from: 'tara', kind: 'message', surface: 'skype', text: 'hi', encrypted: true };
const predicted = (outcome: object = {}, deliveries: Delivery[] = [message]): Prediction => ({
  outcome: { status: 'ok', ...outcome } as ActorOutcome,
  deliveries,
  rule: 'chat.sent',
  requirements: ['CHAT-001'],
  ruleRequirements: ['CHAT-001'],
  trace: [],
});
const observed = (outcome: object = {}, deliveries: object[] = [message]) => ({
  outcome: { status: 'ok', ...outcome } as ActorOutcome,
  deliveries: deliveries as Delivery[],
});
const messages = (p: Prediction, o: ReturnType<typeof observed>) => compare(p, o, 200).map((m) => m.message);

t.test('a key named like one of Object’s methods is an undocumented field, on an outcome and a delivery', async (t) => {
  // JSON.parse makes them own keys, as a system's answer over a wire would.
  const outcome = JSON.parse('{"constructor": 1}') as object;
  const delivery = JSON.parse('{"toString": "x", "__proto__": "y"}') as object;
  t.same(messages(predicted(), observed(outcome, [{ ...message, ...delivery }])), [
    'the outcome carries an undocumented field constructor (1)',
    'sam ← message "hi" from tara [in skype]: an undocumented field __proto__ ("y")',
    'sam ← message "hi" from tara [in skype]: an undocumented field toString ("x")',
  ]);
});

t.test('keys are compared in the catalogue’s order, then any other key sorted', async (t) => {
  const extra = { zeta: 1, alpha: 2, ...message, encrypted: false, surface: 'teams' };
  t.same(messages(predicted(), observed({}, [extra])), [
    'sam ← message "hi" from tara [in skype]: surface is teams; expected skype',
    'sam ← message "hi" from tara [in skype]: encrypted is false; expected true',
    'sam ← message "hi" from tara [in skype]: an undocumented field alpha (2)',
    'sam ← message "hi" from tara [in skype]: an undocumented field zeta (1)',
  ]);
});

t.test('values: the same passes; absent is the default; lists and objects by value; sets unordered', async (t) => {
  t.same(messages(predicted(), observed({}, [{ ...message, external: false }])), [], 'external absent = false');
  t.same(messages(predicted(), observed({}, [{ ...message, external: true }])), [
    'sam ← message "hi" from tara [in skype]: external is true; expected none',
  ]);
  t.same(
    messages(predicted(), observed({}, [{ ...message, encrypted: 'true' }])),
    ['sam ← message "hi" from tara [in skype]: encrypted is true; expected true'],
    'a string is not the flag it spells',
  );
  const search = (found: string[]) => [predicted({ found: ['ann', 'bob'] }, []), observed({ found }, [])] as const;
  t.same(messages(...search(['bob', 'ann'])), [], 'a search’s result is a set');
  t.same(messages(...search(['ann'])), ['found: observed ["ann"]; expected ["ann","bob"]']);
  const blocked = (list: string[]) =>
    [predicted({ blocked: ['ann', 'bob'] }, []), observed({ blocked: list }, [])] as const;
  t.same(messages(...blocked(['ann', 'bob'])), [], 'a copy of the same list');
  t.same(messages(...blocked(['bob', 'ann'])), ['blocked: observed ["bob","ann"]; expected ["ann","bob"]']);
  const state = (s: object) =>
    [predicted({ callState: { state: 'connected', media: 'audio' } }, []), observed({ callState: s }, [])] as const;
  t.same(messages(...state({ media: 'audio', state: 'connected' })), [], 'an object whatever its keys’ order');
  t.same(messages(...state({ media: 'video', state: 'connected' })), [
    'callState: observed {"media":"video","state":"connected"}; expected {"media":"audio","state":"connected"}',
  ]);
});

t.test('latency percentiles are nearest-rank over every delivery, in numeric order', async (t) => {
  // In text order 100 and 20 would come before 3: a sort that compares strings gives other figures.
  const result = (...latenciesMs: number[][]) =>
    ({
      steps: latenciesMs.map((l) => ({ observed: { outcome: { status: 'ok' }, deliveries: [], latenciesMs: l } })),
    }) as unknown as ScenarioResult;
  t.same(latencyStats([result([3, 100], [20]), result([], [4.5, 7.25, 1]), result([2, 9, 5, 6.125])]), {
    count: 10,
    p50Ms: 5,
    p95Ms: 100,
    maxMs: 100,
  });
  t.same(latencyStats([result([0.123456])]), { count: 1, p50Ms: 0.12, p95Ms: 0.12, maxMs: 0.12 });
  t.equal(latencyStats([result([]), { steps: [{}] } as unknown as ScenarioResult]), undefined, 'no delivery: none');
});
