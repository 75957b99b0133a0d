/**
 * The CLI conventions users expect: --version/-V, usage errors on stderr with exit 2, `<command> --help` for every
 * command listing its own options, and colour that honours NO_COLOR and FORCE_COLOR.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../harness/commands/index.js';
import { VERSION } from '../harness/conformance-run.js';
import { cli } from './support.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

t.test('--version and -V print the harness version and the catalogue version, on stdout, exit 0', async (t) => {
  t.equal(VERSION, pkg.version, 'the harness states the version package.json publishes');
  for (const flag of ['--version', '-V']) {
    const r = await cli([flag]);
    t.equal(r.code, 0);
    t.equal(r.out, `interop-conformance ${pkg.version} (requirement catalogue 1.2.0)\n`);
    t.equal(r.err, '');
  }
  t.equal(
    (await cli(['run', '-V'])).out,
    `interop-conformance ${pkg.version} (requirement catalogue 1.2.0)\n`,
    'after a command too',
  );
});

t.test(
  'a bare call prints the usage to stderr, not stdout, and exits 2; --help prints it to stdout and exits 0',
  async (t) => {
    const bare = await cli([]);
    t.equal(bare.code, 2);
    t.equal(bare.out, '');
    t.match(bare.err, /^usage: interop-conformance <command>/);
    const help = await cli(['--help']);
    t.equal(help.code, 0);
    t.equal(help.err, '');
    t.match(help.out, /^usage: interop-conformance <command>/);
    t.match(help.out, /interop-conformance <command> --help {5}the command's own options/);
  },
);

t.test('every command has its own --help: its synopsis, summary and exactly its options', async (t) => {
  t.same(
    COMMANDS.map((c) => c.name),
    ['run', 'merge-reports', 'validate', 'list', 'mutants', 'generate', 'explore', 'serve'],
  );
  const all = new Set(COMMANDS.flatMap((c) => c.options));
  for (const c of COMMANDS) {
    const r = await cli([c.name, '--help']);
    t.equal(r.code, 0, c.name);
    t.match(r.out, new RegExp(`^usage: interop-conformance ${c.name}\\b`), `${c.name}: its own synopsis`);
    t.match(r.out, c.summary);
    const listed = [...r.out.matchAll(/^ {2}--([a-z-]+)/gm)]
      .map((m) => m[1])
      .filter((o) => o !== 'help' && o !== 'version');
    t.same(listed, c.options, `${c.name} lists exactly its options`);
    t.notOk(/^ {2}--[a-z-]+\s*$/m.test(r.out), `${c.name}: every option it lists is described`);
    t.same((await cli(['help', c.name])).out, r.out, `help ${c.name} is ${c.name} --help`);
  }
  t.ok(all.has('update-baseline') && all.has('runs'), 'the options of run and explore are there');
  const run = await cli(['run', '--help']);
  t.match(run.out, /--update-baseline FILE/);
  t.notMatch(run.out, /--runs N/, "run does not list explore's options");
  t.notMatch((await cli(['validate', '--help'])).out, /--adapter/, 'validate takes no adapter');
});

t.test('usage errors go to stderr, exit 2, and point at the help of the command at hand', async (t) => {
  const unknown = await cli(['frobnicate']);
  t.equal(unknown.code, 2);
  t.equal(unknown.out, '');
  t.match(unknown.err, 'interop-conformance: unknown command "frobnicate"\n(see interop-conformance --help)');
  const bad = await cli(['run', 'scenarios/chat', '--timeout', 'soon']);
  t.equal(bad.code, 2);
  t.equal(bad.out, '');
  t.match(bad.err, '--timeout takes a whole number above 0; got "soon"\n(see interop-conformance run --help)');
  t.equal((await cli(['help', 'frobnicate'])).code, 2, 'help for an unknown command is a usage error too');
});

/** The CLI as a program, for the colour decision (picocolors reads the process's environment and terminal). */
function program(env: Record<string, string>): Promise<string> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['NO_COLOR', 'FORCE_COLOR', 'CI', 'GITHUB_ACTIONS'].includes(k)),
  );
  const out = mkdtempSync(join(tmpdir(), 'ic-color-'));
  const args = [
    'bin/interop-conformance.js',
    'run',
    'scenarios/chat/both-ways-after-skype-starts.yaml',
    '--reporter',
    'json',
    '--out',
    out,
  ];
  const child = spawn(process.execPath, args, { env: { ...base, ...env, _TAPJS_PROCESSINFO_COVERAGE_: '0' } });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  return new Promise((done) => child.on('close', () => done(text)));
}

t.test('colour: none in a pipe, painted under FORCE_COLOR, never under NO_COLOR (which wins)', async (t) => {
  const ESC = '\u001B[';
  const [piped, forced, both, forcedOff] = await Promise.all([
    program({}),
    program({ FORCE_COLOR: '1' }),
    program({ FORCE_COLOR: '1', NO_COLOR: '1' }),
    program({ FORCE_COLOR: '0' }),
  ]);
  t.match(piped, /^1 passed, 0 failed, 0 errors, 0 skipped$/m);
  t.notOk(piped.includes(ESC), 'a pipe gets no escape codes');
  t.match(forced, `${ESC}32mconformant: adapter reference`, 'FORCE_COLOR paints the verdict');
  t.notOk(forced.includes('\r'), 'off a terminal no status line is rewritten, even in colour');
  t.notOk(both.includes(ESC), 'NO_COLOR wins over FORCE_COLOR');
  t.notOk(forcedOff.includes(ESC), 'FORCE_COLOR=0 forces nothing');
});
