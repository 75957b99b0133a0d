/**
 * `merge-reports DIR... [--out DIR] [--reporter LIST]`: the blob reports of `run --shard i/n` (reports/blob.ts) put
 * back together into the reports one whole run writes. The shards' results are replayed, in the selection's file
 * order, through the Multiplexer into the reporters `run` uses, and the RunResult is assembled by the harness's own
 * functions (assemble: verdicts, gate, counts; model coverage from the rules the shards' predictions took): nothing
 * is judged a second way.
 *
 * Blobs that cannot make one run are refused before anything is written (exit 2, naming the files): mixed catalogue
 * versions (or not this harness's catalogue), shards of different splits (n), a shard missing or given twice, a
 * scenario in two shards or in none, shards run by different harness versions, with different adapters, strictness,
 * baselines or selections.
 *
 * The exit code is the merged gate's, as `run` gives it (0 conformant, 1 not; 3 when a report cannot be written).
 * What closed a shard's gate beside its results (an interruption, a crash, a run that did not finish) closes the
 * merged gate too, prefixed with its shard; the shard's own job already exited 130/143 or 3 for it.
 */
import { join } from 'node:path';
import { blobFiles, BlobError, readBlob, type Blob } from '../../reports/blob.js';
import { Multiplexer } from '../../reports/multiplexer.js';
import { newRunId, REPORT_FILES, ReportSet } from '../../reports/report-set.js';
import { GATE_NOTE, type ScenarioResult } from '../../reports/results.js';
import { assemble } from '../conformance-run.js';
import { gate } from '../gate.js';
import { ISOLATION_REQUIREMENT } from '../late-deliveries.js';
import { coverageOfRules } from '../model-coverage.js';
import { close } from '../run-end.js';
import { UsageError, type Command } from './context.js';
import { COMMAND_HELP } from './help.js';
import { reportersOf, writeReports } from './run.js';

const label = (b: Blob) => `${b.begin.shard.index}/${b.begin.shard.total}`;

/** The blobs by a key, in the order given (Map.groupBy is Node 21's; the package runs on Node 20). */
function groupBy<K>(blobs: Blob[], key: (b: Blob) => K): Map<K, Blob[]> {
  const by = new Map<K, Blob[]>();
  for (const b of blobs) by.set(key(b), [...(by.get(key(b)) ?? []), b]);
  return by;
}

/** Refuse (a usage error naming the files) unless `value` is the same for every blob. */
function same(blobs: Blob[], what: string, value: (b: Blob) => string, hint = ''): void {
  const by = groupBy(blobs, value);
  if (by.size > 1)
    throw new UsageError(
      `the blobs cannot be merged: they have different ${what}: ${[...by].map(([v, bs]) => `${v || '(none)'} in ${bs.map((b) => b.file).join(', ')}`).join('; ')}${hint}`,
    );
}

/** Check that the blobs are the shards of one run, and return them in shard order. */
export function checkShards(blobs: Blob[], catalogueVersion: string): Blob[] {
  same(blobs, 'catalogue versions', (b) => b.end.summary.catalogueVersion);
  const judged = blobs[0]!.end.summary.catalogueVersion;
  if (judged !== catalogueVersion)
    throw new UsageError(
      `the blobs were judged against requirement catalogue ${judged}, this harness has ${catalogueVersion}: merge with the harness that ran the shards (${blobs.map((b) => b.file).join(', ')})`,
    );
  same(blobs, 'shard counts (n of --shard i/n)', (b) => String(b.begin.shard.total));
  const total = blobs[0]!.begin.shard.total;
  const byIndex = groupBy(blobs, (b) => b.begin.shard.index);
  for (const [index, bs] of byIndex)
    if (bs.length > 1)
      throw new UsageError(`shard ${index}/${total} is given twice: ${bs.map((b) => b.file).join(', ')}`);
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length)
    throw new UsageError(
      `shard ${missing.map((i) => `${i}/${total}`).join(', ')} missing: only ${blobs.map((b) => `${label(b)} (${b.file})`).join(', ')}`,
    );
  same(blobs, 'harness versions', (b) => b.end.summary.version);
  // An adapter's name says which system it tested: the http adapter's holds its --url.
  same(
    blobs,
    'adapters',
    (b) => b.end.summary.adapter,
    ' (an http adapter is named by its --url: give every shard the same)',
  );
  same(blobs, 'strictness (--strict)', (b) => String(b.end.summary.gate.strict));
  same(blobs, 'baselines (--expect-failures)', (b) => b.begin.baseline.join(', '));
  same(blobs, 'selections (PATH, --grep, --tag)', (b) => b.begin.selected.join(', '));
  const shardOf = new Map<string, Blob>();
  for (const b of blobs)
    for (const id of b.begin.assigned) {
      const other = shardOf.get(id);
      if (other) throw new UsageError(`scenario ${id} is in two shards: ${other.file} and ${b.file}`);
      shardOf.set(id, b);
    }
  for (const b of blobs)
    for (const r of b.results)
      if (shardOf.get(r.id) !== b) throw new UsageError(`scenario ${r.id} has a result in ${b.file}, not its shard`);
  const unassigned = blobs[0]!.begin.selected.filter((id) => !shardOf.has(id));
  if (unassigned.length) throw new UsageError(`scenario ${unassigned.join(', ')} is in no shard's part`);
  return [...blobs].sort((a, b) => a.begin.shard.index - b.begin.shard.index);
}

/**
 * Where the merged run's evidence differs from one run's, said in the report itself (a note of the gate): a world is
 * checked for other worlds' traffic (WIRE-002) while the next world of its run is played, and a shard's last world
 * has no next in its shard. One run would have overlapped each of them (bar the selection's last, which has no next
 * there either) with the next scenario in file order. Keeping them the same would take a world played in each shard
 * for the overlap alone, whose own traffic no report judges: said, not simulated. Undefined when nothing differs.
 */
export function isolationLost(blobs: readonly Blob[]): string | undefined {
  const selected = blobs[0]!.begin.selected;
  const byId = new Map(blobs.flatMap((b) => b.results.map((r) => [r.id, r] as const)));
  const lost = blobs
    // A shard's last world: of its last scenario that was played (those after it skipped, opening no world).
    .map((b) => ({ shard: label(b), result: [...b.results].reverse().find(played) }))
    .filter(({ result }) => {
      if (!result || exercisesIsolation(result)) return false;
      // One run overlaps it with the next scenario in file order, when that one is played.
      const next = byId.get(selected[selected.indexOf(result.id) + 1] ?? '');
      return next !== undefined && played(next);
    });
  if (!lost.length) return undefined;
  const n = lost.length;
  return `${GATE_NOTE}merged from ${blobs.length} shards: ${n} scenario${n === 1 ? '' : 's'} exercise no isolation (${ISOLATION_REQUIREMENT}) here that one run would exercise, each the last played in its shard, whose world no later world of the shard overlapped: ${lost.map((l) => `${l.result!.id} (shard ${l.shard})`).join(', ')}`;
}

const played = (r: ScenarioResult) => r.steps.some((st) => st.verdict !== 'skip');
const exercisesIsolation = (r: ScenarioResult) => r.requirements.includes(ISOLATION_REQUIREMENT);

export const mergeReportsCommand: Command = {
  ...COMMAND_HELP['merge-reports'],
  async run(ctx) {
    const o = ctx.options;
    if (!ctx.paths.length) throw new UsageError("merge-reports needs the folders of the shards' blob reports: DIR...");
    const files = [...new Set(ctx.paths.flatMap(blobFiles))];
    if (!files.length)
      throw new UsageError(`no blob report (shard-I-of-N.jsonl) in ${ctx.paths.join(', ')} or a blob/ folder of them`);
    let read: Blob[];
    try {
      read = files.map(readBlob);
    } catch (e) {
      throw new UsageError((e as BlobError).message); // readBlob throws only BlobErrors, located
    }
    const catalogue = ctx.catalogue();
    const blobs = checkShards(read, catalogue.version);
    const order = new Map(blobs[0]!.begin.selected.map((id, i) => [id, i]));
    const results: ScenarioResult[] = blobs
      .flatMap((b) => b.results)
      .sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    const { adapter, gate: shardGate } = blobs[0]!.end.summary;
    const starts = blobs.map((b) => Date.parse(b.end.summary.startedAt));
    const ends = blobs.map((b, i) => starts[i]! + b.end.summary.durationMs);
    const startedAt = new Date(Math.min(...starts)).toISOString();
    const common = {
      catalogue: catalogue.requirements,
      catalogueVersion: catalogue.version,
      strict: shardGate.strict,
      baseline: new Set(blobs[0]!.begin.baseline),
    };

    const runId = newRunId();
    const set = new ReportSet(o.out, runId);
    const reporters = reportersOf(ctx, set);
    const mux = new Multiplexer(reporters);
    for (const [name, file] of Object.entries(REPORT_FILES))
      if (!reporters.some((r) => r.name === name)) set.discard(join(o.out, file));
    if (!o.quiet) ctx.say(`merging ${blobs.length} shards (${results.length} scenario results): ${files.join(', ')}`);
    await mux.onBegin({ adapter, scenarioCount: order.size, startedAt });
    for (const r of results) await mux.onScenarioEnd(r);
    const run = assemble([], results, common, {
      adapter,
      startedAt,
      durationMs: Math.max(...ends) - Math.min(...starts),
    });
    run.coverage = coverageOfRules(new Set(blobs.flatMap((b) => b.end.taken)));
    run.summary.runId = runId;
    const crashes = blobs.flatMap((b) => b.end.summary.crashes ?? []);
    if (crashes.length) run.summary.crashes = crashes;
    if (blobs.some((b) => b.end.summary.interrupted)) run.summary.interrupted = true;
    const closing: string[] = [];
    for (const b of blobs) {
      // What closed the shard's gate beside its results: the reasons its results alone do not give (gate() again).
      const own = new Set(gate(b.results, catalogue.requirements, common).reasons);
      const marks = b.end.summary.gate.reasons.filter((r) => !own.has(r));
      if (b.results.length < b.begin.assigned.length && marks.every((m) => m.startsWith(GATE_NOTE)))
        marks.push(`only ${b.results.length} of its ${b.begin.assigned.length} scenario results`);
      for (const m of marks)
        if (!m.startsWith(GATE_NOTE)) closing.push(`shard ${label(b)}: ${m}`);
        else run.summary.gate.reasons.push(`${GATE_NOTE}shard ${label(b)}: ${m.slice(GATE_NOTE.length)}`);
    }
    for (const reason of closing.reverse()) close(run, reason);
    const unisolated = isolationLost(blobs);
    if (unisolated) run.summary.gate.reasons.push(unisolated);
    return writeReports(ctx, run, mux, set, reporters, undefined); // the gate's 0 or 1; 3 if a report failed
  },
};
