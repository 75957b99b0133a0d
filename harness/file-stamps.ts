/**
 * The load cache's record of what each file's content hashes to, by the file's stamp (harness/load-cache.ts): a
 * cold run from a warm cache hashes the code (~200 files of harness/ and specs/) and keys every scenario file by its
 * content; with the stamps it reads only the files changed since, and stats the rest.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Changed whenever the records' layout changes: records of another format are never read. */
const FORMAT = 'interop-conformance/file-stamps/1';

/** The sha256 of a file's content (its bytes, or its text): what a stamp stands for. */
export const contentDigest = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');
const sha256 = contentDigest;

/**
 * How long ago a file must have changed (its ctime) for its stamp to be trusted: a file written twice within the
 * file system's timestamp granularity (a few ms; 1-2 s on some) keeps its stamp, so a stamp is recorded only once no
 * such second write can share it. Until then the file is read and hashed on every run, as every file used to be.
 */
export const SETTLED_MS = 3000;

/**
 * What each file's content hashed to, by the file's stamp: device, inode, size, mtime and ctime in nanoseconds. Any
 * write to a file changes its ctime, which no tool sets back (`touch`, `cp -p`, tar and rsync set mtime only), and a
 * file replaced is another inode or another ctime: a file with its recorded stamp has its recorded content. A stamp
 * is recorded only when settled (SETTLED_MS), and taken before the content is read: a file changing meanwhile is
 * recorded with its older stamp, which no longer matches. Kept in `stamps.json` of the cache folder (whole or none,
 * like an entry); two runs writing it at once lose some records, never make one wrong.
 */
export class FileStamps {
  private readonly known = new Map<string, [string, string]>();
  private readonly used = new Map<string, [string, string]>();
  private dirty = false;

  constructor(
    private readonly file?: string,
    private readonly settledMs = SETTLED_MS,
  ) {
    if (!file) return;
    try {
      const text = readFileSync(file, 'utf8');
      const nl = text.indexOf('\n');
      const head = JSON.parse(text.slice(0, nl)) as { format?: unknown; sha256?: unknown };
      const body = text.slice(nl + 1);
      if (head.format === FORMAT && head.sha256 === sha256(body))
        for (const [k, v] of Object.entries(JSON.parse(body) as Record<string, [string, string]>)) this.known.set(k, v);
    } catch {
      // None yet, or unreadable: every file is hashed, and the records written anew.
    }
  }

  /**
   * The sha256 of `path`'s content (`read()`; undefined when it gives none): the recorded one when the file's stamp
   * is the recorded stamp. `kind` keeps apart hashes of a file's bytes and of its text.
   */
  digest(kind: string, path: string, read: () => string | Buffer | undefined): string | undefined {
    const key = `${kind}:${path}`;
    let stamp: string | undefined;
    let settled = false;
    try {
      const st = statSync(path, { bigint: true });
      stamp = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
      settled = st.isFile() && BigInt(Date.now() - this.settledMs) * 1_000_000n > st.ctimeNs;
    } catch {
      // Read below, and say why there.
    }
    const known = this.known.get(key);
    if (stamp !== undefined && known?.[0] === stamp) return (this.used.set(key, known), known[1]);
    const content = read();
    if (content === undefined) return undefined;
    const digest = sha256(content);
    if (stamp !== undefined && settled) (this.used.set(key, [stamp, digest]), (this.dirty = true));
    return digest;
  }

  /** Writes the records if this run made new ones: those it used, and the others unless they grow past 10,000. */
  save(): void {
    if (!this.file || !this.dirty) return;
    this.dirty = false;
    const records = new Map(this.known.size + this.used.size > 10_000 ? [] : this.known);
    for (const [k, v] of this.used) records.set(k, v);
    const body = JSON.stringify(Object.fromEntries(records));
    const tmp = `${this.file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(tmp, `${JSON.stringify({ format: FORMAT, sha256: sha256(body) })}\n${body}`);
      renameSync(tmp, this.file);
    } catch {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // No cache folder (a file stands where it would be): no records, as no entries.
      }
    }
  }
}
