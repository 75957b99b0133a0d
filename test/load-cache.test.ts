/**
 * The load cache (harness/load-cache.ts): what it serves is exactly what a fresh load gives; an edited scenario or a
 * changed specification is loaded again; a torn, corrupt or foreign entry is a miss, never a crash or a wrong
 * scenario; two runs sharing it both succeed; --no-cache writes nothing; a file with problems says them the same
 * way, cached or not. In process for the loads, with the CLI (as users run it) for the reports.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isDeepStrictEqual } from 'node:util';
import { prepareLoader, type CachedLoader } from '../harness/cached-loader.js';
import { main } from '../harness/cli.js';
import { defaultCacheDir, LoadCache, specificationHash, versionOf } from '../harness/load-cache.js';
import { findScenarioFiles, loadScenarios, type Scenario } from '../harness/load.js';
import { loadCatalogue } from '../harness/specs-files.js';
import { PACKAGE_ROOT } from '../specs/schemas/files.js';

const root = mkdtempSync(join(tmpdir(), 'ic-load-cache-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const catalogue = loadCatalogue();

/** A suite of three chat scenarios of the package, copied under `<dir>/scenarios/chat/`. */
function suite(name: string): string {
  const dir = join(root, name, 'scenarios');
  mkdirSync(join(dir, 'chat'), { recursive: true });
  for (const f of [
    'teams-to-skype-after-accept',
    'skype-to-teams-after-accept',
    'group-chat-refused-starts-no-request',
  ])
    cpSync(join(PACKAGE_ROOT, 'scenarios', 'chat', `${f}.yaml`), join(dir, 'chat', `${f}.yaml`));
  return dir;
}

/** The loader through a cache at `dir` and what it loads of `paths`. */
async function cachedLoad(dir: string, paths: string[], specification?: string) {
  const loader = (await prepareLoader({ dir, paths, ...(specification ? { specification } : {}) })) as CachedLoader;
  const loaded = loader.scenarios(findScenarioFiles(paths), loader.catalogue().requirements);
  return { ...loaded, catalogue: loader.catalogue(), counts: { ...loader.counts } };
}

/** The files of a cache folder's one specification subfolder. */
const entries = (dir: string): string[] => {
  const folders = readdirSync(dir).filter((d) => d !== 'stamps.json'); // the files' stamps: file-stamps.ts
  return folders.length === 1 ? readdirSync(join(dir, folders[0]!)) : [`${folders.length} specification folders`];
};

/** The specification subfolders of a cache folder. */
const specFolders = (dir: string): string[] => readdirSync(dir).filter((d) => d.startsWith('spec-'));

const fresh = (paths: string[]) => loadScenarios(findScenarioFiles(paths), catalogue.requirements);

t.test('a cached load gives exactly what a fresh load gives, for every scenario of the package', async (t) => {
  const dir = join(root, 'cache-all');
  const expected = fresh(['scenarios']);
  const first = await cachedLoad(dir, ['scenarios']);
  t.same(
    first.counts,
    { hits: 0, loaded: 163, written: 165 },
    'first: 163 loaded; each, the suite, the catalogue kept',
  );
  const second = await cachedLoad(dir, ['scenarios']);
  t.same(second.counts, { hits: 163, loaded: 0, written: 0 }, 'then every scenario comes from the cache');
  t.ok(isDeepStrictEqual(second.scenarios, expected.scenarios), 'the same scenarios, prototypes included');
  t.ok(isDeepStrictEqual(second.catalogue, catalogue), 'the same catalogue');
  t.same(second.problems, []);
  // The comparison can fail: one prediction changed is a difference.
  const altered = structuredClone(second.scenarios);
  altered[0]!.steps[0]!.prediction.requirements.push('X-1');
  t.notOk(isDeepStrictEqual(altered, expected.scenarios), 'an altered prediction is seen');
});

t.test('an edited scenario is loaded again, and only it; another specification misses everything', async (t) => {
  const paths = [suite('edit')];
  const dir = join(root, 'cache-edit');
  t.same((await cachedLoad(dir, paths)).counts, { hits: 0, loaded: 3, written: 5 });
  const file = join(paths[0]!, 'chat', 'teams-to-skype-after-accept.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('Thanks for accepting.', 'Thanks for accepting, Sam.'));
  const edited = await cachedLoad(dir, paths);
  t.same(edited.counts, { hits: 2, loaded: 1, written: 2 }, 'the edited file and the new suite entry');
  t.ok(isDeepStrictEqual(edited.scenarios, fresh(paths).scenarios), 'as a fresh load of the edited suite');
  t.match(JSON.stringify(edited.scenarios), /Thanks for accepting, Sam\./);
  t.same((await cachedLoad(dir, paths, 'another specification')).counts, { hits: 0, loaded: 3, written: 5 });
  t.same(
    specFolders(dir).length,
    2,
    "the other specification's entries stay (the clone's sources and dist/ hash differently): two folders",
  );
  t.same((await cachedLoad(dir, paths)).counts, { hits: 3, loaded: 0, written: 0 }, 'back to the first: all hits');
  // Written in turn, 5 more specifications: the current one and the 3 most recently written others are kept.
  for (const n of [1, 2, 3, 4, 5]) {
    await cachedLoad(dir, paths, `specification ${n}`);
    await new Promise((r) => setTimeout(r, 15)); // folders' mtimes apart
  }
  t.equal(specFolders(dir).length, 4, 'the current specification and the 3 written last');
  t.same((await cachedLoad(dir, paths, 'specification 2')).counts.hits, 3, 'one of the 3 kept: hits');
  t.same((await cachedLoad(dir, paths, 'specification 1')).counts.hits, 0, 'the oldest went: misses');
  const foreign = join(dir, 'not-a-specification');
  mkdirSync(foreign);
  await cachedLoad(dir, paths);
  t.ok(existsSync(foreign), 'a folder the cache did not make is never removed');
});

t.test('the loader holds no scenario it has served: asked again, it reads it again, the same', async (t) => {
  const paths = [suite('served')];
  const dir = join(root, 'cache-served');
  await cachedLoad(dir, paths); // fills the cache
  const loader = (await prepareLoader({ dir, paths })) as CachedLoader;
  const files = findScenarioFiles(paths);
  let first: Scenario[] | undefined = loader.scenarios(files, loader.catalogue().requirements).scenarios;
  const refs = first.map((s) => new WeakRef(s));
  const again = loader.scenarios(files, loader.catalogue().requirements).scenarios;
  t.ok(isDeepStrictEqual(again, first), 'read again, equal');
  t.same(loader.counts, { hits: 6, loaded: 0, written: 0 });
  first = undefined;
  await new Promise((r) => setImmediate(r)); // a WeakRef holds its target to the end of the job that made it
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  t.equal(refs.filter((r) => r.deref() !== undefined).length, 0, 'none of the 3 served first is alive');
});

t.test('the specification hash changes with any file of harness/ or specs/ the loader may run or read', async (t) => {
  const pkg = join(root, 'spec-hash');
  const files = {
    'package.json': '{"version":"1.0.0"}',
    'harness/load.ts': 'export {};',
    'harness/oracle/step.ts': 'export {};',
    'harness/load.d.ts': 'export {};',
    'specs/requirements.yaml': 'version: 1.0.0',
    'specs/schemas/scenario.schema.json': '{}',
    'specs/PROTOCOL.md': '# the protocol',
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(pkg, f, '..'), { recursive: true });
    writeFileSync(join(pkg, f), text);
  }
  const hash = () => specificationHash(pkg, pkg, '.ts');
  const before = hash();
  const changes = (f: string, text: string) => {
    writeFileSync(join(pkg, f), text);
    const h = hash();
    writeFileSync(join(pkg, f), files[f as keyof typeof files] ?? '');
    if (!(f in files)) rmSync(join(pkg, f));
    return h !== before;
  };
  t.ok(changes('harness/oracle/step.ts', 'export const x = 1;'), 'an oracle module');
  t.ok(changes('harness/new.ts', 'export {};'), 'a new harness module');
  t.ok(changes('specs/requirements.yaml', 'version: 1.0.1'), 'the catalogue');
  t.ok(changes('specs/schemas/scenario.schema.json', '{"type":"object"}'), 'a schema');
  t.ok(changes('package.json', '{"version":"1.0.1"}'), 'the version');
  t.notOk(changes('specs/PROTOCOL.md', '# edited'), 'not the prose');
  t.notOk(changes('harness/load.d.ts', 'export type X = 1;'), 'nor declarations');
  t.equal(hash(), before, 'and the same files give the same hash');
  t.equal(versionOf('no-such-package-here'), '?', 'a library that cannot be found is named as such');
});

t.test('a library counts by the version an import from the harness finds: the nearest node_modules up', async (t) => {
  const pkg = (dir: string, name: string, version: string) => {
    mkdirSync(join(dir, 'node_modules', name), { recursive: true });
    writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version }));
  };
  const top = join(root, 'versions');
  const inner = join(top, 'app', 'dist', 'harness');
  mkdirSync(inner, { recursive: true });
  pkg(top, 'yaml', '1.0.0');
  pkg(join(top, 'app'), 'yaml', '2.0.0');
  pkg(join(top, 'app'), 'ajv', '3.0.0');
  mkdirSync(join(top, 'app', 'dist', 'node_modules', 'ajv'), { recursive: true });
  writeFileSync(join(top, 'app', 'dist', 'node_modules', 'ajv', 'package.json'), '{"name":"not-ajv","version":"9"}');
  t.equal(versionOf('yaml', inner), '2.0.0', 'the nearer of two installs');
  t.equal(versionOf('ajv', inner), '3.0.0', 'past a folder of that name holding another package');
  t.equal(versionOf('xstate', inner), '?', 'none installed above: said as such');
  const installed = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'node_modules', 'yaml', 'package.json'), 'utf8'));
  t.equal(versionOf('yaml'), installed.version, "from the harness's own folder, the package's install");
});

t.test('a torn, corrupt or foreign entry is a miss: loaded fresh and written again', async (t) => {
  const paths = [suite('corrupt')];
  const dir = join(root, 'cache-corrupt');
  await cachedLoad(dir, paths);
  const cache = new LoadCache(dir);
  const files = findScenarioFiles(paths);
  const keys = files.map((f) => cache.scenarioKey(f, readFileSync(f, 'utf8'), catalogue.requirements));
  const [a, b, c] = keys.map((k) => cache.file(k)) as [string, string, string];
  const text = readFileSync(a, 'utf8');
  writeFileSync(a, text.slice(0, text.length / 2)); // torn
  writeFileSync(b, readFileSync(b, 'utf8').replace('"steps"', '"stepz"')); // its body no longer has its hash
  writeFileSync(c, text); // another file's entry under this name
  writeFileSync(cache.file(cache.suiteKey(keys)), '{');
  writeFileSync(cache.file(cache.catalogueKey(join(PACKAGE_ROOT, 'specs', 'requirements.yaml'))), '');
  const again = await cachedLoad(dir, paths);
  t.same(again.counts, { hits: 0, loaded: 3, written: 5 }, 'all three loaded fresh; they, the suite, the catalogue');
  t.ok(isDeepStrictEqual(again.scenarios, fresh(paths).scenarios), 'and right');
  t.same((await cachedLoad(dir, paths)).counts, { hits: 3, loaded: 0, written: 0 }, 'then served again');
});

t.test('only what JSON gives back exactly is kept; objects without a prototype come back so', async (t) => {
  const cache = new LoadCache(join(root, 'cache-values'), 'spec');
  t.notOk(cache.write('a', { left: undefined }), 'an undefined property is not kept');
  t.notOk(cache.write('b', { users: new Map([['sue', 1]]) }), 'nor a Map');
  t.equal(cache.read('a'), undefined);
  const users = Object.assign(Object.create(null) as object, { sue: { platform: 'skype' } });
  t.ok(cache.write('c', [{ world: { users } }]));
  const back = cache.read('c') as [{ world: { users: object } }];
  t.equal(Object.getPrototypeOf(back[0].world.users), null, 'users without a prototype, as the loader makes them');
  t.ok(isDeepStrictEqual(back, [{ world: { users } }]));
  writeFileSync(join(root, 'a-file'), '');
  t.notOk(new LoadCache(join(root, 'a-file'), 'spec').write('d', 1), 'a folder that cannot be made: no cache');
});

t.test('the default folder is node_modules/.cache of the nearest package; a file appearing late is said', async (t) => {
  mkdirSync(join(root, 'project', 'sub'), { recursive: true });
  writeFileSync(join(root, 'project', 'package.json'), '{}');
  t.equal(defaultCacheDir(join(root, 'project', 'sub')), join(root, 'project/node_modules/.cache/interop-conformance'));
  t.equal(defaultCacheDir('/'), join(PACKAGE_ROOT, 'node_modules/.cache/interop-conformance'), 'else the package');
  const paths = [suite('late')];
  const dir = join(root, 'cache-late');
  await cachedLoad(dir, paths);
  const loader = await prepareLoader({ dir, paths });
  const late = join(paths[0]!, 'chat', 'late.yaml');
  cpSync(join(paths[0]!, 'chat', 'teams-to-skype-after-accept.yaml'), late);
  const unlisted = await prepareLoader({ dir, paths: [join(root, 'no-such-folder')] });
  t.equal(unlisted.catalogue().version, catalogue.version, 'a selection that cannot be listed is left to the command');
  t.throws(() => loader.scenarios([late], loader.catalogue().requirements), {
    message: 'a scenario file appeared while the suite was loading; run the command again',
  });
});

t.test('an empty --cache-dir is a usage error, not entries in the working folder', async (t) => {
  const stderr: string[] = [];
  const io = { stdout: process.stdout, stderr: { write: (l: string) => stderr.push(l) } as never, env: {} };
  t.equal(await main(['validate', '--cache-dir', ' '], io), 2);
  t.match(stderr.join(''), /--cache-dir needs a folder name/);
});

const exec = promisify(execFile);
/** The CLI as a user runs it: exit code, stdout and stderr. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, ['bin/interop-conformance.js', ...args], {
      env: { ...process.env, NO_COLOR: '1', _TAPJS_PROCESSINFO_COVERAGE_: '0' },
    });
    return { code: 0, ...r };
  } catch (e) {
    const { code, stdout, stderr } = e as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/** report.json without what differs between any two runs: the run id, times, durations and latencies. */
const report = (out: string): unknown =>
  JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'), (k, v: unknown) =>
    ['runId', 'startedAt', 'durationMs', 'latency', 'latenciesMs', 'systemLatenciesMs'].includes(k) ? undefined : v,
  );

t.test('a cached and a fresh run write the same report.json; --no-cache writes no cache', async (t) => {
  const paths = [suite('cli')];
  const dir = join(root, 'cache-cli');
  const run = (out: string, ...more: string[]) => cli(['run', ...paths, '--reporter', 'json', '--out', out, ...more]);
  t.equal((await run(join(root, 'r-fresh'), '--no-cache', '--cache-dir', dir)).code, 0);
  t.notOk(existsSync(dir), '--no-cache: no folder, no entry');
  t.equal((await run(join(root, 'r-fill'), '--cache-dir', dir)).code, 0);
  t.equal(entries(dir).length, 6, 'the control: without it, 3 scenarios, the suite, the catalogue, the graphs');
  t.equal((await run(join(root, 'r-hit'), '--cache-dir', dir)).code, 0);
  const expected = report(join(root, 'r-fresh'));
  t.same(report(join(root, 'r-fill')), expected, 'filling the cache');
  t.same(report(join(root, 'r-hit')), expected, 'served from it');
});

t.test('two runs sharing one cache at once both succeed, and leave it whole', async (t) => {
  const paths = [suite('shared')];
  const dir = join(root, 'cache-shared');
  const both = await Promise.all(
    ['r-one', 'r-two'].map((out) =>
      cli(['run', ...paths, '--reporter', 'json', '--out', join(root, out), '--cache-dir', dir]),
    ),
  );
  t.same(
    both.map((r) => r.code),
    [0, 0],
  );
  t.same(report(join(root, 'r-one')), report(join(root, 'r-two')));
  t.same(
    entries(dir).filter((f) => !f.endsWith('.json')),
    [],
    'no temporary file left',
  );
  t.same((await cachedLoad(dir, paths)).counts, { hits: 3, loaded: 0, written: 0 }, 'every entry whole');
});

t.test('a file with problems says them the same way, file:line:col, cached or not, and is never kept', async (t) => {
  const paths = [suite('broken')];
  const chat = join(paths[0]!, 'chat');
  const fix = (f: string, from: string, to: string) =>
    writeFileSync(join(chat, f), readFileSync(join(chat, f), 'utf8').replace(from, to));
  fix('teams-to-skype-after-accept.yaml', 'delivers: [{ to: sam, kind: request', 'delivers: [{ to: sam, kind: message');
  fix('skype-to-teams-after-accept.yaml', 'tags: [', 'tags: 5\nx: [');
  const dir = join(root, 'cache-broken');
  const runs = [
    await cli(['validate', ...paths, '--no-cache']),
    await cli(['validate', ...paths, '--cache-dir', dir]),
    await cli(['validate', ...paths, '--cache-dir', dir]),
  ];
  t.same(
    runs.map((r) => r.code),
    [2, 2, 2],
  );
  t.match(runs[0]!.stderr, /skype-to-teams-after-accept\.yaml:\d+:\d+: expected array; got number/);
  t.match(runs[0]!.stderr, /teams-to-skype-after-accept\.yaml:\d+:\d+: /);
  t.equal(runs[1]!.stderr, runs[0]!.stderr, 'filling the cache');
  t.equal(runs[2]!.stderr, runs[0]!.stderr, 'with the cache');
  const loaded = await cachedLoad(dir, paths);
  t.same(loaded.counts, { hits: 1, loaded: 2, written: 0 }, 'only the good file was kept');
  t.same(loaded.problems, fresh(paths).problems, 'and in process, the same diagnostics');
});
