/**
 * How `run --workers N` runs a kind of adapter (README "Parallel runs"):
 * - a networked adapter (http, stdio): N lanes of concurrent worlds in this thread — the system under test does the
 *   work, the harness mostly waits, and threads would buy nothing but copies;
 * - an in-process adapter made by name (the reference, a module): N worker threads, each with its own copy;
 * - an `Adapter` object (the package API), which cannot cross threads, and a differential run (`--adapter a,b`,
 *   whose adapters run one after another): one lane, as before.
 * Without --workers: the machine's cores (os.availableParallelism()), except
 * - in process, one thread: measured (bench/workers.ts, README "Parallel runs"), two threads made the run slower at
 *   1×, 3× and 10× the suite — a scenario runs in about 3 ms, of which the main thread keeps the reporting and each
 *   thread adds a start (≈ 0.5 s through tsx) and a copy of every scenario and result; threads pay off for an
 *   adapter that works hard per scenario, and are there when asked for;
 * - stdio keeps one lane unless asked: its one child holds every world, so a child that dies would take every
 *   lane's world with it (and a fresh child each), and a child answering one request at a time (the Python example)
 *   gains nothing from lanes.
 */
export const NETWORKED_ADAPTERS: ReadonlySet<string> = new Set(['http', 'stdio']);

export interface WorkerPlan {
  /** Lanes (in this thread) or threads. */
  workers: number;
  threads: boolean;
  /** Why the run takes this shape, in words (progress does not print it; tests and the bench read it). */
  why: string;
}

export function workerPlan(o: {
  /** `--workers N`, when given. */
  asked?: number;
  specs: readonly string[];
  /** Whether the adapter is made from its name (the CLI), so that a thread can make its own. */
  byName: boolean;
  cores: number;
}): WorkerPlan {
  if (o.specs.length > 1) return { workers: 1, threads: false, why: 'a differential run: one lane' };
  if (o.specs[0] === 'stdio' && o.asked === undefined)
    return { workers: 1, threads: false, why: 'stdio: one child holds every world; lanes only when asked' };
  if (NETWORKED_ADAPTERS.has(o.specs[0]!))
    return { workers: o.asked ?? o.cores, threads: false, why: 'a networked adapter: lanes in one thread' };
  if (!o.byName) return { workers: 1, threads: false, why: 'an Adapter object cannot cross threads: one lane' };
  if (o.asked === undefined) return { workers: 1, threads: false, why: 'in process: one thread unless asked' };
  return { workers: o.asked, threads: o.asked > 1, why: 'in process: worker threads' };
}
