/**
 * `mutants`: the suite catches every faulty variant of the reference, each through a requirement the fault breaks;
 * without one area's scenarios the score drops and the survivors are named with what they break; and the exit
 * codes. The whole catalogue runs twice here (about 7 s, and 12 s without the block area under a 2000 ms
 * deadline); every other test runs a few variants on a few scenarios.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FAULTS } from '../adapters/reference/faults.js';
import { listenMs } from '../harness/deliveries.js';
import {
  deadlineFor,
  FAST_DEADLINE_MS,
  MIN_KILLING_SCENARIOS,
  type MutantResult,
  type RequirementKills,
} from '../harness/mutation-score.js';
import { loadCatalogue } from '../harness/specs-files.js';
import { readmeFigures } from './readme.js';
import { CHAT_SCENARIO, cli, scenarioDir } from './support.js';

interface MutantsFile {
  scenarios: number;
  caught: number;
  total: number;
  mutants: MutantResult[];
  requirements: RequirementKills[];
}

async function mutants(...args: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'ic-mutants-'));
  const r = await cli(['mutants', ...args, '--out', out]);
  return { ...r, file: (): MutantsFile => JSON.parse(readFileSync(join(out, 'mutants.json'), 'utf8')) as MutantsFile };
}

const requirements = loadCatalogue().requirements;
const AREAS = ['search', 'request', 'chat', 'call', 'block', 'admin'] as const;

/** The catalogue's size when last pinned: each engineer adding a fault re-pins it (and the README's figure). */
const CATALOGUE_SIZE = 79;

t.test(
  'the catalogue: 79 variants, one breaking a MUST of every area, and the defects reported in the field',
  async (t) => {
    t.equal(FAULTS.length, CATALOGUE_SIZE, `${FAULTS.length} variants`);
    for (const area of AREAS)
      t.ok(
        FAULTS.some((f) =>
          f.breaks.some((id) => requirements.get(id)?.area === area && requirements.get(id)?.level === 'MUST'),
        ),
        `a variant breaks a MUST of ${area}`,
      );
    const field = {
      F12: 'teams-to-skype-messages-dropped', // one-way chat
      F19: 'chat-fails-silently-without-enterprise-app', // chat broken while calls work
      F30: 'chat-fails-silently-without-enterprise-app', // lost without a word where it should be refused with an error
      F13: 'first-message-late', // first message later than the deadline
    };
    for (const [fact, id] of Object.entries(field)) {
      const fault = FAULTS.find((f) => f.id === id);
      t.ok(
        fault?.breaks.some((q) => requirements.get(q)?.sources.includes(fact)),
        `${id} breaks a requirement citing ${fact}`,
      );
    }
    for (const f of FAULTS)
      t.ok(f.breaks.length && f.breaks.every((id) => requirements.has(id)), `${f.id} breaks known requirements`);
  },
);

t.test('a delaying fault runs under a deadline shorter than its delay, listening past it', async (t) => {
  t.equal(deadlineFor({}), FAST_DEADLINE_MS, 'a fault that loses or changes things gets the short deadline');
  for (const lateByMs of [10, 3000, 9000, 20_000]) {
    const d = deadlineFor({ lateByMs });
    t.ok(
      d < lateByMs && lateByMs < listenMs(d),
      `late by ${lateByMs} ms: deadline ${d} ms, listening ${listenMs(d)} ms`,
    );
  }
  t.equal(deadlineFor({ lateByMs: 3000 }), 2000, 'first-message-late: 1 s either side of the delay');
});

t.test(
  'mutants on the whole suite catches 100 % of the variants, each through a requirement it breaks, and exits 0',
  async (t) => {
    const r = await mutants();
    t.equal(r.code, 0, 'exit 0', { out: r.out.slice(-3000), err: r.err });
    t.match(r.out, new RegExp(`^mutation score: ${FAULTS.length}/${FAULTS.length} \\(100 %\\) in [\\d.]+ s$`, 'm'));
    t.notMatch(r.out, /SURVIVED|survived|blamed/);
    const file = r.file();
    t.same([file.caught, file.total], [FAULTS.length, FAULTS.length]);
    t.same(
      readmeFigures(/then `mutation score: (\d+)\/(\d+) \(100 %\) in [\d.]+ s`/),
      [file.caught, file.total].map(String),
      "the README's score",
    );
    t.same(
      file.mutants.map((m) => m.id),
      FAULTS.map((f) => f.id),
      'one result per fault, in catalogue order',
    );
    for (const m of file.mutants) {
      t.ok(m.caught && m.caughtBy.length > 0, `${m.id} is caught, by ${m.caughtBy.join(', ')}`);
      t.ok(m.namesWhatItBreaks, `${m.id}: failed ${m.failed.join(', ')} include one of ${m.breaks.join(', ')}`);
      t.match(
        r.out,
        new RegExp(
          `^caught +${m.id} +breaks ${m.breaks.join(',')} +by ${m.caughtBy.length} scenarios?, failing ${m.failed.join(' ')}`,
          'm',
        ),
        `${m.id} has its line`,
      );
    }
    const late = file.mutants.find((m) => m.id === 'first-message-late')!;
    t.same(
      late.failed,
      ['CHAT-006'],
      'the late first message is caught as late, not as lost: only the deadline is broken',
    );
    t.ok(
      late.deadlineMs < 3000,
      `under a deadline (${late.deadlineMs} ms) shorter than the delay, listening beyond it`,
    );
    t.match(r.out, /first-message-late .* \(deadline 2000 ms\)$/m);
    const sipSrv = file.mutants.find((m) => m.id === 'sip-srv-not-checked')!;
    t.equal(requirements.get('ADMIN-007')?.level, 'SHOULD');
    t.ok(sipSrv.caught, 'a variant breaking only a SHOULD is caught: mutants judges with --strict');

    // Suite power: every requirement a variant breaks, and each of its variants caught by two scenarios or more.
    const broken = [...requirements.keys()].filter((id) => FAULTS.some((f) => f.breaks.includes(id)));
    t.same(
      file.requirements.map((k) => k.id),
      broken,
      'one entry per requirement a variant breaks, in catalogue order',
    );
    const musts = file.requirements.filter((k) => k.level === 'MUST');
    t.equal(musts.length, 51, 'MUST requirements with a variant');
    for (const k of file.requirements) {
      t.ok(
        k.weakest.caughtBy.length >= MIN_KILLING_SCENARIOS && !k.singleKill,
        `${k.id}: its weakest variant ${k.weakest.fault} is caught by ${k.weakest.caughtBy.join(', ')}`,
      );
      t.match(
        r.out,
        new RegExp(
          `^ {2}${k.id} +${k.level} +${k.faults.length} variants? +${k.scenarios.length} scenarios +weakest ${k.weakest.fault} \\(${k.weakest.caughtBy.length}\\)$`,
          'm',
        ),
        `${k.id} has its line in the table`,
      );
    }
    t.match(r.out, /^MUST requirements with variants: 51\/51 killed by ≥ 2 scenarios each$/m);
    t.same(
      readmeFigures(/`MUST requirements with variants: (\d+)\/(\d+) killed by ≥ 2 scenarios each`/),
      ['51', '51'],
      "the README's kills per MUST",
    );
    t.match(
      r.out,
      /^12 MUST requirements no in-process variant breaks/m,
      'the MUSTs only a wire can break are named, with their variants',
    );
    for (const id of [
      'SEC-001',
      'SEC-002',
      'SEC-003',
      'SEC-004',
      'SEC-005',
      'SEC-006',
      'SEC-007',
      'WIRE-001',
      'WIRE-003',
      'CLIENT-001',
      'CLIENT-002',
      'CLIENT-003',
    ])
      t.match(r.out, new RegExp(`^  ${id}: (?!NO VARIANT)`, 'm'), `${id} has a variant somewhere`);
    t.notMatch(r.out, /single kill/i, 'no single kill left');
    const sequences = [
      'second-block-ignored',
      'only-first-unblock-restores',
      'one-unblock-lifts-both-blocks',
      'inbox-full-after-four-deliveries',
      'view-messages-shows-last-four',
      'org-switch-second-turn-off-ignored',
      'hiding-from-search-works-once',
    ];
    for (const id of sequences)
      t.ok(
        file.mutants.find((m) => m.id === id)!.caughtBy.length >= 2,
        `${id}, shown only by longer sequences, is caught by two of them`,
      );
  },
);

t.test(
  'without the block scenarios the score drops and the block variants survive, named with what they break',
  async (t) => {
    const others = AREAS.filter((a) => a !== 'block').map((a) => `scenarios/${a}`);
    // Under 200 ms (the default for a variant that loses or changes things) a stall of this process on a loaded
    // machine (load ≈ 11) once measured an on-time delivery late: skype-block-acts-as-accept was "caught" through
    // CHAT-006 (67/79). The reference delivers before perform returns, so no survivor's verdict here rests on the
    // clock; 2000 ms, the deadline first-message-late gets anyway, leaves it caught as late, as by default.
    const r = await mutants(...others, '--deadline', String(deadlineFor({ lateByMs: 3000 })));
    t.equal(r.code, 1, 'a survivor fails the command');
    const file = r.file();
    t.same(
      [...new Set(file.mutants.map((m) => m.deadlineMs))],
      [2000],
      'every variant under one deadline, ten times the margin of the default 200 ms',
    );
    const late = file.mutants.find((m) => m.id === 'first-message-late')!;
    t.same(
      [late.caught, late.failed, late.namesWhatItBreaks],
      [true, ['CHAT-006'], true],
      'the late first message is still caught as late, through CHAT-006 alone, as under its own deadline',
    );
    const survivors = file.mutants.filter((m) => !m.caught);
    t.same(
      survivors.map((m) => m.id),
      [
        'blocked-caller-misses-voicemail',
        'blocked-contacts-missing-skype-users',
        'blocked-contacts-keep-unblocked-users',
        'teams-block-acts-as-accept',
        'skype-block-acts-as-accept',
        'blocked-contacts-in-block-order',
        'privacy-settings-block-ignored',
        'privacy-settings-unblock-ignored',
        'blocked-numbers-missing',
        'blocked-colleagues-after-skype-users',
        'second-block-ignored',
        'only-first-unblock-restores',
        'one-unblock-lifts-both-blocks',
      ],
      'exactly the variants only block scenarios catch',
    );
    t.match(r.out, /^mutation score: 66\/79 \(83\.5 %\)/m);
    t.same(
      readmeFigures(/the score drops to (\d+)\/(\d+), naming the (\d+) block variants only that area catches/),
      [file.caught, file.total, survivors.length].map(String),
      "the README's score without the block scenarios",
    );
    t.match(
      r.out,
      /^MUST requirements with variants: 43\/51 killed by ≥ 2 scenarios each$/m,
      'the block requirements are not',
    );
    t.notMatch(r.out, /\(100 %\)/);
    t.match(r.out, new RegExp(`^${survivors.length} survived: the scenarios let these faulty variants through$`, 'm'));
    for (const m of survivors) {
      t.ok(
        m.breaks.some((id) => id.startsWith('BLOCK-')),
        `${m.id} breaks ${m.breaks.join(', ')}: a block requirement among them`,
      );
      t.match(
        r.out,
        new RegExp(`^SURVIVED +${m.id} +breaks ${m.breaks.join(',')}$`, 'm'),
        `${m.id}'s line says SURVIVED`,
      );
      const fault = FAULTS.find((f) => f.id === m.id)!;
      t.ok(
        r.out.includes(`\n  ${m.id} breaks ${m.breaks.join(', ')}: ${fault.description}\n`),
        `${m.id} is listed with its requirement and description`,
      );
    }
    t.ok(
      survivors.some((m) => m.id === 'blocked-contacts-missing-skype-users'),
      'the blocked-contacts list is only checked by block scenarios',
    );
  },
);

t.test('exit codes and selection', async (t) => {
  t.test('a selection of faults, each alone, all caught: exit 0, and only those are run', async (t) => {
    const r = await mutants('scenarios/chat', '--adapter-option', 'faults=presence-shown,group-chat-allowed');
    t.equal(r.code, 0, r.err);
    t.same(
      r.file().mutants.map((m) => [m.id, m.caught]),
      [
        ['presence-shown', true],
        ['group-chat-allowed', true],
      ],
    );
    t.match(r.out, /^mutation score: 2\/2 \(100 %\)/m);
  });

  t.test('a variant the selected scenarios cannot catch: exit 1, its survival in mutants.json', async (t) => {
    const r = await mutants('scenarios/search', '--adapter-option', 'faults=presence-shown', '--quiet');
    t.equal(r.code, 1);
    t.match(r.out, /^mutation score: 0\/1 \(0 %\)/m);
    t.notMatch(r.out, /^SURVIVED/m, '--quiet leaves out the line per variant');
    t.match(r.out, /^ {2}presence-shown breaks CHAT-007: /m, 'but not the survivors');
    t.match(r.file().mutants[0], { id: 'presence-shown', caught: false, failed: [], caughtBy: [] });
  });

  t.test(
    'scenarios that all skip in process (wire probes) catch nothing: the variant survives, however their run is judged',
    async (t) => {
      const r = await mutants('scenarios/security', '--adapter-option', 'faults=presence-shown', '--quiet');
      t.equal(r.code, 1);
      t.match(
        r.file().mutants[0],
        { id: 'presence-shown', caught: false, caughtBy: [] },
        'not "caught by 0 scenarios"',
      );
    },
  );

  t.test(
    "--deadline overrides a delaying fault's own: lost rather than late, shown as blamed on other requirements",
    async (t) => {
      const r = await mutants(
        'scenarios/chat/first-messages-within-deadline.yaml',
        '--adapter-option',
        'faults=first-message-late',
        '--deadline',
        '50',
      );
      t.equal(r.code, 0, 'still caught');
      const [m] = r.file().mutants;
      t.match(m, { caught: true, namesWhatItBreaks: false, deadlineMs: 50 });
      t.notOk(m!.failed.includes('CHAT-006'));
      t.match(r.out, /^caught +first-message-late .* — none of what it breaks$/m);
      t.match(r.out, /^1 caught, but blamed on other requirements than the one it breaks \(the attribution is off\)$/m);
      t.match(r.out, /^ {2}first-message-late breaks CHAT-006; the run failed (CHAT|REQ)-/m);
    },
  );

  const bad: [string, string[], RegExp][] = [
    [
      'an unknown fault',
      ['--adapter-option', 'faults=presence-shown,no-such-fault'],
      /unknown fault "no-such-fault"; known faults: .*presence-shown/,
    ],
    [
      'an adapter option other than faults',
      ['--adapter-option', 'url=http://x'],
      /takes --adapter-option faults=a,b only; got url/,
    ],
    ['another adapter', ['--adapter', 'test/fixtures/wrapped-adapter.ts'], /takes no --adapter/],
    ['a baseline', ['--expect-failures', 'known.yaml'], /takes no --expect-failures/],
    ['a deadline that is no number', ['--deadline', 'soon'], /--deadline takes a whole number/],
    ['no scenario selected', ['--grep', 'no-scenario-is-called-this'], /no scenarios? selected/],
  ];
  for (const [what, args, message] of bad)
    t.test(`${what}: exit 2, nothing run`, async (t) => {
      const r = await mutants(...args);
      t.equal(r.code, 2);
      t.match(r.err, message);
      t.equal(r.out, '');
    });

  t.test('a scenario that does not load: exit 2 with its location', async (t) => {
    const dir = scenarioDir({
      'chat/a.yaml': CHAT_SCENARIO,
      'chat/b.yaml': `${CHAT_SCENARIO}  - actor: nobody\n    accept: { from: tara }\n`,
    });
    const r = await mutants(dir);
    t.equal(r.code, 2);
    t.match(r.err, /b\.yaml:\d+:\d+/);
  });

  t.test('mutants.json cannot be written: exit 3', async (t) => {
    // mutants.json a folder (an --out that is a file is refused before scoring, exit 2).
    const out = mkdtempSync(join(tmpdir(), 'ic-file-'));
    mkdirSync(join(out, 'mutants.json'));
    const r = await cli([
      'mutants',
      'scenarios/chat/presence-hidden-both-ways.yaml',
      '--adapter-option',
      'faults=presence-shown',
      '--out',
      out,
    ]);
    t.equal(r.code, 3);
    t.match(r.err, /mutants\.json could not be written/);
  });
});
