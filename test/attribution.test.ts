/**
 * Attribution names the broken clause: an unblock that does not restore delivery (BLOCK-002), a refusal although
 * the message went out, a search a refusing tenant gate should have emptied (ADMIN-006/ADMIN-008 besides
 * SEARCH-006), and a message that arrived with a wrong field (misdelivered, not lost). Each runs a scenario
 * through the real runner against the reference with one behaviour altered.
 */
import t from 'tap';
import { identifies } from '../harness/deliveries.js';
import type { Delivery } from '../specs/protocol.js';
import { altered, mismatchesOf, runFile } from './fixtures/altered-adapter.js';
import { scenarioDir } from './support.js';

t.test('an unblock that does not restore delivery is laid at BLOCK-002', async (t) => {
  let unblocked = false;
  const adapter = altered({
    outcome: (o, _actor, action) => ((unblocked ||= action.kind === 'unblock'), o),
    delivery: (d) => (unblocked && d.to === 'tara' ? null : d),
  });
  const r = await runFile('scenarios/block/unblock-restores-chat-and-calls.yaml', adapter);
  t.equal(r.verdict, 'fail');
  const failing = r.steps.find((s) => s.verdict === 'fail')!;
  t.equal(failing.index, 6, 'the first message after the unblock');
  t.same(failing.mismatches, [
    {
      message:
        'tara ← message "Hello again." from sam [in teams] never arrived (listened for 400 ms) and the sender was told it was sent',
      requirements: ['REQ-004', 'CHAT-002', 'BLOCK-002', 'CHAT-009'],
    },
  ]);
});

t.test('a call that does not ring after the unblock is laid at BLOCK-002 too', async (t) => {
  let unblocked = false;
  const adapter = altered({
    outcome: (o, _actor, action) => ((unblocked ||= action.kind === 'unblock'), o),
    delivery: (d) => (unblocked && d.kind === 'call' ? null : d),
  });
  const r = await runFile('scenarios/block/unblock-restores-chat-and-calls.yaml', adapter);
  t.match(mismatchesOf(r), [
    { message: /^tara ← call \(audio\) from sam \[in teams\] never arrived/, requirements: ['CALL-001', 'BLOCK-002'] },
  ]);
});

t.test('told error although the message was delivered: the diagnosis says it went out', async (t) => {
  const adapter = altered({
    outcome: (o, _actor, action) =>
      action.kind === 'message' ? { status: 'error', error: 'recipient-unavailable' } : o,
  });
  const r = await runFile('scenarios/chat/teams-to-skype-after-accept.yaml', adapter);
  t.same(mismatchesOf(r), [
    {
      message:
        'the actor was shown error recipient-unavailable, although the message was delivered to sam; expected ok',
      requirements: ['REQ-001'],
    },
  ]);
});

const searchWorld = (tenant: string) => `title: A search across a tenant gate
world:
  tenants:
    contoso: ${tenant}
  users:
    tara: { platform: teams, tenant: contoso, email: tara@contoso.example }
    sam: { platform: skype, email: sam@outlook.example }
steps:
  - actor: tara
    search: { email: sam@outlook.example }
  - actor: sam
    search: { email: tara@contoso.example }
`;

t.test("a search the tenant gate should have emptied names the gate's clause besides SEARCH-006", async (t) => {
  const cases: [string, string, string[]][] = [
    ['the wrong public provider', '{ publicProvider: None }', ['SEARCH-006', 'ADMIN-006']],
    ['GCC', '{ cloud: gcc }', ['SEARCH-006', 'ADMIN-008']],
    ['GCC High', '{ cloud: gcc-high }', ['SEARCH-006', 'ADMIN-008']],
    ['DoD', '{ cloud: dod }', ['SEARCH-006', 'ADMIN-008']],
    ['a private cloud', '{ cloud: private }', ['SEARCH-006', 'ADMIN-008']],
    ['no SRV record', '{ sipFederationSrv: null }', ['SEARCH-006', 'ADMIN-007']],
    ['the org switch off', '{ allowPublicUsers: false }', ['SEARCH-006', 'ADMIN-005', 'ADMIN-001']],
  ];
  for (const [name, tenant, blamed] of cases)
    for (const [actor, other] of [
      ['tara', 'sam'],
      ['sam', 'tara'],
    ] as const) {
      const dir = scenarioDir({ 'search/gate.yaml': searchWorld(tenant) });
      const adapter = altered({
        outcome: (o, who, action) => (action.kind === 'search' && who === actor ? { status: 'ok', found: [other] } : o),
      });
      const r = await runFile(`${dir}/search/gate.yaml`, adapter);
      t.same(
        mismatchesOf(r),
        [{ message: `found: observed ["${other}"]; expected []`, requirements: blamed }],
        `${name}: ${actor} finds ${other}`,
      );
    }
});

const chatWorld = `title: Tara writes to Sue
world:
  users:
    tara: { platform: teams }
    tom: { platform: teams }
    sue: { platform: skype }
steps:
  - actor: tara
    message: { to: sue, text: hello }
  - actor: sue
    accept: { from: tara }
  - actor: tara
    message: { to: sue, text: hi }
`;

t.test(
  'a message that arrives from the wrong sender is misdelivered: that field, not "never arrived" plus an unexpected delivery',
  async (t) => {
    const dir = scenarioDir({ 'chat/misdelivered.yaml': chatWorld });
    const adapter = altered({ delivery: (d) => (d.kind === 'message' ? { ...d, from: 'tom' } : d) });
    const r = await runFile(`${dir}/chat/misdelivered.yaml`, adapter);
    t.same(mismatchesOf(r), [
      {
        message: 'sue ← message "hi" from tara [in skype]: from is tom; expected tara',
        requirements: ['REQ-004', 'CHAT-001'],
      },
    ]);
    t.ok(
      r.steps[2]!.durationMs < 200,
      `the runner stopped listening once it had arrived (${Math.round(r.steps[2]!.durationMs)} ms; the window is 400 ms)`,
    );
  },
);

t.test(
  'a message that arrives as the wrong kind is misdelivered too, and the sender is not said to be misled',
  async (t) => {
    const dir = scenarioDir({ 'chat/misdelivered.yaml': chatWorld });
    const adapter = altered({ delivery: (d) => (d.kind === 'message' ? { ...d, kind: 'request' } : d) });
    const r = await runFile(`${dir}/chat/misdelivered.yaml`, adapter);
    t.same(mismatchesOf(r), [
      {
        message: 'sue ← message "hi" from tara [in skype]: kind is request; expected message',
        requirements: ['REQ-004', 'CHAT-001'],
      },
    ]);
  },
);

t.test('a message to the wrong person is still lost for its recipient and unexpected for the other', async (t) => {
  const dir = scenarioDir({
    'chat/misdelivered.yaml': chatWorld.replace(
      'tom: { platform: teams }',
      'tom: { platform: teams }\n    sid: { platform: skype }',
    ),
  });
  const adapter = altered({ delivery: (d) => (d.kind === 'message' ? { ...d, to: 'sid' } : d) });
  const r = await runFile(`${dir}/chat/misdelivered.yaml`, adapter);
  t.match(mismatchesOf(r), [
    {
      message: /^sue ← message "hi" from tara \[in skype\] never arrived .* and the sender was told it was sent$/,
      requirements: ['REQ-004', 'CHAT-001', 'CHAT-009'],
    },
    { message: 'unexpected delivery: sid ← message "hi" from tara [in skype]' },
  ]);
});

t.test('identifies: the expected delivery, even with wrong fields', async (t) => {
  const hi: Delivery = { to: 'sue', from: 'tara', kind: 'message', surface: 'skype', text: 'hi', encrypted: true };
  const ring: Delivery = { to: 'sue', from: 'tara', kind: 'call', surface: 'skype', media: 'audio' };
  t.ok(identifies(hi, hi), 'itself');
  t.ok(identifies(hi, { ...hi, from: 'tom' }), 'a message from the wrong sender, by its text');
  t.ok(
    identifies(hi, { ...hi, kind: 'request', surface: 'teams', encrypted: false }),
    'a message of the wrong kind, surface and encryption',
  );
  t.notOk(identifies(hi, { ...hi, to: 'sam' }), 'not one that reached someone else');
  t.notOk(identifies(hi, { ...hi, from: 'tom', text: 'other' }), 'not another text from someone else');
  t.ok(
    identifies(ring, { ...ring, kind: 'voicemail', media: undefined }),
    'a call turned into voicemail: the same family',
  );
  t.ok(identifies(ring, { ...ring, kind: 'request' }), 'a call arriving as a request: the same sender');
  t.notOk(identifies(ring, { ...ring, kind: 'request', from: 'tom' }), 'not a request from someone else');
});
