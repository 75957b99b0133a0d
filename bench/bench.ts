/**
 * `npm run bench [-- --pairs N --out FILE …]` (issue 9, item 7): interleaved pairs (A B A B …) of the work and its
 * baseline, their per-pair ratios' median and spread printed and written as JSON. Every ratio is taken within one
 * pair; nothing is subtracted from a figure taken at another moment. Sections: cold (`run` of the suite, cold CLI
 * process, bin and dist, vs `node -e 0`), version (the same for `--version`), warm (harness vs bare models + adapter,
 * one process), http (harness over HTTP vs a bare undici loop with the same requests and waits), growth (1×…20×
 * copies of the suite, each a cold process with its peak RSS), workers (`run --workers 2` vs 1 over k× the suite,
 * over HTTP and in process: bench/workers.ts).
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { availableClis, CLIS, coldComparisons, coldRound, distIsStale, type ColdComparison } from './cold.js';
import { ROOT } from './child.js';
import { growth, takesNoCache, type GrowthFigures } from './growth.js';
import { ratioText, spread, type Paired, type Spread } from './stats.js';

export const SECTIONS = ['cold', 'version', 'warm', 'http', 'growth', 'workers'] as const;
type Section = (typeof SECTIONS)[number];

export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

export interface Settings {
  pairs: number;
  growthRounds: number;
  sizes: number[];
  suite: string;
  out: string;
  only: Section[];
  /** The workers section's suite: this many copies (3: 489 scenarios, the goal's ≥ 455). */
  workersCopies: number;
}

const count = (name: string, text: string, min: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new BenchUsageError(`--${name} must be a whole number ≥ ${min}, not "${text}"`);
  return n;
};

export function settings(argv: readonly string[]): Settings {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        pairs: { type: 'string', default: '7' },
        'growth-rounds': { type: 'string', default: '3' },
        sizes: { type: 'string', default: '1,2,5,10,20' },
        scenarios: { type: 'string', default: 'scenarios' },
        out: { type: 'string', default: 'bench-results.json' },
        only: { type: 'string', default: SECTIONS.join(',') },
        'workers-copies': { type: 'string', default: '3' },
      },
    }));
  } catch (e) {
    throw new BenchUsageError((e as Error).message);
  }
  const sizes = values.sizes.split(',').map((s) => count('sizes', s, 1));
  if (sizes[0] !== 1) throw new BenchUsageError('--sizes must start at 1: every growth ratio is to the 1× run');
  const only = values.only.split(',') as Section[];
  const unknown = only.filter((s) => !SECTIONS.includes(s));
  if (unknown.length)
    throw new BenchUsageError(`--only: no section ${unknown.join(', ')} (sections: ${SECTIONS.join(', ')})`);
  return {
    pairs: count('pairs', values.pairs, 1),
    growthRounds: count('growth-rounds', values['growth-rounds'], 1),
    sizes,
    suite: values.scenarios,
    out: values.out,
    only,
    workersCopies: count('workers-copies', values['workers-copies'], 1),
  };
}

export interface Comparison {
  id: string;
  a: string;
  b: string;
  /** What the goal of issue 9 bounds: the median ratio (A/B wall time) ≤ `max`. */
  goal?: { max: number; met: boolean };
  aMs: Spread;
  bMs: Spread;
  ratio: Spread;
  /** Each pair's A/B, in the order taken. */
  ratios: number[];
}

export interface Results {
  bench: 'interop-conformance';
  date: string;
  machine: { node: string; platform: string; arch: string; cpus: number; cpuModel: string; memoryGiB: number };
  settings: Omit<Settings, 'out'>;
  distStale: boolean;
  comparisons: Comparison[];
  http: {
    scenarios: number;
    steps: number;
    requestsPerRun: Spread;
    requestsPerStep: number;
    /** Requests per step by kind (bench/http.ts REQUEST_KINDS). */
    perStep: Record<string, number>;
    /** New TCP connections the service accepted in a harness run. */
    connectionsPerRun: Spread;
    missedCursors: number;
    otherAnswers: number;
    /** The same, the http adapter reading one stream per world (`events=world`, document 0.4.0). */
    world?: HttpFigures;
  } | null;
  warm: { scenarios: number; steps: number } | null;
  growth: GrowthFigures[] | null;
  /** Whether the growth runs passed `--no-cache` (the CLI has a load cache to skip). */
  growthNoCache: boolean | null;
  /** `--workers 2` against 1: the comparisons `workers-*`; null when not asked for. */
  workers: { copies: number; scenarios: number; workers: number; erroredRuns: string[] } | null;
}

function comparison(id: string, a: string, b: string, p: Paired, goalMax?: number): Comparison {
  const ratio = spread(p.ratios);
  return {
    id,
    a,
    b,
    ...(goalMax !== undefined ? { goal: { max: goalMax, met: ratio.median <= goalMax } } : {}),
    aMs: spread(p.aMs),
    bMs: spread(p.bMs),
    ratio,
    ratios: p.ratios,
  };
}

type HttpFigures = Omit<NonNullable<Results['http']>, 'scenarios' | 'steps' | 'world'>;

export async function bench(s: Settings, say: (line: string) => void): Promise<Results> {
  const has = (x: Section) => s.only.includes(x);
  const stale = distIsStale();
  if (stale)
    say(`warning: dist/ is older than the TypeScript sources; its figures are of the last build (npm run build)`);
  const results: Results = {
    bench: 'interop-conformance',
    date: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
    },
    settings: {
      pairs: s.pairs,
      growthRounds: s.growthRounds,
      sizes: s.sizes,
      suite: s.suite,
      only: s.only,
      workersCopies: s.workersCopies,
    },
    distStale: stale,
    comparisons: [],
    http: null,
    warm: null,
    growth: null,
    growthNoCache: null,
    workers: null,
  };
  const add = (c: Comparison) => {
    results.comparisons.push(c);
    const goal = c.goal ? `  goal ≤ ${c.goal.max}×: ${c.goal.met ? 'met' : 'NOT met'}` : '';
    say(
      `  ${c.id.padEnd(14)} ${c.a} / ${c.b}: ${ratioText(c.ratio)}; A ${c.aMs.median.toFixed(0)} ms, B ${c.bMs.median.toFixed(0)} ms${goal}`,
    );
  };

  const cold: ColdComparison[] = [
    ...(has('cold') ? coldComparisons('run', s.suite) : []),
    ...(has('version') ? coldComparisons('version', s.suite) : []),
  ];
  if (cold.length) {
    say(`cold processes, ${s.pairs} interleaved pairs (wall time):`);
    for (let i = 0; i < s.pairs; i++) await coldRound(cold, s.suite);
    for (const c of cold) add(comparison(c.id, c.a, c.b, c.paired, c.id.startsWith('run') ? 5 : 2));
  }
  if (has('warm')) {
    const { warm } = await import('./warm.js');
    const w = await warm(s.suite, s.pairs);
    results.warm = { scenarios: w.scenarios, steps: w.steps };
    say(`warm, one process, ${w.scenarios} scenarios, ${w.steps} steps, in-process reference, ${s.pairs} pairs:`);
    add(comparison('warm', 'harness (load + run)', 'bare models + adapter', w.loadAndRun, 1.5));
    add(comparison('warm-run', 'harness (run, loaded)', 'bare models + adapter', w.runOnly, 1.5));
  }
  if (has('http')) {
    const { overHttp } = await import('./http.js');
    // Both ways of reading deliveries: each person's own stream (the default), and one stream per world.
    for (const events of ['person', 'world'] as const) {
      const h = await overHttp(s.suite, s.pairs, events);
      const requestsPerRun = spread(h.requests);
      const figures: HttpFigures = {
        requestsPerRun,
        requestsPerStep: requestsPerRun.median / h.steps,
        perStep: Object.fromEntries(Object.entries(h.split).map(([k, n]) => [k, n / h.steps])),
        connectionsPerRun: spread(h.connections),
        missedCursors: h.missedCursors,
        otherAnswers: h.otherAnswers,
      };
      if (events === 'person') results.http = { scenarios: h.scenarios, steps: h.steps, ...figures };
      else results.http!.world = figures;
      say(
        `over HTTP, served reference, events=${events}, ${h.scenarios} scenarios, ${h.steps} steps, ${s.pairs} pairs (settle 0 on both sides):`,
      );
      // Throughput ≥ 0.8 of the bare loop's is a time ratio ≤ 1/0.8.
      const id = events === 'person' ? 'http' : 'http-world';
      add(comparison(id, 'harness over HTTP', 'bare undici loop, same requests and waits', h.paired, 1.25));
      say(
        `  ${requestsPerRun.median} requests a run, ${(requestsPerRun.median / h.steps).toFixed(2)} a step (goal ≤ 1.3); bare loop: ${h.missedCursors} cursor waits missed, ${h.otherAnswers} answers differing from the harness's`,
      );
      say(
        `  a step: ${Object.entries(h.split)
          .map(([k, n]) => `${k} ${(n / h.steps).toFixed(2)}`)
          .join(', ')}; ${spread(h.connections).median} new TCP connections a run`,
      );
    }
  }
  if (has('growth')) {
    const cli = availableClis().includes('dist') ? CLIS.dist : CLIS.bin;
    say(`growth: ${s.sizes.map((k) => `${k}×`).join(', ')} the suite, node ${cli} run, ${s.growthRounds} rounds:`);
    results.growthNoCache = takesNoCache(cli, ROOT);
    const extraArgs = results.growthNoCache ? ['--no-cache'] : [];
    results.growth = await growth({ suite: s.suite, cli, sizes: s.sizes, rounds: s.growthRounds, extraArgs });
    for (const g of results.growth)
      say(
        `  ${String(g.k).padStart(2)}× ${String(g.scenarios).padStart(5)} scenarios: ${g.wallMs.median.toFixed(0)} ms, ` +
          `${g.perScenarioWallMs.median.toFixed(2)} ms a scenario (${g.perScenarioWallRatio.median.toFixed(2)}× 1×; ` +
          `run alone ${g.perScenarioRunMs.median.toFixed(2)} ms, ${g.perScenarioRunRatio.median.toFixed(2)}×), ` +
          `peak RSS ${g.peakRssMiB.median.toFixed(0)} MiB (${g.peakRssRatio.median.toFixed(2)}×)` +
          (g.marginalPerScenarioMs ? `, each scenario beyond 1× ${g.marginalPerScenarioMs.median.toFixed(2)} ms` : ''),
      );
  }
  if (has('workers')) {
    const { workers } = await import('./workers.js');
    const w = await workers({ suite: s.suite, cli: CLIS.bin, copies: s.workersCopies, pairs: s.pairs, workers: 2 });
    results.workers = { copies: w.copies, scenarios: w.scenarios, workers: w.workers, erroredRuns: w.erroredRuns };
    say(`workers: run --workers 2 / --workers 1, ${w.scenarios} scenarios (${w.copies}× the suite), cold processes:`);
    for (const p of w.pairs) {
      // Throughput ≥ 1.6× one worker's (over HTTP, the goal) is a time ratio ≤ 1/1.6.
      const goal = p.kind === 'http' ? 1 / 1.6 : undefined;
      add(comparison(`workers-${p.kind}`, `${p.kind}: --workers 2, the run`, '--workers 1', p.run, goal));
      add(comparison(`workers-${p.kind}-wall`, `${p.kind}: --workers 2, whole process`, '--workers 1', p.wall));
      say(
        `  ${p.kind}: throughput of the run ${(1 / results.comparisons.at(-2)!.ratio.median).toFixed(2)}× one worker's`,
      );
    }
    for (const e of w.erroredRuns) say(`  a run with errors (timed all the same): ${e}`);
  }
  writeFileSync(s.out, `${JSON.stringify(results, null, 2)}\n`);
  say(`written: ${s.out}`);
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await bench(settings(process.argv.slice(2)), (line) => console.log(line));
  } catch (e) {
    // A usage mistake is exit 2 and one line; a run that failed says which command and why, without a stack.
    console.error(`bench: ${(e as Error).message}`);
    process.exitCode = e instanceof BenchUsageError ? 2 : 1;
  }
}
