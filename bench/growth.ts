/**
 * Growth: the real suite at k× (k distinct copies of every scenario file, each renamed and marked so that ids and
 * contents differ), each size run by a cold CLI process of its own with its peak RSS. A round runs every size once,
 * smallest first; the ratios to 1× are taken within a round (the 1× run of the same round), never across rounds.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { findScenarioFiles } from '../harness/load.js';
import { runNode, userEnv } from './child.js';
import { spread, type Spread } from './stats.js';

export interface GrowthRow {
  k: number;
  scenarios: number;
  /** Per round: the child's wall time, its own `durationMs` (report.json), its peak RSS. */
  wallMs: number[];
  runMs: number[];
  peakRssMiB: number[];
}

export interface GrowthFigures {
  k: number;
  scenarios: number;
  wallMs: Spread;
  perScenarioWallMs: Spread;
  perScenarioRunMs: Spread;
  peakRssMiB: Spread;
  /** Within each round, this size's per-scenario figure over the 1× one (1 at 1×). */
  perScenarioWallRatio: Spread;
  perScenarioRunRatio: Spread;
  peakRssRatio: Spread;
  /** Within each round, what each scenario beyond the 1× ones added to the wall time (null at 1×). */
  marginalPerScenarioMs: Spread | null;
}

/** Writes k copies of `suite` under a new folder (`<area>/<name>--c<i>.yaml`); returns the folder. */
export function copies(suite: string, k: number, into: string): string {
  const dir = join(into, `x${k}`);
  const files = findScenarioFiles([suite]);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const area = dirname(relative(suite, f));
    for (let i = 1; i <= k; i++) {
      const to = join(dir, area, `${basename(f, '.yaml')}--c${i}.yaml`);
      mkdirSync(dirname(to), { recursive: true });
      // Distinct content too: a cache keyed by content must not serve one copy for another.
      writeFileSync(to, `${text}\n# bench copy ${i} of ${k}\n`);
    }
  }
  return dir;
}

/**
 * Whether `cli run` takes `--no-cache` (the load cache of issue 9): every round runs the same copies, so from the
 * second round on a cache would serve them, and growth would measure the cache instead of loading.
 */
export function takesNoCache(cli: string, cwd: string): boolean {
  const help = spawnSync(process.execPath, [cli, 'run', '--help'], { cwd, encoding: 'utf8', env: userEnv() });
  return `${help.stdout}${help.stderr}`.includes('--no-cache');
}

/** `rounds` rounds over `sizes` (1 first: every ratio needs it), each size a cold `run` through `cli`. */
export async function growth(o: {
  suite: string;
  cli: string;
  sizes: readonly number[];
  rounds: number;
  extraArgs?: readonly string[];
}): Promise<GrowthFigures[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'ic-bench-growth-'));
  try {
    const rows: GrowthRow[] = o.sizes.map((k) => ({ k, scenarios: 0, wallMs: [], runMs: [], peakRssMiB: [] }));
    const dirs = o.sizes.map((k) => copies(o.suite, k, tmp));
    for (let r = 0; r < o.rounds; r++) {
      for (const [i, row] of rows.entries()) {
        const out = join(tmp, `out-${row.k}`);
        const args = [o.cli, 'run', dirs[i]!, '--out', out, ...(o.extraArgs ?? [])];
        const run = await runNode(args, { okCodes: [0, 1], maxRss: true });
        const summary = (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ReportHead).summary;
        row.scenarios = summary.scenarios.total;
        row.wallMs.push(run.wallMs);
        row.runMs.push(summary.durationMs);
        row.peakRssMiB.push(run.peakRssMiB!);
        rmSync(out, { recursive: true, force: true });
      }
    }
    return figures(rows);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

interface ReportHead {
  summary: { durationMs: number; scenarios: { total: number } };
}

/** Per-scenario figures and their ratios to the first size (1×), round by round. */
export function figures(rows: readonly GrowthRow[]): GrowthFigures[] {
  const base = rows[0]!;
  const per = (r: GrowthRow, xs: number[]) => xs.map((x) => x / r.scenarios);
  return rows.map((r) => {
    const ratio = (mine: number[], theirs: number[]) => spread(mine.map((m, i) => m / theirs[i]!));
    return {
      k: r.k,
      scenarios: r.scenarios,
      wallMs: spread(r.wallMs),
      perScenarioWallMs: spread(per(r, r.wallMs)),
      perScenarioRunMs: spread(per(r, r.runMs)),
      peakRssMiB: spread(r.peakRssMiB),
      perScenarioWallRatio: ratio(per(r, r.wallMs), per(base, base.wallMs)),
      perScenarioRunRatio: ratio(per(r, r.runMs), per(base, base.runMs)),
      peakRssRatio: ratio(r.peakRssMiB, base.peakRssMiB),
      marginalPerScenarioMs:
        r === base ? null : spread(r.wallMs.map((w, i) => (w - base.wallMs[i]!) / (r.scenarios - base.scenarios))),
    };
  });
}
