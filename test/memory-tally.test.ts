/**
 * The run's summary from results tallied one at a time (harness/verdicts.ts `RunTally`), as the CLI makes it without
 * keeping the results: the gate, the latency figures and the counts must be what the gate, latencyStats and count
 * give over the whole list — on results with every verdict (pass, fail with mismatches, error before and during a
 * scenario, skip), expected failures and unexpected passes of a baseline, and delivery latencies.
 */
import t from 'tap';
import { createReferenceAdapter, referenceAdapter } from '../adapters/reference/adapter.js';
import type { ScenarioResult } from '../reports/results.js';
import { SCENARIOS_DIR } from '../specs/schemas/files.js';
import { readdirSync } from 'node:fs';
import { ResultSpill } from '../reports/result-spill.js';
import { assembleTally, resultsOf, SpilledResults } from '../harness/conformance-run.js';
import { gate } from '../harness/gate.js';
import { latencyStats } from '../harness/latency.js';
import { findScenarioFiles, loadScenarios } from '../harness/load.js';
import { modelCoverage } from '../harness/model-coverage.js';
import { notRunResults } from '../harness/run-end.js';
import { loadCatalogue } from '../harness/specs-files.js';
import { count, requirementResults, RunTally } from '../harness/verdicts.js';

/** Deliveries seen over the fixtures (each with its latency). */
const LATENCIES = 421;
const catalogue = loadCatalogue().requirements;
const files = findScenarioFiles([`${SCENARIOS_DIR}/chat`, `${SCENARIOS_DIR}/security`, `${SCENARIOS_DIR}/block`]);
const { scenarios } = loadScenarios(files, catalogue);
const passing = await resultsOf(scenarios, { adapter: referenceAdapter, catalogue });
const failing = await resultsOf(scenarios, {
  // Faults of outcome, not of timing: no verdict depends on how loaded the machine is.
  adapter: createReferenceAdapter({ faults: ['group-chat-allowed', 'reply-before-accept-allowed'] }),
  catalogue,
});
/** The same results under other ids, some with an error midway (a step that errored after others passed). */
const renamed = (rs: ScenarioResult[], tag: string): ScenarioResult[] =>
  structuredClone(rs).map((r, i) => {
    r.id = `${r.id}--${tag}`;
    if (i % 5 === 0 && r.steps.length > 1) {
      r.verdict = 'error';
      r.steps[1]!.verdict = 'error';
      r.steps[1]!.error = `the adapter timed out (${tag} ${i})`;
    }
    return r;
  });
const all = [
  ...passing,
  ...renamed(failing, 'f'),
  ...notRunResults(scenarios.slice(0, 3), 'reference', 'the adapter could not be loaded'),
  ...renamed(passing, 'p'),
];

t.test('the fixtures take every verdict, and have latencies', async (t) => {
  t.same(count(all.map((r) => r.verdict)), { total: 189, pass: 131, fail: 3, error: 29, skip: 26 });
  t.equal(latencyStats(all)!.count, LATENCIES);
});

for (const strict of [false, true])
  t.test(`one at a time, the summary is the whole list's (strict ${strict})`, async (t) => {
    // Listed: a scenario that passes, one that fails, one that errs, one not in the run.
    const listed = (v: string) => all.find((r) => r.verdict === v && r.id.endsWith('--f'))!.id;
    const baseline = new Set([passing[0]!.id, listed('fail'), listed('error'), 'gone/scenario']);
    const tally = new RunTally();
    for (const r of all) tally.add(r);
    const o = { catalogue, strict, baseline };
    const run = assembleTally(modelCoverage(scenarios), tally, all, o, {
      adapter: 'a',
      startedAt: 'now',
      durationMs: 1,
    });
    t.same(run.summary.gate, gate(all, catalogue, { strict, baseline }), 'the gate, reasons in order');
    t.ok(run.summary.gate.expectedFailures.length && run.summary.gate.unexpectedPasses.length);
    t.same(run.summary.latency, latencyStats(all), 'latency');
    t.same(run.summary.scenarios, count(all.map((r) => r.verdict)), 'scenario counts');
    t.same(run.summary.steps, count(all.flatMap((r) => r.steps.map((s) => s.verdict))), 'step counts');
    t.same(run.requirements, requirementResults(catalogue.values(), all), 'requirements');
    t.equal(run.scenarios, all, 'the results are the ones given, for the reports');
  });

t.test('results are kept in memory when no spill can be made, or when writing it fails midway', async (t) => {
  const some = passing.slice(0, 4);
  const unmade = new SpilledResults(() => {
    throw new Error('EROFS: read-only file system');
  });
  for (const r of some) unmade.add(r);
  t.equal(unmade.spilled, false);
  t.equal(unmade.results().length, 4);
  t.same(unmade.results(), some);
  unmade.dispose();

  class FullDisk extends ResultSpill {
    override add(result: ScenarioResult): void {
      if (this.length === 2) throw new Error('ENOSPC: no space left on device');
      super.add(result);
    }
  }
  const full = new SpilledResults(() => new FullDisk(t.testdir()));
  for (const r of some.slice(0, 2)) full.add(r);
  t.equal(full.spilled, true, 'on disk while it can be written');
  for (const r of some.slice(2)) full.add(r);
  t.equal(full.spilled, false, 'in memory once it cannot');
  t.same(full.results(), JSON.parse(JSON.stringify(some)), 'every result, in order: those spilled read back');
  t.equal(full.tally.scenarios.total, 4);
  t.same(readdirSync(t.testdirName), [], 'the spill is removed');
  full.dispose();
});

t.test('results are held in memory up to the budget of steps, then all go to one spill, in order', async (t) => {
  const some = passing.slice(0, 6);
  const steps = (rs: ScenarioResult[]) => rs.reduce((n, r) => n + r.steps.length + 1, 0);
  const budget = steps(some.slice(0, 3)); // crossed by the 4th result
  const made: ResultSpill[] = [];
  const held = new SpilledResults(() => {
    const spill = new ResultSpill(t.testdir());
    made.push(spill);
    return spill;
  }, budget);
  for (const r of some.slice(0, 3)) held.add(r);
  t.equal(held.spilled, false, 'at the budget: in memory');
  t.equal(made.length, 0, 'no spill made');
  t.equal(held.results()[1], some[1], 'the very results given');
  held.add(some[3]!);
  t.equal(held.spilled, true, 'past it: on disk');
  t.equal(made.length, 1);
  t.equal(made[0]!.length, 4, 'every result held so far moved to the spill');
  for (const r of some.slice(4)) held.add(r);
  t.same(held.results(), JSON.parse(JSON.stringify(some)), 'all 6, in order, read back');
  held.dispose();

  const unmade = new SpilledResults(() => {
    throw new Error('EROFS: read-only file system');
  }, 1);
  for (const r of some) unmade.add(r);
  t.equal(unmade.spilled, false, 'no spill to be made past the budget: in memory');
  t.same(unmade.results(), some);
});
