/**
 * How evenly `run --shard i/n` splits a suite, by the scenarios' work in a report.json (a run's or a merged one:
 * each scenario's step durations, as `--shard-durations` reads them).
 * - Predicted: for n = 2, 3, 4, 8, the largest shard's work over the mean shard's (1 = perfect), for round-robin in
 *   file order (the default), contiguous slices (the alternative not taken) and longest-first by that work.
 * - `--measure PAIRS`: the suite's 3 shards run for real over HTTP (each under `run --server`, the served
 *   reference), round-robin then longest-first, PAIRS times interleaved; each split's figure is its slowest shard's
 *   run time over the mean of its 3 (summary.durationMs), and the median over the pairs is printed.
 *
 *   node --import tsx bench/shard-balance.ts REPORT.json [--measure 3]
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { durationsFrom, imbalance, split } from '../harness/shard.js';
import { runNode } from './child.js';
import { spread } from './stats.js';

const [file, flag, count] = process.argv.slice(2);
if (!file || (flag !== undefined && (flag !== '--measure' || !(Number(count) >= 1)))) {
  process.stderr.write('usage: node --import tsx bench/shard-balance.ts REPORT.json [--measure PAIRS]\n');
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
const total = [...durations.values()].reduce((a, b) => a + b, 0);
const say = (line: string) => process.stdout.write(`${line}\n`);
say(`${scenarios.length} scenarios, ${(total / 1000).toFixed(1)} s of steps in ${file}`);
say('n  round-robin  contiguous  longest-first   (predicted: largest shard / mean shard)');
for (const n of [2, 3, 4, 8])
  say(
    `${String(n).padEnd(3)}${imbalance(split(scenarios, n), durations).toFixed(3).padStart(11)}${imbalance(contiguous(n), durations).toFixed(3).padStart(12)}${imbalance(
      split(scenarios, n, durations),
      durations,
    )
      .toFixed(3)
      .padStart(15)}`,
  );

/** A port free now, for one served reference. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** The 3 shards of one split, one after another; each shard's run time (s), as its report says. */
async function shards(balanced: boolean): Promise<number[]> {
  const times: number[] = [];
  for (let i = 1; i <= 3; i++) {
    const out = mkdtempSync(join(tmpdir(), 'ic-shard-bench-'));
    const port = await freePort();
    const server = `node bin/interop-conformance.js serve --port ${port}`;
    const args = ['bin/interop-conformance.js', 'run', '--shard', `${i}/3`, '--quiet', '--reporter', 'json'];
    await runNode(
      [
        ...args,
        ...(balanced ? ['--shard-durations', file!] : []),
        '--out',
        out,
        '--server',
        server,
        '--url',
        `http://127.0.0.1:${port}`,
      ],
      { okCodes: [0, 1] },
    );
    times.push(
      (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { summary: { durationMs: number } }).summary
        .durationMs / 1000,
    );
  }
  return times;
}

if (flag) {
  const ratio = (t: number[]) => Math.max(...t) / (t.reduce((a, b) => a + b, 0) / t.length);
  const rr: number[] = [];
  const lpt: number[] = [];
  for (let p = 0; p < Number(count); p++) {
    const a = await shards(false);
    const b = await shards(true);
    say(
      `pair ${p + 1}: round-robin ${a.map((x) => x.toFixed(2)).join(' / ')} s, longest-first ${b.map((x) => x.toFixed(2)).join(' / ')} s`,
    );
    rr.push(ratio(a));
    lpt.push(ratio(b));
  }
  say(
    `measured, 3 shards over HTTP (slowest / mean, median of ${count}): round-robin ${spread(rr).median.toFixed(3)} (${spread(rr).min.toFixed(3)}–${spread(rr).max.toFixed(3)}), longest-first ${spread(lpt).median.toFixed(3)} (${spread(lpt).min.toFixed(3)}–${spread(lpt).max.toFixed(3)})`,
  );
}
