/**
 * harness/compact-scenarios.ts: `run` holds each scenario compact from when it is loaded until the runner takes it.
 * What the runner expands must be the scenario as loaded; selection reads the facts without expanding anything; a
 * worker thread receives the compact form and expands the same; the loader says the same problems either way.
 */
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactScenario, expanded, loadCompact, rulesTaken } from '../harness/compact-scenarios.js';
import { findScenarioFiles, freshLoader, loadScenarios } from '../harness/load.js';
import { loadCatalogue } from '../harness/specs-files.js';
import { coverageOfRules, modelCoverage } from '../harness/model-coverage.js';
import { SCENARIOS_DIR } from '../specs/schemas/files.js';

const catalogue = loadCatalogue().requirements;
const files = findScenarioFiles([SCENARIOS_DIR]);
const { scenarios } = loadScenarios(files, catalogue);

t.test('every scenario of the suite expands to the scenario as loaded, its facts read unexpanded', async (t) => {
  const compact = scenarios.map(compactScenario);
  t.equal(compact.length, 163);
  t.same(compact.map(expanded), scenarios, 'expanded: as loaded');
  t.same(
    compact.map((s) => [s.id, s.title, s.file, s.area, s.tags, s.requirements, s.deadlineMs]),
    scenarios.map((s) => [s.id, s.title, s.file, s.area, s.tags, s.requirements, s.deadlineMs]),
    'the selection facts, as fields',
  );
  t.same(compact[7]!.steps, scenarios[7]!.steps, 'steps and world read on a compact one: expanded for the read');
  t.same(compact[7]!.world, scenarios[7]!.world);
  t.equal(compactScenario(compact[3]!), compact[3], 'compacting a compact scenario leaves it');
  t.equal(expanded(scenarios[3]!), scenarios[3], 'expanding a whole scenario leaves it');
  // What a worker thread receives (structured clone: own fields only) expands the same.
  t.same(expanded(structuredClone(compact[11]!)), scenarios[11]);
  t.same(
    coverageOfRules(rulesTaken(compact)),
    modelCoverage(scenarios),
    'model coverage from the rules taken, read compact, is that of the loaded scenarios',
  );
  t.same(
    [...rulesTaken(compact, new Set([compact[5]!.id]))],
    [...new Set(scenarios[5]!.steps.flatMap((st) => st.prediction.trace))],
    'only the scenarios with a result (an interrupted run)',
  );
});

t.test('loading compact says the same problems, located the same, and keeps the same scenarios', async (t) => {
  const dir = t.testdir({ chat: {} });
  const good = files.find((f) => f.endsWith('chat/both-ways-after-teams-starts.yaml'))!;
  const text = readFileSync(good, 'utf8');
  writeFileSync(join(dir, 'chat', 'a.yaml'), `id: chat/same\n${text}`);
  writeFileSync(join(dir, 'chat', 'b.yaml'), `id: chat/same\n${text}`); // the same id in two files
  writeFileSync(join(dir, 'chat', 'c.yaml'), 'title: [unclosed\n');
  writeFileSync(join(dir, 'chat', 'd.yaml'), text);
  const mine = findScenarioFiles([dir]);
  const whole = freshLoader.scenarios(mine, catalogue);
  const compact = loadCompact(freshLoader, mine, catalogue);
  t.equal(whole.problems.length, 2, 'the clash and the syntax error');
  t.same(compact.problems, whole.problems);
  t.same(compact.scenarios.map(expanded), whole.scenarios);
  t.ok(
    compact.scenarios.every((s) => typeof (s as { packed?: unknown }).packed === 'string'),
    'each held compact',
  );
});
