/**
 * `run --shard i/n`: one of n parts of the selected scenarios (after PATH, --grep, --tag), so that n CI machines
 * run a suite between them and `merge-reports` puts their blob reports back together (./commands/merge-reports.ts).
 * Every shard computes the same split from the same inputs, so every scenario is in exactly one shard.
 *
 * - Without durations the split is round-robin in file order: scenario k goes to shard (k mod n) + 1. The
 *   scenarios of one area sit together in file order and the areas cost differently (the security area's probes,
 *   the call area's waits), so contiguous slices would give one machine a whole costly area; round-robin spreads
 *   every area over every shard. Each scenario plays in its own world, so its neighbours do not change its verdict.
 * - With `--shard-durations FILE` (a previous report.json, or a merged one): longest processing time first, greedy —
 *   the longest scenario to the shard with the least work so far — with scenarios the file does not know at the
 *   median of those it knows. Ties go by scenario id, then to the lowest shard, so the split does not depend on
 *   the order of the file's entries. A scenario's work is the sum of its steps' durations: its own `durationMs`
 *   also holds its settle window and the wait for the next scenario to be played, which overlap the next
 *   scenarios' steps (whole suite over HTTP: steps 14.6 s in all, scenario durations 110.7 s, the run 13.7 s).
 * - A shard's scenarios run in file order, as they would in the whole run.
 * - A shard that gets no scenario is a usage error (exit 2), as any run that selects nothing is: a job that checked
 *   nothing never passes for green.
 */
import { readFileSync } from 'node:fs';
import type { ReporterContext } from '../reports/reporter.js';
import { UsageError } from './commands/exit.js';
import type { Scenario } from './load.js';

export interface Shard {
  /** 1-based. */
  index: number;
  total: number;
}

/** `i/n` with 1 ≤ i ≤ n, or a usage error saying what is wrong. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const [index, total] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || !Number.isSafeInteger(total) || total < 1 || index < 1 || index > total)
    throw new UsageError(`--shard takes i/n with 1 ≤ i ≤ n (e.g. 2/4); got "${text}"`);
  return { index, total };
}

/**
 * Each scenario's work (ms) in a report.json written by `run` or `merge-reports`: the sum of its steps' durations
 * (its `durationMs` when it lists no steps). A differential report holds a scenario once per adapter: its work adds
 * up, as it did in that run.
 */
export function durationsFrom(file: string): Map<string, number> {
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--shard-durations ${file}: not a readable report.json (${(e as Error).message})`);
  }
  const scenarios = (report as { scenarios?: unknown } | null)?.scenarios;
  if (!Array.isArray(scenarios))
    throw new UsageError(`--shard-durations ${file}: not a report.json (it has no "scenarios" list)`);
  const durations = new Map<string, number>();
  const ms = (x: unknown): number => {
    const d = (x as { durationMs?: unknown } | null)?.durationMs;
    return typeof d === 'number' && d >= 0 ? d : NaN;
  };
  scenarios.forEach((s: { id?: unknown; steps?: unknown }, i) => {
    const work = Array.isArray(s?.steps) ? s.steps.reduce((sum: number, step) => sum + ms(step), 0) : ms(s);
    if (typeof s?.id !== 'string' || Number.isNaN(work))
      throw new UsageError(`--shard-durations ${file}: scenarios[${i}] has no id and durationMs (of each step)`);
    durations.set(s.id, (durations.get(s.id) ?? 0) + work);
  });
  return durations;
}

const median = (xs: number[]): number | undefined => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length ? (s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2) : undefined;
};

/** The weight each id is split by: its known duration, else the median of the known ones among `ids` (else 1). */
export function weightsOf(ids: readonly string[], durations: ReadonlyMap<string, number>): Map<string, number> {
  const known = ids.filter((id) => durations.has(id)).map((id) => durations.get(id)!);
  const fallback = median(known) ?? 1;
  return new Map(ids.map((id) => [id, durations.get(id) ?? fallback]));
}

/**
 * The n parts, each in the order of `items` (file order). Round-robin without durations; longest processing time
 * first with them (see the file comment).
 */
export function split<T extends { id: string }>(
  items: readonly T[],
  total: number,
  durations?: ReadonlyMap<string, number>,
): T[][] {
  const shardOf = new Map<T, number>();
  if (!durations) items.forEach((item, k) => shardOf.set(item, k % total));
  else {
    const weight = weightsOf(
      items.map((i) => i.id),
      durations,
    );
    const loads = new Array<number>(total).fill(0);
    const longestFirst = [...items].sort(
      (a, b) => weight.get(b.id)! - weight.get(a.id)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    for (const item of longestFirst) {
      const least = loads.indexOf(Math.min(...loads));
      loads[least]! += weight.get(item.id)!;
      shardOf.set(item, least);
    }
  }
  return Array.from({ length: total }, (_, s) => items.filter((item) => shardOf.get(item) === s));
}

/** The largest shard's work over the mean shard's (1 is a perfect split), by the given weights. */
export function imbalance(parts: readonly (readonly { id: string }[])[], weight: ReadonlyMap<string, number>): number {
  const loads = parts.map((p) => p.reduce((sum, x) => sum + (weight.get(x.id) ?? 0), 0));
  const mean = loads.reduce((a, b) => a + b, 0) / loads.length;
  return mean ? Math.max(...loads) / mean : 1;
}

export interface ShardSelection {
  /** The scenarios this run plays: its shard of the selection, or the whole selection. */
  scenarios: Scenario[];
  /** What the blob report records beside the results, given the run's baseline. */
  blob(baseline: ReadonlySet<string>): NonNullable<ReporterContext['blob']>;
}

/** `run`'s scenarios under `--shard i/n` and `--shard-durations FILE` (without --shard: all of them, shard 1/1). */
export function shardSelection(
  o: { adapter: string; shard?: string; 'shard-durations'?: string; 'update-baseline'?: string },
  selected: Scenario[],
): ShardSelection {
  // A shard sees its part only: rewriting the baseline from it would drop every other shard's entries.
  if (o.shard !== undefined && o['update-baseline'] !== undefined)
    throw new UsageError(
      '--update-baseline rewrites the baseline from a whole run; a shard sees only its part: update it from one unsharded run',
    );
  if (o['shard-durations'] !== undefined && o.shard === undefined)
    throw new UsageError('--shard-durations FILE balances --shard i/n; no --shard was given');
  const shard = o.shard === undefined ? { index: 1, total: 1 } : parseShard(o.shard);
  if (o.shard !== undefined && o.adapter.includes(','))
    throw new UsageError(
      '--shard splits a run against one adapter; a differential run (--adapter a,b) cannot be merged',
    );
  const durations = o['shard-durations'] === undefined ? undefined : durationsFrom(o['shard-durations']);
  const scenarios = split(selected, shard.total, durations)[shard.index - 1]!;
  if (!scenarios.length)
    throw new UsageError(
      `shard ${shard.index}/${shard.total} has no scenario: the selection holds ${selected.length}, so use at most ${selected.length} shards (nothing selected never passes)`,
    );
  return {
    scenarios,
    blob: (baseline) => ({
      shard,
      selected: selected.map((s) => s.id),
      assigned: scenarios.map((s) => s.id),
      baseline: [...baseline].sort(),
    }),
  };
}
