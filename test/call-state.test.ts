/**
 * `call-state` end to end: what the oracle predicts (the call model's SHOW_STATE rules), what the reference
 * answers in process and over HTTP, the scenarios the loader refuses, and the faulty variants the suite catches
 * only because scenarios now state the call.
 */
import t from 'tap';
import { WireFormatViolation, type Session } from '../adapters/adapter.js';
import { createHttpAdapter } from '../adapters/http/adapter.js';
import { ApiDocument } from '../adapters/http/schema.js';
import { startService } from '../adapters/reference/http/server.js';
import { createReferenceAdapter } from '../adapters/reference/adapter.js';
import { loadScenario } from '../harness/load.js';
import { loadCatalogue } from '../harness/specs-files.js';
import type { Action, World } from '../specs/protocol.js';
import { cli, scenarioDir } from './support.js';

const catalogue = loadCatalogue().requirements;

const WORLD = `world:
  users:
    tara: { platform: teams, tenant: contoso, email: tara@contoso.example }
    sam: { platform: skype, email: sam@outlook.example }
    tom: { platform: teams, tenant: contoso, email: tom@contoso.example }
    ada: { platform: admin, tenant: contoso }
  tenants:
    contoso: {}
`;
const CONNECTED = `  - actor: tara
    message: { to: sam, text: hi }
  - actor: sam
    accept: { from: tara }
`;
const load = (steps: string, title = 'call state') =>
  loadScenario('call/x.yaml', `title: ${title}\n${WORLD}steps:\n${steps}`, catalogue);
const step = (actor: string, kind: string, payload: string) => `  - actor: ${actor}\n    ${kind}: ${payload}\n`;
const state = (actor: string, other: string) => step(actor, 'call-state', `{ with: ${other} }`);

/** The steps of a scenario, as [actor, action] pairs, and its resolved world (the loader's own). */
function plan(steps: string): { world: World; moves: [string, Action][] } {
  const { scenario, problems } = load(steps);
  if (!scenario) throw new Error(problems.map((p) => p.message).join('\n'));
  return { world: scenario.world, moves: scenario.steps.map((s) => [s.actor, s.action]) };
}

// A call answered, video added, hung up; then a call to a blocker, seen by both, hung up by its caller.
const STORY =
  CONNECTED +
  step('tara', 'call', '{ to: sam, media: audio }') +
  state('sam', 'tara') +
  step('sam', 'answer', '{ from: tara }') +
  state('tara', 'sam') +
  step('sam', 'add-video', '{ with: tara }') +
  state('tara', 'sam') +
  state('sam', 'tara') +
  step('tara', 'hang-up', '{ with: sam }') +
  state('sam', 'tara') +
  step('tara', 'block', '{ user: sam }') +
  step('sam', 'call', '{ to: tara, media: video }') +
  state('sam', 'tara') +
  state('tara', 'sam') +
  step('sam', 'hang-up', '{ with: tara }') +
  state('sam', 'tara');
const SEEN = [
  { state: 'ringing', media: 'audio' },
  { state: 'connected', media: 'audio' },
  { state: 'connected', media: 'video' },
  { state: 'connected', media: 'video' },
  { state: 'none' },
  { state: 'ringing', media: 'video' },
  { state: 'none' },
  { state: 'none' },
];

t.test('the oracle: each call-state step is decided by its rule, with the state and media it shows', async (t) => {
  const { scenario } = load(STORY);
  const shown = scenario!.steps
    .filter((s) => s.action.kind === 'call-state')
    .map((s) => [s.prediction.rule, s.prediction.outcome]);
  t.same(shown, [
    ['call.shows-ringing-audio', { status: 'ok', callState: SEEN[0] }],
    ['call.shows-connected-audio', { status: 'ok', callState: SEEN[1] }],
    ['call.shows-connected-video', { status: 'ok', callState: SEEN[2] }],
    ['call.shows-connected-video', { status: 'ok', callState: SEEN[3] }],
    ['call.shows-no-call', { status: 'ok', callState: SEEN[4] }],
    ['call.blocked-caller-sees-ringing', { status: 'ok', callState: SEEN[5] }],
    ['call.shows-no-call', { status: 'ok', callState: SEEN[6] }],
    ['call.shows-no-call', { status: 'ok', callState: SEEN[7] }],
  ]);
  const video = scenario!.steps.find((s) => s.prediction.rule === 'call.shows-connected-video')!;
  t.same(
    video.prediction.ruleRequirements,
    ['CALL-002', 'CALL-003'],
    '"the call is now video" is laid at CALL-003 (and CALL-002)',
  );
  const hangUp = scenario!.steps.at(-2)!;
  t.same(
    [hangUp.prediction.rule, hangUp.prediction.deliveries],
    ['call.blocked-caller-hangs-up', []],
    'the blocked caller hangs up; nobody is told',
  );
  const dropped = scenario!.steps.find((s) => s.action.kind === 'call' && s.actor === 'sam')!;
  t.ok(dropped.prediction.trace.includes('call.blocked-call-seems-to-ring'), 'the dropped call reaches the call model');
});

/** Perform the story on a session; the outcomes of its call-state steps and every delivery of its last three steps. */
async function perform(session: Session, moves: [string, Action][]) {
  const seen: unknown[] = [];
  const late: unknown[] = [];
  for (const [i, [actor, action]] of moves.entries()) {
    const outcome = await session.perform(actor, action);
    if (action.kind === 'call-state') seen.push(outcome.status === 'ok' ? outcome.callState : outcome);
    for (const user of ['tara', 'sam']) {
      const got = await session.drain(user);
      if (i >= moves.length - 3) late.push(...got);
    }
  }
  return { seen, late };
}

t.test('the reference shows the same, and the blocked caller hanging up tells nobody', async (t) => {
  const { world, moves } = plan(STORY);
  const session = await createReferenceAdapter().open(world);
  const { seen, late } = await perform(session, moves);
  await session.close();
  t.same(seen, SEEN);
  t.same(late, [], 'nothing reaches anybody from the blocked call, its hang-up or the query');
});

t.test(
  "the reference refuses what the protocol leaves out for a dropped call: the blocker hanging it up or answering it; the blocker's own call is refused (BLOCK-006)",
  async (t) => {
    const { world, moves } = plan(
      CONNECTED + step('tara', 'block', '{ user: sam }') + step('sam', 'call', '{ to: tara }'),
    );
    const session = await createReferenceAdapter().open(world);
    for (const [actor, action] of moves) await session.perform(actor, action);
    await t.rejects(
      session.perform('tara', { kind: 'hang-up', with: 'sam' }),
      /out of protocol scope: tara has no call with sam to hang up/,
    );
    await t.rejects(
      session.perform('tara', { kind: 'answer', from: 'sam' }),
      /out of protocol scope: tara and sam have no ringing call/,
    );
    // A block stops both ways (BLOCK-006): the blocker's call is refused, so no real call can ring beside the dropped one.
    t.same(
      await session.perform('tara', { kind: 'call', to: 'sam', media: 'audio' }),
      { status: 'error', error: 'contact-blocked' },
      "the blocker's own call is refused",
    );
    t.same(
      await session.perform('sam', { kind: 'call-state', with: 'tara' }),
      { status: 'ok', callState: { state: 'ringing', media: 'audio' } },
      'and the dropped call still rings for its caller',
    );
    await session.close();
  },
);

t.test(
  'over HTTP: GET /interop/me/calls/{callId} answers in the documented shape and the http adapter maps it back',
  async (t) => {
    const service = await startService();
    const adapter = createHttpAdapter({ url: service.url });
    t.teardown(async () => {
      await adapter.dispose?.();
      await service.close();
    });
    const { world, moves } = plan(STORY);
    const session = await adapter.open(world);
    const { seen } = await perform(session, moves);
    await session.close();
    t.same(seen, SEEN);

    const doc = ApiDocument.load();
    const op = doc.operation('getCall');
    t.same([op.method, op.path], ['GET', '/worlds/{worldId}/interop/me/calls/{callId}']);
    t.doesNotThrow(() =>
      doc.check(op, 200, { id: 'sam', state: 'established', activeModalities: ['audio', 'video'] }, 'video'),
    );
    t.doesNotThrow(() => doc.check(op, 200, { id: 'sam', state: 'none' }, 'none'));
    t.throws(
      () => doc.check(op, 200, { id: 'sam', state: 'ringing' }, 'ringing without media'),
      WireFormatViolation,
      'a ringing call must say its media',
    );
    t.throws(
      () => doc.check(op, 200, { id: 'sam', state: 'none', activeModalities: ['audio'] }, 'none with media'),
      WireFormatViolation,
      'no call has no media',
    );
    t.throws(
      () => doc.check(op, 200, { id: 'sam', state: 'established', activeModalities: ['video'] }, 'video only'),
      WireFormatViolation,
    );
  },
);

t.test('the loader refuses call-state and dropped-call steps the models do not allow, saying why', async (t) => {
  const refused = (steps: string) =>
    load(steps)
      .problems.map((p) => p.message)
      .join('\n');
  t.match(
    refused(state('ada', 'sam')),
    /ada \(admin\) and sam \(skype\) are not a Teams user and a Skype user/,
    'an admin has no calls',
  );
  t.match(
    refused(state('tara', 'tom')),
    /tara \(teams\) and tom \(teams\) are not a Teams user and a Skype user/,
    'nor do two Teams users, here',
  );
  t.match(refused(state('tara', 'nobody')), /nobody/, 'an unknown user');
  const dropped = CONNECTED + step('tara', 'block', '{ user: sam }') + step('sam', 'call', '{ to: tara }');
  t.match(
    refused(dropped + step('tara', 'hang-up', '{ with: sam }')),
    /tara has no call with sam to hang up/,
    'the blocker has no call to hang up',
  );
  t.match(
    refused(dropped + step('tara', 'answer', '{ from: sam }')),
    /no call from sam is ringing for tara/,
    'nor one to answer',
  );
  t.equal(refused(dropped + step('sam', 'hang-up', '{ with: tara }')), '', 'its caller may hang it up');
  const wrong =
    CONNECTED +
    step('tara', 'call', '{ to: sam, media: video }') +
    step('sam', 'answer', '{ from: tara }') +
    `  - actor: tara\n    call-state: { with: sam }\n    expect:\n      callState: { state: connected, media: audio }\n`;
  t.match(
    refused(wrong),
    /expect\.callState is \{"state":"connected","media":"audio"\}, but the model predicts \{"state":"connected","media":"video"\} \(rule call\.shows-connected-video/,
    'an expectation that contradicts the model',
  );
  t.match(
    refused(CONNECTED + `  - actor: tara\n    call-state: { with: sam, media: video }\n`),
    /media/,
    'call-state takes only `with`',
  );
});

const ADDS_VIDEO = (withState: boolean) => `title: adds video
${WORLD}steps:
${CONNECTED}${step('tara', 'call', '{ to: sam, media: audio }')}${step('sam', 'answer', '{ from: tara }')}${step('sam', 'add-video', '{ with: tara }')}${withState ? state('tara', 'sam') : ''}`;

t.test(
  'video-added-call-stays-audio: caught by the call scenarios through CALL-003, and only because they state the call',
  async (t) => {
    const r = await cli([
      'mutants',
      'scenarios/call',
      '--adapter-option',
      'faults=video-added-call-stays-audio,blocked-caller-sees-no-call',
    ]);
    t.equal(r.code, 0, r.out + r.err);
    t.match(
      r.out,
      /caught\s+video-added-call-stays-audio\s+breaks CALL-003\s+by 3 scenarios, failing CALL-002 CALL-003/,
    );
    t.match(r.out, /caught\s+blocked-caller-sees-no-call\s+breaks BLOCK-003\s+by 2 scenarios, failing BLOCK-003/);

    const without = await cli([
      'mutants',
      scenarioDir({ 'call/adds-video.yaml': ADDS_VIDEO(false) }),
      '--adapter-option',
      'faults=video-added-call-stays-audio',
    ]);
    t.equal(without.code, 1, 'without a call-state step the fault survives');
    t.match(without.out, /SURVIVED\s+video-added-call-stays-audio/);
    const withIt = await cli([
      'mutants',
      scenarioDir({ 'call/adds-video.yaml': ADDS_VIDEO(true) }),
      '--adapter-option',
      'faults=video-added-call-stays-audio',
    ]);
    t.equal(withIt.code, 0, 'one call-state step after add-video catches it');
  },
);
