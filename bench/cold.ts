/**
 * Cold processes, as users start them: a `run` of the suite (its load cache warm, and with --no-cache) and
 * `--version`, each through the clone's bin (tsx, the TypeScript sources), dist/harness/cli.js (the compiled
 * modules) and dist/harness/cli.bundle.js (what an installed package runs), against `node -e 0` started right after
 * it (one pair). Reports go to a temporary folder;
 * the default reporters are written.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode, ROOT } from './child.js';
import { takesNoCache } from './growth.js';
import type { Paired } from './stats.js';
import { emptyPaired, pair } from './stats.js';

/**
 * bin: the clone's (tsx, the sources); dist: the compiled modules; bundle: the compiled CLI bundled into a few files
 * (scripts/bundle-cli.mjs), what an installed package's bin runs.
 */
export const CLIS = {
  bin: 'bin/interop-conformance.js',
  dist: 'dist/harness/cli.js',
  bundle: 'dist/harness/cli.bundle.js',
} as const;
export type Cli = keyof typeof CLIS;

/** The CLIs present here: dist/ only once `npm run build` (or `npm ci`) made it. */
export const availableClis = (): Cli[] => (Object.keys(CLIS) as Cli[]).filter((c) => existsSync(join(ROOT, CLIS[c])));

/** Whether a TypeScript source changed after dist/ was built: dist's figures would then be of older code. */
export function distIsStale(): boolean {
  const built = join(ROOT, CLIS.dist);
  if (!existsSync(built)) return false;
  const since = statSync(built).mtimeMs;
  const newest = (dir: string): number => {
    let m = 0;
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true }))
      if (e.isFile() && e.name.endsWith('.ts')) m = Math.max(m, statSync(join(e.parentPath, e.name)).mtimeMs);
    return m;
  };
  return ['harness', 'specs', 'adapters', 'reports'].some((d) => newest(d) > since);
}

export interface ColdComparison {
  id: string;
  a: string;
  b: string;
  paired: Paired;
}

const BARE = ['-e', '0'];

/** The load cache the `run` rows share (one per bench process), and the rows already run once to fill it. */
let cacheDir: string | undefined;
const filled = new Set<string>();

/**
 * The comparisons of one kind (`run` or `version`) for every available CLI, their pairs not yet taken. A CLI with a
 * load cache (it offers --no-cache) has two `run` rows: the cache warm (`run-<cli>`: a cache of the bench's own,
 * filled by an untimed run first) and `run-<cli>-no-cache`; a CLI without one, the plain run.
 */
export function coldComparisons(kind: 'run' | 'version', suite: string): ColdComparison[] {
  const row = (id: string, a: string) => ({ id, a, b: 'node -e 0', paired: emptyPaired() });
  return availableClis().flatMap((cli) =>
    kind === 'version'
      ? [row(`version-${cli}`, `node ${CLIS[cli]} --version`)]
      : takesNoCache(CLIS[cli], ROOT)
        ? [
            row(`run-${cli}`, `node ${CLIS[cli]} run ${suite} (load cache warm)`),
            row(`run-${cli}-no-cache`, `node ${CLIS[cli]} run ${suite} --no-cache`),
          ]
        : [row(`run-${cli}`, `node ${CLIS[cli]} run ${suite}`)],
  );
}

/** `--cache-dir` of the bench's cache, filled by one untimed run of `args` the first time: the rows time hits. */
async function warmCache(id: string, args: string[]): Promise<string[]> {
  if (!cacheDir) {
    const dir = (cacheDir = mkdtempSync(join(tmpdir(), 'ic-bench-cache-')));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const cache = ['--cache-dir', cacheDir];
  if (!filled.has(id)) await runNode([...args, ...cache], { okCodes: [0, 1] });
  filled.add(id);
  return cache;
}

/** One pair of each comparison, in order: A B A B … across the comparisons of a round. */
export async function coldRound(comparisons: readonly ColdComparison[], suite: string): Promise<void> {
  for (const c of comparisons) {
    const [kind, cli, mode] = c.id.split(/-(?=[a-z])/) as ['run' | 'version', Cli, 'no' | undefined];
    const out = mkdtempSync(join(tmpdir(), 'ic-bench-cold-'));
    try {
      // Exit 1 is a not-conformant suite: still a whole run, and the bench times runs, not verdicts.
      const run = [CLIS[cli], 'run', suite, '--out', out];
      const cached = c.a.endsWith('(load cache warm)');
      const args =
        kind === 'version'
          ? [CLIS[cli], '--version']
          : [...run, ...(mode === 'no' ? ['--no-cache'] : cached ? await warmCache(c.id, run) : [])];
      await pair(
        c.paired,
        async () => (await runNode(args, { okCodes: [0, 1] })).wallMs,
        async () => (await runNode(BARE)).wallMs,
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
}
