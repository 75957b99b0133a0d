/**
 * The report files of one run as one set: report.json, junit.xml and summary.md carry the same run id and replace
 * the previous run's files together, never one of them alone.
 *
 * How: file reporters `write()` their text, as it is rendered, to a temporary file next to its target, flushed to
 * disk (or `stage()` it whole, to be written so at commit); `commit()` then
 * 1. writes every staged file to its temporary file likewise — with 1., the slow part; an interruption or a failure
 *    here (or in a `write()`) leaves the previous set whole (the temporaries are removed);
 * 2. writes the journal `.report-set.json` (atomically): which temporary becomes which target, which old report
 *    is removed — this is the commit point;
 * 3. renames each temporary over its target, removes the reports this run did not produce, removes the journal.
 * A process stopped between 2 and 3 (a few renames) leaves the journal; the next commit into the same folder
 * first finishes it (`recover`), so the set that is read is always one run's. A reader can check the run id.
 * A process killed before 2 leaves its temporaries: the next commit into the folder removes those of other runs
 * that nothing has written to for `STALE_TEMPORARY_MS` (`removeStaleTemporaries`); younger ones may be a run that
 * is writing into the same folder right now.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeDurably, writeFileAtomic, type ReportText } from './write-file.js';

export const JOURNAL = '.report-set.json';

/** The file each file report writes, under `outDir`. */
export const REPORT_FILES = {
  json: 'report.json',
  junit: 'junit.xml',
  markdown: 'summary.md',
  html: 'report.html',
} as const;

/** Put one file report in place: written into the run's set when there is one, else atomically on its own. */
export async function writeReport(ctx: { set?: ReportSet | undefined }, file: string, text: ReportText): Promise<void> {
  if (ctx.set) await ctx.set.write(file, text);
  else await writeFileAtomic(file, text);
}

interface Journal {
  runId: string;
  /** [temporary, target] pairs. */
  rename: [string, string][];
  /** Reports of an earlier run that this run does not produce. */
  remove: string[];
}

export interface CommitFailure {
  file: string;
  message: string;
}

/** A run id: sortable by time, unique enough to tell two runs apart (`20260102T030405Z-1a2b3c4d`). */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]|\.\d+/g, '')}-${randomBytes(4).toString('hex')}`;
}

/** Apply a journal: every rename and removal it lists, each on its own (one failure does not stop the others). */
async function apply(j: Journal): Promise<CommitFailure[]> {
  const failures: CommitFailure[] = [];
  for (const [temp, target] of j.rename) {
    try {
      renameSync(temp, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // already renamed by an earlier attempt
      failures.push({ file: target, message: (e as Error).message });
      rmSync(temp, { force: true });
    }
  }
  for (const file of j.remove)
    try {
      rmSync(file, { force: true });
    } catch {
      // a removal that fails leaves an old report, which the run id tells apart
    }
  return failures;
}

/** Finish a commit that a stopped process left half done in `dir`. */
export async function recover(dir: string): Promise<void> {
  const journal = join(dir, JOURNAL);
  let j: Journal;
  try {
    j = JSON.parse(readFileSync(journal, 'utf8')) as Journal;
  } catch {
    return; // no journal (the usual case), or one that was never completed (then nothing was renamed yet)
  }
  await apply(j);
  rmSync(journal, { force: true });
}

/** How long a report temporary of another run must have lain untouched before a commit removes it as stale. */
export const STALE_TEMPORARY_MS = 10 * 60_000;

/**
 * The temporary of a report: `ReportSet`'s (`.report.json.<runId>.tmp`) or `writeFileAtomic`'s
 * (`.report.json.<pid>.<12 hex>.tmp`), of one of the file reports or a shard's blob.
 */
const TEMPORARY =
  /^\.(?:report\.json|junit\.xml|summary\.md|report\.html|shard-\d+-of-\d+\.jsonl)\.(?:\d{8}T\d{6}Z-[0-9a-f]{8}|\d+\.[0-9a-f]{12})\.tmp$/;

/**
 * Remove, in `dirs`, the report temporaries a killed run left (see `TEMPORARY`): those not of `runId` and untouched
 * for `STALE_TEMPORARY_MS` by `now`. Nothing else in the folders is looked at; what cannot be listed or removed is
 * left (it is only litter).
 */
export async function removeStaleTemporaries(
  dirs: readonly string[],
  runId: string,
  now = Date.now(),
): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of dirs) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      // no such folder: nothing of ours in it
    }
    for (const name of names) {
      if (!TEMPORARY.test(name) || name.includes(`.${runId}.`)) continue;
      const file = join(dir, name);
      try {
        if (now - statSync(file).mtimeMs < STALE_TEMPORARY_MS) continue;
        rmSync(file, { force: true });
        removed.push(file);
      } catch {
        // gone meanwhile, or not ours to remove: litter at worst
      }
    }
  }
  return removed;
}

export class ReportSet {
  /** Each report of this run, in the order it came: its text to write at commit, or its temporary, written. */
  private readonly staged = new Map<string, { text: string } | { written: string }>();
  private readonly discarded = new Set<string>();

  constructor(
    readonly outDir: string,
    readonly runId: string,
  ) {}

  private temporaryOf(file: string): string {
    return join(dirname(file), `.${basename(file)}.${this.runId}.tmp`);
  }

  /** The text of one report of this run, written at `commit()`. */
  stage(file: string, text: string): void {
    this.staged.set(file, { text });
    this.discarded.delete(file);
  }

  /**
   * Write one report of this run to its temporary file now, as `text` is rendered (chunks are never held whole);
   * `commit()` puts it in place with the others. A failure, the renderer's included, removes the temporary and
   * rejects: the report is then not part of the set (the caller discards it).
   */
  async write(file: string, text: ReportText): Promise<void> {
    const temp = this.temporaryOf(file);
    this.staged.delete(file);
    mkdirSync(dirname(file), { recursive: true });
    rmSync(temp, { force: true }); // a second write of the same report replaces the first
    try {
      await writeDurably(temp, text);
    } catch (e) {
      rmSync(temp, { force: true });
      throw e;
    }
    this.staged.set(file, { written: temp });
    this.discarded.delete(file);
  }

  /** A report this run does not produce (not asked for, or failed to render): an earlier run's copy goes. */
  discard(file: string): void {
    if (!this.staged.has(file)) this.discarded.add(file);
  }

  /**
   * Write the set (see the file comment). Resolves with the files that could not be put in place; rejects when
   * nothing was committed (the previous set is then whole).
   */
  async commit(): Promise<CommitFailure[]> {
    const pairs: [string, string][] = [];
    const journal = { runId: this.runId, rename: pairs, remove: [...this.discarded] } satisfies Journal;
    try {
      mkdirSync(this.outDir, { recursive: true });
      await recover(this.outDir);
      // 'blob': blob.ts's BLOB_DIR (blob.ts imports this file).
      await removeStaleTemporaries([this.outDir, join(this.outDir, 'blob')], this.runId);
      for (const [file, report] of this.staged) {
        if ('written' in report) {
          pairs.push([report.written, file]);
          continue;
        }
        const temp = this.temporaryOf(file);
        pairs.push([temp, file]);
        await writeDurably(temp, report.text);
      }
      await writeFileAtomic(join(this.outDir, JOURNAL), JSON.stringify(journal));
    } catch (e) {
      // Every temporary of this run goes, those `write()` left before the commit too: nothing was renamed yet.
      const written = [...this.staged.values()].flatMap((r) => ('written' in r ? [r.written] : []));
      for (const temp of new Set([...pairs.map(([t]) => t), ...written]))
        try {
          rmSync(temp, { force: true });
        } catch {
          // one that cannot be removed (the name the commit failed on): the others still go
        }
      throw e;
    }
    const failures = await apply(journal);
    rmSync(join(this.outDir, JOURNAL), { force: true });
    return failures;
  }
}
