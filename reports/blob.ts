/**
 * The blob report (`--reporter blob`, added by `run --shard i/n`): one shard's run as an event stream, for
 * `merge-reports` to replay into the reports one whole run writes (Playwright's blob reports are the model). One
 * JSON line each, in `blob/shard-I-of-N.jsonl` under the report folder:
 * 1. `begin`: the format, the shard, the ids of the whole selection and of this shard's part (file order), and the
 *    baseline the run was judged by;
 * 2. `result`: each ScenarioResult, in the order the run reported them;
 * 3. `end`: the run's summary (catalogue and harness versions, adapter, run id, strictness, gate, interruption,
 *    crashes, times) and the model rules the shard's predictions take (the model-coverage input).
 * Text is redacted as in every other report (ids kept). The file is one of the run's report set, replaced with the
 * others; blobs of other shards in the same folder are an earlier run's, and go with the set (run's).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { redactDeep } from './redact.js';
import { writeReport } from './report-set.js';
import type { Reporter, ReporterContext } from './reporter.js';
import type { RunResult, RunSummary, ScenarioResult } from './results.js';

export const BLOB_FORMAT = 'interop-conformance-blob/1';
export const BLOB_DIR = 'blob';
const BLOB_NAME = /^shard-(\d+)-of-(\d+)\.jsonl$/;

export type BlobBegin = { type: 'begin'; format: string } & NonNullable<ReporterContext['blob']>;
export interface BlobEnd {
  type: 'end';
  summary: RunSummary;
  /** Every rule the predictions of the shard's scenarios took (what model coverage is computed from). */
  taken: string[];
}

/** One shard's blob as read back. */
export interface Blob {
  file: string;
  begin: BlobBegin;
  results: ScenarioResult[];
  end: BlobEnd;
}

/** The blob files directly in `dir`, sorted. */
const blobsIn = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => BLOB_NAME.test(f))
        .map((f) => join(dir, f))
        .sort()
    : [];

/** The blobs a run wrote into the report folder `outDir` (its `blob/` folder). */
export const writtenBlobs = (outDir: string): string[] => blobsIn(join(outDir, BLOB_DIR));

/** The blobs merge-reports finds in `dir`: directly in it (downloaded artifacts) or in its `blob/` folder. */
export const blobFiles = (dir: string): string[] => [...blobsIn(dir), ...writtenBlobs(dir)];

export class BlobReporter implements Reporter {
  readonly file: string;
  private readonly blob: NonNullable<ReporterContext['blob']>;

  constructor(private readonly ctx: Pick<ReporterContext, 'outDir' | 'set' | 'blob'>) {
    if (!ctx.blob) throw new Error('the blob report is written by run (with --shard i/n, or --reporter blob)');
    this.blob = ctx.blob;
    const { index, total } = ctx.blob.shard;
    this.file = join(ctx.outDir, BLOB_DIR, `shard-${index}-of-${total}.jsonl`);
  }

  async onEnd(run: RunResult): Promise<void> {
    const begin: BlobBegin = { type: 'begin', format: BLOB_FORMAT, ...this.blob };
    const taken = new Set<string>();
    for (const r of run.scenarios) for (const s of r.steps) for (const rule of s.trace ?? []) taken.add(rule);
    const end: BlobEnd = { type: 'end', summary: run.summary, taken: [...taken].sort() };
    // Written as it is rendered, a line at a time: a blob holds every result, as report.json does (read one at a
    // time: the CLI's results are on disk, not in memory).
    function* lines(): Iterable<string> {
      yield `${JSON.stringify(redactDeep(begin))}\n`;
      for (const result of run.scenarios) yield `${JSON.stringify(redactDeep({ type: 'result', result }))}\n`;
      yield `${JSON.stringify(redactDeep(end))}\n`;
    }
    await mkdir(dirname(this.file), { recursive: true });
    for (const stale of writtenBlobs(this.ctx.outDir).filter((f) => f !== this.file)) this.ctx.set?.discard(stale);
    await writeReport(this.ctx, this.file, lines());
  }
}

/** Why a blob cannot be read, located at its file and line. */
export class BlobError extends Error {}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isIds = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

/** Read one blob: every line JSON, a `begin` of this format first, `result`s, an `end` last. */
export function readBlob(file: string): Blob {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new BlobError(`${file}: cannot be read (${(e as Error).message})`);
  }
  const lines = text.split('\n').filter((l) => l.trim());
  const records = lines.map((line, i) => {
    try {
      const r: unknown = JSON.parse(line);
      if (isObject(r)) return r;
    } catch {
      // said below, with the line
    }
    throw new BlobError(`${file}:${i + 1}: not a JSON record of a blob report`);
  });
  const [begin, ...rest] = records;
  const shard = begin?.shard;
  if (
    begin?.type !== 'begin' ||
    begin.format !== BLOB_FORMAT ||
    !isObject(shard) ||
    !Number.isSafeInteger(shard.index) ||
    !Number.isSafeInteger(shard.total) ||
    !isIds(begin.selected) ||
    !isIds(begin.assigned) ||
    !isIds(begin.baseline)
  )
    throw new BlobError(`${file}:1: not a blob report of this harness (its first line must be a ${BLOB_FORMAT} begin)`);
  const end = rest.pop();
  if (end?.type !== 'end' || !isObject(end.summary) || !isIds(end.taken))
    throw new BlobError(
      `${file}:${records.length}: the blob has no end record (the shard's run did not write it whole)`,
    );
  const bad = rest.findIndex((r) => r.type !== 'result' || !isObject(r.result) || typeof r.result.id !== 'string');
  if (bad >= 0) throw new BlobError(`${file}:${bad + 2}: a blob's middle lines must be scenario results`);
  return {
    file,
    begin: begin as unknown as BlobBegin,
    results: rest.map((r) => r.result as ScenarioResult),
    end: end as unknown as BlobEnd,
  };
}
