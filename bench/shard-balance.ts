/**
 * How evenly `run --shard i/n` splits a suite, by the scenario durations of a report.json (a run's or a merged
 * one): for n = 2, 3, 4, 8, the largest shard's work over the mean shard's (1 = perfect) for round-robin in file
 * order (the default), contiguous slices (the alternative not taken) and longest-first by those durations
 * (`--shard-durations`). Deterministic: the durations are the measurement.
 *
 *   node --import tsx bench/shard-balance.ts conformance-report/report.json
 */
import { readFileSync } from 'node:fs';
import { durationsFrom, imbalance, split } from '../harness/shard.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node --import tsx bench/shard-balance.ts REPORT.json\n');
  process.exit(2);
}
const durations = durationsFrom(file);
const scenarios = [
  ...new Set((JSON.parse(readFileSync(file, 'utf8')) as { scenarios: { id: string }[] }).scenarios.map((s) => s.id)),
].map((id) => ({ id }));
const contiguous = (n: number) => {
  const size = Math.ceil(scenarios.length / n);
  return Array.from({ length: n }, (_, i) => scenarios.slice(i * size, (i + 1) * size));
};
const rows = [2, 3, 4, 8].map((n) => ({
  n,
  roundRobin: imbalance(split(scenarios, n), durations),
  contiguous: imbalance(contiguous(n), durations),
  longestFirst: imbalance(split(scenarios, n, durations), durations),
}));
const total = [...durations.values()].reduce((a, b) => a + b, 0);
process.stdout.write(`${scenarios.length} scenarios, ${(total / 1000).toFixed(1)} s of scenario time in ${file}\n`);
process.stdout.write('n  round-robin  contiguous  longest-first   (largest shard / mean shard)\n');
for (const r of rows)
  process.stdout.write(
    `${String(r.n).padEnd(3)}${r.roundRobin.toFixed(3).padStart(11)}${r.contiguous.toFixed(3).padStart(12)}${r.longestFirst.toFixed(3).padStart(15)}\n`,
  );
