/**
 * `npm run build`, last: the CLI as a few files instead of a hundred modules (issue 9, cold start). A cold `run` of
 * the suite from dist/ loaded 107 files, each resolved, read and compiled on its own; esbuild bundles the compiled
 * CLI (dist/harness/cli.js) into dist/harness/cli.bundle.js, with one chunk per part a command loads only when it
 * needs it (the loader, the models, the worker pool, the http and stdio adapters…: code splitting keeps every lazy
 * import lazy, and npm packages stay packages, imported where they were). The bin runs it when installed.
 *
 * What the bundle must not change:
 * - where each module thinks it is: every `import.meta.url` of a bundled module is its compiled file's URL, so the
 *   package root, the load cache's code hash, the worker thread's entry and `createRequire` find what they found;
 *   every output file is in dist/harness/, so one relative URL each does it;
 * - identity shared with a user's code: adapters/adapter.js (`WireFormatViolation`, which a user's adapter imports
 *   from the package and the harness tests with `instanceof`) stays its compiled file, imported by the bundle;
 * - names the code reads: none reads a function's or a class's `name` (errors set theirs), so esbuild may rename
 *   what two modules both declare; `keepNames` would wrap every function made, at a cost of ~10 % of a run's CPU.
 * `node scripts/bundle-cli.mjs [DIST]` bundles another compiled tree (tests).
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist'));
const outdir = join(dist, 'harness');
/** Modules a user's code may import from the package while the CLI runs it: one copy for both. */
const SHARED = [join(dist, 'adapters', 'adapter.js')];
export const BUNDLE = /^cli\.bundle(-[A-Z0-9]+)?\.js(\.map)?$/;

const posix = (p) => p.split(sep).join('/');
const fromOut = (file) => {
  const rel = posix(relative(outdir, file));
  return rel.startsWith('.') ? rel : `./${rel}`;
};

/** Each bundled module keeps its own URL, and the shared ones stay files of their own. */
const sameModules = {
  name: 'same-modules',
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => {
      const file = resolve(args.resolveDir, args.path);
      return SHARED.includes(file) ? { path: fromOut(file), external: true } : undefined;
    });
    b.onLoad({ filter: /\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const url = `new URL(${JSON.stringify(fromOut(args.path))}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', url), loader: 'js' };
    });
  },
};

/**
 * The bundle's entry: the CLI's exports (the bin imports the bundle and calls runAsProgram), and, run as a program
 * (`node dist/harness/cli.bundle.js run`), the program: cli.js's own test of that sees its own URL, not the bundle's.
 */
const ENTRY = 'interop-conformance:cli-bundle';
const entry = {
  name: 'entry',
  setup(b) {
    b.onResolve({ filter: /^interop-conformance:cli-bundle$/ }, () => ({ path: ENTRY, namespace: 'entry' }));
    b.onLoad({ filter: /.*/, namespace: 'entry' }, () => ({
      resolveDir: outdir,
      loader: 'js',
      contents: `import { pathToFileURL } from 'node:url';
import { runAsProgram } from './cli.js';
export * from './cli.js';
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runAsProgram();
`,
    }));
  },
};

// An earlier build's chunks go first: their names are hashes, and a stale one would stay in the code's hash.
for (const f of readdirSync(outdir)) if (BUNDLE.test(f)) rmSync(join(outdir, f));
await build({
  entryPoints: { 'cli.bundle': ENTRY },
  outdir,
  chunkNames: 'cli.bundle-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  keepNames: false,
  logLevel: 'warning',
  plugins: [entry, sameModules],
});
const files = readdirSync(outdir).filter((f) => BUNDLE.test(f));
console.log(`the CLI bundled: dist/harness/cli.bundle.js and ${files.length - 1} chunks`);
