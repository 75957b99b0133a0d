/**
 * Misuse that used to cost a whole run or end as an internal error now ends at once, saying what to fix: an `--out`
 * that a file stands in the way of (the run ran, then exit 3 for every report), and `explore` against an adapter
 * that declares no capability its moves take (fast-check's "expects at least one arbitrary", exit 3): nothing was
 * checked, exit 1, as a run whose scenarios all skip.
 */
import t from 'tap';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../harness/commands/index.js';
import { cli } from './support.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ic-exits-'));
const ONE = 'scenarios/chat/long-texts-arrive-whole.yaml';
const see = (name: string) => `(see interop-conformance ${name} --help)\n`;

t.test(
  'an --out that is a file, or lies under one, is refused before anything runs: exit 2, by every command that writes there',
  async (t) => {
    const dir = tmp();
    const file = join(dir, 'report');
    writeFileSync(file, 'not a folder');
    // Each would run (a scenario, a fault, a search of one run) and only then fail to write, were it let through.
    const args: Record<string, string[]> = {
      run: ['run', ONE],
      'merge-reports': ['merge-reports', dir],
      mutants: ['mutants', ONE, '--adapter-option', 'faults=presence-shown'],
      generate: ['generate'],
      explore: ['explore', '--runs', '1', '--seed', '1'],
    };
    t.same(
      Object.keys(args),
      COMMANDS.filter((c) => c.options.includes('out')).map((c) => c.name),
      'every command that takes --out',
    );
    for (const [name, given] of Object.entries(args)) {
      const r = await cli([...given, '--out', file]);
      t.equal(r.code, 2, name);
      t.equal(r.out, '', `${name}: nothing ran`);
      t.equal(
        r.err,
        `interop-conformance: --out ${file} is a file, not a folder; ${name} writes there: name a folder\n${see(name)}`,
      );
    }
    const under = await cli(['run', ONE, '--out', join(file, 'deeper', 'out')]);
    t.equal(under.code, 2);
    t.equal(
      under.err,
      `interop-conformance: --out ${join(file, 'deeper', 'out')} cannot be made: ${file} is a file, not a folder; run writes there: name a folder\n${see('run')}`,
    );
    const fresh = join(dir, 'new', 'out');
    t.equal(
      (await cli(['run', ONE, '--quiet', '--reporter', 'json', '--out', fresh])).code,
      0,
      'a folder yet to be made',
    );
    t.ok(existsSync(join(fresh, 'report.json')));
  },
);

t.test(
  'explore against an adapter that declares no capability its moves take: nothing was checked, exit 1, no internal error',
  async (t) => {
    const dir = tmp();
    const module = join(dir, 'no-capability.mjs');
    writeFileSync(
      module,
      `export default () => ({ name: 'bare', capabilities: [], async open() { return { async perform() { return { status: 'ok' }; }, async drain() { return []; }, async close() {} }; } });\n`,
    );
    const r = await cli(['explore', '--runs', '5', '--seed', '1', '--adapter', module, '--out', dir]);
    t.equal(r.code, 1);
    t.equal(r.err, '');
    t.equal(
      r.out.split('\n').at(-2),
      "nothing was checked: adapter bare declares none of the capabilities explore's moves take (admin, call, chat, presence, relationship, search, wire)",
    );
    t.notOk(existsSync(join(dir, 'explored')), 'no scenario written');
  },
);

t.test(
  'a baseline lists failures, not errors: a listed scenario whose adapter hangs closes the gate (exit 1), one that fails keeps it open',
  async (t) => {
    const dir = tmp();
    const baseline = join(dir, 'known.yaml');
    writeFileSync(baseline, '- chat/long-texts-arrive-whole\n');
    const adapter = (name: string, perform: string) => {
      const file = join(dir, `${name}.mjs`);
      writeFileSync(
        file,
        `export default () => ({ name: '${name}', capabilities: ['chat', 'relationship', 'presence'], async open() { return { perform: ${perform}, async drain() { return []; }, async close() {} }; } });\n`,
      );
      return file;
    };
    const run = (module: string) =>
      cli([
        'run',
        ONE,
        '--adapter',
        module,
        '--timeout',
        '300',
        '--deadline',
        '50',
        '--expect-failures',
        baseline,
        '--quiet',
        '--reporter',
        'json',
      ]);
    const hung = await run(adapter('hung', '() => new Promise(() => {})'));
    t.equal(hung.code, 1, 'an adapter that hangs on a listed scenario is not conformant');
    t.same(hung.report().summary.gate.expectedFailures, []);
    t.same(hung.report().summary.gate.reasons, [
      "chat/long-texts-arrive-whole: adapter or harness error: sam's message took longer than 300 ms (the baseline expects a failure, not an error)",
    ]);
    // The control: answering ok and delivering nothing fails the scenario, and the baseline expects that.
    const silent = await run(adapter('silent', "async () => ({ status: 'ok' })"));
    t.equal(silent.code, 0);
    t.same(silent.report().summary.gate.expectedFailures, ['chat/long-texts-arrive-whole']);
  },
);
