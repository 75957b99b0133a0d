/**
 * The oracle's parts on their own: attribution's one list and the Prediction's two views derived from it; the
 * composition's step (a refused event, a question that changes nothing, a state never mutated in place); and
 * how the interop's clauses reach a prediction (the client rule answers, the told sender is exercised).
 */
import t from 'tap';
import { initialModelState, predict, type ModelState } from '../harness/oracle.js';
import { attribute, views } from '../harness/oracle/attribution.js';
import { Composition, SEARCH } from '../harness/oracle/composition.js';
import { OutOfScope, pairOf } from '../harness/world-queries.js';
import type { Action, Delivery, World } from '../specs/protocol.js';
import { world } from './fixtures/reference-world.js';

t.test("the Prediction's views: the rule's requirements in the order decides, vouched, answers", async (t) => {
  // Pushed in the reverse order: the views must not depend on the order the step met them in.
  const list = [
    ...attribute('exercised', ['CHAT-009', 'REQ-001']),
    ...attribute('answers', ['CHAT-010']),
    ...attribute('vouched', ['ADMIN-009']),
    ...attribute('decides', ['REQ-004', 'CHAT-010']),
  ];
  const d: Delivery = {
    to: 'ivy',
    from: 'sam',
    kind: 'message',
    surface: 'skype-for-business',
    text: 'x',
    encrypted: true,
  };
  t.same(views(list, [d]), {
    requirements: ['ADMIN-009', 'CHAT-005', 'CHAT-006', 'CHAT-009', 'CHAT-010', 'REQ-001', 'REQ-004', 'REQ-009'],
    ruleRequirements: ['REQ-004', 'CHAT-010', 'ADMIN-009'],
  });
  t.same(views([], []), { requirements: [], ruleRequirements: [] });
});

const w = world({}, { andy: { client: 'mac' } });
function play(steps: [string, Action][], from: ModelState = initialModelState(w), on: World = w) {
  let state = from;
  const out = [];
  for (const [actor, action] of steps) {
    const a = predict(on, state, actor, action);
    if (!a.allowed) throw new Error(a.reason);
    out.push(a.prediction);
    state = a.next;
  }
  return { out, state };
}
const say = (to: string): Action => ({ kind: 'message', to, text: 'hi' });

t.test(
  'the composition: a refused event names why, a question changes nothing, no state is changed in place',
  async (t) => {
    const c = new Composition(initialModelState(w));
    t.throws(
      () => c.relationship(pairOf(w, 'tara', 'sam'), { type: 'ACCEPT', by: 'teams' }, 'nothing to accept'),
      new OutOfScope('nothing to accept'),
    );
    const before = c.state().tenants.contoso;
    c.tenant('contoso', { type: 'AUTHORIZE', user: 'tara', use: 'chat' }, 'cannot', false);
    t.equal(c.state().tenants.contoso, before, 'AUTHORIZE is asked, not kept');
    c.fire(SEARCH, { type: 'SET_SEARCHABLE', user: 'sam', value: false }, 'cannot');
    t.same(c.trace, ['tenant-policy.allowed', 'search.searchability-set'], 'every rule consulted, in order');
    const start = initialModelState(w);
    const first = play([['tara', say('sam')]], start);
    const again = play([['tara', say('sam')]], start);
    t.same(again.out, first.out, 'the same state predicts the same step twice');
    t.same(start.relationships, {}, 'the state predicted from is left as it was');
  },
);

t.test(
  "the client rule answers for a mac user's delivered message; a blocked sender's silence is no CHAT-009",
  async (t) => {
    const { out } = play([
      ['andy', say('tara')],
      ['tara', { kind: 'accept', from: 'andy' }],
      ['tara', say('andy')],
      ['tara', { kind: 'block', user: 'andy' }],
      ['andy', say('tara')],
    ]);
    t.match(out[0], { rule: 'relationship.skype-first-contact-is-request', ruleRequirements: ['REQ-002', 'CHAT-010'] });
    t.ok(out[2]!.requirements.includes('CHAT-009'), 'a delivered message answers to CHAT-009');
    t.notOk(out[2]!.ruleRequirements.includes('CHAT-009'), '…through the silent-loss check, not as its rule');
    t.ok(out[2]!.ruleRequirements.includes('CHAT-010'));
    t.match(out[4], { outcome: { status: 'ok' }, deliveries: [] });
    t.notOk(out[4]!.requirements.includes('CHAT-009'), 'dropped by a block: not told, by design (F21)');
  },
);

t.test(
  'out of scope, with a reason: a search on one’s own platform, a Skype user’s blocked-contacts list',
  async (t) => {
    const start = initialModelState(w);
    t.match(predict(w, start, 'tara', { kind: 'search', email: 'IVY@contoso.example' }), {
      allowed: false,
      reason: /belongs to ivy, a teams user like tara: only searches across the interop are in scope/,
    });
    t.match(predict(w, start, 'sam', { kind: 'blocked-contacts' }), {
      allowed: false,
      reason: /sam is not a Teams user: the blocked-contacts list in scope is the Teams user's/,
    });
  },
);
