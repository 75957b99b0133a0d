/**
 * Requirement verdicts in one pass (issue 9, linear growth): the one-pass `requirementResults` gives exactly what
 * the per-requirement definition gives — kept here, verbatim, as the oracle — on the real suite's results, on
 * results that take every verdict's branch, and on distinct copies of both (the suite 20 times); and it reads each
 * scenario result (and each step) exactly once, where the definition reads every result twice per requirement.
 */
import t from 'tap';
import { createReferenceAdapter, referenceAdapter } from '../adapters/reference/adapter.js';
import type { RequirementResult, RequirementVerdict, ScenarioResult } from '../reports/results.js';
import type { Requirement } from '../specs/requirement.js';
import { SCENARIOS_DIR } from '../specs/schemas/files.js';
import { resultsOf } from '../harness/conformance-run.js';
import { findScenarioFiles, loadScenarios } from '../harness/load.js';
import { notRunResults } from '../harness/run-end.js';
import { loadCatalogue } from '../harness/specs-files.js';
import { requirementCounts, requirementResults } from '../harness/verdicts.js';

/** Ways a one-pass rewrite could go wrong; the oracle takes one to show that the fixtures tell it apart. */
type Slip = 'unclaimed-steps-count' | 'not-run-ignored' | 'repeats-kept';

/** The definition (harness/verdicts.ts before issue 9): each requirement scans every result. */
function oracle(catalogue: Iterable<Requirement>, scenarios: ScenarioResult[], slip?: Slip): RequirementResult[] {
  return [...catalogue].map((req) => {
    const covering = scenarios.filter((s) => s.requirements.includes(req.id));
    const failedBy = scenarios
      .filter((s) => s.steps.some((st) => st.mismatches.some((m) => m.requirements.includes(req.id))))
      .map((s) => s.id);
    const steps = (slip === 'unclaimed-steps-count' ? scenarios : covering).flatMap((s) =>
      s.steps.filter((st) => st.requirements.includes(req.id)),
    );
    const notRun = covering.some((s) => s.verdict === 'error' && s.steps.every((st) => st.verdict === 'skip'));
    const verdict: RequirementVerdict = failedBy.length
      ? 'fail'
      : covering.length === 0
        ? 'untested'
        : steps.some((st) => st.verdict === 'error') || (slip !== 'not-run-ignored' && notRun)
          ? 'error'
          : steps.some((st) => st.verdict === 'pass')
            ? 'pass'
            : 'skip';
    const once = (ids: string[]) => (slip === 'repeats-kept' ? ids : [...new Set(ids)]);
    return { ...req, verdict, scenarios: once(covering.map((s) => s.id)), failedBy: once(failedBy) };
  });
}

const catalogue = loadCatalogue().requirements;
const { scenarios, problems } = loadScenarios(findScenarioFiles([SCENARIOS_DIR]), catalogue);
const run = (adapter: typeof referenceAdapter) => resultsOf(scenarios, { adapter, catalogue });
const suite = await run(referenceAdapter);
// Faults that change outcomes: `fail` verdicts, with mismatches naming requirements.
const faulty = await run(
  createReferenceAdapter({
    faults: ['reply-before-accept-allowed', 'group-chat-allowed', 'search-matches-local-part'],
  }),
);
const clone = (rs: ScenarioResult[]): ScenarioResult[] => structuredClone(rs);
/** Every 9th scenario with its second step `error` (an adapter fault mid-scenario), under its own id. */
const stepErrors = clone(suite)
  .filter((_, i) => i % 9 === 0)
  .map((s) => {
    s.id = `${s.id}--step-error`;
    if (s.steps[1]) s.steps[1].verdict = 'error';
    s.verdict = 'error';
    return s;
  });
const base = [
  ...suite,
  ...faulty,
  ...notRunResults(scenarios.slice(0, 30), 'broken', 'could not be loaded'),
  ...stepErrors,
];
/**
 * A result whose first step, `error`, names a requirement its scenario does not claim, one that otherwise passes:
 * the harness never makes one (a scenario claims what its steps exercise), an API caller may; it must not count.
 */
const stray = clone(suite.filter((s) => s.area === 'chat').slice(0, 1)).map((s) => {
  const passing = oracle(catalogue.values(), base).find((r) => r.verdict === 'pass' && !s.requirements.includes(r.id));
  s.id = 'chat/stray';
  s.steps[0]!.requirements.push(passing!.id);
  s.steps[0]!.verdict = 'error';
  return s;
});
/**
 * Every verdict's branch: pass, fail, error (a step's, or an adapter never had), skip, untested; ids repeated as a
 * differential run repeats them.
 */
const mixed = [...base, ...stray];
/** `n` copies under distinct ids (`<id>--cK`), as 20 copies of the suite's files would be named. */
const copies = (rs: ScenarioResult[], n: number): ScenarioResult[] =>
  Array.from({ length: n }, (_, k) => clone(rs).map((s) => ({ ...s, id: `${s.id}--c${k + 1}` }))).flat();
const mixed20 = copies(mixed, 20);
const verdictsOf = (rs: RequirementResult[]) => [...new Set(rs.map((r) => r.verdict))].sort();

t.test('the fixtures: the real suite loads whole and runs as the CLI reports it', async (t) => {
  t.same(problems, [], 'every scenario file loads');
  t.equal(suite.length, 163, 'the 163 scenarios of scenarios/');
  t.same(
    requirementCounts(oracle(catalogue.values(), suite)),
    { total: 64, pass: 52, fail: 0, error: 0, skip: 8, untested: 4 },
    'the definition judges the real suite as `run` prints it (52 pass, 8 skip, 4 untested)',
  );
  t.same(
    verdictsOf(oracle(catalogue.values(), mixed)),
    ['error', 'fail', 'pass', 'skip', 'untested'],
    'the mixed results take every verdict the definition can give',
  );
  t.ok(
    mixed.some((s, i) => mixed.findIndex((x) => x.id === s.id) !== i),
    'the mixed results repeat scenario ids, as a differential run does',
  );
});

t.test('one pass gives the definition’s verdicts, scenarios and failedBy, in order, on every fixture', async (t) => {
  const fixtures: [string, ScenarioResult[]][] = [
    ['the real suite', suite],
    ['a faulty reference', faulty],
    ['every verdict, ids repeated', mixed],
    ['the chat area alone (most requirements untested)', suite.filter((s) => s.area === 'chat')],
    ['no results', []],
    ['the real suite, 20 distinct copies', copies(suite, 20)],
    // 3 copies, not 20: the definition is this file's slow part (≈ 2.5 s per 20 copies); copies test naming.
    ['every verdict, 3 distinct copies', copies(mixed, 3)],
  ];
  for (const [name, rs] of fixtures)
    t.same(requirementResults(catalogue.values(), rs), oracle(catalogue.values(), rs), name);
  const twenty = requirementResults(catalogue.values(), copies(suite, 20));
  t.equal(
    twenty.find((r) => r.id === 'CHAT-001')!.scenarios.length,
    20 * oracle(catalogue.values(), suite).find((r) => r.id === 'CHAT-001')!.scenarios.length,
    'at 20 copies each covering scenario is listed under each of its 20 names',
  );
});

t.test('the fixtures tell apart the slips a one-pass rewrite could make', async (t) => {
  const right = oracle(catalogue.values(), mixed);
  for (const slip of ['unclaimed-steps-count', 'not-run-ignored', 'repeats-kept'] as const)
    t.notSame(
      oracle(catalogue.values(), mixed, slip),
      right,
      `${slip}: a rewrite making it would fail the check above`,
    );
});

/** Results behind Proxies that count each read of a result from the list and of a step from a result's steps. */
function counted(rs: ScenarioResult[]) {
  const reads = { results: 0, steps: 0 };
  const tally = <T extends object>(list: T[], key: keyof typeof reads): T[] =>
    new Proxy(list, {
      get(target, p, receiver) {
        if (typeof p === 'string' && /^\d+$/.test(p)) reads[key]++;
        return Reflect.get(target, p, receiver);
      },
    });
  return {
    reads,
    results: tally(
      rs.map((s) => ({ ...s, steps: tally(s.steps, 'steps') })),
      'results',
    ),
  };
}

t.test('each scenario result and each step is read exactly once, whatever the catalogue’s size', async (t) => {
  const rs = mixed20;
  const steps = rs.reduce((n, s) => n + s.steps.length, 0);
  t.equal(rs.length, 20 * (163 + 163 + 30 + 19 + 1), '7,520 results');
  const once = counted(rs);
  requirementResults(catalogue.values(), once.results);
  t.same(once.reads, { results: rs.length, steps }, 'results × 1 and steps × 1');
  const scans = counted(rs);
  oracle(catalogue.values(), scans.results);
  t.equal(
    scans.reads.results,
    2 * 64 * rs.length,
    'the definition reads every result twice per requirement (the faulty case)',
  );
});
