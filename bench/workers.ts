/**
 * Workers (issue 9, item 6): `run --workers 1` against `run --workers N` (2 by default) over the suite copied k×
 * (3× by default: 489 scenarios, growth's distinct copies), in interleaved pairs, each run a cold CLI process as a
 * user starts one:
 * - over HTTP: `run --server "… serve --port P" --url …` (the served reference; the harness runs lanes of
 *   concurrent worlds in one thread);
 * - in process: the reference (worker threads).
 * The goal's figure is throughput: the time of N workers over the time of one, for the run itself (report.json's
 * `durationMs`: loading and the server's start excluded), ≤ 1/1.6 when N = 2. The whole process's wall time is
 * paired too, since that is what a user waits for.
 */
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode } from './child.js';
import { copies } from './growth.js';
import { emptyPaired, type Paired } from './stats.js';

export const WORKER_KINDS = ['http', 'in-process'] as const;
export type WorkerKind = (typeof WORKER_KINDS)[number];

export interface WorkerPairs {
  kind: WorkerKind;
  /** A: N workers, B: one; per pair A/B (a throughput ratio of 1.6 is 0.625). */
  run: Paired;
  wall: Paired;
}

export interface WorkersRun {
  copies: number;
  scenarios: number;
  workers: number;
  pairs: WorkerPairs[];
  /** Runs that had `error` verdicts, said: they are timed all the same (an error's wait makes its run slower). */
  erroredRuns: string[];
}

/** A port free now on 127.0.0.1, for the server each HTTP run starts (its --url must be known beforehand). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** One cold `run` with `--workers n`: its wall time and its own durationMs, and how many scenarios it ran. */
async function once(kind: WorkerKind, cli: string, dir: string, n: number, out: string) {
  const port = kind === 'http' ? await freePort() : 0;
  const server =
    kind === 'http'
      ? ['--server', `"${process.execPath}" ${cli} serve --port ${port}`, '--url', `http://127.0.0.1:${port}`]
      : [];
  const args = [cli, 'run', dir, '--workers', String(n), '--reporter', 'json', '--out', out, '--quiet', ...server];
  const { wallMs } = await runNode(args, { okCodes: [0, 1] });
  const { summary, scenarios } = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
    summary: { durationMs: number; scenarios: { total: number; error: number; pass: number } };
    scenarios: { id: string; verdict: string; reason?: string; steps: { error?: string; verdict: string }[] }[];
  };
  // Most of them errors (a server that did not start, a harness fault): the run timed something else.
  if (summary.scenarios.error > summary.scenarios.pass)
    throw new Error(`run --workers ${n} (${kind}) had ${summary.scenarios.error} errors`);
  const errors = scenarios
    .filter((x) => x.verdict === 'error')
    .map((x) => `${x.id}: ${x.reason ?? x.steps.find((st) => st.verdict === 'error')?.error ?? 'error'}`);
  rmSync(out, { recursive: true, force: true });
  return { wallMs, runMs: summary.durationMs, scenarios: summary.scenarios.total, errors };
}

export async function workers(o: {
  suite: string;
  cli: string;
  copies: number;
  pairs: number;
  workers: number;
  kinds?: readonly WorkerKind[];
}): Promise<WorkersRun> {
  const tmp = mkdtempSync(join(tmpdir(), 'ic-bench-workers-'));
  try {
    const dir = copies(o.suite, o.copies, tmp);
    const out = join(tmp, 'out');
    const pairs = (o.kinds ?? WORKER_KINDS).map((kind) => ({ kind, run: emptyPaired(), wall: emptyPaired() }));
    let scenarios = 0;
    const erroredRuns: string[] = [];
    for (let i = 0; i < o.pairs; i++)
      for (const p of pairs) {
        // A B, then B A in the next pair: neither side always runs second on a machine warming up.
        const order = i % 2 ? [1, o.workers] : [o.workers, 1];
        const first = await once(p.kind, o.cli, dir, order[0]!, out);
        const second = await once(p.kind, o.cli, dir, order[1]!, out);
        const [many, one] = order[0] === o.workers ? [first, second] : [second, first];
        for (const [run, n] of [
          [many, o.workers],
          [one, 1],
        ] as const)
          if (run.errors.length) erroredRuns.push(`${p.kind}, pair ${i + 1}, --workers ${n}: ${run.errors.join('; ')}`);
        scenarios = one.scenarios;
        for (const [into, a, b] of [
          [p.run, many.runMs, one.runMs],
          [p.wall, many.wallMs, one.wallMs],
        ] as const) {
          into.aMs.push(a);
          into.bMs.push(b);
          into.ratios.push(a / b);
        }
      }
    return { copies: o.copies, scenarios, workers: o.workers, pairs, erroredRuns };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
