/**
 * The report files of one run as one set: report.json, junit.xml and summary.md carry the same run id and replace
 * the previous run's files together, never one of them alone.
 *
 * How: file reporters `stage()` their text; `commit()` then
 * 1. writes every staged file to a temporary file next to its target and flushes it to disk — the slow part; an
 *    interruption or a failure here leaves the previous set whole (the temporaries are removed);
 * 2. writes the journal `.report-set.json` (atomically): which temporary becomes which target, which old report
 *    is removed — this is the commit point;
 * 3. renames each temporary over its target, removes the reports this run did not produce, removes the journal.
 * A process stopped between 2 and 3 (a few renames) leaves the journal; the next commit into the same folder
 * first finishes it (`recover`), so the set that is read is always one run's. A reader can check the run id.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from './write-file.js';

export const JOURNAL = '.report-set.json';

/** The file each file report writes, under `outDir`. */
export const REPORT_FILES = {
  json: 'report.json',
  junit: 'junit.xml',
  markdown: 'summary.md',
  html: 'report.html',
} as const;

/** Put one file report in place: staged in the run's set when there is one, else written atomically on its own. */
export async function writeReport(ctx: { set?: ReportSet | undefined }, file: string, text: string): Promise<void> {
  if (ctx.set) ctx.set.stage(file, text);
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

async function writeDurably(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Apply a journal: every rename and removal it lists, each on its own (one failure does not stop the others). */
async function apply(j: Journal): Promise<CommitFailure[]> {
  const failures: CommitFailure[] = [];
  for (const [temp, target] of j.rename) {
    try {
      await rename(temp, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // already renamed by an earlier attempt
      failures.push({ file: target, message: (e as Error).message });
      await rm(temp, { force: true });
    }
  }
  for (const file of j.remove) await rm(file, { force: true }).catch(() => undefined);
  return failures;
}

/** Finish a commit that a stopped process left half done in `dir`. */
export async function recover(dir: string): Promise<void> {
  const journal = join(dir, JOURNAL);
  let j: Journal;
  try {
    j = JSON.parse(await readFile(journal, 'utf8')) as Journal;
  } catch {
    return; // no journal (the usual case), or one that was never completed (then nothing was renamed yet)
  }
  await apply(j);
  await rm(journal, { force: true });
}

export class ReportSet {
  private readonly staged = new Map<string, string>();
  private readonly discarded = new Set<string>();

  constructor(
    readonly outDir: string,
    readonly runId: string,
  ) {}

  /** The text of one report of this run, written at `commit()`. */
  stage(file: string, text: string): void {
    this.staged.set(file, text);
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
    await mkdir(this.outDir, { recursive: true });
    await recover(this.outDir);
    const pairs: [string, string][] = [];
    try {
      for (const [file, text] of this.staged) {
        const temp = join(dirname(file), `.${basename(file)}.${this.runId}.tmp`);
        pairs.push([temp, file]);
        await writeDurably(temp, text);
      }
    } catch (e) {
      await Promise.all(pairs.map(([temp]) => rm(temp, { force: true })));
      throw e;
    }
    const journal: Journal = { runId: this.runId, rename: pairs, remove: [...this.discarded] };
    await writeFileAtomic(join(this.outDir, JOURNAL), JSON.stringify(journal));
    const failures = await apply(journal);
    await rm(join(this.outDir, JOURNAL), { force: true });
    return failures;
  }
}
