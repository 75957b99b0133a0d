/**
 * Atomic file writing for the file reports: a reader (a CI upload step, a person refreshing a browser) sees the
 * previous file or the complete new one, never half of one. Write a temporary file next to the target (same
 * directory, so the same file system), flush it to disk, then rename it over the target; on any failure remove the
 * temporary file and rethrow, leaving the target as it was.
 *
 * A report's text may come as chunks (`Iterable<string>`, rendered as they are pulled): it is then written as it is
 * rendered, a batch at a time, and never held whole. At 20× the suite report.json is 30 MB and report.html 23 MB;
 * built whole, with the copy UTF-8 encoding makes, they were most of a run's peak memory.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
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
  const handle = await open(file, 'wx');
  try {
    if (typeof text === 'string') await handle.writeFile(text, 'utf8');
    else {
      let batch: string[] = [];
      let size = 0;
      for (const chunk of text) {
        batch.push(chunk);
        size += chunk.length;
        if (size < BATCH_CHARS) continue;
        await writeAll(handle, batch.join(''));
        ((batch = []), (size = 0));
      }
      if (size) await writeAll(handle, batch.join(''));
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** `write` may write less than it was given (a signal, a full disk on the way): write until all of it is out. */
async function writeAll(handle: FileHandle, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length;) at += (await handle.write(bytes, at, bytes.length - at, null)).bytesWritten;
}

export async function writeFileAtomic(file: string, data: ReportText): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeDurably(temp, data);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
