/**
 * The independent implementation's fault catalogue (issue 14, item 2) is whole and every entry is implemented:
 * a pinned count, unique ids, real requirement ids, every class used twice, every requirement broken by some
 * fault, and every id a switch the implementation's code reads. Each check is a function run on the real
 * catalogue and on a faulty copy it must catch, so that none of them can pass whatever the catalogue holds.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { INDEPENDENT_FAULTS } from '../adapters/independent/faults/catalogue.js';
import { FAULT_CLASSES, type CatalogueFault } from '../adapters/independent/faults/types.js';

const ROOT = new URL('..', import.meta.url).pathname;
const IMPLEMENTATION = join(ROOT, 'adapters/independent');
/** The catalogue itself (catalogue.ts and its parts catalogue-*.ts) and its type do not count as implementing anything. */
const notImplementation = (file: string) => /^faults\/(catalogue(-[a-z]+)?|types)\.ts$/.test(file);

/** A client's clauses (CLIENT-…: msw checks a client's requests) judge clients: no fault of a service can break them. */
const ofServices = (r: { 'checked-by'?: string }) => r['checked-by'] !== 'msw.client-requests';
const requirementIds: string[] = (
  parse(readFileSync(join(ROOT, 'specs/requirements.yaml'), 'utf8')).requirements as {
    id: string;
    'checked-by'?: string;
  }[]
)
  .filter(ofServices)
  .map((r) => r.id);

function sourcesUnder(dir: string, base = dir): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) for (const [k, v] of sourcesUnder(path, base)) out.set(k, v);
    else if (name.endsWith('.ts')) out.set(path.slice(base.length + 1), readFileSync(path, 'utf8'));
  }
  return out;
}
const implementation = [...sourcesUnder(IMPLEMENTATION)]
  .filter(([file]) => !notImplementation(file))
  .map(([, text]) => text);

// ── the checks, as functions of a catalogue ─────────────────────────────────────────────────────────────────

const duplicateIds = (faults: readonly CatalogueFault[]) =>
  faults.map((f) => f.id).filter((id, i, all) => all.indexOf(id) !== i);
const badIds = (faults: readonly CatalogueFault[]) =>
  faults.map((f) => f.id).filter((id) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id));
const unknownRequirements = (faults: readonly CatalogueFault[], known: readonly string[]) =>
  faults.flatMap((f) => f.breaks.filter((r) => !known.includes(r)).map((r) => `${f.id}: ${r}`));
/** An entry breaks something, or says why the harness cannot catch it (`unscored`), never both nor neither. */
const argued = (f: CatalogueFault) => (f.unscored?.trim().length ?? 0) >= 40;
const emptyEntries = (faults: readonly CatalogueFault[]) =>
  faults
    .filter((f) => (f.breaks.length === 0) !== argued(f) || f.classes.length === 0 || f.description.trim().length < 40)
    .map((f) => f.id);
function classesUsedOnce(faults: readonly CatalogueFault[]): string[] {
  const uses = new Map<string, number>(FAULT_CLASSES.map((c) => [c, 0]));
  for (const f of faults) for (const c of f.classes) uses.set(c, (uses.get(c) ?? 0) + 1);
  return [...uses].filter(([, n]) => n < 2).map(([c, n]) => `${c} (${n})`);
}
const unbrokenRequirements = (faults: readonly CatalogueFault[], known: readonly string[]) =>
  known.filter((r) => !faults.some((f) => f.breaks.includes(r)));
const brokenOnce = (faults: readonly CatalogueFault[], ids: readonly string[]) =>
  ids.filter((r) => faults.filter((f) => f.breaks.includes(r)).length < 2);
/** An id is implemented when the implementation's code names it as a string ('id' or "id"). */
const unimplemented = (faults: readonly CatalogueFault[], sources: readonly string[]) =>
  faults.map((f) => f.id).filter((id) => !sources.some((s) => s.includes(`'${id}'`) || s.includes(`"${id}"`)));

const sample: CatalogueFault = {
  id: 'text-trimmed-toward-skype',
  description: 'a copy of a real entry, to build faulty catalogues from in the checks below',
  classes: ['content-altered'],
  breaks: ['CHAT-001'],
};

t.test('the catalogue holds exactly 149 faults, with unique kebab-case ids; 2 argued unscored', async (t) => {
  t.equal(INDEPENDENT_FAULTS.length, 149);
  t.same(
    INDEPENDENT_FAULTS.filter((f) => f.unscored !== undefined).map((f) => f.id),
    ['event-cursor-computed-on-arrival', 'world-stream-sync-marker-without-to'],
    'the event-cursor and world-stream faults the harness cannot see, each saying why',
  );
  t.same(duplicateIds(INDEPENDENT_FAULTS), []);
  t.same(badIds(INDEPENDENT_FAULTS), []);
  t.same(emptyEntries(INDEPENDENT_FAULTS), [], 'every entry is described and has a class and a requirement');
  t.same(duplicateIds([...INDEPENDENT_FAULTS, sample]), ['text-trimmed-toward-skype'], 'a repeated id is caught');
  t.same(badIds([{ ...sample, id: 'Text_Trimmed' }]), ['Text_Trimmed'], 'an id that is not kebab-case is caught');
  t.same(
    emptyEntries([
      { ...sample, breaks: [] },
      { ...sample, id: 'x', description: 'short' },
      { ...sample, id: 'argued', breaks: [], unscored: 'a reason why the harness cannot see this defect at all' },
      { ...sample, id: 'both', unscored: 'a reason why the harness cannot see this defect at all' },
    ]),
    ['text-trimmed-toward-skype', 'x', 'both'],
    'an empty entry is caught, and one both scored and argued unscored; one argued is not',
  );
});

t.test(
  'every requirement a fault breaks exists in specs/requirements.yaml, and every requirement is broken by some fault',
  async (t) => {
    t.equal(requirementIds.length, 61, "the 61 requirements on a service (a client's are checked through msw)");
    t.same(
      [ofServices({ 'checked-by': 'msw.client-requests' }), ofServices({ 'checked-by': 'runner.reconnect' })],
      [false, true],
      "a client's clause is left out, a service's kept",
    );
    t.same(unknownRequirements(INDEPENDENT_FAULTS, requirementIds), []);
    t.same(unbrokenRequirements(INDEPENDENT_FAULTS, requirementIds), []);
    t.same(
      unknownRequirements([{ ...sample, breaks: ['CHAT-001', 'CHAT-099'] }], requirementIds),
      ['text-trimmed-toward-skype: CHAT-099'],
      'an unknown id is caught',
    );
    t.same(
      unbrokenRequirements([sample], ['CHAT-001', 'SEC-005']),
      ['SEC-005'],
      'a requirement no fault breaks is caught',
    );
  },
);

t.test('every MUST requirement is broken by at least two faults', async (t) => {
  const musts = (
    parse(readFileSync(join(ROOT, 'specs/requirements.yaml'), 'utf8')).requirements as {
      id: string;
      level: string;
      'checked-by'?: string;
    }[]
  )
    .filter((r) => r.level === 'MUST' && ofServices(r))
    .map((r) => r.id);
  t.equal(musts.length, 60);
  t.same(brokenOnce(INDEPENDENT_FAULTS, musts), []);
  t.same(
    brokenOnce([sample, { ...sample, id: 'b', breaks: ['CHAT-001', 'SEC-005'] }], ['CHAT-001', 'SEC-005']),
    ['SEC-005'],
    'a MUST broken by one fault only is caught',
  );
});

/** The world stream's faults are conformant services when each user's own stream is read: scored through the world's. */
const notReadThroughWorld = (faults: readonly CatalogueFault[]) =>
  faults.filter((f) => f.id.startsWith('world-') !== (f.adapterOptions?.events === 'world')).map((f) => f.id);

t.test("the world stream's 15 faults, and only they, are scored reading the world stream", async (t) => {
  t.equal(INDEPENDENT_FAULTS.filter((f) => f.adapterOptions?.events === 'world').length, 15);
  t.same(notReadThroughWorld(INDEPENDENT_FAULTS), []);
  t.same(
    notReadThroughWorld([
      { ...sample, id: 'world-stream-read-the-default-way' },
      { ...sample, adapterOptions: { events: 'world' } },
    ]),
    ['world-stream-read-the-default-way', 'text-trimmed-toward-skype'],
    'a world-stream fault read the default way is caught, and another fault read through the world stream',
  );
});

t.test('every fault class is used by at least two faults', async (t) => {
  t.equal(FAULT_CLASSES.length, 21);
  t.same(classesUsedOnce(INDEPENDENT_FAULTS), []);
  const withoutQuota = INDEPENDENT_FAULTS.filter((f) => !f.classes.includes('quota')).concat([
    { ...sample, classes: ['quota'] },
  ]);
  t.same(classesUsedOnce(withoutQuota), ['quota (1)'], 'a class used once is caught');
});

t.test("every fault is a switch the implementation's code reads", async (t) => {
  t.equal(implementation.length, 26, 'the implementation sources were found: its 26 files besides the catalogue');
  t.ok(
    notImplementation('faults/catalogue-wire.ts') && !notImplementation('faults/hooks.ts'),
    "the catalogue's parts are not counted as implementing",
  );
  t.same(unimplemented(INDEPENDENT_FAULTS, implementation), []);
  t.same(
    unimplemented([{ ...sample, id: 'catalogued-but-never-built' }], implementation),
    ['catalogued-but-never-built'],
    'an entry without a switch is caught',
  );
  t.same(
    unimplemented([sample], ["on(s, 'text-trimmed-toward-skype-and-more')"]),
    ['text-trimmed-toward-skype'],
    'a longer id does not count for a shorter one',
  );
});

t.test(
  'every switch changes what one scripted session observes; with every switch off the session is the same twice',
  async (t) => {
    const { startIndependent } = await import('../adapters/independent/index.js');
    const { exercise } = await import('../adapters/independent/faults/exercise.js');
    const run = async (defects: string[], watch?: (answer: string, index: number) => void) => {
      const service = await startIndependent({ defects: new Set(defects) });
      try {
        return JSON.stringify(await exercise(service.url, watch));
      } finally {
        await service.close();
      }
    };
    const answers: string[] = [];
    const conformant = await run([], (answer) => void answers.push(answer));
    t.equal(await run([]), conformant, 'the conformant transcript does not depend on the run');
    // A faulty session stops at its first answer that differs from the conformant session's: the transcripts
    // differ whatever follows. One whose answers all agree runs to its end and is compared whole (deliveries, the
    // world stream). Most switches show in an answer, so most sessions stop early.
    const stopped = new Set<string>();
    const changes = async (id: string) => {
      const differs = new Error(id);
      try {
        return (
          (await run([id], (answer, i) => {
            if (answer !== answers[i]) throw differs;
          })) !== conformant
        );
      } catch (e) {
        if (e !== differs) throw e;
        stopped.add(id);
        return true;
      }
    };
    // A switch nobody reads is the faulty case this check must catch: it changes nothing, and its session, whose
    // answers all agree, is not stopped.
    const queue = ['no-such-fault', ...INDEPENDENT_FAULTS.map((f) => f.id)];
    const unchanged: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) if (!(await changes(id))) unchanged.push(id);
      }),
    );
    t.same(unchanged, ['no-such-fault'], 'only the switch that does not exist leaves the session unchanged');
    // The world stream's faults change no answer of the first part (the world stream is exercised after it): their
    // sessions ran whole, and were told apart by what follows the answers.
    const world = INDEPENDENT_FAULTS.map((f) => f.id).filter((id) => id.startsWith('world-'));
    t.same(
      [world.length, world.filter((id) => stopped.has(id)), stopped.has('no-such-fault')],
      [15, [], false],
      `the world stream's 15 faults and the switch nobody reads ran whole; ${stopped.size} of ${INDEPENDENT_FAULTS.length} sessions stopped at an answer`,
    );
  },
);
