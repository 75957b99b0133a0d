/**
 * The interop's protocol decisions (specs/interop.ts): each case of each decision, that the clauses each carries
 * agree with the observed-field catalogue that blames them, and that the harness uses the same decision (the SRV
 * record a scenario's tenant needs 'deployment' for).
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { neededCapabilities } from '../harness/adapter-calls.js';
import { loadScenarios } from '../harness/load.js';
import { loadCatalogue } from '../harness/specs-files.js';
import * as interop from '../specs/interop.js';
import { DELIVERY_FIELDS } from '../specs/observed-fields.js';
import { REQUIRED_SRV, type Person } from '../specs/protocol.js';
import { tenant, world } from './fixtures/reference-world.js';

const {
  blockedCallShown,
  carriedText,
  clientClauses,
  contactCheckOrder,
  deploymentMet,
  gateRefusalShown,
  isRequiredSrv,
  markedExternal,
  relationshipRefusalShown,
  senderToldClauses,
  surfaceOf,
} = interop;
const w = world();
const person = (name: string) => w.users[name] as Person;

t.test('surfaces (F8): TeamsOnly in Teams, Islands in Skype for Business, Skype in Skype', async (t) => {
  t.same(
    ['tara', 'ivy', 'sam'].map((n) => surfaceOf(person(n))),
    ['teams', 'skype-for-business', 'skype'],
  );
  // The clauses the decision implements are the ones a wrong surface is blamed on.
  const blamed = Object.values(DELIVERY_FIELDS.surface!.breaksWhenExpected!).flat();
  t.same([...surfaceOf.requirements].sort(), [...blamed].sort());
});

t.test('the external flag (F6) is on a request to a Teams user only; every text travels encrypted (F11)', async (t) => {
  t.same(
    [
      markedExternal('request', person('tara')),
      markedExternal('request', person('sam')),
      markedExternal('message', person('tara')),
      markedExternal('call', person('ivy')),
    ],
    [true, false, false, false],
  );
  t.same(markedExternal.requirements, DELIVERY_FIELDS.external!.breaks);
  t.same(carriedText('hi'), { text: 'hi', encrypted: true });
  t.same(carriedText.requirements, DELIVERY_FIELDS.encrypted!.breaks);
});

t.test(
  'a contact is checked delegation, content, tenant gates, relationship — whatever order it is given in',
  async (t) => {
    const f = () => null;
    t.same(contactCheckOrder({ relationship: f, 'tenant-gates': f, content: f }), [
      'content',
      'tenant-gates',
      'relationship',
    ]);
    t.same(contactCheckOrder({ 'tenant-gates': f, delegation: f }), ['delegation', 'tenant-gates']);
    t.same(contactCheckOrder({}), []);
  },
);

t.test('what a refused actor is told: the gate to a Teams actor, recipient-unavailable to a Skype one', async (t) => {
  t.equal(gateRefusalShown('teams', 'audio-video-disabled'), 'audio-video-disabled');
  t.equal(gateRefusalShown('skype', 'audio-video-disabled'), 'recipient-unavailable');
  t.same(
    (['refuse', 'refuse-blocker', 'refuse-unlisted', 'request', 'deliver', 'drop', 'recorded'] as const).map(
      relationshipRefusalShown,
    ),
    ['request-not-accepted', 'contact-blocked', 'recipient-unavailable', null, null, null, null],
  );
});

t.test('a blocked caller sees what an unblocked call shows: voicemail for a Skype caller to a forwarder', async (t) => {
  t.same(blockedCallShown('skype', true), { call: 'voicemail' });
  t.same(blockedCallShown('skype', false), {});
  t.same(blockedCallShown('teams', true), {}, 'a Teams caller is never forwarded to voicemail (F16)');
});

t.test('CHAT-010 when either side is not on Windows; CHAT-009 unless a block drops the message', async (t) => {
  t.same(
    [clientClauses('windows', 'windows'), clientClauses('mac', 'windows'), clientClauses('windows', 'ios')],
    [[], ['CHAT-010'], ['CHAT-010']],
  );
  t.same(
    [senderToldClauses(), senderToldClauses('deliver'), senderToldClauses('refuse'), senderToldClauses('drop')],
    [['CHAT-009'], ['CHAT-009'], ['CHAT-009'], []],
  );
});

t.test(
  'the SRV record (F27) must be exact in every field; deployment needs it, the cloud and the provider',
  async (t) => {
    t.ok(isRequiredSrv({ ...REQUIRED_SRV }));
    t.notOk(isRequiredSrv(null));
    for (const [k, v] of [
      ['target', 'sipfed.example'],
      ['port', 443],
      ['priority', 10],
      ['weight', 2],
    ] as const)
      t.notOk(isRequiredSrv({ ...REQUIRED_SRV, [k]: v }), `a wrong ${k} is no record`);
    t.ok(deploymentMet(tenant()));
    t.notOk(deploymentMet(tenant({ cloud: 'gcc' })));
    t.notOk(deploymentMet(tenant({ publicProvider: 'Skype' })));
    t.notOk(deploymentMet(tenant({ sipFederationSrv: { ...REQUIRED_SRV, port: 5060 } })));
  },
);

t.test(
  'a scenario whose SRV record is right but for its port or priority needs the deployment capability',
  async (t) => {
    const file = 'scenarios/admin/sip-federation-srv-wrong-values.yaml';
    const { scenarios, problems } = loadScenarios([file], loadCatalogue().requirements);
    t.same(problems, []);
    t.match(readFileSync(file, 'utf8'), /target: sipfed\.online\.lync\.com, port: 443/, 'the right target');
    t.ok(neededCapabilities(scenarios[0]!).includes('deployment'));
  },
);

t.test('every decision the module exports is listed, once, with requirements', async (t) => {
  const exported = Object.values(interop).filter((v) => typeof v === 'function' && 'requirements' in v);
  t.equal(exported.length, 11);
  t.same(new Set(exported), new Set(interop.INTEROP_DECISIONS), 'a decision not listed is in no mapping');
  t.equal(new Set(interop.INTEROP_DECISIONS.map((d) => d.id)).size, interop.INTEROP_DECISIONS.length);
  for (const d of interop.INTEROP_DECISIONS) t.ok(d.requirements.length > 0, `${d.id} carries its clauses`);
});
