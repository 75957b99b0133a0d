/**
 * Closed-world comparison: every key of an observation is compared with the prediction, through the field
 * catalogue (specs/observed-fields.ts). Each case below is a system that shows everything predicted correctly and
 * adds something: a comparison of predicted fields alone passed all of them.
 */
import t from 'tap';
import { compare } from '../harness/compare.js';
import { findScenarioFiles, loadScenarios } from '../harness/load.js';
import { loadCatalogue } from '../harness/specs-files.js';
import { DELIVERY_FIELDS, HARNESS_FIELDS, OUTCOME_FIELDS } from '../specs/observed-fields.js';
import type { ActorOutcome } from '../specs/protocol.js';
import type { Prediction } from '../reports/results.js';
import { altered, mismatchesOf, runFile } from './fixtures/altered-adapter.js';
import { cli } from './support.js';

const catalogue = loadCatalogue().requirements;

/** Run one fault of the catalogue over the given scenarios with --strict; the failing mismatches. */
async function withFault(fault: string, paths: string[]) {
  const r = await cli([
    'run',
    ...paths,
    '--adapter-option',
    `faults=${fault}`,
    '--strict',
    '--quiet',
    '--reporter',
    'json',
  ]);
  const report = r.report();
  return {
    code: r.code,
    mismatches: report.scenarios.flatMap((s) => s.steps.flatMap((st) => st.mismatches)),
    failing: report.requirements.filter((q) => q.verdict === 'fail').map((q) => q.id),
  };
}

t.test('a ringing call that tells its caller "voicemail" fails the rule that rang it (CALL-001)', async (t) => {
  const r = await withFault('ringing-calls-told-voicemail', ['scenarios/call/teams-audio-call-answered.yaml']);
  t.equal(r.code, 1);
  t.same(r.mismatches, [{ message: 'call: observed "voicemail"; expected nothing', requirements: ['CALL-001'] }]);
});

t.test('presence shown on every answer fails CHAT-007, though every presence query says hidden', async (t) => {
  const r = await withFault('presence-on-every-answer', ['scenarios/chat/teams-to-skype-after-accept.yaml']);
  t.equal(r.code, 1);
  t.same(r.failing, ['CHAT-007']);
  t.match(r.mismatches[0], { message: 'presence: observed "shown"; expected nothing', requirements: ['CHAT-007'] });
});

t.test(
  'a call that reaches its callee with a text fails the call rule, and its encryption claim CHAT-005',
  async (t) => {
    const r = await withFault('calls-carry-text', ['scenarios/call/teams-audio-call-answered.yaml']);
    t.equal(r.code, 1);
    t.same(
      r.mismatches.map((m) => m.message),
      [
        'sam ← call (audio) from tara [in skype]: text is "Incoming call"; expected none',
        'sam ← call (audio) from tara [in skype]: encrypted is true; expected none',
      ],
    );
    t.same(
      r.mismatches.map((m) => m.requirements),
      [['CALL-001'], ['CHAT-005']],
    );
  },
);

t.test('a message that arrives with media fails the message rule (REQ-004, CHAT-001)', async (t) => {
  const r = await withFault('messages-carry-media', ['scenarios/chat/teams-to-skype-after-accept.yaml']);
  t.equal(r.code, 1);
  t.equal(r.mismatches.length, 1);
  t.match(r.mismatches[0]!.message, /^sam ← message ".+" from tara \[in skype\]: media is audio; expected none$/);
  t.same(r.mismatches[0]!.requirements, ['REQ-004', 'CHAT-001']);
});

t.test('a delivery with a key the catalogue does not know is an undocumented field', async (t) => {
  const r = await withFault('messages-carry-undocumented-field', ['scenarios/chat/teams-to-skype-after-accept.yaml']);
  t.equal(r.code, 1);
  t.match(r.mismatches, [
    {
      message: /^sam ← message .*: an undocumented field priority \("normal"\)$/,
      requirements: ['REQ-004', 'CHAT-001'],
    },
  ]);
});

t.test('an outcome with a key the catalogue does not know is an undocumented field', async (t) => {
  const r = await runFile(
    'scenarios/chat/presence-hidden-both-ways.yaml',
    altered({ outcome: (o) => ({ ...o, mood: 'happy' }) as unknown as ActorOutcome }),
  );
  t.equal(r.verdict, 'fail');
  t.match(mismatchesOf(r)[0], { message: 'the outcome carries an undocumented field mood ("happy")' });
});

t.test(
  'absent and the default say the same (external: false); deliveredAt is timing evidence, not compared',
  async (t) => {
    const adapter = altered({ delivery: (d) => ({ external: false, ...d, deliveredAt: Date.now() }) });
    const r = await runFile('scenarios/chat/both-ways-after-teams-starts.yaml', adapter);
    t.equal(r.verdict, 'pass', JSON.stringify(mismatchesOf(r)));
    t.ok(
      r.steps.some((s) => s.observed?.deliveries.some((d) => d.external === false)),
      'the deliveries did carry external: false',
    );
    const marked = await runFile(
      'scenarios/chat/both-ways-after-teams-starts.yaml',
      altered({ delivery: (d) => ({ ...d, external: true }) }),
    );
    t.match(
      mismatchesOf(marked),
      [{ message: /external is true; expected none$/, requirements: ['REQ-002'] }],
      'but external: true where none is due fails REQ-002',
    );
  },
);

t.test('an outcome object is compared whatever the order of its keys, and by value', async (t) => {
  const p = (callState: object): Prediction => ({
    outcome: { status: 'ok', callState } as ActorOutcome,
    deliveries: [],
    rule: 'call.shown',
    requirements: ['CALL-001'],
    ruleRequirements: ['CALL-001'],
    trace: [],
  });
  const seen = (callState: object) => ({ outcome: { status: 'ok', callState } as ActorOutcome, deliveries: [] });
  t.same(compare(p({ state: 'connected', media: 'video' }), seen({ media: 'video', state: 'connected' }), 200), []);
  t.same(compare(p({ state: 'connected', media: 'video' }), seen({ state: 'connected', media: 'audio' }), 200), [
    {
      message:
        'callState: observed {"media":"audio","state":"connected"}; expected {"media":"video","state":"connected"}',
      requirements: ['CALL-001'],
    },
  ]);
});

t.test(
  "order is compared where a requirement states it: the blocked list's (BLOCK-004), not a search's result",
  async (t) => {
    const p = (data: object): Prediction => ({
      outcome: { status: 'ok', ...data } as ActorOutcome,
      deliveries: [],
      rule: 'r',
      requirements: ['BLOCK-004'],
      ruleRequirements: ['BLOCK-004'],
      trace: [],
    });
    const seen = (data: object) => ({ outcome: { status: 'ok', ...data } as ActorOutcome, deliveries: [] });
    t.same(
      compare(p({ blocked: ['sky', 'sue'] }), seen({ blocked: ['sue', 'sky'] }), 200),
      [{ message: 'blocked: observed ["sue","sky"]; expected ["sky","sue"]', requirements: ['BLOCK-004'] }],
      'an unsorted blocked list fails BLOCK-004',
    );
    t.same(
      compare(p({ blocked: ['sky', 'sue'] }), seen({ blocked: ['sky', 'sue'] }), 200),
      [],
      'the sorted one passes',
    );
    t.same(
      compare(p({ found: ['a', 'b'] }), seen({ found: ['b', 'a'] }), 200),
      [],
      "found is a set: no clause orders a search's result",
    );
    const { contradictions } = await import('../harness/expectations.js');
    t.match(
      contradictions({ blocked: ['sue', 'sky'] }, p({ blocked: ['sky', 'sue'] })),
      [{ field: 'blocked' }],
      'validate rejects an expect.blocked out of order',
    );
    t.same(
      contradictions({ found: ['b', 'a'] }, p({ found: ['a', 'b'] })),
      [],
      'but not an expect.found in another order',
    );
    t.equal(OUTCOME_FIELDS.blocked!.unordered, undefined);
    t.equal(OUTCOME_FIELDS.found!.unordered, true);
  },
);

t.test(
  'the catalogue: every key the models predict is listed and compared; every uncompared field says why',
  async (t) => {
    for (const [name, fields] of Object.entries({ OUTCOME_FIELDS, DELIVERY_FIELDS, HARNESS_FIELDS }))
      for (const [key, f] of Object.entries(fields))
        t.ok(
          f.notCompared ? !f.breaks && f.notCompared.length > 20 : f.breaks,
          `${name}.${key}: either what it breaks or why it is not compared`,
        );
    const known = new Set(catalogue.keys());
    const named = [...Object.values(OUTCOME_FIELDS), ...Object.values(DELIVERY_FIELDS)].flatMap((f) => [
      ...(Array.isArray(f.breaks) ? f.breaks : []),
      ...Object.values(f.breaksWhenExpected ?? {}).flat(),
    ]);
    t.same(
      named.filter((id) => !known.has(id)),
      [],
      'every requirement named exists',
    );
    const { scenarios } = loadScenarios(findScenarioFiles(['scenarios']), catalogue);
    const predictions = scenarios.flatMap((s) => s.steps.map((st) => st.prediction));
    const outcomeKeys = new Set(predictions.flatMap((p) => Object.keys(p.outcome)));
    const deliveryKeys = new Set(predictions.flatMap((p) => p.deliveries.flatMap((d) => Object.keys(d))));
    t.same(
      [...outcomeKeys].filter((k) => !OUTCOME_FIELDS[k] || OUTCOME_FIELDS[k]!.notCompared),
      [],
    );
    t.same(
      [...deliveryKeys].filter((k) => !DELIVERY_FIELDS[k] || DELIVERY_FIELDS[k]!.notCompared),
      [],
    );
    t.same(
      Object.entries(DELIVERY_FIELDS)
        .filter(([, f]) => f.notCompared)
        .map(([k]) => k),
      ['deliveredAt'],
      'deliveredAt is the one delivery field not compared',
    );
  },
);
