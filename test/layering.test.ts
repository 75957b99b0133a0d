/**
 * The layering (README "## Layout", .dependency-cruiser.cjs) holds in the tree, and every rule of it can fail:
 * `npm run layering`'s own command runs on the repository (no violation, every code file cruised) and on a fixture
 * tree laid out like the repository in which each rule is broken exactly once, beside imports each rule allows
 * (the named exceptions, the vocabulary, npm packages, builtins, tests importing anything). The fixture's report must
 * name exactly those violations: a rule that misses its break, or flags an allowed import, fails the test.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import t from 'tap';

const ROOT = resolve(import.meta.dirname, '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const CLI = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const rules = (createRequire(import.meta.url)(CONFIG) as { forbidden: { name: string }[] }).forbidden.map(
  (r) => r.name,
);

/** `npm run layering`, read from package.json so that the test runs the command CI runs. */
const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts.layering!;
const DIRS = ['specs', 'harness', 'adapters', 'reports', 'test', 'bench', 'bin', 'scripts'];

/**
 * The script's command, with its config made absolute so that it can run in another folder. Started at once: the
 * tree's run and the fixture's run go side by side.
 */
function depcruise(cwd: string, outputType = 'err'): Promise<{ code: number | null; out: string; err: string }> {
  const args = script.split(' ').slice(1);
  args[args.indexOf('--config') + 1] = CONFIG;
  args[args.indexOf('--output-type') + 1] = outputType;
  const child = spawn(process.execPath, [CLI, ...args], { cwd });
  const [out, err] = [[] as Buffer[], [] as Buffer[]];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done({ code, out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString() }));
  });
}

/** Every code file under `dir`, relative to `root`. */
function codeFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return codeFiles(root, path);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [path] : [];
  });
}

t.test('npm run layering cruises every folder that holds code, with the checked-in config', async (t) => {
  t.equal(
    script,
    `depcruise --config .dependency-cruiser.cjs --output-type err ${DIRS.join(' ')}`,
    'npm run layering: the config, file → file lines, these folders',
  );
  const withCode = readdirSync(ROOT, { withFileTypes: true })
    // dist/ is the build of the cruised sources; examples/ are projects of their own, importing the installed package.
    .filter(
      (e) => e.isDirectory() && !['node_modules', '.git', '.tap', 'coverage', 'dist', 'examples'].includes(e.name),
    )
    .filter((e) => codeFiles(ROOT, e.name).length > 0)
    .map((e) => e.name);
  t.same(withCode.sort(), [...DIRS].sort(), 'no folder of code is left out of the check');
});

t.test('the tree breaks no layering rule, and every code file in it was cruised', async (t) => {
  const r = await treeRun;
  t.equal(r.code, 0, 'exit 0', { stderr: r.err });
  const result = JSON.parse(r.out) as { modules: { source: string }[]; summary: { violations: unknown[] } };
  t.same(result.summary.violations, [], 'no violation');
  const cruised = new Set(result.modules.map((m) => m.source));
  const missed = DIRS.flatMap((d) => codeFiles(ROOT, d)).filter((f) => !cruised.has(f));
  t.same(missed, [], 'a file the cruiser does not reach is a file no rule judges');
});

/**
 * A tree laid out like the repository. `// breaks RULE` marks the one import that breaks each rule; every other
 * import is one the rules allow.
 */
const FIXTURE: Record<string, string[]> = {
  'specs/protocol.ts': [`export type Cloud = 'commercial';`],
  'specs/schemas/ajv.ts': [`import { readFileSync } from 'node:fs';`, `export const read = readFileSync;`],
  'specs/models/chat.ts': [
    `import { setup } from 'xstate';`,
    `import type { Cloud } from '../protocol.js';`,
    `export const chat = setup({});`,
    `export type C = Cloud;`,
  ],
  'specs/requirement.ts': [
    `import type { Result } from '../reports/results.js'; // breaks specs-import-only-specs`,
    `export type R = Result;`,
  ],
  'adapters/adapter.ts': [
    `import type { Cloud } from '../specs/protocol.js';`,
    `export interface Adapter { cloud: Cloud }`,
  ],
  'adapters/reference/service.ts': [
    `import type { Cloud } from '../../specs/protocol.js';`,
    `import { read } from '../../specs/schemas/ajv.js';`,
    `import type { Adapter } from '../adapter.js';`,
    `import { chat } from '../../specs/models/chat.js'; // breaks reference-uses-only-the-vocabulary`,
    `export const service = { chat, read } as unknown as Adapter & { c?: Cloud };`,
  ],
  'adapters/reference/faults.ts': [`export const FAULTS = [];`],
  'adapters/reference/adapter.ts': [
    `import { service } from './service.js';`,
    `import { FAULTS } from './faults.js';`,
    `export const reference = { service, FAULTS };`,
  ],
  'adapters/http/adapter.ts': [
    `import type { Adapter } from '../adapter.js';`,
    `import type { Cloud } from '../../specs/protocol.js';`,
    `import { read } from '../../specs/schemas/ajv.js';`,
    `export const http = { read } as unknown as Adapter & { c?: Cloud };`,
  ],
  'adapters/http/probes.ts': [
    `import { http } from './adapter.js';`,
    `import type { Result } from '../../reports/results.js'; // breaks adapters-know-no-harness`,
    `export const probes = [http] as unknown as Result[];`,
  ],
  'adapters/independent/rules.ts': [
    `import type { Cloud } from '../../specs/protocol.js';`,
    `import { http } from '../http/adapter.js';`,
    `import { FAULTS } from '../reference/faults.js'; // breaks independent-stays-blind`,
    `export const rules = { http, FAULTS } as { c?: Cloud };`,
  ],
  'adapters/index.ts': [
    `import { reference } from './reference/adapter.js';`,
    `import { http } from './http/adapter.js';`,
    `export const BUILTIN = { reference, http };`,
  ],
  'reports/results.ts': [
    `import type { Cloud } from '../specs/protocol.js';`,
    `export interface Result { cloud: Cloud }`,
  ],
  'reports/reporter.ts': [
    `import type { Result } from './results.js';`,
    `import { names } from './registry.js'; // breaks no-circular`,
    `export interface Reporter { on(r: Result): void }`,
    `export const all = names;`,
  ],
  'reports/registry.ts': [
    `import type { Reporter } from './reporter.js';`,
    `import { json } from './json.js';`,
    `export const names = ['json'];`,
    `export const made: Reporter[] = [json];`,
  ],
  'reports/json.ts': [
    `import type { Result } from './results.js';`,
    `import { http } from '../adapters/http/adapter.js'; // breaks reports-know-no-adapter`,
    `export const json = { on: (r: Result) => void [r, http] };`,
  ],
  'harness/adapters.ts': [
    `import { BUILTIN } from '../adapters/index.js';`,
    `export const load = (name: string) => (BUILTIN as Record<string, unknown>)[name];`,
  ],
  'harness/implementations.ts': [
    `import { FAULTS } from '../adapters/reference/faults.js';`,
    `export const implementations = { FAULTS };`,
  ],
  'harness/mutation-score.ts': [
    `import type { Adapter } from '../adapters/adapter.js';`,
    `import type { Result } from '../reports/results.js';`,
    `import type { R } from '../specs/requirement.js';`,
    `export const score = (variant: () => Adapter) => [variant] as unknown as (Result | R)[];`,
  ],
  'harness/commands/mutants.ts': [
    `import { reference } from '../../adapters/reference/adapter.js';`,
    `import { score } from '../mutation-score.js';`,
    `export const mutants = () => score(() => reference as never);`,
  ],
  'harness/commands/run.ts': [
    `import { load } from '../adapters.js';`,
    `import { http } from '../../adapters/http/adapter.js'; // breaks harness-imports-no-adapter`,
    `export const run = () => [load, http];`,
  ],
  'harness/cli.ts': [
    `import { run } from './commands/run.js';`,
    `import { mutants } from './commands/mutants.js';`,
    `import { load } from './adapters.js';`,
    `export const cli = { run, mutants, load };`,
  ],
  'harness/run.ts': [
    `import { implementations } from './implementations.js'; // breaks harness-core-reaches-no-adapter`,
    `export const play = implementations;`,
  ],
  'harness/load.ts': [
    `import { helper } from '../test/support.js'; // breaks code-imports-no-test`,
    `export const load = helper;`,
  ],
  'harness/gate.ts': [
    `import { gone } from './missing.js'; // breaks not-to-unresolvable`,
    `export const gate = gone;`,
  ],
  'test/support.ts': [`import { chat } from '../specs/models/chat.js';`, `export const helper = chat;`],
  'test/everything.test.ts': [
    `import { service } from '../adapters/reference/service.js';`,
    `import { play } from '../harness/run.js';`,
    `import { FAULTS } from '../adapters/reference/faults.js';`,
    `export default [service, play, FAULTS];`,
  ],
  'bench/bench.ts': [
    `import { reference } from '../adapters/reference/adapter.js';`,
    `import { play } from '../harness/run.js';`,
    `export default [reference, play];`,
  ],
  'bin/cli.js': [`export {};`],
  // The build's scripts (scripts/build-validators.mjs) are cruised too: a script reaching into test/ is caught as any.
  'scripts/build.mjs': [`export {};`],
};

/** The violations FIXTURE's comments announce, as `npm run layering` prints them: `rule: from → to`. */
const EXPECTED = [
  'specs-import-only-specs: specs/requirement.ts → reports/results.ts',
  'reference-uses-only-the-vocabulary: adapters/reference/service.ts → specs/models/chat.ts',
  'independent-stays-blind: adapters/independent/rules.ts → adapters/reference/faults.ts',
  'adapters-know-no-harness: adapters/http/probes.ts → reports/results.ts',
  'reports-know-no-adapter: reports/json.ts → adapters/http/adapter.ts',
  'harness-imports-no-adapter: harness/commands/run.ts → adapters/http/adapter.ts',
  // A reach is printed with the chain that reaches.
  'harness-core-reaches-no-adapter: harness/run.ts → adapters/reference/faults.ts' +
    ' harness/implementations.ts → adapters/reference/faults.ts',
  'code-imports-no-test: harness/load.ts → test/support.ts',
  'no-circular: reports/registry.ts → reports/reporter.ts → reports/registry.ts',
  'not-to-unresolvable: harness/gate.ts → ./missing.js',
];

function fixtureTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'ic-layering-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, lines] of Object.entries(FIXTURE)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), `${lines.join('\n')}\n`);
  }
  // The repository's resolution: its tsconfig.json (`./x.js` is `./x.ts`) and its npm packages.
  writeFileSync(join(root, 'tsconfig.json'), readFileSync(join(ROOT, 'tsconfig.json')));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

/** `error RULE: a → b` lines; a cycle's or a reach's chain, printed on the following lines, joined to its line. */
function violations(out: string): string[] {
  const found: string[] = [];
  for (const line of out.split('\n')) {
    const head = /^\s*error ([\w-]+): (.*?)\s*$/.exec(line);
    if (head) found.push(`${head[1]}: ${head[2]}`);
    else if (/^\s{4,}\S/.test(line) && found.length) found[found.length - 1] += ` ${line.trim()}`;
  }
  return found.map((v) => v.replace(/\s+/g, ' ').replace(/ →$/, ''));
}

const treeRun = depcruise(ROOT, 'json');
const fixtureRun = depcruise(fixtureTree());

t.test('each layering rule fails on the one import that breaks it, and on nothing the rules allow', async (t) => {
  t.same(
    EXPECTED.map((v) => v.split(':')[0]).sort(),
    [...rules].sort(),
    'the fixture breaks every rule of the config once',
  );
  const r = await fixtureRun;
  t.same(violations(r.out).sort(), [...EXPECTED].sort(), 'exactly the violations the fixture announces', {
    output: r.out,
  });
  t.equal(r.code, EXPECTED.length, 'the exit code is the number of violations: any one fails the check');
  t.match(
    r.out,
    `x ${EXPECTED.length} dependency violations (${EXPECTED.length} errors, 0 warnings)`,
    'and says how many',
  );
});
