/**
 * Suite power beyond "every variant is caught": kills per requirement (single kills flagged, with the catalogue's
 * reason when it gives one), faults that only longer sequences show, and the two decisions made here (email search
 * ignores letter case; messages keep the order they were sent in), checked against the models and the reference.
 */
import t from 'tap';
import { createReferenceAdapter, referenceAdapter } from '../adapters/reference/adapter.js';
import { SEQUENCE_FAULTS } from '../adapters/reference/faults/sequences.js';
import { killLines } from '../harness/commands/mutants.js';
import { requirementKills, type MutantResult } from '../harness/mutation-score.js';
import { loadCatalogue } from '../harness/specs-files.js';
import type { Action } from '../specs/protocol.js';
import { connected, run, say, world, type Step } from './fixtures/reference-world.js';
import { cli, scenarioDir } from './support.js';

const catalogue = loadCatalogue().requirements;
const mutant = (id: string, breaks: string[], caughtBy: string[]): MutantResult => ({
  id,
  breaks,
  description: id,
  caught: caughtBy.length > 0,
  failed: breaks,
  namesWhatItBreaks: true,
  caughtBy,
  deadlineMs: 200,
  durationMs: 1,
});

t.test(
  'kills per requirement: distinct scenarios over all its variants, the weakest variant, single kills',
  async (t) => {
    const mutants = [
      mutant('a', ['CHAT-001'], ['chat/x', 'chat/y']),
      mutant('b', ['CHAT-001', 'CHAT-009'], ['chat/y']),
      mutant('c', ['BLOCK-003'], []),
      mutant('d', ['ADMIN-007'], ['admin/p', 'admin/q', 'admin/r']),
    ];
    const kills = requirementKills(mutants, [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }], catalogue);
    t.same(
      kills.map((k) => k.id),
      ['CHAT-001', 'CHAT-009', 'BLOCK-003', 'ADMIN-007'],
      'requirements some variant breaks, in catalogue order; none other',
    );
    const [chat1, chat9, block3] = kills;
    t.same(chat1!.scenarios, ['chat/x', 'chat/y'], 'a scenario catching two variants counts once');
    t.same(chat1!.weakest, { fault: 'b', caughtBy: ['chat/y'] });
    t.match(
      chat1,
      { singleKill: true, singleKills: [{ fault: 'b', scenario: 'chat/y' }] },
      'two scenarios overall, but variant b stands on one',
    );
    t.notOk('reason' in chat1!.singleKills[0]!, 'no reason in the catalogue, none invented');
    t.match(chat9, { singleKill: true, scenarios: ['chat/y'] });
    t.match(
      block3,
      { singleKill: false, singleKills: [], weakest: { fault: 'c', caughtBy: [] } },
      'a survivor is reported as one, not as a single kill',
    );

    const lines = killLines(kills, true);
    t.match(lines.join('\n'), /^ {2}CHAT-001 +MUST +2 variants +2 scenarios +weakest b \(1\) +SINGLE KILL$/m);
    t.match(lines.join('\n'), /^ {2}ADMIN-007 +SHOULD +1 variant +3 scenarios +weakest d \(3\)$/m);
    t.ok(
      lines.includes('MUST requirements with variants: 0/3 killed by ≥ 2 scenarios each'),
      'a survivor is not killed by two either',
    );
    t.ok(lines.includes('2 single kills: a variant only one scenario catches'));
    t.ok(lines.includes('  CHAT-001 (MUST) b caught by chat/y only: no reason given — add a second scenario'));
    t.same(
      killLines(kills, false).filter((l) => l.startsWith('  ') && /variant/.test(l)),
      [],
      'quiet: no table, the tally and single kills only',
    );
  },
);

t.test('a single kill the catalogue explains is named with its reason, and marked so in the table', async (t) => {
  const why = 'only a tenant in GCC High shows it, and one world has one cloud';
  const kills = requirementKills(
    [mutant('g', ['ADMIN-008'], ['admin/gcc'])],
    [{ id: 'g', singleKill: why }],
    catalogue,
  );
  t.match(kills[0], { singleKill: true, singleKills: [{ fault: 'g', scenario: 'admin/gcc', reason: why }] });
  const lines = killLines(kills, true);
  t.ok(lines.includes(`  ADMIN-008 (MUST) g caught by admin/gcc only: ${why}`), lines.join('\n'));
  t.match(lines.join('\n'), /weakest g \(1\) {2}single kill \(reason given\)$/m);
});

t.test(
  'mutants prints and writes the kills per requirement, flagging a variant one scenario alone catches',
  async (t) => {
    const r = await cli([
      'mutants',
      'scenarios/block/blocked-caller-to-forwarding-user-not-told.yaml',
      '--adapter-option',
      'faults=blocked-caller-misses-voicemail',
      '--out',
      scenarioDir({}),
    ]);
    t.equal(r.code, 0, 'a single kill is a warning: the variant is caught');
    t.match(
      r.out,
      /^ {2}BLOCK-003 +MUST +1 variant +1 scenario +weakest blocked-caller-misses-voicemail \(1\) +SINGLE KILL$/m,
    );
    t.match(
      r.out,
      /^ {2}BLOCK-003 \(MUST\) blocked-caller-misses-voicemail caught by block\/blocked-caller-to-forwarding-user-not-told only: no reason given/m,
    );
    t.match(r.out, /^MUST requirements with variants: 0\/1 killed by ≥ 2 scenarios each$/m);
  },
);

/** For each fault of faults/sequences.ts: the first turn, which it passes, and the longer sequence that shows it. */
const unblock: Step = ['tara', { kind: 'unblock', user: 'sam' }];
const block: Step = ['tara', { kind: 'block', user: 'sam' }];
const list: Step = ['tara', { kind: 'blocked-contacts' }];
const texts = (n: number): Step[] => Array.from({ length: n }, (_, i) => ['sam', say('tara', `m${i + 1}`)] as Step);
const view: Step = ['tara', { kind: 'view-messages', from: 'sam' }];
const turnSwitch = (allowPublicUsers: boolean): Step => ['ada', { kind: 'set-org-switch', allowPublicUsers }];
const searchable = (value: boolean): Step => ['sam', { kind: 'set-searchable', value }];
const findSam: Step = ['tara', { kind: 'search', email: 'sam@outlook.example' } as Action];
const SEQUENCES: Record<string, { short: Step[]; long: Step[] }> = {
  'second-block-ignored': {
    short: [...connected('tara', 'sam'), block, ['sam', say('tara')], unblock, ['sam', say('tara')]],
    long: [...connected('tara', 'sam'), block, unblock, block, ['sam', say('tara')]],
  },
  'only-first-unblock-restores': {
    short: [...connected('tara', 'sam'), block, unblock, list, ['sam', say('tara')]],
    long: [...connected('tara', 'sam'), block, unblock, block, unblock, list],
  },
  'one-unblock-lifts-both-blocks': {
    short: [...connected('tara', 'sam'), block, unblock, ['tara', say('sam')], ['sam', say('tara')]],
    long: [...connected('tara', 'sam'), block, ['sam', { kind: 'block', user: 'tara' }], unblock, ['tara', say('sam')]],
  },
  'inbox-full-after-four-deliveries': {
    short: [...connected('tara', 'sam'), ...texts(3)],
    long: [...connected('tara', 'sam'), ...texts(4)],
  },
  'view-messages-shows-last-four': { short: [...texts(4), view], long: [...texts(5), view] },
  'org-switch-second-turn-off-ignored': {
    short: [turnSwitch(false), ['tara', say('sam')], turnSwitch(true), ['tara', say('sam')]],
    long: [turnSwitch(false), turnSwitch(true), turnSwitch(false), ['tara', say('sam')]],
  },
  'hiding-from-search-works-once': {
    short: [searchable(false), findSam, searchable(true), findSam],
    long: [searchable(false), searchable(true), searchable(false), findSam],
  },
};

t.test('every sequence fault has a first turn it passes and a longer sequence that shows it', async (t) => {
  t.same(
    SEQUENCE_FAULTS.map((f) => f.id).sort(),
    Object.keys(SEQUENCES).sort(),
    'one pair per fault of faults/sequences.ts',
  );
  for (const fault of SEQUENCE_FAULTS) {
    const { short, long } = SEQUENCES[fault.id]!;
    const faulty = createReferenceAdapter({ faults: [fault.id] });
    t.same(
      await run(faulty, world(), short),
      await run(referenceAdapter, world(), short),
      `${fault.id}: the first turn looks right at every step`,
    );
    t.notSame(
      (await run(faulty, world(), long)).at(-1),
      (await run(referenceAdapter, world(), long)).at(-1),
      `${fault.id}: the longer sequence shows it`,
    );
  }
});

t.test(
  'decided here: email search ignores letter case — the models predict it, the reference does it, the fault breaks it',
  async (t) => {
    const q = (reqs: string[]) => catalogue.get(reqs[0]!)!;
    t.match(q(['SEARCH-001']), { statement: /whatever the letter case/, decidedHere: /ignore letter case/ });
    t.match(q(['SEARCH-002']), { statement: /whatever the letter case/, decidedHere: /ignoring letter case/ });
    const contradicting = scenarioDir({
      'search/a.yaml': `title: t\nworld:\n  users:\n    tara: { platform: teams }\n    sam: { platform: skype, email: sam@outlook.example }\nsteps:\n  - actor: tara\n    search: { email: SAM@Outlook.example }\n    expect: { found: [] }\n`,
    });
    const v = await cli(['validate', contradicting]);
    t.equal(v.code, 2, 'an expectation that case matters contradicts the models');
    t.match(v.err, /search\.skype-user-found-by-email/);
    const files = [
      'scenarios/search/teams-finds-skype-by-email-in-other-case.yaml',
      'scenarios/search/skype-finds-teams-by-email-in-other-case.yaml',
    ];
    t.equal((await cli(['run', ...files, '--quiet'])).code, 0, 'the reference finds people whatever the case');
    const faulty = await cli(['run', ...files, '--quiet', '--adapter-option', 'faults=email-search-case-sensitive']);
    t.equal(faulty.code, 1);
    t.same(
      faulty.report().scenarios.map((s) => s.verdict),
      ['fail', 'fail'],
      'each direction fails on its own',
    );
    t.same(
      faulty
        .report()
        .requirements.filter((r) => r.verdict === 'fail')
        .map((r) => r.id),
      ['SEARCH-001', 'SEARCH-002'],
    );
  },
);

t.test(
  'decided here: messages keep the order sent — "View messages" in that order, the reversed fault caught as REQ-006',
  async (t) => {
    for (const id of ['CHAT-001', 'CHAT-002', 'REQ-006'])
      t.match(catalogue.get(id), { statement: /in the order they were sent/, decidedHere: /order/ }, id);
    const reversed = scenarioDir({
      'request/a.yaml': `title: t\nworld:\n  users:\n    tara: { platform: teams }\n    sam: { platform: skype }\nsteps:\n  - { actor: sam, message: { to: tara, text: one } }\n  - { actor: sam, message: { to: tara, text: two } }\n  - actor: tara\n    view-messages: { from: sam }\n    expect: { messages: [two, one] }\n`,
    });
    const v = await cli(['validate', reversed]);
    t.equal(v.code, 2, "the model keeps a request's texts in the order sent");
    t.match(v.err, /relationship\.teams-views-request/);
    const files = [
      'scenarios/request/several-messages-before-the-answer.yaml',
      'scenarios/request/islands-user-views-a-growing-request.yaml',
    ];
    t.equal((await cli(['run', ...files, '--quiet'])).code, 0);
    const faulty = await cli(['run', ...files, '--quiet', '--adapter-option', 'faults=messages-reordered']);
    t.same(
      faulty.report().scenarios.map((s) => s.verdict),
      ['fail', 'fail'],
    );
    t.same(
      faulty
        .report()
        .requirements.filter((r) => r.verdict === 'fail')
        .map((r) => r.id),
      ['REQ-006'],
    );
  },
);
