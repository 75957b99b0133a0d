/**
 * Cold processes, as users start them: a `run` of the suite and `--version`, each through the clone's bin (tsx,
 * the TypeScript sources) and through dist/harness/cli.js (what an installed package runs), against `node -e 0`
 * started right after it (one pair). Reports go to a temporary folder; the default reporters are written.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode, ROOT } from './child.js';
import type { Paired } from './stats.js';
import { emptyPaired, pair } from './stats.js';

export const CLIS = { bin: 'bin/interop-conformance.js', dist: 'dist/harness/cli.js' } as const;
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

/** The comparisons of one kind (`run` or `version`) for every available CLI, their pairs not yet taken. */
export function coldComparisons(kind: 'run' | 'version', suite: string): ColdComparison[] {
  return availableClis().map((cli) => ({
    id: `${kind}-${cli}`,
    a: kind === 'run' ? `node ${CLIS[cli]} run ${suite}` : `node ${CLIS[cli]} --version`,
    b: 'node -e 0',
    paired: emptyPaired(),
  }));
}

/** One pair of each comparison, in order: A B A B … across the comparisons of a round. */
export async function coldRound(comparisons: readonly ColdComparison[], suite: string): Promise<void> {
  for (const c of comparisons) {
    const [kind, cli] = c.id.split('-') as ['run' | 'version', Cli];
    const out = mkdtempSync(join(tmpdir(), 'ic-bench-cold-'));
    try {
      // Exit 1 is a not-conformant suite: still a whole run, and the bench times runs, not verdicts.
      const args = kind === 'run' ? [CLIS[cli], 'run', suite, '--out', out] : [CLIS[cli], '--version'];
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
