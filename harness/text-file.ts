/**
 * Reading a user's text file as hostile input: at most a fixed number of bytes, strict UTF-8, every refusal a
 * located diagnostic. Apart from yaml-source.ts (which re-exports it) because it needs no YAML library: the load
 * cache reads every scenario file to key it, and a cache hit must not load the parser (harness/load-cache.ts).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Diagnostic } from './diagnostics.js';

/** The documented limits (README, "Limits"); each is far above what any real scenario or baseline needs. */
export const LIMITS = {
  /** Bytes per file: the largest scenario in scenarios/ is 5.6 KB. */
  fileBytes: 1024 * 1024,
  /** Collections inside collections: real scenarios nest 6 deep (steps → step → expect → delivers → delivery). */
  depth: 64,
  /** Nodes that aliases may add to a document by repetition: enough for any sharing, far from a billion laughs. */
  aliasNodes: 10_000,
};

/**
 * The buffer every read goes through, made once: a fresh zero-filled MiB per file cost a cold run of the suite 163
 * MiB of allocation (≈ 25 ms and much of its garbage collection) to read 163 files of a few KB. readText is
 * synchronous and decodes before it returns, so no two reads ever share it.
 */
let scratch: Buffer | undefined;

/** Reads `file` as text: at most `LIMITS.fileBytes`, strict UTF-8. Anything else is a located diagnostic. */
export function readText(file: string, what = 'file'): { text: string } | { problem: Diagnostic } {
  const fail = (message: string, line = 1, col = 1) => ({ problem: { file, line, col, message } });
  let bytes: Uint8Array;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    // Not only regular files: `--expect-failures <(make-baseline)` is a pipe. The read below is bounded either way.
    if (st.isDirectory()) return fail(`cannot read the ${what}: a folder, not a file`);
    if (st.size > LIMITS.fileBytes) return fail(`${st.size} bytes; a ${what} may have at most ${LIMITS.fileBytes}`);
    // One byte more than the limit: a file that grew since fstat is still caught.
    const buf = (scratch ??= Buffer.allocUnsafe(LIMITS.fileBytes + 1));
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0;) n += r;
    if (n > LIMITS.fileBytes)
      return fail(`more than ${LIMITS.fileBytes} bytes; a ${what} may have at most ${LIMITS.fileBytes}`);
    bytes = buf.subarray(0, n);
  } catch (e) {
    return fail(`cannot read the ${what}: ${describeFsError(e)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const lineStart = bad === 0 ? 0 : bytes.lastIndexOf(0x0a, bad - 1) + 1;
    const line = 1 + bytes.subarray(0, lineStart).filter((b) => b === 0x0a).length;
    const col = 1 + new TextDecoder().decode(bytes.subarray(lineStart, bad)).length;
    return fail(
      `invalid UTF-8 (byte 0x${bytes[bad]?.toString(16).padStart(2, '0') ?? '??'}); save the file as UTF-8`,
      line,
      col,
    );
  }
}

/** A file-system error in words, with its code, without the stack or a repeat of the path. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const words: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ELOOP: 'too many levels of symbolic links (a symlink loop)',
    EISDIR: 'a folder, not a file',
    ENOTDIR: 'not a folder',
    ENAMETOOLONG: 'the path is too long',
  };
  return code && words[code] ? `${words[code]} (${code})` : (code ?? String((e as Error)?.message ?? e));
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    // The second byte's range excludes overlong forms, surrogates and code points above U+10FFFF.
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}
