/**
 * What the validators compiled ahead save a load: `node --import tsx bench/validators-ahead.ts [PAIRS]` times
 * `dist/harness/cli.js validate --no-cache` (every scenario parsed, schema-checked and predicted; the catalogue too)
 * as built, against the same dist/ in a copy of the package without dist/validators/ (so each schema is compiled at
 * run time), in interleaved pairs (7 by default); prints the median ratio and its spread.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode, ROOT } from './child.js';
import { emptyPaired, pair, ratioText, spread } from './stats.js';

const pairs = Number(process.argv[2] ?? 7);
if (!existsSync(join(ROOT, 'dist', 'validators'))) throw new Error('no dist/validators: run npm run build first');
const copy = mkdtempSync(join(tmpdir(), 'ic-bench-validators-'));
try {
  // The package root is the folder of the nearest package.json above dist/: the copy's own, with no validators.
  writeFileSync(join(copy, 'package.json'), JSON.stringify({ name: 'interop-conformance', type: 'module' }));
  for (const d of ['specs', 'scenarios', 'node_modules']) symlinkSync(join(ROOT, d), join(copy, d));
  cpSync(join(ROOT, 'dist'), join(copy, 'dist'), {
    recursive: true,
    filter: (f) => !f.startsWith(join(ROOT, 'dist', 'validators')) && !f.endsWith('.map'),
  });
  const validate = (root: string) => async () =>
    (await runNode([join(root, 'dist/harness/cli.js'), 'validate', 'scenarios', '--no-cache'])).wallMs;
  const p = emptyPaired();
  for (let i = 0; i < pairs; i++) await pair(p, validate(ROOT), validate(copy));
  console.log(
    `validate --no-cache, validators compiled ahead / compiled at run time, ${pairs} pairs: ${ratioText(spread(p.ratios))}; ` +
      `A ${spread(p.aMs).median.toFixed(0)} ms, B ${spread(p.bMs).median.toFixed(0)} ms`,
  );
} finally {
  rmSync(copy, { recursive: true, force: true });
}
