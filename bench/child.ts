/**
 * A cold process as a user starts one: `node <args>`, timed from spawn to exit on the parent's monotonic clock
 * (wall time: what a user waits). Optionally its peak RSS, which the child reports itself (bench/max-rss.mjs).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAX_RSS = new URL('./max-rss.mjs', import.meta.url).href;

export interface ChildRun {
  wallMs: number;
  code: number;
  /** Peak resident set of the child, MiB; only when asked for. */
  peakRssMiB?: number;
}

/** Thrown when a timed process exits with a code the comparison does not expect: the figure would be of something else. */
export class ChildError extends Error {
  override name = 'ChildError';
}

/**
 * The environment of a child the bench starts: a user's, without the loaders and coverage of whatever runs the
 * bench (tap's NODE_OPTIONS and coverage switches, c8's NODE_V8_COVERAGE). Under tap they made the child write
 * coverage of the sources as tsx (or dist/'s source maps) compiles them, which tap merged by URL with its own and
 * read lines the tests run as not run (coverage 99 % → 97 %).
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' };
  delete env.NODE_OPTIONS;
  delete env.NODE_V8_COVERAGE;
  return env;
}

export async function runNode(
  args: readonly string[],
  o: { okCodes?: readonly number[]; maxRss?: boolean } = {},
): Promise<ChildRun> {
  const dir = o.maxRss ? mkdtempSync(join(tmpdir(), 'ic-bench-rss-')) : undefined;
  const rssFile = dir ? join(dir, 'maxrss') : undefined;
  const argv = rssFile ? ['--import', MAX_RSS, ...args] : [...args];
  const env: NodeJS.ProcessEnv = { ...userEnv(), ...(rssFile ? { BENCH_MAX_RSS_FILE: rssFile } : {}) };
  // Progress lines of a CI terminal, not a TTY's; stderr is kept (its end) to say why a run failed.
  let stderr = '';
  const t0 = performance.now();
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-2000)));
    child.on('error', reject);
    child.on('close', (c, signal) => resolve(c ?? (signal ? 128 : 1)));
  });
  const wallMs = performance.now() - t0;
  try {
    if (!(o.okCodes ?? [0]).includes(code))
      throw new ChildError(
        `node ${args.join(' ')} exited ${code}${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`,
      );
    const peakRssMiB = rssFile ? Number(readFileSync(rssFile, 'utf8')) / 1024 : undefined;
    return { wallMs, code, ...(peakRssMiB !== undefined ? { peakRssMiB } : {}) };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
