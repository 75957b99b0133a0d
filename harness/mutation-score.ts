/**
 * The mutation score of a suite of scenarios: how many faulty variants of an implementation it catches. Each variant
 * is the implementation with one fault of its catalogue on, run through the same `conformanceRun` as `run`, with
 * --strict semantics (a fault that breaks only a SHOULD must close the gate too). A variant the suite lets through
 * (a survivor) is a requirement whose checks cannot fail; a variant caught only through other requirements than
 * those it breaks tells the spec author the attribution is off.
 *
 * The faults and the variants come from the caller (the `mutants` command: the reference's catalogue): scoring
 * knows adapters only through their interface, as the rest of the harness does.
 */
import type { Adapter } from '../adapters/adapter.js';
import type { RunResult } from '../reports/results.js';
import type { Requirement } from '../specs/requirement.js';
import { conformanceRun } from './conformance-run.js';
import { listenMs } from './deliveries.js';
import type { Scenario } from './load.js';

/**
 * The deadline for a variant that loses or changes things. The reference delivers synchronously, so a short
 * deadline only shortens waiting for what never comes; 200 ms still leaves a stalled process (a GC pause, a busy
 * CI machine) room before an on-time delivery would be measured late and blamed on CHAT-006.
 */
export const FAST_DEADLINE_MS = 200;

/**
 * Runs side by side share one event loop: while one step waits for its outcome, the others' work runs, which can
 * hold back its first look at the inboxes by a few milliseconds. Allow one run at a time per this many
 * milliseconds of deadline, so that a delivery on time is never measured late.
 */
const MS_OF_DEADLINE_PER_RUN = 10;

/**
 * A run gets at most as many scenarios as listening windows fit in this many milliseconds. A scenario waits out
 * at most one window (its first failed step ends it), so no run takes much longer, and a variant that fails
 * many scenarios is spread over runs that wait side by side.
 */
const RUN_BUDGET_MS = 2000;

export interface MutantResult {
  id: string;
  /** What the fault breaks (its catalogue entry). */
  breaks: string[];
  description: string;
  /** The gate closed against this variant. */
  caught: boolean;
  /** The requirements the run failed, in catalogue order. */
  failed: string[];
  /** `failed` includes one of `breaks`. False for a caught variant: the suite blames other requirements. */
  namesWhatItBreaks: boolean;
  /** Scenarios that failed (or errored) against this variant, in run order. */
  caughtBy: string[];
  deadlineMs: number;
  /** From the start of this variant's first run to the end of its last. */
  durationMs: number;
}

export interface MutationScore {
  caught: number;
  total: number;
  durationMs: number;
  /** One per fault, in the order given. */
  mutants: MutantResult[];
  /** One per requirement some fault breaks, in catalogue order. */
  requirements: RequirementKills[];
}

/**
 * A requirement is guarded by two or more scenarios when each of its variants is caught by at least this many: a
 * single scenario standing between a fault and a green gate is one edit away from a blind spot.
 */
export const MIN_KILLING_SCENARIOS = 2;

/** How many different situations catch the variants that break one requirement. */
export interface RequirementKills {
  id: string;
  level: Requirement['level'];
  /** The variants run that break it. */
  faults: string[];
  /** Distinct scenarios that caught at least one of them, in run order. */
  scenarios: string[];
  /** Its variant caught by the fewest scenarios (the first such, in catalogue order), and those scenarios. */
  weakest: { fault: string; caughtBy: string[] };
  /** A variant of it is caught, but by fewer than MIN_KILLING_SCENARIOS scenarios. */
  singleKill: boolean;
  /** Those variants, the one scenario that caught each, and why that is accepted (the fault's `singleKill`), if said. */
  singleKills: { fault: string; scenario: string; reason?: string }[];
}

/** What scoring needs of a fault: the reference's Fault and an implementation's catalogue entry both have it. */
export interface ScoredFault {
  readonly id: string;
  /** Requirement ids a conformant system must not violate and this fault does. */
  readonly breaks: readonly string[];
  readonly description: string;
  /** For a fault that delays deliveries rather than losing or changing them: by how much. */
  readonly lateByMs?: number;
  /** Why one scenario catching this fault is enough, when only one can. */
  readonly singleKill?: string;
}

export interface MutationOptions<F extends ScoredFault = ScoredFault> {
  catalogue: ReadonlyMap<string, Requirement>;
  faults: readonly F[];
  /** A fresh adapter for the variant with this one fault on; each run of a variant gets its own. */
  variant: (fault: F) => Adapter;
  /** A deadline for every variant (`--deadline`); by default each gets `deadlineFor(fault)`. */
  deadlineOverrideMs?: number;
  stepTimeoutMs?: number;
  /** Told of each variant as soon as it is judged (variants sharing a deadline are judged together). */
  onMutant?: (mutant: MutantResult) => void | Promise<void>;
}

/**
 * The deadline a variant runs under: short, unless the fault delays deliveries; then one that puts the delay
 * midway between the deadline and the end of the listening window, so the delivery is seen, and seen late.
 */
export function deadlineFor(fault: Pick<ScoredFault, 'lateByMs'>, fastMs = FAST_DEADLINE_MS): number {
  const delay = fault.lateByMs;
  if (delay === undefined) return fastMs;
  let [lo, hi] = [1, delay];
  while (lo < hi) {
    const d = Math.floor((lo + hi) / 2);
    if (listenMs(d) - delay >= delay - d) hi = d;
    else lo = d + 1;
  }
  return lo;
}

/** `items` in order, `size` at a time. */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface Run {
  result: RunResult;
  start: number;
  end: number;
}

/** Run `jobs`, at most `width` at a time. */
export async function inParallel(jobs: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
}

export async function mutationScore<F extends ScoredFault>(
  scenarios: readonly Scenario[],
  o: MutationOptions<F>,
): Promise<MutationScore> {
  const t0 = performance.now();
  const judged = new Map<F, MutantResult>();
  // Variants sharing a deadline run together. The groups run one after another, shortest deadline first: the
  // many runs a long deadline allows side by side would crowd a short one.
  const groups = new Map<number, F[]>();
  for (const fault of o.faults) {
    const deadlineMs = o.deadlineOverrideMs ?? deadlineFor(fault);
    groups.set(deadlineMs, [...(groups.get(deadlineMs) ?? []), fault]);
  }
  for (const [deadlineMs, faults] of [...groups].sort(([a], [b]) => a - b)) {
    const width = Math.max(1, Math.floor(deadlineMs / MS_OF_DEADLINE_PER_RUN));
    const parts = chunks(scenarios, Math.max(1, Math.floor(RUN_BUDGET_MS / listenMs(deadlineMs))));
    const runs = new Map(faults.map((f) => [f, [] as Run[]]));
    const jobs = faults.flatMap((fault) =>
      parts.map((part, i) => async () => {
        const start = performance.now();
        const result = await conformanceRun(part, {
          adapter: o.variant(fault),
          catalogue: o.catalogue,
          strict: true,
          deadlineOverrideMs: deadlineMs,
          ...(o.stepTimeoutMs ? { stepTimeoutMs: o.stepTimeoutMs } : {}),
        });
        runs.get(fault)![i] = { result, start, end: performance.now() };
      }),
    );
    await inParallel(jobs, width);
    for (const fault of faults) {
      const mutant = judge(fault, deadlineMs, runs.get(fault)!, o.catalogue);
      judged.set(fault, mutant);
      await o.onMutant?.(mutant);
    }
  }
  const mutants = o.faults.map((f) => judged.get(f)!);
  return {
    caught: mutants.filter((m) => m.caught).length,
    total: mutants.length,
    durationMs: performance.now() - t0,
    mutants,
    requirements: requirementKills(mutants, o.faults, o.catalogue),
  };
}

/**
 * Per requirement, the scenarios that catch the variants breaking it. A survivor (caught by none) counts as the
 * weakest variant with 0 scenarios but is not a single kill: it is reported as a survivor.
 */
export function requirementKills(
  mutants: readonly MutantResult[],
  faults: readonly Pick<ScoredFault, 'id' | 'singleKill'>[],
  catalogue: ReadonlyMap<string, Requirement>,
): RequirementKills[] {
  const note = new Map(faults.map((f) => [f.id, f.singleKill]));
  const out: RequirementKills[] = [];
  for (const q of catalogue.values()) {
    const own = mutants.filter((m) => m.breaks.includes(q.id));
    if (own.length === 0) continue;
    const scenarios = [...new Set(own.flatMap((m) => m.caughtBy))];
    const fewest = Math.min(...own.map((m) => m.caughtBy.length));
    const weakest = own.find((m) => m.caughtBy.length === fewest)!;
    const singleKills = own
      .filter((m) => m.caught && m.caughtBy.length < MIN_KILLING_SCENARIOS)
      .map((m) => {
        const reason = note.get(m.id);
        return { fault: m.id, scenario: m.caughtBy[0]!, ...(reason ? { reason } : {}) };
      });
    out.push({
      id: q.id,
      level: q.level,
      faults: own.map((m) => m.id),
      scenarios,
      weakest: { fault: weakest.id, caughtBy: weakest.caughtBy },
      singleKill: singleKills.length > 0,
      singleKills,
    });
  }
  return out;
}

export function judge(
  fault: ScoredFault,
  deadlineMs: number,
  runs: Run[],
  catalogue: ReadonlyMap<string, Requirement>,
): MutantResult {
  const results = runs.map((r) => r.result);
  const failing = new Set(results.flatMap((r) => r.requirements.filter((q) => q.verdict === 'fail').map((q) => q.id)));
  const failed = [...catalogue.keys()].filter((id) => failing.has(id));
  const caughtBy = results
    .flatMap((r) => r.scenarios)
    .filter((s) => s.verdict === 'fail' || s.verdict === 'error')
    .map((s) => s.id);
  return {
    id: fault.id,
    breaks: [...fault.breaks],
    description: fault.description,
    // Caught means a scenario failed against it. Not the runs' gates: a run of wire-only scenarios, all skipped
    // in process, closes its gate for having checked nothing, which says nothing about the variant.
    caught: caughtBy.length > 0,
    failed,
    namesWhatItBreaks: fault.breaks.some((id) => failing.has(id)),
    caughtBy,
    deadlineMs,
    durationMs: runs.length ? Math.max(...runs.map((r) => r.end)) - Math.min(...runs.map((r) => r.start)) : 0,
  };
}
