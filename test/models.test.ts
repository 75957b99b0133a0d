/**
 * Every rule of every model, stepped with the pure `transition()`: the rule that fires, what it decides, and
 * where it leaves the machine. The last test fails if a model gains a rule that no case here takes.
 */
import t from 'tap';
import { initialTransition, transition, type AnyStateMachine } from 'xstate';
import { MODELS, rulesOf } from '../specs/models/index.js';
import { REQUIRED_SRV, type Tenant } from '../specs/protocol.js';

type Ev = { type: string } & Record<string, unknown>;
const taken = new Set<string>();

function step(machine: AnyStateMachine, input: unknown, events: Ev[]) {
  let [s] = initialTransition(machine, input as never);
  for (const e of events) {
    if (!s.can(e as never))
      throw new Error(`${machine.id} cannot take ${JSON.stringify(e)} in ${JSON.stringify(s.value)}`);
    [s] = transition(machine, s, e as never);
    taken.add((s.context as { decision: { rule: string } }).decision.rule);
  }
  return {
    value: s.value,
    decision: (s.context as { decision: Record<string, unknown> }).decision,
    can: (e: Ev) => s.can(e as never),
  };
}

const tenant = (over: Partial<Tenant> = {}): Tenant => ({
  allowPublicUsers: true,
  cloud: 'commercial',
  publicProvider: 'WindowsLive',
  sipFederationSrv: { ...REQUIRED_SRV },
  skypeForBusinessOnlineApp: true,
  ...over,
});
const policy = (input: object) => ({
  tenant: tenant(input),
  policies: { tara: { enablePublicCloudAccess: true, enablePublicCloudAudioVideoAccess: true } },
});
const auth = (use: string, user = 'tara'): Ev => ({ type: 'AUTHORIZE', user, use });

t.test('tenant-policy: deployment, org switch, user policy and per-use gates decide in that order', async (t) => {
  const m = MODELS['tenant-policy']!;
  const cases: [string, object, Ev[], string, object][] = [
    [
      'a GCC tenant has no interop',
      { cloud: 'gcc' },
      [auth('chat')],
      'cloud-without-interop',
      { allowed: false, error: 'interop-unavailable' },
    ],
    [
      'a provider other than WindowsLive has no interop',
      { publicProvider: 'Skype' },
      [auth('chat')],
      'public-provider-not-windows-live',
      { allowed: false },
    ],
    [
      'a wrong SRV record leaves interop off',
      { sipFederationSrv: { ...REQUIRED_SRV, port: 443 } },
      [auth('call')],
      'sip-federation-srv-missing',
      { allowed: false },
    ],
    [
      'no SRV record leaves interop off',
      { sipFederationSrv: null },
      [auth('call')],
      'sip-federation-srv-missing',
      { allowed: false },
    ],
    ['a default tenant allows Skype chat', {}, [auth('chat')], 'allowed', { allowed: true }],
    [
      'a user policy denying public cloud access refuses',
      {},
      [{ type: 'SET_USER_POLICY', user: 'tara', policy: { enablePublicCloudAccess: false } }, auth('search')],
      'user-policy-denies',
      { error: 'skype-access-disabled' },
    ],
    [
      'the audio/video policy refuses calls',
      {},
      [{ type: 'SET_USER_POLICY', user: 'tara', policy: { enablePublicCloudAudioVideoAccess: false } }, auth('call')],
      'audio-video-policy-denies',
      { error: 'audio-video-disabled' },
    ],
    [
      'the audio/video policy leaves chat alone',
      {},
      [{ type: 'SET_USER_POLICY', user: 'tara', policy: { enablePublicCloudAudioVideoAccess: false } }, auth('chat')],
      'allowed',
      { allowed: true },
    ],
    [
      'without the enterprise app chat is refused',
      {},
      [{ type: 'SET_ENTERPRISE_APP', enabled: false }, auth('chat')],
      'enterprise-app-missing',
      { error: 'chat-service-unavailable' },
    ],
    [
      'without the enterprise app calls still work',
      { skypeForBusinessOnlineApp: false },
      [auth('call')],
      'allowed',
      { allowed: true },
    ],
    [
      'org switch off refuses a user the policy allows',
      {},
      [{ type: 'SET_ORG_SWITCH', allowPublicUsers: false }, auth('chat')],
      'org-switch-off-wins',
      { error: 'skype-access-disabled' },
    ],
    [
      'org switch off refuses a user the policy denies',
      { allowPublicUsers: false },
      [{ type: 'SET_USER_POLICY', user: 'tara', policy: { enablePublicCloudAccess: false } }, auth('chat')],
      'org-switch-off',
      { error: 'skype-access-disabled' },
    ],
    [
      'turning the org switch back on restores access',
      { allowPublicUsers: false },
      [{ type: 'SET_ORG_SWITCH', allowPublicUsers: true }, auth('chat')],
      'allowed-after-switch-restored',
      { allowed: true, vouches: true },
    ],
    [
      'turning an off switch off again changes nothing',
      { allowPublicUsers: false },
      [{ type: 'SET_ORG_SWITCH', allowPublicUsers: false }],
      'org-switch-left-off',
      {},
    ],
    [
      'turning an on switch on again changes nothing',
      {},
      [{ type: 'SET_ORG_SWITCH', allowPublicUsers: true }],
      'org-switch-left-on',
      {},
    ],
    [
      'an admin may flip the switch of a tenant without interop',
      { cloud: 'dod' },
      [{ type: 'SET_ORG_SWITCH', allowPublicUsers: false }],
      'org-switch-set-without-interop',
      {},
    ],
    [
      'an admin may set the enterprise app',
      {},
      [{ type: 'SET_ENTERPRISE_APP', enabled: true }],
      'enterprise-app-set',
      {},
    ],
    ['an admin may set a user policy', {}, [{ type: 'SET_USER_POLICY', user: 'x', policy: {} }], 'user-policy-set', {}],
    [
      'switching off is a rule of its own',
      {},
      [{ type: 'SET_ORG_SWITCH', allowPublicUsers: false }],
      'org-switch-turned-off',
      {},
    ],
    [
      'switching on is a rule of its own',
      { allowPublicUsers: false },
      [{ type: 'SET_ORG_SWITCH', allowPublicUsers: true }],
      'org-switch-turned-on',
      {},
    ],
    // Deployment changes mid-way (ADMIN-009): decided again at once; a repair vouches for the permission after it.
    [
      'moving to GCC takes interop away at once',
      {},
      [{ type: 'SET_CLOUD', cloud: 'gcc' }, auth('chat')],
      'cloud-without-interop',
      { error: 'interop-unavailable' },
    ],
    [
      "moving back to commercial restores it, on the repair's promise",
      { cloud: 'gcc' },
      [{ type: 'SET_CLOUD', cloud: 'commercial' }, auth('chat')],
      'allowed-after-cloud-repaired',
      { allowed: true, vouches: true, requirements: ['ADMIN-008', 'ADMIN-009'] },
    ],
    [
      'a provider set away from WindowsLive takes interop away',
      {},
      [{ type: 'SET_PUBLIC_PROVIDER', provider: 'None' }, auth('search')],
      'public-provider-not-windows-live',
      { allowed: false },
    ],
    [
      'a provider set back to WindowsLive restores it',
      { publicProvider: 'None' },
      [{ type: 'SET_PUBLIC_PROVIDER', provider: 'WindowsLive' }, auth('call')],
      'allowed-after-public-provider-repaired',
      { vouches: true },
    ],
    [
      'a removed SRV record takes interop away',
      {},
      [{ type: 'SET_SIP_FEDERATION_SRV', record: null }, auth('chat')],
      'sip-federation-srv-missing',
      { allowed: false },
    ],
    [
      'a corrected SRV record restores it',
      { sipFederationSrv: { ...REQUIRED_SRV, weight: 5 } },
      [{ type: 'SET_SIP_FEDERATION_SRV', record: { ...REQUIRED_SRV } }, auth('chat')],
      'allowed-after-sip-federation-srv-repaired',
      { vouches: true },
    ],
    [
      'one repaired prerequisite is not enough while another is unmet',
      { cloud: 'gcc', publicProvider: 'None' },
      [{ type: 'SET_CLOUD', cloud: 'commercial' }, auth('chat')],
      'public-provider-not-windows-live',
      { allowed: false },
    ],
    [
      'setting a met prerequisite again promises nothing',
      {},
      [{ type: 'SET_PUBLIC_PROVIDER', provider: 'WindowsLive' }, auth('chat')],
      'allowed',
      { allowed: true },
    ],
    [
      'the org switch turned off before a deployment change stays off after it',
      {},
      [{ type: 'SET_ORG_SWITCH', allowPublicUsers: false }, { type: 'SET_CLOUD', cloud: 'commercial' }, auth('chat')],
      'org-switch-off-wins',
      { allowed: false },
    ],
    ['a deployment change is a rule', {}, [{ type: 'SET_CLOUD', cloud: 'dod' }], 'cloud-set', { allowed: true }],
    [
      'a provider change is a rule',
      {},
      [{ type: 'SET_PUBLIC_PROVIDER', provider: 'Skype' }],
      'public-provider-set',
      { allowed: true },
    ],
    [
      'an SRV change is a rule',
      {},
      [{ type: 'SET_SIP_FEDERATION_SRV', record: null }],
      'sip-federation-srv-set',
      { allowed: true },
    ],
  ];
  for (const [name, input, events, rule, decided] of cases)
    t.match(step(m, policy(input), events).decision, { rule: `tenant-policy.${rule}`, ...decided }, name);
});

t.test('search: email only, opt-out respected, tenant policy hides both ways', async (t) => {
  const m = MODELS.search!;
  const target = (kind: string, name = 'sam', reachable = true) => ({ name, kind, reachable });
  const q = (by: string, tgt: object | null, searcherAllowed = true): Ev => ({
    type: 'SEARCH',
    by,
    searcherAllowed,
    target: tgt,
  });
  const cases: [string, string[], Ev[], string, string[]][] = [
    ['phone numbers find nobody', [], [q('phone', target('skype'))], 'phone-number-not-supported', []],
    ['Skype IDs find nobody', [], [q('skypeId', target('skype'))], 'skype-id-not-supported', []],
    ["nobody's email finds nobody", [], [q('email', null)], 'email-of-nobody', []],
    [
      'a searcher without interop finds nobody',
      [],
      [q('email', target('skype'), false)],
      'searcher-without-interop',
      [],
    ],
    ['an opted-out Skype user is not found', ['sam'], [q('email', target('skype'))], 'skype-user-opted-out', []],
    [
      'a Teams user without interop is not found',
      [],
      [q('email', target('teams', 'tara', false))],
      'teams-user-without-interop',
      [],
    ],
    ['a Skype user is found by email', [], [q('email', target('skype'))], 'skype-user-found-by-email', ['sam']],
    [
      'a Teams user is found by email',
      [],
      [q('email', target('teams', 'tara'))],
      'teams-user-found-by-email',
      ['tara'],
    ],
    [
      'opting back in makes the user findable',
      ['sam'],
      [{ type: 'SET_SEARCHABLE', user: 'sam', value: true }, q('email', target('skype'))],
      'skype-user-found-by-email',
      ['sam'],
    ],
    [
      'opting out hides the user',
      [],
      [{ type: 'SET_SEARCHABLE', user: 'sam', value: false }, q('email', target('skype'))],
      'skype-user-opted-out',
      [],
    ],
  ];
  for (const [name, unlisted, events, rule, found] of cases)
    t.match(step(m, { unlisted }, events).decision, { rule: `search.${rule}`, found }, name);
  t.equal(
    step(m, { unlisted: [] }, [{ type: 'SET_SEARCHABLE', user: 'sam', value: false }]).decision.rule,
    'search.searchability-set',
    'changing searchability is a rule',
  );
});

t.test('relationship: requests, decisions and blocks in both directions', async (t) => {
  const m = MODELS.relationship!;
  const c = (from: string, medium = 'message', text?: string): Ev => ({
    type: 'CONTACT',
    from,
    medium,
    ...(text ? { text } : {}),
  });
  const by = (type: string, side: string): Ev => ({ type, by: side });
  const connected = [c('teams'), by('ACCEPT', 'skype')];
  const cases: [string, Ev[], string, string, object?][] = [
    ["a Teams user's first contact is a request", [c('teams')], 'teams-first-contact-is-request', 'request'],
    ["a Skype user's first contact is a request", [c('skype')], 'skype-first-contact-is-request', 'request'],
    [
      'the initiator may add to a pending request',
      [c('teams'), c('teams', 'call')],
      'teams-adds-to-request',
      'request',
    ],
    ['a Skype initiator may add to a pending request', [c('skype'), c('skype')], 'skype-adds-to-request', 'request'],
    [
      'a Skype recipient cannot reply before accepting',
      [c('teams'), c('skype')],
      'skype-replies-before-accepting',
      'refuse',
    ],
    [
      'a Teams recipient cannot reply before accepting',
      [c('skype'), c('teams')],
      'teams-replies-before-accepting',
      'refuse',
    ],
    [
      'view messages shows the texts and decides nothing',
      [c('skype', 'message', 'a'), c('skype', 'message', 'b'), by('VIEW', 'teams')],
      'teams-views-request',
      'recorded',
      { messages: ['a', 'b'] },
    ],
    [
      'after viewing, replying is still refused',
      [c('skype'), by('VIEW', 'teams'), c('teams')],
      'teams-replies-after-viewing',
      'refuse',
    ],
    [
      'a Skype sender whose request was blocked is dropped',
      [c('skype'), by('BLOCK', 'teams'), c('skype')],
      'blocked-request-skype-sender-dropped',
      'drop',
    ],
    [
      'a Teams sender whose request was blocked is dropped',
      [c('teams'), by('BLOCK', 'skype'), c('teams')],
      'blocked-request-teams-sender-dropped',
      'drop',
    ],
    [
      'a request block lifted and laid again is an ordinary block',
      [c('skype'), by('BLOCK', 'teams'), by('UNBLOCK', 'teams'), by('BLOCK', 'teams'), c('skype')],
      'blocked-skype-sender-dropped',
      'drop',
    ],
    ['the Skype recipient accepts', connected, 'skype-accepts', 'recorded'],
    ['the Teams recipient accepts', [c('skype'), by('ACCEPT', 'teams')], 'teams-accepts', 'recorded'],
    [
      "a Skype user blocks a Teams user's request",
      [c('teams'), by('BLOCK', 'skype')],
      'skype-blocks-request',
      'recorded',
    ],
    [
      "a Teams user blocks a Skype user's request",
      [c('skype'), by('BLOCK', 'teams')],
      'teams-blocks-request',
      'recorded',
    ],
    [
      'once connected a Teams message is delivered',
      [...connected, c('teams')],
      'connected-teams-message-delivered',
      'deliver',
    ],
    [
      'once connected a Skype message is delivered',
      [...connected, c('skype')],
      'connected-skype-message-delivered',
      'deliver',
    ],
    ['once connected a call is delivered', [...connected, c('skype', 'call')], 'connected-call-delivered', 'deliver'],
    ['a Teams user blocks at any time', [...connected, by('BLOCK', 'teams')], 'teams-blocks', 'recorded'],
    [
      'a blocked Skype sender is dropped silently',
      [...connected, by('BLOCK', 'teams'), c('skype')],
      'blocked-skype-sender-dropped',
      'drop',
    ],
    [
      'the blocking Teams user is refused: a block stops both ways',
      [...connected, by('BLOCK', 'teams'), c('teams')],
      'teams-blocker-refused',
      'refuse-blocker',
      { requirements: ['BLOCK-006'] },
    ],
    [
      'the blocking Skype user is refused: a block stops both ways',
      [...connected, by('BLOCK', 'skype'), c('skype', 'call')],
      'skype-blocker-refused',
      'refuse-blocker',
    ],
    [
      'a Teams user who blocked the request cannot write: blocking is not accepting',
      [c('skype'), by('VIEW', 'teams'), by('BLOCK', 'teams'), c('teams', 'call')],
      'blocked-request-teams-blocker-refused',
      'refuse-blocker',
      { requirements: ['REQ-005', 'BLOCK-006'] },
    ],
    [
      'a Skype user who blocked the request cannot write: blocking is not accepting',
      [c('teams'), by('BLOCK', 'skype'), c('skype')],
      'blocked-request-skype-blocker-refused',
      'refuse-blocker',
      { requirements: ['REQ-005', 'BLOCK-006'] },
    ],
    [
      'both blocking: the sender is refused as a blocker, not dropped',
      [...connected, by('BLOCK', 'skype'), by('BLOCK', 'teams'), c('teams')],
      'teams-blocker-refused',
      'refuse-blocker',
    ],
    [
      'a Teams user cannot make first contact with a Skype user hidden from search',
      [{ ...c('teams', 'call'), unlisted: true }],
      'teams-first-contact-to-unlisted-refused',
      'refuse-unlisted',
      { requirements: ['SEARCH-008'] },
    ],
    [
      'a hidden Skype user may make first contact themselves',
      [{ ...c('skype'), unlisted: true }],
      'skype-first-contact-is-request',
      'request',
    ],
    [
      'a pending request to a Skype user who hid since goes on',
      [c('teams'), { ...c('teams'), unlisted: true }],
      'teams-adds-to-request',
      'request',
    ],
    [
      'a conversation with a Skype user who hid since goes on',
      [...connected, { ...c('teams'), unlisted: true }],
      'connected-teams-message-delivered',
      'deliver',
    ],
    [
      'a Teams user unblocks',
      [...connected, by('BLOCK', 'teams'), by('UNBLOCK', 'teams'), c('skype')],
      'connected-skype-message-delivered',
      'deliver',
      { restores: ['BLOCK-002'] },
    ],
    [
      "after a Skype user's unblock, a call is delivered on its promise",
      [...connected, by('BLOCK', 'skype'), by('UNBLOCK', 'skype'), c('teams', 'call')],
      'connected-call-delivered',
      'deliver',
      { restores: ['BLOCK-005'] },
    ],
    ['a Skype user blocks at any time', [...connected, by('BLOCK', 'skype')], 'skype-blocks', 'recorded'],
    [
      'a blocked Teams sender is dropped silently',
      [...connected, by('BLOCK', 'skype'), c('teams', 'call')],
      'blocked-teams-sender-dropped',
      'drop',
    ],
    [
      'a Skype user unblocks',
      [...connected, by('BLOCK', 'skype'), by('UNBLOCK', 'skype')],
      'skype-unblocks',
      'recorded',
    ],
    [
      'a blocked contact is listed',
      [c('skype'), by('BLOCK', 'teams'), { type: 'LIST_BLOCKED' }],
      'contact-blocked',
      'recorded',
      { blocked: true },
    ],
    [
      'an unblocked contact is not listed',
      [...connected, { type: 'LIST_BLOCKED' }],
      'contact-not-blocked',
      'recorded',
      { blocked: false },
    ],
  ];
  for (const [name, events, rule, disposition, more] of cases)
    t.match(step(m, undefined, events).decision, { rule: `relationship.${rule}`, disposition, ...more }, name);
  t.same(
    step(m, undefined, [...connected, by('BLOCK', 'teams'), by('UNBLOCK', 'teams')]).decision.rule,
    'relationship.teams-unblocks',
    'unblocking is a rule',
  );
  t.notOk(
    'restores' in step(m, undefined, [...connected, c('teams')]).decision,
    'a pair never unblocked promises nothing more',
  );
  const pending = step(m, undefined, [c('skype'), by('VIEW', 'teams')]);
  t.equal(pending.value, 'awaitingTeams', 'viewing leaves the request pending');
  t.equal(
    step(m, undefined, [{ ...c('teams'), unlisted: true }]).value,
    'strangers',
    'a refused first contact starts no request',
  );
  t.match(
    step(m, undefined, [{ ...c('teams'), unlisted: true }, c('teams')]).decision,
    { rule: 'relationship.teams-first-contact-is-request' },
    'once the Skype user shows again, first contact works',
  );
  t.notOk(step(m, undefined, []).can(by('ACCEPT', 'teams')), 'nothing to accept between strangers');
  t.notOk(step(m, undefined, [c('teams')]).can(by('ACCEPT', 'teams')), 'only the recipient accepts');
  t.notOk(
    step(m, undefined, [...connected, by('BLOCK', 'teams')]).can(by('BLOCK', 'teams')),
    'blocking twice is out of scope',
  );
});

t.test(
  "blocked-list: other people and phone numbers on a Teams user's list, people by name, then numbers (F22)",
  async (t) => {
    const m = MODELS['blocked-list']!;
    const block = (kind: string, value: string, by = 'tara'): Ev => ({ type: 'BLOCK_OTHER', by, kind, value });
    const unblock = (kind: string, value: string): Ev => ({ type: 'UNBLOCK_OTHER', by: 'tara', kind, value });
    const list: Ev = { type: 'LIST_OTHERS', by: 'tara' };
    const cases: [string, Ev[], string, object][] = [
      ['a Teams user blocks a colleague', [block('person', 'dan')], 'person-blocked', {}],
      ['a Teams user blocks a number', [block('number', '+1 555 0100')], 'number-blocked', {}],
      ['unblocking a colleague is a rule', [block('person', 'dan'), unblock('person', 'dan')], 'person-unblocked', {}],
      ['unblocking a number is a rule', [block('number', '1'), unblock('number', '1')], 'number-unblocked', {}],
      [
        'people by name, numbers sorted, each apart',
        [block('person', 'zoe'), block('number', '9'), block('person', 'amy'), block('number', '+1'), list],
        'others-listed',
        { people: ['amy', 'zoe'], numbers: ['+1', '9'] },
      ],
      [
        'unblocked, they leave the list',
        [block('person', 'dan'), block('number', '5'), unblock('person', 'dan'), list],
        'others-listed',
        { people: [], numbers: ['5'] },
      ],
      [
        "another Teams user's blocks are not on this list",
        [block('person', 'dan', 'tom'), list],
        'no-others-listed',
        { people: [], numbers: [] },
      ],
    ];
    for (const [name, events, rule, decided] of cases)
      t.match(
        step(m, undefined, events).decision,
        { rule: `blocked-list.${rule}`, requirements: ['BLOCK-007'], ...decided },
        name,
      );
    t.notOk(step(m, undefined, [block('person', 'dan')]).can(block('person', 'dan')), 'blocking twice is out of scope');
    t.notOk(step(m, undefined, []).can(unblock('number', '5')), 'unblocking what is not blocked is out of scope');
  },
);

t.test('chat: plain text only, presence hidden', async (t) => {
  const m = MODELS.chat!;
  const compose = (o: object): Ev => ({
    type: 'COMPOSE',
    rich: false,
    mentions: false,
    emoji: false,
    file: false,
    ...o,
  });
  const cases: [string, Ev, string, object][] = [
    ['rich text is refused', compose({ rich: true }), 'rich-text-refused', { error: 'unsupported-content' }],
    ['mentions are refused', compose({ mentions: true }), 'mention-refused', { error: 'unsupported-content' }],
    ['emojis are refused', compose({ emoji: true }), 'emoji-refused', { error: 'unsupported-content' }],
    ['files are refused', compose({ file: true }), 'file-refused', { error: 'unsupported-content' }],
    ['plain text goes through', compose({}), 'plain-text-allowed', { allowed: true }],
    ['presence is hidden', { type: 'PRESENCE' }, 'presence-hidden', { presence: 'hidden' }],
  ];
  for (const [name, e, rule, decided] of cases)
    t.match(step(m, undefined, [e]).decision, { rule: `chat.${rule}`, ...decided }, name);
});

t.test('call: ring, answer, add video, decline, hang up, voicemail, no escalation', async (t) => {
  const m = MODELS.call!;
  const dial = (by: string, media = 'audio', o: object = {}): Ev => ({
    type: 'DIAL',
    by,
    media,
    calleeForwards: false,
    onBehalf: false,
    ...o,
  });
  const by = (type: string, side: string): Ev => ({ type, by: side });
  const answered = [dial('teams'), by('ANSWER', 'skype')];
  const cases: [string, Ev[], string, object][] = [
    [
      'a delegate cannot call on behalf',
      [dial('teams', 'audio', { onBehalf: true })],
      'delegate-call-refused',
      { error: 'delegation-unsupported' },
    ],
    [
      'a forwarding Teams user gets voicemail',
      [dial('skype', 'audio', { calleeForwards: true })],
      'forwarded-to-voicemail',
      { voicemail: true, notice: { kind: 'voicemail' } },
    ],
    [
      "a Teams caller's call to a Skype user rings whatever the Teams user's forwarding",
      [dial('teams', 'audio', { calleeForwards: true })],
      'audio-call-rings',
      { notice: { kind: 'call' } },
    ],
    ['a video call rings', [dial('skype', 'video')], 'video-call-rings', { notice: { kind: 'call', media: 'video' } }],
    ['an audio call rings', [dial('teams')], 'audio-call-rings', { notice: { kind: 'call', media: 'audio' } }],
    [
      'the callee answers a video call',
      [dial('teams', 'video'), by('ANSWER', 'skype')],
      'callee-answers-video',
      { notice: { kind: 'call-answered' } },
    ],
    ['the callee answers an audio call', answered, 'callee-answers-audio', { notice: { kind: 'call-answered' } }],
    [
      'the callee declines',
      [dial('teams'), by('DECLINE', 'skype')],
      'callee-declines',
      { notice: { kind: 'call-declined' } },
    ],
    [
      'the caller cancels a ringing call',
      [dial('teams'), by('HANG_UP', 'teams')],
      'caller-cancels',
      { notice: { kind: 'call-ended' } },
    ],
    [
      'the callee hangs up a ringing call',
      [dial('teams'), by('HANG_UP', 'skype')],
      'callee-hangs-up-ringing',
      { notice: { kind: 'call-ended' } },
    ],
    [
      'video is added to an audio call',
      [...answered, by('ADD_VIDEO', 'skype')],
      'video-added',
      { notice: { kind: 'video-added' } },
    ],
    [
      'either party hangs up',
      [...answered, by('HANG_UP', 'skype')],
      'party-hangs-up',
      { notice: { kind: 'call-ended' } },
    ],
    [
      'adding a participant is refused',
      [...answered, by('ADD_PARTICIPANT', 'teams')],
      'escalation-refused',
      { error: 'unsupported-group' },
    ],
    [
      'screen sharing is refused',
      [...answered, by('SHARE_SCREEN', 'teams')],
      'screen-share-refused',
      { error: 'unsupported-screen-share' },
    ],
  ];
  for (const [name, events, rule, decided] of cases)
    t.match(step(m, undefined, events).decision, { rule: `call.${rule}`, ...decided }, name);
  t.notOk(step(m, undefined, [dial('teams')]).can(by('ANSWER', 'teams')), 'the caller cannot answer their own call');
  t.notOk(
    step(m, undefined, [dial('teams', 'video'), by('ANSWER', 'skype')]).can(by('ADD_VIDEO', 'skype')),
    'video cannot be added to a video call',
  );
  t.notOk(step(m, undefined, [dial('teams')]).can(dial('skype')), 'one call at a time');
});

t.test(
  'call: call-state shows each party the call now (F15), and a blocked caller a call ringing for them alone (F21)',
  async (t) => {
    const m = MODELS.call!;
    const dial = (by: string, media = 'audio'): Ev => ({
      type: 'DIAL',
      by,
      media,
      calleeForwards: false,
      onBehalf: false,
    });
    const by = (type: string, side: string): Ev => ({ type, by: side });
    const dropped = (side: string, media = 'audio'): Ev => ({ type: 'DIAL_DROPPED', by: side, media });
    const show = (side: string) => by('SHOW_STATE', side);
    const answered = [dial('teams'), by('ANSWER', 'skype')];
    const cases: [string, Ev[], string, object][] = [
      ['no call yet: none', [show('teams')], 'shows-no-call', { shown: { state: 'none' }, notice: null }],
      [
        'after a hang-up: none',
        [...answered, by('HANG_UP', 'teams'), show('skype')],
        'shows-no-call',
        { shown: { state: 'none' } },
      ],
      [
        'an audio call rings for the caller',
        [dial('teams'), show('teams')],
        'shows-ringing-audio',
        { shown: { state: 'ringing', media: 'audio' }, requirements: ['CALL-001'] },
      ],
      [
        'a video call rings for the callee',
        [dial('teams', 'video'), show('skype')],
        'shows-ringing-video',
        { shown: { state: 'ringing', media: 'video' }, requirements: ['CALL-002'] },
      ],
      [
        'an answered audio call is connected audio',
        [...answered, show('teams')],
        'shows-connected-audio',
        { shown: { state: 'connected', media: 'audio' } },
      ],
      [
        'video added: the call is now video',
        [...answered, by('ADD_VIDEO', 'teams'), show('skype')],
        'shows-connected-video',
        { shown: { state: 'connected', media: 'video' }, requirements: ['CALL-002', 'CALL-003'] },
      ],
      [
        'an answered video call is connected video',
        [dial('skype', 'video'), by('ANSWER', 'teams'), show('teams')],
        'shows-connected-video',
        { shown: { state: 'connected', media: 'video' } },
      ],
      [
        'a blocked call reaches nobody',
        [dropped('skype', 'video')],
        'blocked-call-seems-to-ring',
        { notice: null, requirements: ['BLOCK-003'] },
      ],
      [
        '…and rings for its caller',
        [dropped('skype', 'video'), show('skype')],
        'blocked-caller-sees-ringing',
        { shown: { state: 'ringing', media: 'video' } },
      ],
      [
        '…but not for the blocker',
        [dropped('skype', 'video'), show('teams')],
        'shows-no-call',
        { shown: { state: 'none' } },
      ],
      [
        'its caller hangs up, telling nobody',
        [dropped('teams'), by('HANG_UP', 'teams')],
        'blocked-caller-hangs-up',
        { notice: null },
      ],
      [
        'after which it is gone',
        [dropped('teams'), by('HANG_UP', 'teams'), show('teams')],
        'shows-no-call',
        { shown: { state: 'none' } },
      ],
      [
        'a call that rings replaces it',
        [dropped('teams'), dial('teams', 'video'), show('teams')],
        'shows-ringing-video',
        { shown: { state: 'ringing', media: 'video' } },
      ],
    ];
    for (const [name, events, rule, decided] of cases)
      t.match(step(m, undefined, events).decision, { rule: `call.${rule}`, ...decided }, name);
    t.same(step(m, undefined, [...answered, show('teams')]).value, { answered: 'audio' }, 'the query changes nothing');
    t.notOk(step(m, undefined, [dropped('skype')]).can(by('HANG_UP', 'teams')), 'the blocker has no call to hang up');
    t.notOk(step(m, undefined, [dropped('skype')]).can(by('ANSWER', 'teams')), 'nor one to answer');
    t.notOk(step(m, undefined, [dial('teams')]).can(dropped('teams')), 'a dropped call is still one call at a time');
  },
);

t.test('escalation: no group chat, no meeting', async (t) => {
  const m = MODELS.escalation!;
  t.match(
    step(m, undefined, [{ type: 'GROUP_CHAT' }]).decision,
    { rule: 'escalation.group-chat-refused', error: 'unsupported-group' },
    'group chat refused',
  );
  t.match(
    step(m, undefined, [{ type: 'MEETING' }]).decision,
    { rule: 'escalation.meeting-refused', error: 'unsupported-group' },
    'meeting refused',
  );
});

t.test('security: hostile requests over a wire are turned away, each with its answer', async (t) => {
  const m = MODELS.security!;
  const cases: [string, string, string][] = [
    ['read-other-chats', 'other-users-chats-denied', 'denied'],
    ['act-as-other-user', 'acting-as-another-denied', 'denied'],
    ['reach-other-world', 'other-world-denied', 'denied'],
    ['malformed-json', 'malformed-json-rejected', 'bad-request'],
    ['oversized-body', 'oversized-body-rejected', 'payload-too-large'],
    ['unknown-route', 'unknown-route-not-found', 'not-found'],
    ['use-deleted-world-token', 'deleted-world-token-denied', 'denied'],
  ];
  for (const [attack, rule, error] of cases)
    t.match(
      step(m, undefined, [{ type: 'PROBE', attack }]).decision,
      { rule: `security.${rule}`, error },
      `${attack} → ${error}`,
    );
});

t.test('every rule of every model is taken by a case above and names known requirements', async (t) => {
  const { loadCatalogue } = await import('../harness/specs-files.js');
  const ids = loadCatalogue().requirements;
  for (const [name, machine] of Object.entries(MODELS))
    for (const r of rulesOf(machine)) {
      t.ok(taken.has(r.rule), `${name}: ${r.rule} (${r.state} on ${r.event}) is tested`);
      t.ok(
        r.requirements.length > 0 && r.requirements.every((id) => ids.has(id)),
        `${r.rule} names requirements of the catalogue`,
      );
    }
});
