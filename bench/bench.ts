/**
 * `npm run bench`: throughput of the harness against the reference adapter, and what the harness adds over the
 * bare cost of the same work, all measured in one process so that the ratios hold on a noisy machine.
 *
 * - harness: load (YAML parse, schema, oracle) + run (adapter, delivery collection, comparison, verdicts)
 * - bare models: the oracle's `predict()` for every step (the xstate `transition()` calls and their composition)
 * - bare adapter: open a world, perform every action, drain every inbox, close — no checking at all
 */
import { readFileSync } from 'node:fs';
import { createReferenceAdapter } from '../adapters/reference/adapter.js';
import { findScenarioFiles, loadScenarios } from '../harness/load.js';
import { initialModelState, predict } from '../harness/oracle.js';
import { conformanceRun } from '../harness/conformance-run.js';
import { neededCapabilities } from '../harness/run.js';
import { loadCatalogue } from '../harness/specs-files.js';
import { YamlSource } from '../harness/yaml-source.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const catalogue = loadCatalogue();
const files = findScenarioFiles(['scenarios']);
const texts = files.map((f) => readFileSync(f, 'utf8'));
const { scenarios: everything } = loadScenarios(files, catalogue.requirements);
const adapter = createReferenceAdapter();
// The in-process reference has no wire: the security probes are for the HTTP part below.
const scenarios = everything.filter((s) => neededCapabilities(s).every((c) => adapter.capabilities.includes(c)));
const steps = scenarios.reduce((n, s) => n + s.steps.length, 0);

async function time(work: () => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await work(); // warm-up: let the JIT settle before timing
  const t0 = performance.now();
  for (let i = 0; i < ROUNDS; i++) await work();
  return (performance.now() - t0) / ROUNDS;
}

const load = await time(() => loadScenarios(files, catalogue.requirements));
const run = await time(() => conformanceRun(scenarios, { adapter, catalogue: catalogue.requirements }));
const models = await time(() => {
  for (const s of scenarios) {
    let state = initialModelState(s.world);
    for (const st of s.steps) {
      const a = predict(s.world, state, st.actor, st.action);
      if (a.allowed) state = a.next;
    }
  }
});
const people = (s: (typeof scenarios)[number]) =>
  Object.values(s.world.users)
    .filter((u) => u.kind !== 'admin')
    .map((u) => u.name);
const bareAdapter = await time(async () => {
  for (const s of scenarios) {
    const session = await adapter.open(s.world);
    for (const st of s.steps) {
      await session.perform(st.actor, st.action);
      for (const u of people(s)) await session.drain(u);
    }
    await session.close();
  }
});
const yamlParse = await time(() => texts.map((t, i) => new YamlSource(files[i]!, t).value()));

const harness = load + run;
const bare = models + bareAdapter;
const mem = process.memoryUsage();
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
console.log(
  `interop-conformance bench — ${scenarios.length} scenarios, ${steps} steps, ${ROUNDS} rounds each (node ${process.version})`,
);
console.log(`  harness, load (parse + schema + oracle) : ${fmt(load)}`);
console.log(`  harness, run (reference adapter)        : ${fmt(run)}`);
console.log(`  bare models (predict every step)        : ${fmt(models)}`);
console.log(`  bare adapter (perform + drain, no check): ${fmt(bareAdapter)}`);
console.log(
  `  throughput: ${(scenarios.length / (harness / 1000)).toFixed(0)} scenarios/s, ${(steps / (harness / 1000)).toFixed(0)} steps/s (load + run)`,
);
console.log(`  ratio harness / bare (models + adapter): ${(harness / bare).toFixed(2)}×  (goal ≤ 1.5×)`);
console.log(
  `  of which YAML parsing (yaml library)   : ${fmt(yamlParse)}; harness without it / bare: ${((harness - yamlParse) / bare).toFixed(2)}×`,
);
console.log(`  ratio run only / bare adapter          : ${(run / bareAdapter).toFixed(2)}×`);
console.log(
  `  per step: models ${((models / steps) * 1000).toFixed(1)} µs, adapter ${((bareAdapter / steps) * 1000).toFixed(1)} µs, harness ${((harness / steps) * 1000).toFixed(1)} µs`,
);
console.log(
  `  memory: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`,
);

// ── Issue 4: the transition-covering generated suite, and how a run grows with the number of scenarios ──────
const { generateSuite, checkSuite } = await import('../harness/generate/suite.js');
const gen = await time(() => checkSuite(generateSuite('schema.json').files, 'generated', catalogue.requirements));
const generated = checkSuite(generateSuite('schema.json').files, 'generated', catalogue.requirements).scenarios;
const genRun = await time(() => conformanceRun(generated, { adapter, catalogue: catalogue.requirements }));
console.log(
  `\ngenerated suite: ${generated.length} scenarios, ${generated.reduce((n, s) => n + s.steps.length, 0)} steps`,
);
console.log(`  generate + check with the loader: ${fmt(gen)}; run against the reference: ${fmt(genRun)}`);

/** The generated suite repeated k times under distinct ids: a suite k times as large, of the same kind. */
const times = (k: number) =>
  Array.from({ length: k }, (_, i) => generated.map((s) => ({ ...s, id: `${s.id}#${i}` }))).flat();
const gc = (globalThis as { gc?: () => void }).gc;
const growth: { k: number; ms: number; heapMiB: number }[] = [];
for (const k of [1, 2, 5, 10]) {
  const suite = times(k);
  const ms = await time(() => conformanceRun(suite, { adapter, catalogue: catalogue.requirements }));
  gc?.();
  const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  growth.push({ k, ms, heapMiB });
}
console.log(`  growth (${gc ? 'heap after gc' : 'heap without gc: run with node --expose-gc for a steady figure'}):`);
for (const g of growth)
  console.log(
    `    ${String(g.k).padStart(2)}× ${String(g.k * generated.length).padStart(4)} scenarios: ${fmt(g.ms)} (${(g.ms / g.k / growth[0]!.ms).toFixed(2)}× the 1× time per copy), heap ${g.heapMiB.toFixed(1)} MiB`,
  );

// ── Issue 3: the http adapter against the served reference, and a bare undici loop making the same requests ───
const { startService } = await import('../adapters/reference/http/server.js');
const { createHttpAdapter } = await import('../adapters/http/adapter.js');
const { Pool } = await import('undici');
const { recording, replay } = await import('./http-replay.js');
const service = await startService();
const recorded: import('./http-replay.js').Recorded[] = [];
const pool = new Pool(new URL(service.url).origin, { connections: 256, pipelining: 1 });
const http = createHttpAdapter({ url: service.url }, { dispatcher: recording(pool, recorded) });
const overHttp = await time(async () => {
  recorded.length = 0;
  await conformanceRun(everything, { adapter: http, catalogue: catalogue.requirements });
});
const requests = recorded.length;
const bareHttp = await time(() => replay(new URL(service.url).origin, recorded));
await pool.close();
await service.close();
console.log(
  `\nover HTTP (served reference, ${everything.length} scenarios, ${requests} requests a run, event streams included):`,
);
console.log(`  harness run: ${fmt(overHttp)} → ${(requests / (overHttp / 1000)).toFixed(0)} requests/s`);
console.log(
  `  bare undici loop, same requests: ${fmt(bareHttp)} → ${(requests / (bareHttp / 1000)).toFixed(0)} requests/s`,
);
console.log(`  harness throughput / bare: ${(bareHttp / overHttp).toFixed(2)} (goal ≥ 0.8)`);
