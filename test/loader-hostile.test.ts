/**
 * Hostile input (issue 10): every case is exit 2 with `file:line:col` (or the path, for folder problems), no stack
 * trace and no raw control character — never exit 3, a hang or an out-of-memory abort.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BASELINE_MAX_ENTRIES, loadBaseline } from '../harness/baseline.js';
import { SCENARIO_LIMITS } from '../harness/load.js';
import { LIMITS, YamlSource } from '../harness/yaml-source.js';
import { MAX_MESSAGE_CHARS } from '../harness/diagnostics.js';
import { CHAT_SCENARIO, cli, scenarioDir } from './support.js';

const FILE = 'chat/case.yaml';
type Tap = Pick<typeof t, 'equal' | 'notMatch'>;

/** Validate one scenario text (or bytes) and check what every refusal must look like. */
async function refused(t: Tap, content: string | Buffer, args: string[] = []) {
  const dir = scenarioDir({ [FILE]: '' });
  writeFileSync(join(dir, FILE), content);
  const t0 = performance.now();
  const r = await cli(['validate', dir, ...args]);
  const ms = performance.now() - t0;
  t.equal(r.code, 2, 'exit 2: bad input, nothing run');
  t.notMatch(r.err, /internal error|\n\s+at /, 'no internal error, no stack');
  return { ...r, ms, file: join(dir, FILE) };
}

/** Nine anchors, each nine times the one before: 9^9 strings once expanded. */
const billionLaughs = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  ...'bcdefghi'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
].join('\n');

t.test('a YAML alias bomb is refused at the alias that passes the limit', async (t) => {
  const r = await refused(t, `description:\n  ${billionLaughs.replace(/\n/g, '\n  ')}\n${CHAT_SCENARIO}`);
  t.match(
    r.err,
    `${r.file}:6:10: aliases expand this file by more than ${LIMITS.aliasNodes} nodes (alias *d alone stands for 7381)`,
  );
});

t.test('one scalar alias repeated past the limit is refused too; a little sharing is accepted', async (t) => {
  const many = await refused(
    t,
    `x: &x hi\ny: [${Array(LIMITS.aliasNodes + 1)
      .fill('*x')
      .join(', ')}]\n`,
  );
  t.match(many.err, `aliases expand this file by more than ${LIMITS.aliasNodes} nodes (alias *x alone stands for 1)`);
  // The YAML library's own heuristic would call this "excessive" (101 uses × 100 uses); it expands to 301 nodes.
  const shared = new YamlSource(
    'f',
    `s: &s x\nuses: [${Array(100).fill('*s').join(', ')}]\nm: &m [*s]\nmore: [${Array(100).fill('*m').join(', ')}]\n`,
  );
  t.same(shared.syntaxErrors, []);
  t.equal((shared.value() as { more: unknown[] }).more.length, 100);
  const ok = new YamlSource('f', `x: &x [a, b]\ny: [*x, *x]\n`);
  t.same(ok.syntaxErrors, []);
  t.same(ok.value(), {
    x: ['a', 'b'],
    y: [
      ['a', 'b'],
      ['a', 'b'],
    ],
  });
});

t.test('an alias inside the node it names (a cycle) is refused at the alias', async (t) => {
  const r = await refused(t, `description: &x [1, *x]\n${CHAT_SCENARIO}`);
  t.match(r.err, `${r.file}:1:21: alias *x is inside the node it refers to (a cycle)`);
  const early = await refused(t, `note: *x\ndescription: &x hi\n${CHAT_SCENARIO}`);
  t.match(early.err, `${early.file}:1:7: alias *x names no anchor (&x) before it`);
});

t.test(
  "a list, map or alias as a key is refused at the key, and nothing is printed behind the CLI's back",
  async (t) => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const r = await refused(t, `? [a, b]\n: x\n${CHAT_SCENARIO}`);
    t.match(r.err, `${r.file}:1:3: a key must be written out as a plain value, not as a list, map or alias`);
    const complex = new YamlSource('f', '{ [a]: 1 }');
    t.same(
      complex.syntaxErrors.map((d) => d.col),
      [3],
    );
    t.same(complex.value(), { '[ a ]': 1 }, 'even read regardless, it stays quiet');
    await new Promise((done) => setImmediate(done));
    process.off('warning', onWarning);
    t.same(warnings, [], 'no process warning from the YAML library');
  },
);

t.test('nesting deeper than the limit is refused anywhere in the file, flow or block', async (t) => {
  const flow = await refused(t, `description: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n${CHAT_SCENARIO}`);
  t.match(flow.err, `${flow.file}:1:${13 + LIMITS.depth}: more than ${LIMITS.depth} levels of nesting (the limit)`);
  const block = await refused(
    t,
    `${CHAT_SCENARIO}note:\n${Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i + 1)}a:`).join('\n')} x\n`,
  );
  t.match(
    block.err,
    `${block.file}:${13 + LIMITS.depth}:${2 * LIMITS.depth + 1}: more than ${LIMITS.depth} levels of nesting`,
  );
  const edge = (n: number) => new YamlSource('f', `${'['.repeat(n)}${']'.repeat(n)}`).syntaxErrors.length;
  t.equal(edge(LIMITS.depth), 0, `${LIMITS.depth} levels are accepted`);
  t.equal(edge(LIMITS.depth + 1), 1, `${LIMITS.depth + 1} are not`);
});

t.test('a file over the byte limit is refused at once, before it is parsed', async (t) => {
  const step = '  - actor: tara\n    presence: { of: sam }\n';
  const huge = CHAT_SCENARIO + step.repeat(Math.ceil((50 * 1024 * 1024) / step.length)); // the 50 MB of issue 10
  const r = await refused(t, huge);
  rmSync(r.file); // 50 MB left in the temp folder by every run otherwise
  t.ok(r.ms < 2000, `refused in ${r.ms.toFixed(0)} ms, without reading it`);
  t.match(
    r.err,
    `${r.file}:1:1: ${Buffer.byteLength(huge)} bytes; a scenario file may have at most ${LIMITS.fileBytes}`,
  );
});

t.test(
  'too many steps, users or tenants, or a deadline past the timer maximum, are refused where written, before the models run',
  async (t) => {
    const steps = await refused(
      t,
      CHAT_SCENARIO + '  - actor: tara\n    presence: { of: sam }\n'.repeat(SCENARIO_LIMITS.steps - 2),
    );
    t.match(
      steps.err,
      `${steps.file}:7:3: ${SCENARIO_LIMITS.steps + 1} steps; a scenario may have at most ${SCENARIO_LIMITS.steps}`,
    );
    const crowd = Array.from({ length: SCENARIO_LIMITS.users }, (_, i) => `    u${i}: { platform: skype }\n`).join('');
    const users = await refused(t, CHAT_SCENARIO.replace('  users:\n', `  users:\n${crowd}`));
    t.match(
      users.err,
      `${users.file}:4:5: ${SCENARIO_LIMITS.users + 2} users; a scenario may have at most ${SCENARIO_LIMITS.users}`,
    );
    const many = Array.from({ length: SCENARIO_LIMITS.tenants + 1 }, (_, i) => `    t${i}: {}\n`).join('');
    const tenants = await refused(t, CHAT_SCENARIO.replace('world:\n', `world:\n  tenants:\n${many}`));
    t.match(
      tenants.err,
      `${tenants.file}:4:5: ${SCENARIO_LIMITS.tenants + 1} tenants; a scenario may have at most ${SCENARIO_LIMITS.tenants}`,
    );
    const late = await refused(t, `deadlineMs: 99999999999999999999999\n${CHAT_SCENARIO}`);
    t.match(
      late.err,
      `${late.file}:1:13: deadlineMs may be at most ${SCENARIO_LIMITS.deadlineMs} (Node's timer maximum); got 1e+23`,
    );
    const atLimit = scenarioDir({
      [FILE]: CHAT_SCENARIO + '  - actor: tara\n    presence: { of: sam }\n'.repeat(SCENARIO_LIMITS.steps - 3),
    });
    t.equal((await cli(['validate', atLimit])).code, 0, `${SCENARIO_LIMITS.steps} steps are accepted`);
  },
);

t.test('names that are Object prototype keys are only names the file declares', async (t) => {
  const tenant = await refused(
    t,
    CHAT_SCENARIO.replace('tara: { platform: teams }', 'tara: { platform: teams, tenant: constructor }'),
  );
  t.match(tenant.err, `${tenant.file}:4:38: unknown tenant "constructor"; the world has: contoso`);
  const actor = await refused(
    t,
    CHAT_SCENARIO.replace(
      '  - actor: sam\n    accept: { from: tara }',
      '  - actor: constructor\n    presence: { of: tara }',
    ),
  );
  t.match(actor.err, `${actor.file}:9:12: unknown actor "constructor"; the world has: tara, sam`);
  const to = await refused(
    t,
    CHAT_SCENARIO.replace('message: { to: sam, text: hello }', 'message: { to: constructor, text: hello }'),
  );
  t.match(to.err, `${to.file}:8:20: unknown user "constructor"`);
  const delegate = await refused(
    t,
    CHAT_SCENARIO.replace('tara: { platform: teams }', 'tara: { platform: teams, delegates: [constructor] }'),
  );
  t.match(delegate.err, `${delegate.file}:4:42: delegate "constructor" must be a Teams user of contoso`);
  const proto = await refused(
    t,
    CHAT_SCENARIO.replace(
      '    sam: { platform: skype }',
      '    sam: { platform: skype }\n    __proto__: { platform: admin }',
    ),
  );
  t.match(proto.err, `${proto.file}:6:5: "__proto__" is not a valid name`);
  t.equal(({} as { platform?: unknown }).platform, undefined, 'nothing leaked into Object.prototype');
  // Declared, such a name is an ordinary user and tenant.
  const declared = scenarioDir({
    [FILE]: CHAT_SCENARIO.replace('world:\n', 'world:\n  tenants: { constructor: {} }\n').replaceAll(
      'tara',
      'constructor',
    ),
  });
  const ok = await cli(['validate', declared]);
  t.equal(ok.code, 0, ok.err);
});

t.test('invalid UTF-8 is refused at its first bad byte', async (t) => {
  const bytes = Buffer.from(CHAT_SCENARIO.replace('text: hello', 'text: héllo'), 'utf8');
  const at = bytes.indexOf(0xa9); // é is C3 A9: keep the lead byte, break the continuation
  const lone = await refused(t, Buffer.concat([bytes.subarray(0, at), Buffer.from([0x41]), bytes.subarray(at + 1)]));
  t.match(lone.err, `${lone.file}:8:32: invalid UTF-8 (byte 0xc3); save the file as UTF-8`);
  const latin1 = await refused(t, Buffer.from('title: caf\xe9\n', 'latin1'));
  t.match(latin1.err, `${latin1.file}:1:11: invalid UTF-8 (byte 0xe9)`);
  const first = await refused(t, Buffer.from([0xff, 0x0a]));
  t.match(first.err, `${first.file}:1:1: invalid UTF-8 (byte 0xff)`);
  const surrogate = await refused(t, Buffer.concat([Buffer.from('title: x\nnote: '), Buffer.from([0xed, 0xa0, 0x80])]));
  t.match(surrogate.err, `${surrogate.file}:2:7: invalid UTF-8 (byte 0xed)`);
});

t.test('control characters are escaped in every diagnostic, file names included', async (t) => {
  const key = await refused(
    t,
    CHAT_SCENARIO.replace('tara: { platform: teams }', 'tara: { platform: teams, "mo\\e[2Jd\\u202e": x }'),
  );
  t.match(key.err, 'unknown property "mo\\x1B[2Jd\\u202E"');
  t.notMatch(key.err, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/, 'nothing raw reaches the terminal');
  const dir = scenarioDir({ 'chat/bell\u0007.yaml': 'title: [' });
  const name = await cli(['validate', dir]);
  t.match(name.err, `${dir}/chat/bell\\x07.yaml:1:9: `);
  const usage = await cli(['validate', '--no-cache', 'nowhere\u001b[2J']);
  t.match(usage.err, 'nowhere\\x1B[2J:1:1: no such file or folder (ENOENT)');
  const option = await cli(['validate', '--\u001b[2J']);
  t.equal(option.code, 2);
  t.match(option.err, "Unknown option '--\\x1B[2J'");
  t.notMatch(usage.err + option.err + name.err, /\u001b|\u0007/);
});

t.test('a huge value quoted in a diagnostic is cut short, saying how much was left out', async (t) => {
  const r = await refused(
    t,
    CHAT_SCENARIO.replace('sam: { platform: skype }', `sam: { platform: skype, email: "${'a'.repeat(900_000)}" }`),
  );
  const line = r.err.split('\n')[0]!;
  t.match(line, `${r.file}:5:36: "${'a'.repeat(100)}`);
  t.match(
    line,
    new RegExp(`… \\(${900_000 + 2 + ' is not a valid email'.length - MAX_MESSAGE_CHARS} more characters\\)$`),
  );
  t.ok(line.length < MAX_MESSAGE_CHARS + r.file.length + 100, `${line.length} characters`);
});

t.test('a symlink loop, or something that is not a file, in a scenario folder is refused at its path', async (t) => {
  const dir = scenarioDir({ [FILE]: CHAT_SCENARIO });
  symlinkSync('..', join(dir, 'chat', 'back-up'));
  const loop = await cli(['validate', dir]);
  t.equal(loop.code, 2);
  t.match(
    loop.err,
    `${dir}/chat/back-up:1:1: a symlink loop: this leads back to ${realpathSync(dir)}, which contains it`,
  );
  const self = scenarioDir({ [FILE]: CHAT_SCENARIO });
  symlinkSync('self.yaml', join(self, 'chat', 'self.yaml'));
  const eloop = await cli(['validate', self]);
  t.equal(eloop.code, 2);
  t.match(eloop.err, `${self}/chat/self.yaml:1:1: too many levels of symbolic links (a symlink loop) (ELOOP)`);
  const fifo = scenarioDir({ [FILE]: CHAT_SCENARIO });
  t.equal(spawnSync('mkfifo', [join(fifo, 'chat', 'pipe.yaml')]).status, 0);
  const pipe = await cli(['validate', fifo]);
  t.match(pipe.err, `${fifo}/chat/pipe.yaml:1:1: not a regular file; a scenario file must be one`);
  t.notMatch(loop.err + eloop.err + pipe.err, /internal error|\n\s+at /);
});

t.test('an unreadable file or folder is refused at its path', async (t) => {
  const dir = scenarioDir({ [FILE]: CHAT_SCENARIO, 'call/case.yaml': CHAT_SCENARIO });
  chmodSync(dirname(dir), 0o755);
  chmodSync(join(dir, FILE), 0o000);
  chmodSync(join(dir, 'call'), 0o000);
  // Root reads anything: run the CLI as nobody then, so that permissions mean what they say.
  const asUser = (...paths: string[]) => {
    if (process.getuid?.() !== 0) return cli(['validate', ...paths]).then((r) => ({ code: r.code, err: r.err }));
    const p = spawnSync(process.execPath, ['--import', 'tsx', 'harness/cli.ts', 'validate', ...paths], {
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, CI: '1' },
    });
    return Promise.resolve({ code: p.status, err: p.stderr });
  };
  // As nobody the CLI must be able to read the project itself: a clone inside a private folder (mktemp -d is 0700)
  // is not, and then this case cannot be shown here.
  if (
    process.getuid?.() === 0 &&
    spawnSync(
      process.execPath,
      [
        '-e',
        'require("fs").accessSync(process.argv[1], 4)',
        join(process.cwd(), 'node_modules', 'tsx', 'package.json'),
      ],
      { uid: 65534, gid: 65534 },
    ).status !== 0
  ) {
    t.skip(`the project at ${process.cwd()} is not readable by uid 65534, which this case runs the CLI as`, () => {});
    return;
  }
  const folder = await asUser(dir);
  t.equal(folder.code, 2);
  t.match(folder.err, `${dir}/call:1:1: permission denied (EACCES)`);
  const file = await asUser(join(dir, FILE));
  t.equal(file.code, 2);
  t.match(file.err, `${dir}/${FILE}:1:1: cannot read the scenario file: permission denied (EACCES)`);
  t.notMatch(folder.err + file.err, /internal error|\n\s+at /);
});

t.test("durations beyond Node's timer maximum, and an empty --out, are refused", async (t) => {
  const dir = scenarioDir({ [FILE]: CHAT_SCENARIO });
  for (const [flag, value] of [
    ['--timeout', '3000000000'],
    ['--deadline', '2147483648'],
    ['--settle', '9007199254740993'],
  ]) {
    const r = await cli(['run', dir, flag!, value!]);
    t.equal(r.code, 2, `${flag} ${value}`);
    t.match(
      r.err,
      value === '9007199254740993'
        ? `${flag} takes a whole number; got "${value}"`
        : `${flag} takes at most 2147483647 ms (Node's timer maximum, about 24.8 days); got ${value}`,
    );
  }
  for (const value of ['1e3', ' 5', '0x10', ''])
    t.match(
      (await cli(['run', dir, '--timeout', value])).err,
      `--timeout takes a whole number above 0; got "${value}"`,
    );
  const max = await cli(['run', dir, '--timeout', '2147483647', '--deadline', '2147483647', '--settle', '0']);
  t.equal(max.code, 0, `the maximum itself is accepted: ${max.err}`);
  for (const out of ['', '  ']) {
    const r = await cli(['run', dir, '--out', out]);
    t.equal(r.code, 2);
    t.match(r.err, `--out needs a folder name; got "${out}"`);
  }
});

t.test('the baseline is read as strictly as a scenario', async (t) => {
  const dir = scenarioDir({ [FILE]: CHAT_SCENARIO });
  const run = async (content: string | Buffer) => {
    const f = join(dir, '..', 'baseline.yaml');
    writeFileSync(f, content);
    const r = await cli(['run', dir, '--expect-failures', f]);
    t.equal(r.code, 2);
    t.notMatch(r.err, /internal error|\n\s+at /);
    return { err: r.err, f };
  };
  const shared = join(dir, '..', 'shared.yaml');
  writeFileSync(shared, '- &a chat/case\n- { scenario: *a, reason: twice }\n');
  t.same([...loadBaseline(shared)], ['chat/case'], 'a little sharing is fine in a baseline too');
  const bomb = await run(`${billionLaughs}\n`);
  t.match(bomb.err, `${bomb.f}:5:8: aliases expand this file by more than ${LIMITS.aliasNodes} nodes`);
  const deep = await run(`${'['.repeat(100)}${']'.repeat(100)}\n`);
  t.match(deep.err, `${deep.f}:1:${LIMITS.depth + 1}: more than ${LIMITS.depth} levels of nesting`);
  const bytes = await run(Buffer.from('- caf\xe9\n', 'latin1'));
  t.match(bytes.err, `${bytes.f}:1:6: invalid UTF-8 (byte 0xe9)`);
  const big = await run('- x\n'.repeat(LIMITS.fileBytes / 4 + 1));
  t.match(big.err, `${big.f}:1:1: ${LIMITS.fileBytes + 4} bytes; a baseline may have at most ${LIMITS.fileBytes}`);
  const long = await run('- x\n'.repeat(BASELINE_MAX_ENTRIES + 1));
  t.match(
    long.err,
    `${long.f}:1:1: ${BASELINE_MAX_ENTRIES + 1} entries; a baseline may have at most ${BASELINE_MAX_ENTRIES}`,
  );
  for (const [path, message] of [
    ['/dev/zero', `more than ${LIMITS.fileBytes} bytes; a baseline may have at most ${LIMITS.fileBytes}`],
    [dir, 'cannot read the baseline: a folder, not a file'],
    [join(dir, 'none.yaml'), 'cannot read the baseline: no such file or folder (ENOENT)'],
  ]) {
    const r = await cli(['run', dir, '--expect-failures', path]);
    t.equal(r.code, 2);
    t.match(r.err, `${path}:1:1: ${message}`);
  }
  const twice = await run('- x\n---\n- y\n');
  t.match(twice.err, `${twice.f}:2:1: a file holds one YAML document; this is a second one`);
  const dup = await run('- { scenario: x, scenario: y }\n');
  t.match(dup.err, `${dup.f}:1:18: duplicate key "scenario"`);
});
