/**
 * Every requirement of specs/requirements.yaml maps to something that implements or checks it: a model rule
 * (rulesOf), a decision of specs/interop.ts, or a `checked-by` naming a check of harness/checks.ts whose code
 * exists and lays failures at that requirement. And nothing names a requirement the catalogue does not have.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { HARNESS_CHECKS, type HarnessCheck } from '../harness/checks.js';
import { loadCatalogue, specsPath } from '../harness/specs-files.js';
import { INTEROP_DECISIONS, type InteropDecision } from '../specs/interop.js';
import { MODELS, rulesOf } from '../specs/models/index.js';

interface Entry {
  id: string;
  'checked-by'?: string;
}
interface Sources {
  rules: { rule: string; requirements: readonly string[] }[];
  decisions: readonly InteropDecision[];
  checks: Readonly<Record<string, HarnessCheck>>;
}

const catalogue = (parse(readFileSync(specsPath('requirements.yaml'), 'utf8')) as { requirements: Entry[] })
  .requirements;
const rules = Object.values(MODELS).flatMap(rulesOf);
const real: Sources = { rules, decisions: INTEROP_DECISIONS, checks: HARNESS_CHECKS };

/** What is wrong with the mapping, one line each; also what each requirement maps to. */
function mapping(entries: Entry[], s: Sources) {
  const problems: string[] = [];
  const known = new Set(entries.map((e) => e.id));
  const mapsTo = new Map<string, string[]>();
  for (const e of entries) {
    const by = [
      ...s.rules.filter((r) => r.requirements.includes(e.id)).map((r) => `rule ${r.rule}`),
      ...s.decisions.filter((d) => d.requirements.includes(e.id)).map((d) => `decision ${d.id}`),
    ];
    const id = e['checked-by'];
    if (id !== undefined) {
      const check = Object.hasOwn(s.checks, id) ? s.checks[id] : undefined;
      if (!check) problems.push(`${e.id}: checked-by names no check: "${id}"`);
      else if (!check.requirements.includes(e.id)) problems.push(`${e.id}: check ${id} does not check ${e.id}`);
      else by.push(`check ${id}`);
    }
    if (!by.length) problems.push(`${e.id}: no model rule, interop decision or check implements it`);
    mapsTo.set(e.id, by);
  }
  const named = [
    ...s.rules.map((r) => [`rule ${r.rule}`, r.requirements] as const),
    ...s.decisions.map((d) => [`decision ${d.id}`, d.requirements] as const),
    ...Object.entries(s.checks).map(([id, c]) => [`check ${id}`, c.requirements] as const),
  ];
  for (const [what, reqs] of named)
    for (const r of reqs) if (!known.has(r)) problems.push(`${what} names ${r}, which the catalogue does not have`);
  return { problems, mapsTo };
}

/** The constant a check's `code` names, imported: it must exist and hold each requirement the check checks. */
async function codeProblems(checks: Readonly<Record<string, HarnessCheck>>): Promise<string[]> {
  const problems: string[] = [];
  for (const [id, c] of Object.entries(checks)) {
    const [path, name] = c.code.split('#') as [string, string];
    const mod = (await import(new URL(`../${path}`, import.meta.url).href).catch(() => ({}))) as Record<
      string,
      unknown
    >;
    const value = mod[name];
    const held = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
    if (!held) problems.push(`check ${id}: ${c.code} exports no requirement`);
    else for (const r of c.requirements) if (!held.includes(r)) problems.push(`check ${id}: ${c.code} is not ${r}`);
  }
  return problems;
}

t.test('every requirement of the catalogue maps to a model rule, an interop decision or a named check', async (t) => {
  const { problems, mapsTo } = mapping(catalogue, real);
  t.same(problems, []);
  t.equal(catalogue.length, 64);
  // The twelve that no model rule implements (issue 8's seven, the two the runner checked already, and the three
  // clauses for clients that msw checks), and what they map to instead.
  const noRule = catalogue.filter((e) => !rules.some((r) => r.requirements.includes(e.id))).map((e) => e.id);
  t.same(noRule, [
    'REQ-008',
    'REQ-009',
    'CHAT-005',
    'CHAT-006',
    'CHAT-009',
    'CHAT-010',
    'WIRE-001',
    'WIRE-002',
    'WIRE-003',
    'CLIENT-001',
    'CLIENT-002',
    'CLIENT-003',
  ]);
  t.same(
    noRule.map((id) => [id, mapsTo.get(id)]),
    [
      ['REQ-008', ['decision surface']],
      ['REQ-009', ['decision surface']],
      ['CHAT-005', ['decision encryption']],
      ['CHAT-006', ['check runner.delivery-deadline']],
      ['CHAT-009', ['decision sender-told']],
      ['CHAT-010', ['decision client']],
      ['WIRE-001', ['check http-adapter.api-document']],
      ['WIRE-002', ['check runner.world-isolation']],
      ['WIRE-003', ['check runner.reconnect']],
      ['CLIENT-001', ['check msw.client-requests']],
      ['CLIENT-002', ['check msw.client-requests']],
      ['CLIENT-003', ['check msw.client-requests']],
    ],
  );
  t.same(
    catalogue.filter((e) => e['checked-by']).map((e) => [e.id, e['checked-by']]),
    [
      ['CHAT-006', 'runner.delivery-deadline'],
      ['WIRE-001', 'http-adapter.api-document'],
      ['WIRE-002', 'runner.world-isolation'],
      ['WIRE-003', 'runner.reconnect'],
      ['CLIENT-001', 'msw.client-requests'],
      ['CLIENT-002', 'msw.client-requests'],
      ['CLIENT-003', 'msw.client-requests'],
    ],
  );
});

t.test('a requirement that nothing implements, or whose checked-by names no check, fails the mapping', async (t) => {
  const fabricated: Entry[] = [
    ...catalogue,
    { id: 'CHAT-099' },
    { id: 'WIRE-099', 'checked-by': 'runner.tea-break' },
    { id: 'WIRE-098', 'checked-by': 'runner.world-isolation' },
  ];
  t.same(mapping(fabricated, real).problems, [
    'CHAT-099: no model rule, interop decision or check implements it',
    'WIRE-099: checked-by names no check: "runner.tea-break"',
    'WIRE-099: no model rule, interop decision or check implements it',
    'WIRE-098: check runner.world-isolation does not check WIRE-098',
    'WIRE-098: no model rule, interop decision or check implements it',
  ]);
  // A rule, a decision or a check naming a requirement the catalogue lacks.
  const stray: Sources = {
    rules: [...rules, { rule: 'chat.tea-refused', requirements: ['CHAT-098'] }],
    decisions: [...INTEROP_DECISIONS, { id: 'tea', requirements: ['CHAT-097'] }],
    checks: { ...HARNESS_CHECKS, 'runner.tea': { what: 'tea', requirements: ['WIRE-097'], code: 'x#y' } },
  };
  t.same(mapping(catalogue, stray).problems, [
    'rule chat.tea-refused names CHAT-098, which the catalogue does not have',
    'decision tea names CHAT-097, which the catalogue does not have',
    'check runner.tea names WIRE-097, which the catalogue does not have',
  ]);
});

t.test("each named check's code exists and lays its failures at the requirement it checks", async (t) => {
  t.same(await codeProblems(HARNESS_CHECKS), []);
  const broken = {
    gone: { what: 'a check whose code moved', requirements: ['WIRE-002'], code: 'harness/late-deliveries.ts#GONE' },
    elsewhere: {
      what: 'another clause',
      requirements: ['WIRE-002'],
      code: 'harness/late-deliveries.ts#RECONNECT_REQUIREMENT',
    },
    nofile: { what: 'no such file', requirements: ['WIRE-002'], code: 'harness/nothing.ts#X' },
  };
  t.same(await codeProblems(broken), [
    'check gone: harness/late-deliveries.ts#GONE exports no requirement',
    'check elsewhere: harness/late-deliveries.ts#RECONNECT_REQUIREMENT is not WIRE-002',
    'check nofile: harness/nothing.ts#X exports no requirement',
  ]);
});

t.test(
  'the loader refuses a checked-by that names no check, at its line, and reports say what a known one is',
  async (t) => {
    const text = readFileSync(specsPath('requirements.yaml'), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'ic-map-'));
    const file = join(dir, 'requirements.yaml');
    writeFileSync(file, text.replace('checked-by: runner.reconnect', 'checked-by: runner.tea-break'));
    const line = text.split('\n').findIndex((l) => l.includes('checked-by: runner.reconnect')) + 1;
    t.throws(() => loadCatalogue(file), {
      message: `${file}:${line}:17: checked-by names no check: "runner.tea-break"; known: runner.world-isolation, runner.reconnect, runner.delivery-deadline, http-adapter.api-document, msw.client-requests`,
    });
    const wire = loadCatalogue().requirements.get('WIRE-003')!;
    t.equal(wire.checkedBy, HARNESS_CHECKS['runner.reconnect']!.what);
    t.match(wire.checkedBy, /^the runner, midway through every scenario/);
  },
);
