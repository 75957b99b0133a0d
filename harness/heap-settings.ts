/**
 * V8's heap settings of the CLI process for a long run (issue 9: peak RSS at 20× the suite ≤ 1.3× the 1× figure).
 * Only the program may apply them (`runAsProgram` allows it), never on import, never in the package API: a user
 * embedding the harness keeps their process's V8 settings. And only for a long run: a command that loads more than
 * `LONG_RUN_FILES` scenario files (`heapSettingsForRun`, as the command prepares its loader, before any is read).
 * The settings cost CPU (below); a short run's peak is node's own baseline plus little, so there the run keeps V8's
 * defaults: measured by interleaved pairs (bench/cold-trees.ts, 11 rounds), they cost a cold run of the suite with
 * its load cache warm 546 → 588 ms of CPU (+8 %), the very run whose time the cold-start goal measures.
 *
 * Why: the run's live heap is small and grows little (heap in use after a full GC as a 20× run's reports start: 26 MiB,
 * 19 at 1×); its peak is garbage and how V8 sizes the heap for it. Loading allocates about 1 MB per scenario file
 * (the YAML library's tokens and nodes: half of what the run allocates), so with V8's defaults
 * - the young generation doubles, 1 → 16 MiB a semi-space, as scavenges keep promoting what loading keeps, and stays
 *   there: two 16 MiB semi-spaces resident;
 * - the old generation's limit grows by up to ~4× its live size when GC looks cheap (mutator utilisation 0.998), so
 *   the report phase's promoted garbage (old space 19 → 86 MB used) stays resident until one mark-compact.
 * A longer run reaches further on both, which is the growth: 1× 104, 20× 184 MiB (1.77×).
 *
 * The flags. Figures: peak RSS (getrusage) of cold `node dist/harness/cli.js run <k× the suite> --no-cache`, 1× / 20×,
 * flags set in-process as here, 2–3 rounds each on the loaded 2-core machine (README "Speed" has the bench's):
 * - `--semi-space-growth-factor=1`: the young generation keeps its initial 1 MiB semi-spaces (`--max-semi-space-size`
 *   would be the plain way, but V8 reads it once, when the heap is set up: in-process it changes nothing). Alone it
 *   does not do: the small young generation promotes more, and the old generation takes it (1× 87, 20× 186 MiB).
 * - `--heap-growing-percent=30`: after a mark-compact the old generation may grow to 1.3× its live size (V8 keeps a
 *   step of at least ~8 MB), not up to ~4×. Alone: 104 / 150–163 MiB (1.44–1.55×).
 * Together: 78 / 99 MiB, 1.26–1.29× (lead: 1.28×). What else was measured: growing percent 20: 1.28×, 50: 1.36–1.39×;
 * semi-spaces capped at 2 or 4 MiB (startup flags, which the program cannot set for itself): 1.28×, 1.30–1.37×;
 * `--optimize-for-size` instead of the growing percent: 1.18–1.20×, but 20× took ~35 % more CPU (it also makes the
 * compiler favour size). The cost of these two: ~20 % more CPU at 20× (13 → 16 s, noisy), from scavenging more often
 * and promoting what a larger young generation lets die; the lead re-measures wall times on a quiet machine.
 * V8 flags are process-wide and read at run time, so both hold from here on. A worker thread's young generation is
 * sized by its `resourceLimits` (the growth factor does not reach a thread: measured, its semi-spaces still grew to
 * 16 MiB), hence `threadResourceLimits()` for harness/workers/pool.ts; and starting a thread undoes the growth factor
 * in the whole process (`keepHeapSettings`).
 */
import { createRequire } from 'node:module';
import type { ResourceLimits, Worker } from 'node:worker_threads';

/**
 * V8's flag setter, from node:v8 required when a long run first needs it: imported with this module, node:v8 cost every
 * cold process ~1.8 ms (the suite's runs, `--version`), and only a long run sets a flag.
 */
const require = createRequire(import.meta.url);
const setFlagsFromString = (flag: string): void =>
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString(flag);

/** The V8 flags `runAsProgram` sets; the growth factor first (`keepHeapSettings` sets it again). */
export const CLI_V8_FLAGS: readonly string[] = ['--semi-space-growth-factor=1', '--heap-growing-percent=30'];

/**
 * A worker thread's young generation, MiB: V8 sizes it as three semi-spaces (two, and the space of large new objects),
 * so 3 is the main thread's 1 MiB semi-space.
 */
export const THREAD_YOUNG_GENERATION_MB = 3;

/**
 * A run of more scenario files than this is long: it gets the settings. The shipped suite is 163 files, whose runs
 * keep V8's defaults (1× peak 104 MiB, 2× 117, both within 1.15× of each other); from 3× on (489 files) the defaults'
 * peak keeps growing (5× 131, 10× 143, 20× 184 MiB), and there the settings hold it near 80–100 MiB.
 */
export const LONG_RUN_FILES = 400;

let program = false;
let applied = false;

/** The process is the CLI program's (`runAsProgram`): a long run may set its V8 flags. */
export function allowCliHeapSettings(): void {
  program = true;
}

/** A command is about to load `files` scenario files: past `LONG_RUN_FILES`, in the program, the settings apply. */
export function heapSettingsForRun(files: number): boolean {
  if (program && files > LONG_RUN_FILES) applyCliHeapSettings();
  return applied;
}

/** Sets the CLI's V8 flags in this process (idempotent). Only through the program: see the module's comment. */
export function applyCliHeapSettings(): void {
  if (applied) return;
  for (const flag of CLI_V8_FLAGS) setFlagsFromString(flag);
  applied = true;
}

/** The limits a worker thread is started with: the CLI's young generation once applied, else V8's defaults. */
export function threadResourceLimits(): ResourceLimits | undefined {
  return applied ? { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB } : undefined;
}

/**
 * A thread just started, under the CLI's settings: V8 raises a growth factor below 2 to 2 whenever it sets up an
 * isolate's heap, and the flag is the process's: measured, the main thread's young generation grew to 16 MiB
 * semi-spaces once a thread had started. Set again when the thread is up (`online`) and when it first speaks: from the
 * sources, a thread registers tsx first, whose loader hooks start a thread (an isolate) of their own.
 */
export function keepHeapSettings<W extends Worker>(thread: W): W {
  const again = () => setFlagsFromString(CLI_V8_FLAGS[0]!);
  if (applied) thread.once('online', again).once('message', again);
  return thread;
}
