/**
 * What the oracle rejects before anything runs, for the vocabulary of issue 13: a block during a call in
 * progress, privacy settings and phone numbers of a Skype user, a Teams user blocking themselves. And what it
 * predicts for the new actions, composed across models (the blocked list's two parts, a deployment repair).
 */
import t from 'tap';
import { initialModelState, predict, type ModelState } from '../harness/oracle.js';
import type { Action, World } from '../specs/protocol.js';
import { world } from './fixtures/reference-world.js';

function play(w: World, steps: [string, Action][]) {
  let state: ModelState = initialModelState(w);
  let last: ReturnType<typeof predict> | undefined;
  for (const [actor, action] of steps) {
    last = predict(w, state, actor, action);
    if (!last.allowed) return last;
    state = last.next;
  }
  return last!;
}
const say = (to: string, text = 'hi'): Action => ({ kind: 'message', to, text });
const connected: [string, Action][] = [
  ['tara', say('sam')],
  ['sam', { kind: 'accept', from: 'tara' }],
];

t.test('out of scope: rejected with a reason, nothing predicted', async (t) => {
  const cases: [string, [string, Action][], RegExp][] = [
    [
      "a block while the pair's call rings",
      [...connected, ['sam', { kind: 'call', to: 'tara', media: 'audio' }], ['tara', { kind: 'block', user: 'sam' }]],
      /during their ringing or answered call/,
    ],
    [
      'a Skype user blocking from privacy settings',
      [...connected, ['sam', { kind: 'block', user: 'tara', via: 'privacy-settings' }]],
      /not a Teams user/,
    ],
    ['a Skype user blocking a number', [['sam', { kind: 'block-number', phone: '+1 555' }]], /not a Teams user/],
    ['a Teams user blocking themselves', [['tara', { kind: 'block', user: 'tara' }]], /cannot block themselves/],
    [
      'a number blocked twice',
      [
        ['tara', { kind: 'block-number', phone: '5' }],
        ['tara', { kind: 'block-number', phone: '5' }],
      ],
      /blocks 5 already/,
    ],
    ['a colleague unblocked who is not blocked', [['tara', { kind: 'unblock', user: 'ivy' }]], /does not block ivy/],
  ];
  for (const [name, steps, reason] of cases) t.match(play(world(), steps), { allowed: false, reason }, name);
  t.match(
    play(world(), [
      ...connected,
      ['sam', { kind: 'call', to: 'tara', media: 'audio' }],
      ['sam', { kind: 'hang-up', with: 'tara' }],
      ['tara', { kind: 'block', user: 'sam' }],
    ]),
    { allowed: true },
    'once the call ended, blocking is in scope again',
  );
});

t.test('predictions: the blocked list composed from both models; a repair vouches for what follows it', async (t) => {
  const list = play(world(), [
    ['sam', say('tara')],
    ['tara', { kind: 'block', user: 'sam' }],
    ['tara', { kind: 'block-number', phone: '555' }],
    ['tara', { kind: 'block', user: 'ivy' }],
    ['tara', { kind: 'blocked-contacts' }],
  ]);
  t.match(list, {
    allowed: true,
    prediction: {
      outcome: { status: 'ok', blocked: ['ivy', 'sam', '555'] },
      ruleRequirements: ['BLOCK-004', 'BLOCK-007'],
    },
  });
  const others = play(world(), [
    ['tara', { kind: 'block-number', phone: '555' }],
    ['tara', { kind: 'blocked-contacts' }],
  ]);
  t.match(
    others,
    { prediction: { rule: 'blocked-list.others-listed', outcome: { blocked: ['555'] } } },
    'only others: the blocked-list rule decides',
  );
  const repaired = play(world({ cloud: 'gcc' }), [
    ['ada', { kind: 'set-cloud', cloud: 'commercial' }],
    ['tara', say('sam')],
  ]);
  t.match(repaired, { prediction: { rule: 'relationship.teams-first-contact-is-request' } });
  t.ok(
    repaired.allowed && repaired.prediction.ruleRequirements.includes('ADMIN-009'),
    'a first contact after the repair answers to ADMIN-009 too',
  );
  const hidden = play(world({}, { sam: { searchable: false } }), [
    ['tara', { kind: 'call', to: 'sam', media: 'audio' }],
  ]);
  t.match(hidden, {
    prediction: {
      rule: 'relationship.teams-first-contact-to-unlisted-refused',
      outcome: { status: 'error', error: 'recipient-unavailable' },
      deliveries: [],
    },
  });
});
