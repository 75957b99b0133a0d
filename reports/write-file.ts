/**
 * Atomic file writing for the file reports: a reader (a CI upload step, a person refreshing a browser) sees the
 * previous file or the complete new one, never half of one. Write a temporary file next to the target (same
 * directory, so the same file system), flush it to disk, then rename it over the target; on any failure remove the
 * temporary file and rethrow, leaving the target as it was.
 *
 * A report's text may come as chunks (`Iterable<string>`, rendered as they are pulled): it is then written as it is
 * rendered, a batch at a time, and never held whole. At 20× the suite report.json is 30 MB and report.html 23 MB;
 * built whole, with the copy UTF-8 encoding makes, they were most of a run's peak memory.
 *
 * The calls are synchronous (the functions still return promises, and a renderer's throw is a rejection): reports
 * are written once the run is over, with nothing else for the event loop to do, and each asynchronous call was a
 * thread-pool round trip and a wake-up — ~10 ms of a cold run's report phase (report.json 38.9 -> 32.4 ms, junit.xml
 * 10.8 -> 8.9, report.html and the commit 12.0 -> 10.6; medians of 15 interleaved cold runs, spans timed in process).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A report's text: whole, or as the chunks a renderer yields. */
export type ReportText = string | Iterable<string>;

/** How much rendered text is gathered before one write: large enough that writes are few, small beside a report. */
const BATCH_CHARS = 256 * 1024;

/**
 * Write `text` to a new file (`wx`: never over an existing one) and flush it to disk. A renderer that throws midway
 * rejects the write; the caller removes the partial file.
 */
export async function writeDurably(file: string, text: ReportText): Promise<void> {
  const fd = openSync(file, 'wx');
  try {
    if (typeof text === 'string') writeAll(fd, text);
    else {
      let batch: string[] = [];
      let size = 0;
      for (const chunk of text) {
        batch.push(chunk);
        size += chunk.length;
        if (size < BATCH_CHARS) continue;
        writeAll(fd, batch.join(''));
        ((batch = []), (size = 0));
      }
      if (size) writeAll(fd, batch.join(''));
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** `write` may write less than it was given (a signal, a full disk on the way): write until all of it is out. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at, null);
}

export async function writeFileAtomic(file: string, data: ReportText): Promise<void> {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeDurably(temp, data);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
