/**
 * A cold `run` of the suite, load cache warm, from the bundle of several built trees, interleaved: `node --import tsx
 * bench/cold-trees.ts [--pairs N] TREE...` (each TREE a checkout with `npm run build` done, e.g. `git archive` of two
 * commits and `node_modules` linked). Each round runs every tree, each followed by `node -e 0`, and reports per tree
 * the median wall ratio to `node -e 0` and the median CPU time of the run (user + system, all threads, read by the
 * child at exit): on a shared machine CPU time moves far less with the load than wall time, so two trees' CPU
 * medians tell a change that the wall ratios' spread hides. A tree's first run fills its own load cache, untimed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { userEnv } from './child.js';
import { spread } from './stats.js';

const BUNDLE = 'dist/harness/cli.bundle.js';

/** Wall ms of `node args` in `cwd`, and the CPU ms the child reports at exit. */
function timed(cwd: string, args: string[], dir: string): { wallMs: number; cpuMs: number } {
  const cpuFile = join(dir, 'cpu');
  writeFileSync(cpuFile, '');
  const probe = join(dir, 'cpu.mjs');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', probe, ...args], {
    cwd,
    env: { ...userEnv(), BENCH_CPU_FILE: cpuFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const wallMs = performance.now() - t0;
  // Exit 1 is a not-conformant suite: still a whole run.
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.join(' ')} in ${cwd}: exit ${r.status}`);
  return { wallMs, cpuMs: Number(readFileSync(cpuFile, 'utf8')) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    options: { pairs: { type: 'string', default: '9' } },
    allowPositionals: true,
  });
  const trees = positionals.map((p) => resolve(p));
  if (!trees.length) throw new Error('usage: bench/cold-trees.ts [--pairs N] TREE...');
  const dir = mkdtempSync(join(tmpdir(), 'ic-cold-trees-'));
  try {
    writeFileSync(
      join(dir, 'cpu.mjs'),
      `import { appendFileSync } from 'node:fs';
process.on('exit', () => { const u = process.cpuUsage(); appendFileSync(process.env.BENCH_CPU_FILE, String((u.user + u.system) / 1000)); });
`,
    );
    const run = (i: number) => [
      BUNDLE,
      'run',
      'scenarios',
      '--out',
      join(dir, `out-${i}`),
      '--cache-dir',
      join(dir, `cache-${i}`),
    ];
    trees.forEach((tree, i) => timed(tree, run(i), dir));
    const rows = trees.map(() => ({ ratio: [] as number[], wall: [] as number[], cpu: [] as number[] }));
    const bare = { wall: [] as number[], cpu: [] as number[] };
    for (let k = 0; k < Number(values.pairs); k++)
      trees.forEach((tree, i) => {
        const a = timed(tree, run(i), dir);
        const b = timed(dir, ['-e', '0'], dir);
        rows[i]!.ratio.push(a.wallMs / b.wallMs);
        rows[i]!.wall.push(a.wallMs);
        rows[i]!.cpu.push(a.cpuMs);
        bare.wall.push(b.wallMs);
        bare.cpu.push(b.cpuMs);
      });
    console.log(`cold run, bundle, load cache warm; ${values.pairs} rounds, each tree then node -e 0`);
    trees.forEach((tree, i) => {
      const r = spread(rows[i]!.ratio);
      console.log(
        `  ${tree}: wall ${spread(rows[i]!.wall).median.toFixed(0)} ms, ${r.median.toFixed(2)}× node -e 0 (${r.min.toFixed(2)}–${r.max.toFixed(2)}); CPU ${spread(rows[i]!.cpu).median.toFixed(0)} ms`,
      );
    });
    console.log(
      `  node -e 0: wall ${spread(bare.wall).median.toFixed(0)} ms, CPU ${spread(bare.cpu).median.toFixed(0)} ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
