/**
 * Cold start (issue 9): a CLI process loads only what its command needs. Each case spawns the bin as a user does,
 * with a module loader hook that writes down every module loaded (node's `load` hook sees each ESM import and each
 * package entry, CommonJS ones too; what is required, at exit), and checks which packages and which adapters that
 * list holds. A control case (`--adapter http`) shows that the recorder sees a forbidden package when one is loaded;
 * a load cache's first run, that it sees the parser, the validator and the models a cache hit must not load.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { statedCatalogueVersion, versionLine } from '../harness/cli.js';
import { COMMANDS } from '../harness/commands/index.js';
import { InputError } from '../harness/diagnostics.js';
import { loadCatalogue, specsPath } from '../harness/specs-files.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'ic-cold-'));

/** Packages no reference run, validation, listing, help or version may load: each belongs to another command. */
const FORBIDDEN = ['@xstate/graph', 'fast-check', 'msw', 'node-forge', 'undici'];

// Registered before the bin registers tsx, so tsx's hooks hand every module on to this one.
writeFileSync(
  join(dir, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.IC_LOADED, url + '\\n');
  return next(url, context);
}
`,
);
writeFileSync(
  join(dir, 'record.mjs'),
  `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});
// Node 20's hooks do not see require(): what was required since (CommonJS packages such as yaml and ajv, which the
// loader requires when it first needs them) is written at exit, from the one CommonJS module cache. What tap's own
// loaders required before this module ran is not the CLI's.
const required = createRequire(import.meta.url).cache;
const before = new Set(Object.keys(required));
process.on('exit', () =>
  appendFileSync(
    process.env.IC_LOADED,
    Object.keys(required).filter((f) => !before.has(f)).map((f) => pathToFileURL(f).href + '\\n').join(''),
  ),
);
`,
);

let calls = 0;
/** The bin run with `args`: its exit code, the npm packages and the project modules it loaded. */
async function loaded(
  args: string[],
  env: Record<string, string | undefined> = { NO_COLOR: '1' },
): Promise<{ code: number; packages: string[]; modules: string[]; builtins: string[] }> {
  const file = join(dir, `loaded-${++calls}.txt`);
  writeFileSync(file, '');
  let code = 0;
  try {
    await run(process.execPath, ['--import', join(dir, 'record.mjs'), 'bin/interop-conformance.js', ...args], {
      // No coverage in the child: it runs the sources through the bin's tsx, whose code for a file differs from
      // tap's, and tap's merge of the two by URL read lines of the harness's own tests as not run (99 % → 96 %).
      env: {
        ...process.env,
        FORCE_COLOR: undefined,
        NO_COLOR: undefined,
        ...env,
        IC_LOADED: file,
        _TAPJS_PROCESSINFO_COVERAGE_: '0',
      },
    });
  } catch (e) {
    code = (e as { code: number }).code;
  }
  const urls = [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean))];
  const packages = urls
    .filter((u) => u.includes('/node_modules/'))
    .map((u) => u.split('/node_modules/').pop()!.split('/'))
    .map(([scope, name]) => (scope!.startsWith('@') ? `${scope}/${name}` : scope!));
  const root = pathToFileURL(process.cwd()).href;
  const modules = urls.filter((u) => u.startsWith(`${root}/`) && !u.includes('/node_modules/'));
  return {
    code,
    packages: [...new Set(packages)].sort(),
    modules: modules.map((u) => u.slice(root.length + 1)),
    builtins: urls.filter((u) => u.startsWith('node:')).sort(),
  };
}

const forbiddenIn = (packages: string[]) => FORBIDDEN.filter((p) => packages.includes(p));
const otherAdapters = (modules: string[]) => modules.filter((m) => /^adapters\/(http|stdio|msw)\//.test(m));

t.test(
  '--version loads the CLI and nine small modules (the heap settings among them): no command, catalogue parser or schema validator',
  async (t) => {
    const r = await loaded(['--version']);
    t.equal(r.code, 0);
    t.same(
      r.modules.sort(),
      [
        'adapters/adapter.ts',
        'bin/interop-conformance.js',
        'harness/cli.ts',
        'harness/commands/exit.ts',
        'harness/commands/help.ts',
        'harness/commands/index.ts',
        'harness/diagnostics.ts',
        'harness/heap-settings.ts',
        'reports/json-safe.ts',
        'reports/redact.ts',
        'specs/schemas/files.ts',
      ],
      'exactly these modules of the project',
    );
    t.same(r.packages, ['esbuild', 'tsx'], 'of the npm packages, only tsx (the clone runs sources), none of its own');
  },
);

// Each with a load cache of its own, empty: what a first run loads (a cache hit loads less still, below).
for (const args of [
  ['--help'],
  ['run', '--help'],
  ['validate', '--cache-dir', join(dir, 'cache-validate')],
  ['list', '--cache-dir', join(dir, 'cache-list')],
  ['run', 'scenarios/chat', '--reporter', 'json', '--out', join(dir, 'report'), '--cache-dir', join(dir, 'cache-run')],
]) {
  t.test(
    `${args.slice(0, 2).join(' ')}: none of ${FORBIDDEN.join(', ')}, and no http, stdio or msw adapter`,
    async (t) => {
      const r = await loaded(args);
      t.equal(r.code, 0, 'it succeeds');
      t.same(forbiddenIn(r.packages), [], 'no package of another command');
      t.same(otherAdapters(r.modules), [], 'no adapter but the reference');
      if (args[0] === 'run' && args[1] !== '--help') {
        // The recorder saw the run: the reference it ran against and the models that predicted it.
        t.ok(r.modules.includes('adapters/reference/adapter.ts'), 'the reference was loaded');
        t.ok(r.packages.includes('xstate'), 'the models were loaded (the cache was empty)');
      }
    },
  );
}

/** The packages a load cache hit must not load: the YAML parser, the schema validator and the models' library. */
const LOADING = ['ajv', 'ajv-formats', 'xstate', 'yaml'];
/** The project's modules that parse, validate and predict: a cache hit loads none of them either. */
const loaders = (modules: string[]) =>
  modules.filter((m) => /^(harness\/(load|oracle|world|expectations)\.ts|harness\/oracle\/|specs\/models\/)/.test(m));

t.test(
  'a run whose scenarios all come from the load cache loads no YAML parser, schema validator, model or xstate',
  async (t) => {
    const cache = ['--cache-dir', join(dir, 'cache-hit')];
    const run = ['run', 'scenarios/chat', '--reporter', 'json,junit,markdown,html', '--out', join(dir, 'hit')];
    const first = await loaded([...run, ...cache]);
    t.equal(first.code, 0, 'the first run fills the cache');
    // The control: loading fresh, the recorder sees each package and module this test forbids a hit.
    t.same(
      LOADING.filter((p) => first.packages.includes(p)),
      LOADING,
      'a miss loads all four',
    );
    t.ok(loaders(first.modules).includes('harness/load.ts'), 'and the loader');
    for (const args of [run, ['validate', 'scenarios/chat'], ['list', 'scenarios/chat']]) {
      const hit = await loaded([...args, ...cache]);
      t.equal(hit.code, 0, `${args[0]} succeeds`);
      t.same(
        LOADING.filter((p) => hit.packages.includes(p)),
        [],
        `${args[0]}: none of ${LOADING.join(', ')}`,
      );
      t.same(loaders(hit.modules), [], `${args[0]}: no loader, oracle or model`);
    }
  },
);

/** Built-in modules only a server command (`--server`) needs: an HTTP client and child processes (~5.6 ms cold). */
const SERVER_IO = ['node:child_process', 'node:http', 'node:https'];

t.test(
  'a run without --server loads no HTTP client nor child_process, and no colour library where none can paint',
  async (t) => {
    const run = ['run', 'scenarios/chat', '--reporter', 'json', '--out', join(dir, 'plain')];
    const r = await loaded(run);
    t.equal(r.code, 0);
    t.same(
      r.builtins.filter((b) => SERVER_IO.includes(b)),
      [],
      'none of node:child_process, node:http, node:https',
    );
    t.notOk(r.packages.includes('picocolors'), 'no picocolors: NO_COLOR, and no terminal');
    // The controls: the recorder sees both when they are loaded.
    const painted = await loaded(run, { FORCE_COLOR: '1' });
    t.ok(painted.packages.includes('picocolors'), 'FORCE_COLOR: picocolors decides');
    const served = await loaded([...run, '--server', 'exit 7', '--url', 'http://127.0.0.1:9/'], { NO_COLOR: '1' });
    t.not(served.code, 0, 'a server command that exits: no run');
    t.same(
      served.builtins.filter((b) => SERVER_IO.includes(b)),
      SERVER_IO,
      '--server: all three, and seen to be',
    );
  },
);

t.test('the control: a run asked for the http adapter loads undici and the adapter, and is seen to', async (t) => {
  const r = await loaded(['run', 'scenarios/chat', '--adapter', 'http', '--out', join(dir, 'http')]);
  t.equal(r.code, 2, 'no --url: a usage error, once the adapter module is loaded');
  t.same(forbiddenIn(r.packages), ['undici']);
  t.ok(otherAdapters(r.modules).includes('adapters/http/adapter.ts'));
});

t.test("each command's help in commands/index.ts is what its module says of itself", async (t) => {
  t.equal(COMMANDS.length, 8);
  for (const { load, ...info } of COMMANDS) {
    const { name, summary, usage, options } = await load();
    t.same({ name, summary, usage, options }, info, info.name);
  }
});

t.test('the version line of a catalogue is read as the YAML parser reads it, or left to the parser', async (t) => {
  const catalogue = readFileSync(specsPath('requirements.yaml'), 'utf8');
  t.equal(statedCatalogueVersion(catalogue), loadCatalogue().version, 'the catalogue itself');
  const settled = [
    'version: 1.2.0\n',
    '# a comment\nversion: "10.0.3"   # why\nrequirements: []\n',
    "requirements:\n  - id: X\n    text: |\n      version: 9.9.9\nversion: '0.4.1'\n",
  ];
  for (const text of settled) t.equal(statedCatalogueVersion(text), parse(text).version, JSON.stringify(text));
  const unsettled = {
    'no version line': 'requirements: []\n',
    'two version lines': 'version: 1.0.0\nversion: 2.0.0\n',
    'a quoted key beside it': 'version: 1.0.0\n"version": 2.0.0\n',
    'a number, not a semver': 'version: 1.2\n',
    'a # that is no comment': 'version: 1.2.0#x\n',
    'mismatched quotes': `version: "1.2.0'\n`,
    'a second document': 'version: 1.0.0\n---\nversion: 2.0.0\n',
  };
  for (const [why, text] of Object.entries(unsettled)) t.equal(statedCatalogueVersion(text), undefined, why);
});

t.test('a catalogue whose version line cannot settle it is loaded, and its problem said', async (t) => {
  const file = join(dir, 'requirements.yaml');
  const catalogue = readFileSync(specsPath('requirements.yaml'), 'utf8');
  writeFileSync(file, catalogue.replace(/^version: .*$/m, 'version: 1.3')); // a number to YAML
  const e = await versionLine(file).catch((e: unknown) => e);
  t.ok(e instanceof InputError, 'the schema check ran');
  const line = catalogue.split('\n').findIndex((l) => l.startsWith('version:')) + 1;
  t.same((e as InputError).diagnostics, [{ file, line, col: 10, message: 'expected string; got number' }]);
  writeFileSync(file, catalogue.replace(/^version: .*$/m, 'version: 1.3.0'));
  t.match(await versionLine(file), /^interop-conformance \d+\.\d+\.\d+ \(requirement catalogue 1\.3\.0\)$/);
});
