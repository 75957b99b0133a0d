/**
 * Where a cold `run` spends its CPU: `node --import tsx bench/cold-profile.ts [--no-cache] [-- RUN ARGS]` runs
 * `dist/harness/cli.js run scenarios` (after one untimed run that fills a load cache of its own, unless --no-cache)
 * under node's CPU profiler and sums the samples by the nearest project frame on the stack: reports, the harness
 * running scenarios, the reference adapter, the load cache, the loader (parse, validate, predict), else node's own
 * work (module loading and the rest) and the garbage collector. One process: a profile, not a paired figure.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, userEnv } from './child.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

const BUCKETS: [RegExp, string][] = [
  [/\/reports\//, 'reports'],
  [/\/harness\/(load-cache|cached-loader|file-stamps|scenario-files|text-file|model-graphs)\./, 'load cache'],
  [/\/harness\/(load|yaml-source|schema-errors|specs-files|world|expectations|oracle)[./]|\/specs\/models\//, 'loader'],
  [/\/validators\//, 'loader'],
  [/\/adapters\//, 'reference adapter'],
  [/\/harness\//, 'harness (running scenarios, commands)'],
];

/** Milliseconds of CPU samples per bucket, largest first, in a profile written by --cpu-prof. */
export function buckets(profile: {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const bucketOf = (id: number): string => {
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const url = byId.get(n)!.callFrame.url;
      if (url.includes('/node_modules/')) continue;
      const hit = BUCKETS.find(([re]) => re.test(url));
      if (hit) return hit[1];
    }
    const fn = byId.get(id)!.callFrame.functionName;
    return fn === '(garbage collector)' ? 'garbage collector' : 'node (module loading, start, other)';
  };
  const sums = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const b = bucketOf(id);
    sums.set(b, (sums.get(b) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...sums].sort((a, b) => b[1] - a[1]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const noCache = argv.includes('--no-cache');
  const extra = argv.includes('--') ? argv.slice(argv.indexOf('--') + 1) : [];
  const dir = mkdtempSync(join(tmpdir(), 'ic-cold-profile-'));
  try {
    const run = ['dist/harness/cli.js', 'run', 'scenarios', '--out', join(dir, 'out'), ...extra];
    const cache = noCache ? ['--no-cache'] : ['--cache-dir', join(dir, 'cache')];
    const opts = { cwd: ROOT, env: userEnv(), stdio: 'ignore' as const };
    if (!noCache) spawnSync(process.execPath, [...run, ...cache], opts);
    spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', join(dir, 'prof'), ...run, ...cache], opts);
    const file = readdirSync(join(dir, 'prof'))[0]!;
    const sums = buckets(JSON.parse(readFileSync(join(dir, 'prof', file), 'utf8')));
    const total = sums.reduce((s, [, ms]) => s + ms, 0);
    console.log(
      `cold run from dist/, ${noCache ? '--no-cache' : 'load cache warm'}: ${total.toFixed(0)} ms of CPU samples`,
    );
    for (const [what, ms] of sums)
      console.log(`  ${ms.toFixed(0).padStart(5)} ms  ${((100 * ms) / total).toFixed(0).padStart(3)} %  ${what}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
