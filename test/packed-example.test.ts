/**
 * The package as a user gets it (issue 12 item 5): `npm pack` (which runs `prepare`, the build into dist/, unless
 * dist/ was built after every file the build reads: `npm ci` builds it once before `npm test`, and building it
 * again here took about half of this file's time and rewrote dist/ under the tests that run it at the same time),
 * the tarball installed into a copy of examples/npm-project in a temporary folder, and that project's own `npm test`
 * (node:test through `interop-conformance/test`, its TypeScript adapter loaded by the compiled harness with tsx).
 * The children get a clean environment: not tap's loaders (NODE_OPTIONS), not the npm settings of a surrounding
 * `npm test` (npm_*), so that the project runs as it would on its own.
 * why-long: every test reads the one packed and installed project, made once at the top (seconds of npm each).
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { builtinAdapters, runConformance, type Adapter, type Delivery } from '../harness/api.js';

const run = promisify(execFile);
const ROOT = process.cwd();
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, string | Record<string, string>>;
  scripts: Record<string, string>;
};
const catalogue = /^version: (\S+)/m.exec(readFileSync(join(ROOT, 'specs/requirements.yaml'), 'utf8'))?.[1];
const CHAT = readdirSync(join(ROOT, 'scenarios', 'chat')).filter((f) => f.endsWith('.yaml'));
const ALL = readdirSync(join(ROOT, 'scenarios'), { recursive: true, encoding: 'utf8' }).filter((f) =>
  f.endsWith('.yaml'),
);

const env = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(npm_|NODE_OPTIONS$|TAP|_TAPJS)/i.test(k) && k !== 'CI'),
  ),
  _TAPJS_PROCESSINFO_COVERAGE_: '0',
};

interface Ran {
  code: number;
  /** stdout and stderr together. */
  out: string;
  stdout: string;
}

/** A command's exit code and its stdout and stderr together; a failing exit is a result, not a throw. */
async function sh(cmd: string, args: string[], cwd: string, extra: Record<string, string> = {}): Promise<Ran> {
  try {
    const r = await run(cmd, args, { cwd, env: { ...env, ...extra }, maxBuffer: 64 << 20, timeout: 240_000 });
    return { code: 0, out: r.stdout + r.stderr, stdout: r.stdout };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string; message: string };
    const out = `${x.stdout ?? ''}${x.stderr ?? ''}${x.message}`;
    return { code: typeof x.code === 'number' ? x.code : -1, out, stdout: x.stdout ?? '' };
  }
}

/** What a packed file list must not hold: tests, benchmarks, examples, TypeScript sources (declarations are fine). */
export const unwanted = (files: readonly string[]): string[] =>
  files.filter(
    (f) => /^(test|bench|examples|coverage|scratch)\//.test(f) || (/\.[cm]?ts$/.test(f) && !/\.d\.ts$/.test(f)),
  );

/** Every file an `exports` entry points at, as `npm pack` lists paths (no `./`). */
const exportTargets = (exports: Record<string, string | Record<string, string>>): string[] =>
  Object.values(exports)
    .flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v)))
    .map((p) => p.slice(2));

/** node:test's closing counts (`# tests 30`, `# pass 30`, …). */
const counts = (out: string): Record<string, number> =>
  Object.fromEntries([...out.matchAll(/^# (tests|pass|fail|skipped|todo) (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));

const work = mkdtempSync(join(tmpdir(), 'ic-packed-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

/** What `npm run build` reads (the compiled folders, its scripts, its settings) and the files it writes last. */
const BUILD_READS = [
  'specs',
  'harness',
  'adapters',
  'reports',
  'scripts',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
];
/** tsc's first output and the bundle, the build's last step: both are rewritten by every build. */
const BUILD_WRITES = ['dist/harness/cli.js', 'dist/harness/cli.bundle.js'];

/** Whether dist/ under `root` was built (to its last step) after the last change to anything the build reads. */
export function builtFromThese(root: string): boolean {
  if (!BUILD_WRITES.every((f) => existsSync(join(root, f)))) return false;
  const built = Math.min(...BUILD_WRITES.map((f) => statSync(join(root, f)).mtimeMs));
  const newest = (path: string): number => {
    if (!existsSync(path)) return 0;
    const s = statSync(path);
    if (!s.isDirectory()) return s.mtimeMs;
    return Math.max(s.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
  };
  return BUILD_READS.every((f) => newest(join(root, f)) < built);
}

// Built already from these sources: pack what is there (the build would only write the same files again).
const fresh = builtFromThese(ROOT);
const packStarted = Date.now();
const packed = await sh(
  'npm',
  ['pack', '--json', '--pack-destination', work, ...(fresh ? ['--ignore-scripts'] : [])],
  ROOT,
);
// npm's JSON is the stdout's last part: a build (prepare) that prints anything prints it before.
const listing = packed.code === 0 ? packed.stdout.slice(packed.stdout.search(/^\[/m)) : '';
const pack = listing ? (JSON.parse(listing) as { filename: string; files: { path: string }[] }[])[0] : undefined;
const files = pack?.files.map((f) => f.path) ?? [];

// Everything awaited at the top comes before the first test: tap ends a file's root test with its last queued one.
const project = join(work, 'project');
cpSync(join(ROOT, 'examples', 'npm-project'), project, {
  recursive: true,
  filter: (src) => !/(node_modules|package-lock\.json|\.tgz)$/.test(src),
});
if (pack) cpSync(join(work, pack.filename), join(project, 'interop-conformance.tgz'));
const installed = pack
  ? await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], project)
  : undefined;

t.test(
  'npm pack packs the compiled code (prepare builds dist/ unless it is built from these sources), the runtime files and the bin, no tests or sources',
  async (t) => {
    t.equal(pkg.scripts.prepare, 'npm run build', 'npm pack and npm ci build dist/ through prepare');
    t.equal(packed.code, 0, `npm pack succeeds (its build included): ${packed.code ? packed.out.slice(0, 2000) : ''}`);
    t.ok(
      fresh || statSync(join(ROOT, 'dist/harness/cli.bundle.js')).mtimeMs >= packStarted,
      fresh ? 'dist/ was built from these sources before: packed as it is' : 'the pack built dist/ (prepare)',
    );
    for (const f of [
      'package.json',
      'README.md',
      'bin/interop-conformance.js',
      'dist/harness/cli.js',
      'dist/harness/api.js',
      'dist/harness/api.d.ts',
      'dist/harness/api.js.map',
      'dist/harness/test-helper.js',
      'dist/adapters/reference/adapter.js',
      'specs/requirements.yaml',
      'specs/openapi.yaml',
      'specs/schemas/scenario.schema.json',
      'specs/schemas/report.schema.json',
      'specs/schemas/adapter-protocol/hello-request.schema.json',
    ])
      t.ok(files.includes(f), `packs ${f}`);
    t.equal(files.filter((f) => /^scenarios\/.*\.yaml$/.test(f)).length, ALL.length, `all ${ALL.length} scenarios`);
    t.same(unwanted(files), [], 'no test, bench, example or TypeScript source');
    t.same(
      unwanted(['test/cli.test.ts', 'bench/bench.ts', 'harness/api.ts', 'dist/harness/api.d.ts', 'scenarios/a.yaml']),
      ['test/cli.test.ts', 'bench/bench.ts', 'harness/api.ts'],
      'the check catches each (a faulty files list)',
    );
    // `./msw` is M's adapters/msw/index.ts: its target exists once that file does.
    const targets = exportTargets(pkg.exports).filter((p) => p !== 'package.json');
    const expected = targets.filter((p) => !p.includes('/msw/') || existsSync(join(ROOT, 'adapters/msw/index.ts')));
    t.same(
      expected.filter((p) => !files.includes(p)),
      [],
      `every export's files are packed: ${expected.join(', ')}`,
    );
  },
);

t.test(
  'dist/ counts as built from the sources only when the build ran to its end after their last change',
  async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'ic-fresh-'));
    t.teardown(() => rmSync(root, { recursive: true, force: true }));
    const at = (file: string, seconds: number) => {
      mkdirSync(join(root, file, '..'), { recursive: true });
      if (!existsSync(join(root, file))) writeFileSync(join(root, file), '');
      utimesSync(join(root, file), seconds, seconds);
    };
    for (const f of [...BUILD_READS.filter((f) => f.endsWith('.json')), 'harness/cli.ts', 'specs/schemas/a.json'])
      at(f, 100);
    for (const d of ['specs/schemas', 'specs', 'harness']) utimesSync(join(root, d), 100, 100);
    t.notOk(builtFromThese(root), 'no dist/: not built');
    at('dist/harness/cli.js', 200);
    t.notOk(builtFromThese(root), 'the bundle, the last step, missing: not built to its end');
    at('dist/harness/cli.bundle.js', 200);
    t.ok(builtFromThese(root), 'built after every source');
    at('specs/schemas/a.json', 300);
    t.notOk(builtFromThese(root), 'a schema changed since, deep in a folder: stale');
    at('specs/schemas/a.json', 100);
    at('package.json', 300);
    t.notOk(builtFromThese(root), 'package.json changed since: stale');
  },
);

t.test(`the example project's npm test passes: ${CHAT.length + 2} node:test tests`, async (t) => {
  t.equal(installed?.code, 0, `npm install of the packed tarball: ${installed?.code ? installed.out : 'ok'}`);
  const r = await sh('npm', ['test'], project);
  t.equal(r.code, 0, 'npm test exits 0');
  // The package's chat scenarios, the project's own scenario, and the gate.
  t.same(counts(r.out), { tests: CHAT.length + 2, pass: CHAT.length + 2, fail: 0, skipped: 0, todo: 0 });
  t.match(r.out, /ok \d+ - chat\/example-gateway-greets-a-skype-user: /, "the project's own scenario ran");
  t.match(r.out, /ok \d+ - the conformance gate/);
});

t.test('with EXAMPLE_FAULT=cleartext the example npm test fails, naming CHAT-005 with its evidence', async (t) => {
  // The same fault in process: the reference's deliveries with `encrypted: false`, counted here independently.
  const reference = await builtinAdapters.reference!({});
  const cleartext: Adapter = {
    name: 'cleartext',
    capabilities: reference.capabilities,
    async open(world) {
      const s = await reference.open(world);
      const clear = (d: Delivery) => (d.kind === 'message' ? { ...d, encrypted: false } : d);
      return {
        perform: (a, x) => s.perform(a, x),
        drain: async (u) => (await s.drain(u)).map(clear),
        close: () => s.close(),
      };
    },
  };
  const inProcess = await runConformance({
    adapter: cleartext,
    scenarios: ['scenarios/chat', join(project, 'scenarios')],
  });
  const failing = inProcess.run!.summary.scenarios.fail;
  t.ok(failing > 0 && failing < CHAT.length + 1, `the fault fails some scenarios but not all (${failing})`);

  const r = await sh('npm', ['test'], project, { EXAMPLE_FAULT: 'cleartext' });
  t.not(r.code, 0, 'npm test fails');
  t.same(counts(r.out), {
    tests: CHAT.length + 2,
    pass: CHAT.length + 1 - failing,
    fail: failing + 1,
    skipped: 0,
    todo: 0,
  });
  t.match(r.out, /not ok \d+ - the conformance gate/);
  t.match(r.out, /does not conform: breaks CHAT-005/, 'the failure names the requirement');
  t.match(r.out, /encrypted is false; expected true \[CHAT-005\]/, 'and the evidence: observed against expected');
  t.match(r.out, /; rule [a-z-]+\.[a-z-]+; requirements [A-Z]+-\d+/, 'and the rule that predicted the step');
  t.notMatch(r.out, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
});

t.test("the installed bin runs the compiled harness and finds the package's scenarios from the project", async (t) => {
  const version = await sh(process.execPath, ['node_modules/.bin/interop-conformance', '--version'], project);
  t.equal(version.code, 0);
  t.equal(version.out.trim(), `interop-conformance ${pkg.version} (requirement catalogue ${catalogue})`);
  t.notOk(existsSync(join(project, 'node_modules/interop-conformance/harness/cli.ts')), 'no sources: dist/ runs');
  const validate = await sh(process.execPath, ['node_modules/.bin/interop-conformance', 'validate'], project);
  t.equal(validate.code, 0, validate.out);
  t.match(validate.out, new RegExp(`^${ALL.length} scenarios valid`, 'm'));
});

t.test("the package's types check a consumer's TypeScript: the example's adapter, and catch a wrong one", async (t) => {
  // The repository's compiler and Node types, the project's installed package: what `tsc` sees in a user's project.
  // One compiler run for both files (a start of tsc costs seconds): their diagnostics are located by file.
  const wrong = readFileSync(join(project, 'adapter.ts'), 'utf8').replace(
    'capabilities: reference.capabilities',
    'capabilities: 3',
  );
  writeFileSync(join(project, 'wrong-adapter.ts'), wrong);
  const r = await sh(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      ...['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'],
      ...['--skipLibCheck', '--typeRoots', join(ROOT, 'node_modules/@types'), '--types', 'node'],
      ...['adapter.ts', 'wrong-adapter.ts'],
    ],
    project,
  );
  const errors = (out: string) => out.match(/^.*error TS\d+.*$/gm) ?? [];
  const inAdapter = (out: string) => errors(out).filter((line) => /^adapter\.ts\(/.test(line));
  t.same(inAdapter(r.out), [], "the example's adapter compiles");
  t.same(
    inAdapter('wrong-adapter.ts(1,1): error TS1: x\nadapter.ts(2,2): error TS2: y\n'),
    ['adapter.ts(2,2): error TS2: y'],
    "an error in the example's adapter is told from the wrong one's",
  );
  t.not(r.code, 0, 'a wrong adapter does not compile');
  t.equal(errors(r.out).length, 1, `one error, the wrong adapter's: ${r.out}`);
  t.match(
    r.out,
    /wrong-adapter\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'readonly Capability\[\]'/,
  );
});

t.test(
  "a .ts adapter throwing the package's WireFormatViolation fails at WIRE-001: it shares the harness's package",
  async (t) => {
    // Loaded under an import-scoped loader, the adapter would get its own copy of the package: its WireFormatViolation
    // would not be the harness's, and the step would read as an adapter error.
    writeFileSync(
      join(project, 'wire-adapter.ts'),
      `import { builtinAdapters, WireFormatViolation, type Adapter } from 'interop-conformance';
export default async (): Promise<Adapter> => {
  const reference = await builtinAdapters.reference!({});
  return {
    name: 'wrong-shape',
    capabilities: reference.capabilities,
    async open(world) {
      const s = await reference.open(world);
      const perform = async (): Promise<never> => {
        throw new WireFormatViolation('the answer breaks the API document', ['/status must be string']);
      };
      return { perform, drain: (u) => s.drain(u), close: () => s.close() };
    },
  };
};
`,
    );
    writeFileSync(
      join(project, 'wire-check.mjs'),
      `import { runConformance, scenariosDir } from 'interop-conformance';
const r = await runConformance({ adapter: './wire-adapter.ts', scenarios: scenariosDir + '/chat/first-messages-within-deadline.yaml' });
const step = r.run.scenarios[0].steps[0];
console.log(JSON.stringify({ exitCode: r.exitCode, verdict: step.verdict, requirements: step.mismatches.flatMap((m) => m.requirements) }));
`,
    );
    const r = await sh(process.execPath, ['wire-check.mjs'], project);
    t.equal(r.code, 0, r.out);
    t.same(JSON.parse(r.stdout), { exitCode: 1, verdict: 'fail', requirements: ['WIRE-001'] });
  },
);
