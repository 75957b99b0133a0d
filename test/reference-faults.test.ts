import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { createReferenceAdapter, referenceAdapter } from '../adapters/reference/adapter.js';
import { FAULTS, LATE_FIRST_MESSAGE_MS } from '../adapters/reference/faults.js';
import type { Action, ActorOutcome, Delivery, ErrorCode, World } from '../specs/protocol.js';
import { connected, ring, run, say, world, type Observed, type Step } from './fixtures/reference-world.js';

const OK: ActorOutcome = { status: 'ok' };
const error = (code: ErrorCode): ActorOutcome => ({ status: 'error', error: code });
const found = (names: string[]): ActorOutcome => ({ status: 'ok', found: names });
const msg = (to: string, from: string, text: string, surface = to === 'sam' || to === 'andy' ? 'skype' : 'teams') =>
  ({ to, from, kind: 'message', surface, text, encrypted: true }) as Delivery;
const req = (to: string, from: string, text: string, extra: Partial<Delivery> = {}) =>
  ({ to, from, kind: 'request', surface: 'skype', text, encrypted: true, ...extra }) as Delivery;
const fromSam = (to = 'tara', surface = 'teams') =>
  ({ to, from: 'sam', kind: 'request', surface, text: `hi ${to}`, external: true, encrypted: true }) as Delivery;

const search = (email: string): Action => ({ kind: 'search', email });
const block: Step = ['tara', { kind: 'block', user: 'sam' }];
const answered: Step[] = [
  ...connected('tara', 'sam'),
  ['sam', ring('tara')],
  ['tara', { kind: 'answer', from: 'sam' }],
];
const unblockSam: Step = ['tara', { kind: 'unblock', user: 'sam' }];
const viewSam: Step = ['tara', { kind: 'view-messages', from: 'sam' }];
/** Sam writes each of `lines` to Tara, one step each. */
const texts = (lines: string[]): Step[] => lines.map((line) => ['sam', say('tara', line)]);
const switchTurns = (turns: boolean[]): Step[] =>
  turns.map((allowPublicUsers) => ['ada', { kind: 'set-org-switch', allowPublicUsers }]);
const noAv = { tara: { policy: { enablePublicCloudAccess: true, enablePublicCloudAudioVideoAccess: false } } };
const noAccess = { tara: { policy: { enablePublicCloudAccess: false, enablePublicCloudAudioVideoAccess: true } } };

/** For each fault: steps whose LAST step observes the fault, and exactly what the faulty variant shows there. */
const PROBES: Record<string, { steps: Step[]; world?: World; faulty: Observed }> = {
  'teams-user-cannot-find-skype-user': {
    steps: [['tara', search('sam@outlook.example')]],
    faulty: { outcome: found([]), deliveries: [] },
  },
  'skype-user-cannot-find-teams-user': {
    steps: [['sam', search('tara@contoso.example')]],
    faulty: { outcome: found([]), deliveries: [] },
  },
  'skype-id-search-finds-user': {
    steps: [['tara', { kind: 'search', skypeId: 'live:sam' }]],
    faulty: { outcome: found(['sam']), deliveries: [] },
  },
  'phone-search-finds-user': {
    steps: [['tara', { kind: 'search', phone: '+15550100' }]],
    faulty: { outcome: found(['sam']), deliveries: [] },
  },
  'search-opt-out-ignored': {
    steps: [
      ['sam', { kind: 'set-searchable', value: false }],
      ['tara', search('sam@outlook.example')],
    ],
    faulty: { outcome: found(['sam']), deliveries: [] },
  },
  'disabled-user-still-searchable': {
    world: world({ allowPublicUsers: false }),
    steps: [['sam', search('tara@contoso.example')]],
    faulty: { outcome: found(['tara']), deliveries: [] },
  },
  'search-matches-local-part': {
    steps: [['tara', search('sam@elsewhere.example')]],
    faulty: { outcome: found(['sam']), deliveries: [] },
  },
  'first-call-rings': {
    steps: [['tara', ring('sam')]],
    faulty: { outcome: OK, deliveries: [{ to: 'sam', from: 'tara', kind: 'call', surface: 'skype', media: 'audio' }] },
  },
  'skype-request-not-marked-external': {
    steps: [['sam', say('tara')]],
    faulty: {
      outcome: OK,
      deliveries: [{ to: 'tara', from: 'sam', kind: 'request', surface: 'teams', text: 'hi tara', encrypted: true }],
    },
  },
  'reply-before-accept-allowed': {
    steps: [
      ['sam', say('tara')],
      ['tara', say('sam', 'reply')],
    ],
    faulty: { outcome: OK, deliveries: [msg('sam', 'tara', 'reply')] },
  },
  'accept-not-recorded': {
    steps: [...connected('tara', 'sam'), ['tara', say('sam', 'thanks')]],
    faulty: { outcome: error('request-not-accepted'), deliveries: [] },
  },
  'request-block-accepts': {
    steps: [['sam', say('tara')], block, ['sam', say('tara', 'again')]],
    faulty: { outcome: OK, deliveries: [msg('tara', 'sam', 'again')] },
  },
  'view-accepts-request': {
    steps: [
      ['sam', say('tara')],
      ['tara', { kind: 'view-messages', from: 'sam' }],
      ['sam', say('tara', 'two')],
    ],
    faulty: { outcome: OK, deliveries: [msg('tara', 'sam', 'two')] },
  },
  'pending-follow-ups-dropped': {
    steps: [
      ['sam', say('tara')],
      ['sam', say('tara')],
    ],
    faulty: { outcome: OK, deliveries: [] },
  },
  'teamsonly-routed-to-skype-for-business': {
    steps: [['sam', say('tara')]],
    faulty: { outcome: OK, deliveries: [fromSam('tara', 'skype-for-business')] },
  },
  'islands-routed-to-teams': {
    steps: [['sam', say('ivy')]],
    faulty: { outcome: OK, deliveries: [fromSam('ivy', 'teams')] },
  },
  'teams-to-skype-messages-dropped': {
    steps: [...connected('tara', 'sam'), ['tara', say('sam')]],
    faulty: { outcome: OK, deliveries: [] },
  },
  'skype-to-teams-messages-dropped': {
    steps: [...connected('tara', 'sam'), ['sam', say('tara')]],
    faulty: { outcome: OK, deliveries: [] },
  },
  'group-chat-allowed': {
    steps: [['tara', { kind: 'group-chat', with: ['sam', 'andy'], text: 'all' }]],
    faulty: { outcome: OK, deliveries: [] },
  },
  'rich-text-accepted': {
    steps: [...connected('tara', 'sam'), ['tara', { kind: 'message', to: 'sam', text: '**hi**', format: 'rich' }]],
    faulty: { outcome: OK, deliveries: [msg('sam', 'tara', '**hi**')] },
  },
  'messages-stored-in-clear': {
    steps: [['tara', say('sam')]],
    faulty: { outcome: OK, deliveries: [req('sam', 'tara', 'hi sam', { encrypted: false })] },
  },
  'first-message-late': { steps: [['tara', say('sam')]], faulty: { outcome: OK, deliveries: [] } },
  'presence-shown': {
    steps: [['tara', { kind: 'presence', of: 'sam' }]],
    faulty: { outcome: { status: 'ok', presence: 'shown' }, deliveries: [] },
  },
  'chat-fails-silently-without-enterprise-app': {
    world: world({ skypeForBusinessOnlineApp: false }),
    steps: [['tara', say('sam')]],
    faulty: { outcome: OK, deliveries: [] },
  },
  'android-skype-messages-lost': {
    steps: [...connected('tara', 'andy'), ['andy', say('tara')]],
    faulty: { outcome: OK, deliveries: [] },
  },
  'call-answer-not-signalled': { steps: answered, faulty: { outcome: OK, deliveries: [] } },
  'video-calls-ring-as-audio': {
    steps: [...connected('tara', 'sam'), ['sam', ring('tara', 'video')]],
    faulty: { outcome: OK, deliveries: [{ to: 'tara', from: 'sam', kind: 'call', surface: 'teams', media: 'audio' }] },
  },
  'add-video-not-signalled': {
    steps: [...answered, ['sam', { kind: 'add-video', with: 'tara' }]],
    faulty: { outcome: OK, deliveries: [] },
  },
  'video-added-call-stays-audio': {
    steps: [...answered, ['sam', { kind: 'add-video', with: 'tara' }], ['tara', { kind: 'call-state', with: 'sam' }]],
    faulty: { outcome: { status: 'ok', callState: { state: 'connected', media: 'audio' } }, deliveries: [] },
  },
  'blocked-caller-sees-no-call': {
    steps: [...connected('tara', 'sam'), block, ['sam', ring('tara')], ['sam', { kind: 'call-state', with: 'tara' }]],
    faulty: { outcome: { status: 'ok', callState: { state: 'none' } }, deliveries: [] },
  },
  'hang-up-not-signalled': {
    steps: [...answered, ['sam', { kind: 'hang-up', with: 'tara' }]],
    faulty: { outcome: OK, deliveries: [] },
  },
  'forwarding-ignored': {
    steps: [...connected('fred', 'sam'), ['sam', ring('fred')]],
    faulty: { outcome: OK, deliveries: [{ to: 'fred', from: 'sam', kind: 'call', surface: 'teams', media: 'audio' }] },
  },
  'add-participant-allowed': {
    steps: [...answered, ['tara', { kind: 'add-participant', with: 'sam', user: 'andy' }]],
    faulty: { outcome: OK, deliveries: [] },
  },
  'delegate-call-allowed': {
    steps: [['dana', { kind: 'call', to: 'sam', media: 'audio', onBehalfOf: 'tara' }]],
    faulty: {
      outcome: OK,
      deliveries: [{ to: 'sam', from: 'dana', kind: 'request', surface: 'skype', media: 'audio' }],
    },
  },
  'screen-share-allowed': {
    steps: [...answered, ['sam', { kind: 'share-screen', with: 'tara' }]],
    faulty: { outcome: OK, deliveries: [] },
  },
  'block-not-enforced': {
    steps: [...connected('tara', 'sam'), block, ['sam', say('tara', 'still here')]],
    faulty: { outcome: OK, deliveries: [msg('tara', 'sam', 'still here')] },
  },
  'unblock-not-restoring': {
    steps: [...connected('tara', 'sam'), block, ['tara', { kind: 'unblock', user: 'sam' }], ['sam', say('tara')]],
    faulty: { outcome: OK, deliveries: [] },
  },
  'blocked-sender-told': {
    steps: [...connected('tara', 'sam'), block, ['sam', say('tara')]],
    faulty: { outcome: error('recipient-unavailable'), deliveries: [] },
  },
  'blocked-caller-misses-voicemail': {
    world: world({}, { tara: { forwarding: 'phone' } }),
    steps: [...connected('tara', 'sam'), block, ['sam', ring('tara')]],
    faulty: { outcome: OK, deliveries: [] },
  },
  'blocked-contacts-missing-skype-users': {
    steps: [...connected('tara', 'sam'), block, ['tara', { kind: 'blocked-contacts' }]],
    faulty: { outcome: { status: 'ok', blocked: [] }, deliveries: [] },
  },
  // A blocker writing to the person they block: refused (contact-blocked) by the reference, delivered by the variant.
  'teams-block-acts-as-accept': {
    steps: [['sam', say('tara')], viewSam, block, ['tara', say('sam', 'stop it')]],
    faulty: { outcome: OK, deliveries: [msg('sam', 'tara', 'stop it')] },
  },
  'skype-block-acts-as-accept': {
    steps: [
      ['tara', say('sam')],
      ['sam', { kind: 'block', user: 'tara' }],
      ['sam', say('tara', 'no thanks')],
    ],
    faulty: { outcome: OK, deliveries: [msg('tara', 'sam', 'no thanks')] },
  },
  'privacy-settings-block-ignored': {
    steps: [
      ...connected('tara', 'sam'),
      ['tara', { kind: 'block', user: 'sam', via: 'privacy-settings' }],
      ['sam', say('tara', 'still here')],
    ],
    faulty: { outcome: OK, deliveries: [msg('tara', 'sam', 'still here')] },
  },
  'privacy-settings-unblock-ignored': {
    steps: [
      ...connected('tara', 'sam'),
      block,
      ['tara', { kind: 'unblock', user: 'sam', via: 'privacy-settings' }],
      ['sam', say('tara', 'back')],
    ],
    faulty: { outcome: OK, deliveries: [] },
  },
  'blocked-numbers-missing': {
    steps: [
      ['tara', { kind: 'block', user: 'ivy' }],
      ['tara', { kind: 'block-number', phone: '+1 555 0100' }],
      ['tara', { kind: 'blocked-contacts' }],
    ],
    faulty: { outcome: { status: 'ok', blocked: ['ivy'] }, deliveries: [] },
  },
  'blocked-colleagues-after-skype-users': {
    steps: [
      ['sam', say('tara')],
      ['tara', { kind: 'block', user: 'sam' }],
      ['tara', { kind: 'block', user: 'ivy' }],
      ['tara', { kind: 'blocked-contacts' }],
    ],
    faulty: { outcome: { status: 'ok', blocked: ['sam', 'ivy'] }, deliveries: [] },
  },
  'blocked-contacts-in-block-order': {
    steps: [
      ['sam', say('tara')],
      ['andy', say('tara')],
      ['tara', { kind: 'block', user: 'sam' }],
      ['tara', { kind: 'block', user: 'andy' }],
      ['tara', { kind: 'blocked-contacts' }],
    ],
    faulty: { outcome: { status: 'ok', blocked: ['sam', 'andy'] }, deliveries: [] },
  },
  'hidden-skype-user-contactable-first': {
    steps: [
      ['sam', { kind: 'set-searchable', value: false }],
      ['tara', say('sam')],
    ],
    faulty: { outcome: OK, deliveries: [req('sam', 'tara', 'hi sam')] },
  },
  'skype-block-not-enforced': {
    steps: [
      ['tara', say('sam')],
      ['sam', { kind: 'block', user: 'tara' }],
      ['tara', say('sam', 'hello?')],
    ],
    faulty: { outcome: OK, deliveries: [msg('sam', 'tara', 'hello?')] },
  },
  'deployment-changes-ignored': {
    steps: [
      ['ada', { kind: 'set-sip-federation-srv', record: null }],
      ['tara', say('sam')],
    ],
    faulty: { outcome: OK, deliveries: [req('sam', 'tara', 'hi sam')] },
  },
  'deployment-repair-not-applied': {
    world: world({ publicProvider: 'None' }),
    steps: [
      ['ada', { kind: 'set-public-provider', provider: 'WindowsLive' }],
      ['tara', say('sam')],
    ],
    faulty: { outcome: error('interop-unavailable'), deliveries: [] },
  },
  'deployment-change-forgets-conversations': {
    steps: [
      ...connected('tara', 'sam'),
      ['ada', { kind: 'set-cloud', cloud: 'commercial' }],
      ['tara', say('sam', 'still connected?')],
    ],
    faulty: { outcome: OK, deliveries: [req('sam', 'tara', 'still connected?')] },
  },
  'org-switch-ignored': {
    world: world({ allowPublicUsers: false }),
    steps: [['tara', say('sam')]],
    faulty: { outcome: OK, deliveries: [req('sam', 'tara', 'hi sam')] },
  },
  'org-switch-cannot-be-restored': {
    steps: [
      ['ada', { kind: 'set-org-switch', allowPublicUsers: false }],
      ['ada', { kind: 'set-org-switch', allowPublicUsers: true }],
      ['tara', say('sam')],
    ],
    faulty: { outcome: error('skype-access-disabled'), deliveries: [] },
  },
  'user-policy-ignored': {
    world: world({}, noAccess),
    steps: [['tara', say('sam')]],
    faulty: { outcome: OK, deliveries: [req('sam', 'tara', 'hi sam')] },
  },
  'audio-video-policy-ignored': {
    world: world({}, noAv),
    steps: [['tara', ring('sam')]],
    faulty: {
      outcome: OK,
      deliveries: [{ to: 'sam', from: 'tara', kind: 'request', surface: 'skype', media: 'audio' }],
    },
  },
  'user-policy-overrides-org-switch': {
    steps: [
      ['ada', { kind: 'set-user-policy', user: 'tara', enablePublicCloudAccess: true }],
      ['ada', { kind: 'set-org-switch', allowPublicUsers: false }],
      ['tara', say('sam')],
    ],
    faulty: { outcome: OK, deliveries: [req('sam', 'tara', 'hi sam')] },
  },
  'wrong-public-provider-ignored': {
    world: world({ publicProvider: 'Other' }),
    steps: [['tara', say('sam')]],
    faulty: { outcome: OK, deliveries: [req('sam', 'tara', 'hi sam')] },
  },
  'sip-srv-not-checked': {
    world: world({ sipFederationSrv: null }),
    steps: [['tara', say('sam')]],
    faulty: { outcome: OK, deliveries: [req('sam', 'tara', 'hi sam')] },
  },
  'gcc-tenant-allowed': {
    world: world({ cloud: 'gcc' }),
    steps: [['tara', say('sam')]],
    faulty: { outcome: OK, deliveries: [req('sam', 'tara', 'hi sam')] },
  },
  // Faults only longer sequences show, message order and email case (faults/sequences.ts and the area files).
  'second-block-ignored': {
    steps: [...connected('tara', 'sam'), block, unblockSam, block, ['sam', say('tara', 'again')]],
    faulty: { outcome: OK, deliveries: [msg('tara', 'sam', 'again')] },
  },
  'only-first-unblock-restores': {
    steps: [...connected('tara', 'sam'), block, unblockSam, block, unblockSam, ['tara', { kind: 'blocked-contacts' }]],
    faulty: { outcome: { status: 'ok', blocked: ['sam'] }, deliveries: [] },
  },
  'one-unblock-lifts-both-blocks': {
    steps: [
      ...connected('tara', 'sam'),
      block,
      ['sam', { kind: 'block', user: 'tara' }],
      unblockSam,
      ['tara', say('sam', 'there?')],
    ],
    faulty: { outcome: OK, deliveries: [msg('sam', 'tara', 'there?')] },
  },
  'inbox-full-after-four-deliveries': {
    steps: [...connected('tara', 'sam'), ...texts(['1', '2', '3', '4'])],
    faulty: { outcome: OK, deliveries: [] },
  },
  'view-messages-shows-last-four': {
    steps: [...texts(['1', '2', '3', '4', '5']), viewSam],
    faulty: { outcome: { status: 'ok', messages: ['2', '3', '4', '5'] }, deliveries: [] },
  },
  'org-switch-second-turn-off-ignored': {
    steps: [...switchTurns([false, true, false]), ['tara', say('sam')]],
    faulty: { outcome: OK, deliveries: [req('sam', 'tara', 'hi sam')] },
  },
  'hiding-from-search-works-once': {
    steps: [
      ...[false, true, false].map((value): Step => ['sam', { kind: 'set-searchable', value }]),
      ['tara', search('sam@outlook.example')],
    ],
    faulty: { outcome: found(['sam']), deliveries: [] },
  },
  'messages-reordered': {
    steps: [...texts(['one', 'two']), viewSam],
    faulty: { outcome: { status: 'ok', messages: ['two', 'one'] }, deliveries: [] },
  },
  'request-follow-ups-merged': {
    steps: texts(['one', 'two']),
    faulty: { outcome: OK, deliveries: [req('tara', 'sam', 'one\ntwo', { surface: 'teams', external: true })] },
  },
  'skype-follow-ups-not-marked-external': {
    steps: texts(['one', 'two']),
    faulty: { outcome: OK, deliveries: [req('tara', 'sam', 'two', { surface: 'teams' })] },
  },
  'email-search-case-sensitive': {
    steps: [['tara', search('Sam@Outlook.example')]],
    faulty: { outcome: found([]), deliveries: [] },
  },
  'blocked-contacts-keep-unblocked-users': {
    steps: [...connected('tara', 'sam'), block, unblockSam, ['tara', { kind: 'blocked-contacts' }]],
    faulty: { outcome: { status: 'ok', blocked: ['sam'] }, deliveries: [] },
  },
  // A message that takes the slower path is not there yet when the step ends (faults/in-flight.ts).
  'messages-overtake-in-transit': {
    steps: [...connected('tara', 'sam'), ['tara', say('sam', 'one')]],
    faulty: { outcome: OK, deliveries: [] },
  },
  // Faults that only add to an observation (faults/observations.ts).
  'ringing-calls-told-voicemail': {
    steps: [...connected('tara', 'sam'), ['sam', ring('tara')]],
    faulty: {
      outcome: { status: 'ok', call: 'voicemail' },
      deliveries: [{ to: 'tara', from: 'sam', kind: 'call', surface: 'teams', media: 'audio' }],
    },
  },
  'presence-on-every-answer': {
    steps: [['tara', say('sam')]],
    faulty: { outcome: { status: 'ok', presence: 'shown' }, deliveries: [req('sam', 'tara', 'hi sam')] },
  },
  'calls-carry-text': {
    steps: [...connected('tara', 'sam'), ['sam', ring('tara')]],
    faulty: {
      outcome: OK,
      deliveries: [
        {
          to: 'tara',
          from: 'sam',
          kind: 'call',
          surface: 'teams',
          media: 'audio',
          text: 'Incoming call',
          encrypted: true,
        },
      ],
    },
  },
  'messages-carry-media': {
    steps: [...connected('tara', 'sam'), ['tara', say('sam')]],
    faulty: { outcome: OK, deliveries: [{ ...msg('sam', 'tara', 'hi sam'), media: 'audio' }] },
  },
  'messages-carry-undocumented-field': {
    steps: [...connected('tara', 'sam'), ['tara', say('sam')]],
    faulty: { outcome: OK, deliveries: [{ ...msg('sam', 'tara', 'hi sam'), priority: 'normal' } as Delivery] },
  },
};

t.test('the catalogue: unique ids, known requirements, every family covered, every fault probed', async (t) => {
  const catalogue = parse(readFileSync(new URL('../specs/requirements.yaml', import.meta.url), 'utf8')) as {
    requirements: { id: string; area: string }[];
  };
  const known = new Set(catalogue.requirements.map((r) => r.id));
  // Security and wire-format requirements are broken by the HTTP service's faults (adapters/reference/http/).
  const inProcess = catalogue.requirements.filter((r) => r.area !== 'security').map((r) => r.id);
  const ids = FAULTS.map((f) => f.id);
  t.equal(new Set(ids).size, ids.length, 'fault ids are unique');
  t.same(
    FAULTS.flatMap((f) => f.breaks).filter((id) => !known.has(id)),
    [],
    'every broken requirement exists',
  );
  const families = new Set(inProcess.map((id) => id.split('-')[0]));
  t.same(
    [...families].filter((fam) => !FAULTS.some((f) => f.breaks.some((id) => id.startsWith(`${fam}-`)))),
    [],
  );
  // A fault between worlds shows only with two worlds open at once: test/runner-evidence.test.ts probes it.
  const TWO_WORLDS = ['deliveries-shared-across-worlds'];
  t.same(
    ids.filter((id) => !(id in PROBES) && !TWO_WORLDS.includes(id)),
    [],
    'every fault has a probe below',
  );
  t.ok(FAULTS.length >= 25);
});

for (const fault of FAULTS) {
  const probe = PROBES[fault.id];
  if (!probe) continue;
  t.test(`${fault.id} (${fault.breaks.join(', ')}): ${fault.description}`, async (t) => {
    const w = probe.world ?? world();
    const reference = (await run(referenceAdapter, w, probe.steps)).at(-1);
    const faulty = (await run(createReferenceAdapter({ faults: [fault.id] }), w, probe.steps)).at(-1);
    t.same(faulty, probe.faulty, 'the faulty variant shows the claimed behaviour');
    t.notSame(reference, faulty, 'which the reference does not');
  });
}

t.test('first-message-late: the first message arrives only after the delay, later ones at once', async (t) => {
  const session = await createReferenceAdapter({ faults: ['first-message-late'] }).open(world());
  t.teardown(() => session.close());
  await session.perform('tara', say('sam', 'first'));
  await session.perform('tara', say('sam', 'second'));
  t.same(
    (await session.drain('sam')).map((d) => d.text),
    ['second'],
  );
  await new Promise((resolve) => setTimeout(resolve, LATE_FIRST_MESSAGE_MS + 100));
  t.same(
    (await session.drain('sam')).map((d) => d.text),
    ['first'],
  );
});

t.test('first-message-late: close() cancels deliveries still on their way', async (t) => {
  const session = await createReferenceAdapter({ faults: ['first-message-late'] }).open(world());
  await session.perform('tara', say('sam', 'first'));
  await session.close();
  t.pass('closing with a pending delivery leaves no timer behind (the test process would otherwise wait)');
});
