/**
 * The CLI bundled (scripts/bundle-cli.mjs, the last step of `npm run build`; issue 9, cold start): a cold run loads
 * the bundle's files instead of a hundred compiled modules, and nothing else changes. The compiled tree of dist/ is
 * copied into a package of its own in a temporary folder and bundled there, so the test needs `npm run build` to
 * have compiled dist/ (npm ci does) and never touches the repository's dist/. The children run with a clean
 * environment (no tap loaders, no coverage: they run compiled code).
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = process.cwd();
const BUNDLE = /^cli\.bundle(-[A-Z0-9]+)?\.js(\.map)?$/;
const work = mkdtempSync(join(tmpdir(), 'ic-bundle-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));
const pkg = join(work, 'pkg');

const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NODE_OPTIONS|NODE_V8_COVERAGE)$/.test(k))),
  _TAPJS_PROCESSINFO_COVERAGE_: '0',
  NO_COLOR: '1',
};

/** `node args` in the package: its exit code and output; a failing exit is a result. */
async function node(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, args, { cwd: pkg, env: { ...env, ...extra }, maxBuffer: 32 << 20 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

const built = existsSync(join(ROOT, 'dist', 'harness', 'cli.js'));
if (!built && process.env.CI === 'true') t.fail('dist/ is not built (npm run build): the bundle cannot be tested');

// The package as installed: its package.json, data files and dependencies, and dist/ as tsc compiled it.
if (built) {
  mkdirSync(pkg);
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true, filter: (f) => !BUNDLE.test(f.split('/').pop()!) });
  for (const d of ['node_modules', 'specs', 'scenarios']) symlinkSync(join(ROOT, d), join(pkg, d));
}
const bundled = built ? await node([join(ROOT, 'scripts', 'bundle-cli.mjs'), join(pkg, 'dist')]) : undefined;

// Registered first, so every module the CLI loads passes through it; what is required is written at exit.
writeFileSync(
  join(work, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.IC_LOADED, url + '\\n');
  return next(url, context);
}
`,
);
writeFileSync(
  join(work, 'record.mjs'),
  `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
register(${JSON.stringify(pathToFileURL(join(work, 'hooks.mjs')).href)});
const required = createRequire(import.meta.url).cache;
process.on('exit', () =>
  appendFileSync(process.env.IC_LOADED, Object.keys(required).map((f) => pathToFileURL(f).href + '\\n').join('')),
);
`,
);

let calls = 0;
/** A CLI run with the recorder: its exit code, the package's files it loaded and the npm packages. */
async function loaded(cli: string, args: string[]): Promise<{ code: number; files: string[]; packages: string[] }> {
  const file = join(work, `loaded-${++calls}.txt`);
  writeFileSync(file, '');
  const r = await node(['--import', join(work, 'record.mjs'), cli, ...args], { IC_LOADED: file });
  const urls = [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean))];
  const root = `${pathToFileURL(pkg).href}/`;
  const packages = urls
    .filter((u) => u.includes('/node_modules/'))
    .map((u) => u.split('/node_modules/').pop()!.split('/'))
    .map(([scope, name]) => (scope!.startsWith('@') ? `${scope}/${name}` : scope!));
  const files = urls.filter((u) => u.startsWith(root)).map((u) => u.slice(root.length));
  return { code: r.code, files: files.sort(), packages: [...new Set(packages)].sort() };
}

const LOADING = ['ajv', 'ajv-formats', 'xstate', 'yaml'];
const isBundle = (f: string) => f.startsWith('dist/harness/') && BUNDLE.test(f.slice('dist/harness/'.length));

t.test(
  'the build bundles the compiled CLI into dist/harness/cli.bundle.js and its chunks',
  { skip: !built },
  async (t) => {
    t.equal(bundled!.code, 0, bundled!.out);
    t.match(bundled!.out, /^the CLI bundled: dist\/harness\/cli\.bundle\.js and \d+ chunks$/m);
    t.ok(existsSync(join(pkg, 'dist', 'harness', 'cli.bundle.js')));
  },
);

t.test(
  'a cached run from the bundle loads bundle files and the shared adapters/adapter.js, no loader package',
  { skip: !built },
  async (t) => {
    const args = [
      'run',
      'scenarios/chat',
      '--reporter',
      'json',
      '--out',
      join(work, 'out'),
      '--cache-dir',
      join(work, 'c'),
    ];
    const first = await loaded('dist/harness/cli.bundle.js', args);
    t.equal(first.code, 0, 'the first run fills the cache');
    t.same(
      LOADING.filter((p) => first.packages.includes(p)),
      LOADING,
      'the control: a miss loads the loader packages, through the chunks that import them',
    );
    const hit = await loaded('dist/harness/cli.bundle.js', args);
    t.equal(hit.code, 0);
    t.same(
      LOADING.filter((p) => hit.packages.includes(p)),
      [],
      'a hit loads none of them',
    );
    t.same(
      hit.files.filter((f) => !isBundle(f)),
      ['dist/adapters/adapter.js'],
      'of the compiled modules only the one shared with users',
    );
    const unbundled = await loaded('dist/harness/cli.js', args);
    // The control: the compiled modules' own run is seen loading them, and no bundle file.
    t.same(unbundled.files.filter(isBundle), [], 'dist/harness/cli.js loads no bundle file');
    t.ok(
      unbundled.files.includes('dist/harness/commands/run.js'),
      'but the compiled run command, which the bundle holds',
    );
  },
);

/** report.json without what differs from run to run: the run id, times, durations and latencies. */
const stable = (file: string) =>
  JSON.stringify(JSON.parse(readFileSync(file, 'utf8')), (k, v: unknown) =>
    /^(runId|startedAt|durationMs|latency|latenciesMs|systemLatenciesMs)$/.test(k) ? undefined : v,
  );

t.test(
  'the bundle and the compiled modules write the same report; --version and the bin agree',
  { skip: !built },
  async (t) => {
    const out = (d: string) => ['run', 'scenarios/chat', '--reporter', 'json', '--out', join(work, d), '--no-cache'];
    t.equal((await node(['dist/harness/cli.js', ...out('modules')])).code, 0);
    t.equal((await node(['dist/harness/cli.bundle.js', ...out('bundle')])).code, 0);
    t.equal(stable(join(work, 'bundle', 'report.json')), stable(join(work, 'modules', 'report.json')));
    const version = await node(['dist/harness/cli.bundle.js', '--version']);
    t.equal(version.out, (await node(['dist/harness/cli.js', '--version'])).out);
    t.match(version.out, /^interop-conformance \d+\.\d+\.\d+ \(requirement catalogue /);
    // The installed bin (no sources beside it) runs the bundle.
    mkdirSync(join(pkg, 'bin'));
    cpSync(join(ROOT, 'bin', 'interop-conformance.js'), join(pkg, 'bin', 'interop-conformance.js'));
    const viaBin = await loaded('bin/interop-conformance.js', ['--version']);
    t.equal(viaBin.code, 0);
    t.ok(viaBin.files.includes('dist/harness/cli.bundle.js') && !viaBin.files.includes('dist/harness/cli.js'));
  },
);

t.test(
  "a user's adapter throwing the package's WireFormatViolation fails at WIRE-001 under the bundle: one class for both",
  { skip: !built },
  async (t) => {
    const adapter = (from: string) => `import { builtinAdapters } from 'interop-conformance';
import { WireFormatViolation } from '${from}';
export default async () => {
  const reference = await builtinAdapters.reference({});
  return {
    name: 'wrong-shape',
    capabilities: reference.capabilities,
    async open(world) {
      const s = await reference.open(world);
      const perform = async () => { throw new WireFormatViolation('the answer breaks the API document', ['/status']); };
      return { perform, drain: (u) => s.drain(u), close: () => s.close() };
    },
  };
};
`;
    writeFileSync(join(pkg, 'wire-adapter.mjs'), adapter('interop-conformance'));
    // The faulty case the test tells apart: a WireFormatViolation of another copy of the module is not the harness's.
    cpSync(join(pkg, 'dist', 'adapters', 'adapter.js'), join(pkg, 'copy-of-adapter.js'));
    writeFileSync(join(pkg, 'other-adapter.mjs'), adapter('./copy-of-adapter.js'));
    const step = async (file: string, out: string) => {
      const r = await node([
        'dist/harness/cli.bundle.js',
        ...['run', 'scenarios/chat/first-messages-within-deadline.yaml', '--adapter', file],
        ...['--reporter', 'json', '--out', join(work, out), '--no-cache'],
      ]);
      const s = JSON.parse(readFileSync(join(work, out, 'report.json'), 'utf8')).scenarios[0].steps[0];
      return {
        code: r.code,
        verdict: s.verdict,
        requirements: s.mismatches.flatMap((m: { requirements: string[] }) => m.requirements),
      };
    };
    t.same(await step('./wire-adapter.mjs', 'wire'), { code: 1, verdict: 'fail', requirements: ['WIRE-001'] });
    t.match(
      await step('./other-adapter.mjs', 'other'),
      { verdict: 'error' },
      'another copy of the class: an adapter error',
    );
  },
);

t.test("the package's exports resolve to files of dist/", { skip: !built }, async (t) => {
  const r = await node([
    '--input-type=module',
    '-e',
    `for (const s of ['interop-conformance', 'interop-conformance/test', 'interop-conformance/msw', 'interop-conformance/package.json']) console.log(import.meta.resolve(s));`,
  ]);
  t.equal(r.code, 0, r.out);
  t.same(
    r.out
      .trim()
      .split('\n')
      .map((u) => u.slice(pathToFileURL(pkg).href.length + 1)),
    ['dist/harness/api.js', 'dist/harness/test-helper.js', 'dist/adapters/msw/index.js', 'package.json'],
  );
  const api = await node([
    '--input-type=module',
    '-e',
    `const m = await import('interop-conformance'); console.log(typeof m.runConformance)`,
  ]);
  t.equal(api.out.trim(), 'function', 'the API imports');
});
