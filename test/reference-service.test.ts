import t from 'tap';
import { createReferenceAdapter, referenceAdapter } from '../adapters/reference/adapter.js';
import { FAULTS } from '../adapters/reference/faults.js';
import { assemble } from '../adapters/reference/assemble.js';
import { connected, ring, run, say, world, type Step } from './fixtures/reference-world.js';

const ref = referenceAdapter;
const outcomes = async (steps: Step[], w = world()) => (await run(ref, w, steps)).map((o) => o.outcome);
const last = async (steps: Step[], w = world()) => (await run(ref, w, steps)).at(-1)!;
const OK = { status: 'ok' };
const error = (code: string) => ({ status: 'error', error: code });

t.test('a first message is a request; after accept, messages arrive encrypted as conversation', async (t) => {
  const seen = await run(ref, world(), [
    ['tara', say('sam', 'Hello Sam')],
    ['sam', { kind: 'accept', from: 'tara' }],
    ['tara', say('sam', 'Thanks')],
    ['sam', say('tara', 'You are welcome')],
  ]);
  t.same(
    seen.map((s) => s.outcome),
    [OK, OK, OK, OK],
  );
  t.same(seen[0]!.deliveries, [
    { to: 'sam', from: 'tara', kind: 'request', surface: 'skype', text: 'Hello Sam', encrypted: true },
  ]);
  t.same(seen[1]!.deliveries, []);
  t.same(seen[2]!.deliveries, [
    { to: 'sam', from: 'tara', kind: 'message', surface: 'skype', text: 'Thanks', encrypted: true },
  ]);
  t.same(seen[3]!.deliveries, [
    { to: 'tara', from: 'sam', kind: 'message', surface: 'teams', text: 'You are welcome', encrypted: true },
  ]);
});

t.test("a Skype user's request is marked external and lands on the Teams user's surface", async (t) => {
  const seen = await run(ref, world(), [
    ['sam', say('tara', 'hi Tara')],
    ['sam', say('ivy', 'hi Ivy')],
    ['andy', ring('tara', 'video')],
  ]);
  t.same(
    seen.flatMap((s) => s.deliveries),
    [
      { to: 'tara', from: 'sam', kind: 'request', surface: 'teams', text: 'hi Tara', external: true, encrypted: true },
      {
        to: 'ivy',
        from: 'sam',
        kind: 'request',
        surface: 'skype-for-business',
        text: 'hi Ivy',
        external: true,
        encrypted: true,
      },
      { to: 'tara', from: 'andy', kind: 'request', surface: 'teams', media: 'video', external: true },
    ],
  );
});

t.test(
  'while pending: follow-ups join the request, the recipient cannot reply, view-messages shows texts',
  async (t) => {
    const seen = await run(ref, world(), [
      ['sam', say('tara', 'one')],
      ['sam', ring('tara')],
      ['sam', say('tara', 'two')],
      ['tara', say('sam', 'reply')],
      ['tara', ring('sam')],
      ['tara', { kind: 'view-messages', from: 'sam' }],
      ['tara', say('sam', 'still not')],
    ]);
    t.same(
      seen.map((s) => s.outcome),
      [
        OK,
        OK,
        OK,
        error('request-not-accepted'),
        error('request-not-accepted'),
        { status: 'ok', messages: ['one', 'two'] },
        error('request-not-accepted'),
      ],
    );
    t.same(
      seen.slice(0, 3).map((s) => s.deliveries.map((d) => d.kind)),
      [['request'], ['request'], ['request']],
    );
    t.same(
      seen.slice(3).flatMap((s) => s.deliveries),
      [],
    );
  },
);

t.test('blocking is silent to the sender, listed, and undone by unblock', async (t) => {
  const seen = await run(ref, world(), [
    ...connected('tara', 'sam'),
    ['tara', { kind: 'block', user: 'sam' }],
    ['sam', say('tara', 'anyone?')],
    ['sam', ring('tara')],
    ['tara', { kind: 'blocked-contacts' }],
    ['tara', { kind: 'unblock', user: 'sam' }],
    ['tara', { kind: 'blocked-contacts' }],
    ['sam', say('tara', 'back')],
  ]);
  t.same(
    seen.slice(3, 5).map((s) => s.outcome),
    [OK, OK],
    'a blocked sender sees ok',
  );
  t.same(
    seen.slice(3, 5).flatMap((s) => s.deliveries),
    [],
    'and nothing reaches anybody',
  );
  t.same(seen[5]!.outcome, { status: 'ok', blocked: ['sam'] });
  t.same(seen[7]!.outcome, { status: 'ok', blocked: [] });
  t.same(
    seen[8]!.deliveries.map((d) => d.kind),
    ['message'],
  );
});

t.test(
  'a block stops both ways: the blocker is refused with contact-blocked until they unblock, whoever blocks',
  async (t) => {
    const teamsBlocker = await run(ref, world(), [
      ['sam', say('tara')],
      ['tara', { kind: 'view-messages', from: 'sam' }],
      ['tara', { kind: 'block', user: 'sam' }],
      ['tara', say('sam', 'go away')],
      ['tara', ring('sam')],
      ['tara', { kind: 'unblock', user: 'sam' }],
      ['tara', say('sam', 'back')],
    ]);
    t.same(
      teamsBlocker.slice(3, 5).map((s) => s.outcome),
      [error('contact-blocked'), error('contact-blocked')],
      "the Teams blocker's message and call are refused",
    );
    t.same(
      teamsBlocker.slice(3, 5).flatMap((s) => s.deliveries),
      [],
      '…and reach nobody',
    );
    t.same(
      teamsBlocker[6]!.deliveries.map((d) => d.kind),
      ['message'],
      'after the unblock her message goes through',
    );
    const skypeBlocker = await outcomes([
      ['tara', say('sam')],
      ['sam', { kind: 'block', user: 'tara' }],
      ['sam', say('tara', 'no')],
      ['sam', ring('tara')],
    ]);
    t.same(
      skypeBlocker.slice(2),
      [error('contact-blocked'), error('contact-blocked')],
      'the Skype blocker is refused too',
    );
    const both = await outcomes([
      ...connected('tara', 'sam'),
      ['sam', { kind: 'block', user: 'tara' }],
      ['tara', { kind: 'block', user: 'sam' }],
      ['tara', say('sam')],
    ]);
    t.same(
      both.at(-1),
      error('contact-blocked'),
      'when both block, the sender is told of their own block (which tells nothing of the other)',
    );
  },
);

t.test('privacy settings lay and lift the same block as the conversation (F20), for a Teams user only', async (t) => {
  const via = 'privacy-settings' as const;
  const seen = await run(ref, world(), [
    ...connected('tara', 'sam'),
    ['tara', { kind: 'block', user: 'sam', via }],
    ['sam', say('tara', 'one')],
    ['tara', { kind: 'blocked-contacts' }],
    ['tara', { kind: 'unblock', user: 'sam' }],
    ['sam', say('tara', 'two')],
    ['tara', { kind: 'block', user: 'sam' }],
    ['tara', { kind: 'unblock', user: 'sam', via }],
    ['sam', say('tara', 'three')],
  ]);
  t.same(seen.map((s) => s.deliveries.map((d) => d.text ?? d.kind)).slice(3), [[], [], [], ['two'], [], [], ['three']]);
  t.same(seen[4]!.outcome, { status: 'ok', blocked: ['sam'] }, 'listed');
  t.throws(
    () => assemble(world()).service.block('sam', 'tara', via),
    /only a Teams user/,
    "a Skype user's privacy settings are out of scope",
  );
  t.throws(() => assemble(world()).service.unblock('sam', 'tara', via), /only a Teams user/);
});

t.test(
  'the blocked list holds Skype users and colleagues by name, then numbers; a Skype user blocks no numbers',
  async (t) => {
    const seen = await outcomes([
      ['sam', say('tara')],
      ['tara', { kind: 'block', user: 'sam' }],
      ['tara', { kind: 'block', user: 'ivy' }],
      ['tara', { kind: 'block-number', phone: '555' }],
      ['tara', { kind: 'block-number', phone: '+1 555' }],
      ['tara', { kind: 'blocked-contacts' }],
      ['tara', { kind: 'unblock', user: 'ivy' }],
      ['tara', { kind: 'unblock-number', phone: '555' }],
      ['tara', { kind: 'blocked-contacts' }],
    ]);
    t.same(
      [seen[5], seen[8]],
      [
        { status: 'ok', blocked: ['ivy', 'sam', '+1 555', '555'] },
        { status: 'ok', blocked: ['sam', '+1 555'] },
      ],
    );
    t.throws(() => assemble(world()).service.blockNumber('sam', '555', true), /only a Teams user/);
  },
);

t.test(
  'a Teams user cannot make first contact with a Skype user hidden from search; what was started goes on',
  async (t) => {
    const hide: Step = ['sam', { kind: 'set-searchable', value: false }];
    t.same(await outcomes([hide, ['tara', say('sam')], ['tara', ring('sam')]]), [
      OK,
      error('recipient-unavailable'),
      error('recipient-unavailable'),
    ]);
    t.same((await last([hide, ['tara', say('sam')]])).deliveries, [], 'the refused first contact reaches nobody');
    t.same(
      (await last([hide, ['sam', { kind: 'set-searchable', value: true }], ['tara', say('sam')]])).deliveries.map(
        (d) => d.kind,
      ),
      ['request'],
      'shown again, he can be contacted',
    );
    t.same(
      (await last([['tara', say('sam')], hide, ['tara', say('sam', 'again')]])).deliveries.map((d) => d.kind),
      ['request'],
      'a pending request goes on',
    );
    t.same(
      (await last([hide, ['sam', say('tara')]])).deliveries.map((d) => d.kind),
      ['request'],
      'the hidden Skype user may start a conversation himself',
    );
  },
);

t.test('a Skype user can block a Teams request; the Teams user is not told', async (t) => {
  const seen = await run(ref, world(), [
    ['tara', say('sam')],
    ['sam', { kind: 'block', user: 'tara' }],
    ['tara', say('sam', 'again')],
    ['tara', { kind: 'blocked-contacts' }],
  ]);
  t.same(seen.map((s) => s.outcome).slice(1), [OK, OK, { status: 'ok', blocked: [] }]);
  t.same(
    seen.slice(1).flatMap((s) => s.deliveries),
    [],
  );
});

t.test('gates refuse in order, with the Skype actor told only recipient-unavailable', async (t) => {
  t.same(await outcomes([['tara', say('sam')]], world({ cloud: 'gcc', allowPublicUsers: false })), [
    error('interop-unavailable'),
  ]);
  t.same(await outcomes([['tara', say('sam')]], world({ publicProvider: 'Other' })), [error('interop-unavailable')]);
  t.same(await outcomes([['tara', say('sam')]], world({ sipFederationSrv: null })), [error('interop-unavailable')]);
  const avOff = { tara: { policy: { enablePublicCloudAccess: false, enablePublicCloudAudioVideoAccess: false } } };
  t.same(await outcomes([['tara', ring('sam')]], world({ allowPublicUsers: false }, avOff)), [
    error('skype-access-disabled'),
  ]);
  t.same(await outcomes([['tara', ring('sam')]], world({}, avOff)), [error('skype-access-disabled')]);
  const onlyAv = { tara: { policy: { enablePublicCloudAccess: true, enablePublicCloudAudioVideoAccess: false } } };
  t.same(
    await outcomes(
      [
        ['tara', ring('sam')],
        ['tara', say('sam')],
      ],
      world({}, onlyAv),
    ),
    [error('audio-video-disabled'), OK],
  );
  t.same(
    await outcomes(
      [
        ['tara', say('sam')],
        ['tara', ring('sam')],
      ],
      world({ skypeForBusinessOnlineApp: false }),
    ),
    [error('chat-service-unavailable'), OK],
  );
  t.same(
    await outcomes(
      [
        ['sam', say('tara')],
        ['sam', ring('tara')],
      ],
      world({ cloud: 'dod' }),
    ),
    [error('recipient-unavailable'), error('recipient-unavailable')],
  );
  const denied = await last([['tara', say('sam')]], world({ skypeForBusinessOnlineApp: false }));
  t.same(denied.deliveries, [], 'a refused message reaches nobody');
});

t.test('content and group checks come before the gates and start no request', async (t) => {
  const gcc = world({ cloud: 'gcc' });
  t.same(
    await outcomes(
      [
        ['tara', { kind: 'message', to: 'sam', text: 'x', format: 'rich' }],
        ['tara', { kind: 'message', to: 'sam', text: 'x', mentions: ['sam'] }],
        ['tara', { kind: 'message', to: 'sam', text: 'x', emoji: ':)' }],
        ['tara', { kind: 'message', to: 'sam', text: 'x', file: 'a.pdf' }],
        ['tara', { kind: 'group-chat', with: ['sam', 'andy'], text: 'x' }],
        ['tara', { kind: 'meeting', with: ['sam'] }],
        ['dana', { kind: 'call', to: 'sam', media: 'audio', onBehalfOf: 'tara' }],
      ],
      gcc,
    ),
    [
      ...Array(4).fill(error('unsupported-content')),
      error('unsupported-group'),
      error('unsupported-group'),
      error('delegation-unsupported'),
    ],
  );
  const seen = await run(ref, world(), [
    ['sam', { kind: 'message', to: 'tara', text: 'x', format: 'rich' }],
    ['sam', say('tara')],
  ]);
  t.same(
    seen[1]!.deliveries.map((d) => d.kind),
    ['request'],
    'the refused message started no request',
  );
});

t.test('search is by email only and respects opt-out and gates', async (t) => {
  const found = (names: string[]) => ({ status: 'ok', found: names });
  t.same(
    await outcomes([
      ['tara', { kind: 'search', email: 'sam@outlook.example' }],
      ['tara', { kind: 'search', email: 'SAM@Outlook.example' }],
      ['tara', { kind: 'search', skypeId: 'live:sam' }],
      ['tara', { kind: 'search', phone: '+15550100' }],
      ['tara', { kind: 'search', email: 'nobody@outlook.example' }],
      ['sam', { kind: 'search', email: 'tara@contoso.example' }],
      ['sam', { kind: 'set-searchable', value: false }],
      ['tara', { kind: 'search', email: 'sam@outlook.example' }],
      ['sam', { kind: 'set-searchable', value: true }],
      ['tara', { kind: 'search', email: 'sam@outlook.example' }],
    ]),
    [
      found(['sam']),
      found(['sam']),
      found([]),
      found([]),
      found([]),
      found(['tara']),
      OK,
      found([]),
      OK,
      found(['sam']),
    ],
  );
  const off = world({ allowPublicUsers: false });
  t.same(
    await outcomes(
      [
        ['tara', { kind: 'search', email: 'sam@outlook.example' }],
        ['sam', { kind: 'search', email: 'tara@contoso.example' }],
      ],
      off,
    ),
    [found([]), found([])],
  );
});

t.test('calls ring, are answered, gain video and end; forwarding goes to voicemail', async (t) => {
  const seen = await run(ref, world(), [
    ...connected('tara', 'sam'),
    ['sam', ring('tara')],
    ['tara', { kind: 'answer', from: 'sam' }],
    ['tara', { kind: 'add-video', with: 'sam' }],
    ['tara', { kind: 'add-participant', with: 'sam', user: 'andy' }],
    ['sam', { kind: 'share-screen', with: 'tara' }],
    ['sam', { kind: 'hang-up', with: 'tara' }],
    ['tara', ring('sam', 'video')],
    ['sam', { kind: 'decline', from: 'tara' }],
    ['sam', { kind: 'presence', of: 'tara' }],
  ]);
  t.same(
    seen.slice(2).map((s) => s.outcome),
    [
      OK,
      OK,
      OK,
      error('unsupported-group'),
      error('unsupported-screen-share'),
      OK,
      OK,
      OK,
      { status: 'ok', presence: 'hidden' },
    ],
  );
  t.same(
    seen.slice(2).flatMap((s) => s.deliveries),
    [
      { to: 'tara', from: 'sam', kind: 'call', surface: 'teams', media: 'audio' },
      { to: 'sam', from: 'tara', kind: 'call-answered', surface: 'skype' },
      { to: 'sam', from: 'tara', kind: 'video-added', surface: 'skype' },
      { to: 'tara', from: 'sam', kind: 'call-ended', surface: 'teams' },
      { to: 'sam', from: 'tara', kind: 'call', surface: 'skype', media: 'video' },
      { to: 'tara', from: 'sam', kind: 'call-declined', surface: 'teams' },
    ],
  );
  const forwarded = await last([...connected('fred', 'sam'), ['sam', ring('fred')]]);
  t.same(forwarded, {
    outcome: { status: 'ok', call: 'voicemail' },
    deliveries: [{ to: 'fred', from: 'sam', kind: 'voicemail', surface: 'teams' }],
  });
});

t.test('admin actions change later steps', async (t) => {
  t.same(
    await outcomes([
      ['ada', { kind: 'set-org-switch', allowPublicUsers: false }],
      ['tara', say('sam')],
      ['ada', { kind: 'set-org-switch', allowPublicUsers: true }],
      ['ada', { kind: 'set-user-policy', user: 'tara', enablePublicCloudAudioVideoAccess: false }],
      ['tara', ring('sam')],
      ['ada', { kind: 'set-enterprise-app', enabled: false }],
      ['tara', say('sam')],
    ]),
    [OK, error('skype-access-disabled'), OK, OK, error('audio-video-disabled'), OK, error('chat-service-unavailable')],
  );
});

t.test('deployment changes apply from the next exchange and keep the relationships (ADMIN-009)', async (t) => {
  const seen = await outcomes([
    ...connected('tara', 'sam'),
    ['ada', { kind: 'set-cloud', cloud: 'gcc' }],
    ['tara', say('sam')],
    ['sam', say('tara')],
    ['ada', { kind: 'set-cloud', cloud: 'commercial' }],
    ['ada', { kind: 'set-public-provider', provider: 'None' }],
    ['tara', ring('sam')],
    ['ada', { kind: 'set-public-provider', provider: 'WindowsLive' }],
    ['ada', { kind: 'set-sip-federation-srv', record: null }],
    ['sam', say('tara')],
  ]);
  t.same(seen.slice(2), [
    OK,
    error('interop-unavailable'),
    error('recipient-unavailable'),
    OK,
    OK,
    error('interop-unavailable'),
    OK,
    OK,
    error('recipient-unavailable'),
  ]);
  const back = await last([
    ...connected('tara', 'sam'),
    ['ada', { kind: 'set-sip-federation-srv', record: null }],
    [
      'ada',
      {
        kind: 'set-sip-federation-srv',
        record: { target: 'sipfed.online.lync.com', port: 5061, priority: 100, weight: 1 },
      },
    ],
    ['sam', say('tara', 'back')],
  ]);
  t.same(
    back.deliveries.map((d) => d.kind),
    ['message'],
    'repaired, the conversation goes on as conversation',
  );
});

t.test('message texts are stored as AES-256-GCM ciphertext', async (t) => {
  const w = world();
  const { service, parts } = assemble(w);
  service.sendMessage('tara', { kind: 'message', to: 'sam', text: 'top secret plans' });
  const [entry] = parts.conversations.involving('tara')[0]!.log;
  t.equal(entry!.body.cipher, 'aes-256-gcm');
  t.notOk(JSON.stringify(entry).includes('top secret'), 'no plaintext in the stored record');
  t.same(
    service.collect('sam').map((d) => [d.text, d.encrypted]),
    [['top secret plans', true]],
  );
  t.same(service.collect('sam'), [], 'drain clears the inbox');
  t.equal(w.users.sam!.kind === 'skype' && w.users.sam.searchable, true, 'the world passed in is never mutated');
});

t.test('out-of-scope requests throw rather than guess', async (t) => {
  await t.rejects(run(ref, world(), [['tara', { kind: 'accept', from: 'sam' }]]), /no request/);
  await t.rejects(run(ref, world(), [['tara', { kind: 'answer', from: 'sam' }]]), /no ringing call/);
  await t.rejects(run(ref, world(), [['tara', say('ivy')]]), /both teams users/);
  await t.rejects(run(ref, world(), [['ada', say('sam')]]), /admin/);
  await t.rejects(run(ref, world(), [['nobody', say('sam')]]), /unknown user/);
});

t.test('the adapter: name, capabilities, fault options', async (t) => {
  t.equal(ref.name, 'reference');
  t.equal(ref.capabilities.length, 8);
  t.equal(
    createReferenceAdapter({ faults: ['block-not-enforced', 'forwarding-ignored'] }).name,
    'reference!block-not-enforced,forwarding-ignored',
  );
  t.equal(
    createReferenceAdapter({ faults: 'presence-shown, gcc-tenant-allowed' }).name,
    'reference!presence-shown,gcc-tenant-allowed',
  );
  t.equal(createReferenceAdapter({ faults: '' }).name, 'reference');
  t.throws(() => createReferenceAdapter({ faults: ['no-such-fault'] }), {
    message: new RegExp(`unknown fault.*${FAULTS[0]!.id}`),
  });
});
