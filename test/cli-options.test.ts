/**
 * A command refuses an option it does not use (exit 2, a message naming the command and the option, the options it
 * does take, and its help), instead of ignoring it: `validate --shard 1/2` or `list --workers 3` must not read as
 * sharded or parallel. And every option a command's --help documents is accepted — the list is read from the help
 * the user sees, so this test follows the help wherever it goes.
 */
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../harness/commands/index.js';
import { OPTION_NEEDS } from '../harness/commands/help.js';
import { givenOptions, refuseIgnoredByAdapter, refuseUnusedOptions } from '../harness/commands/options.js';
import { parseArgs } from 'node:util';
import { cli } from './support.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ic-options-'));
const NOWHERE = join(tmpdir(), 'ic-options-no-such-folder');
const takes = (name: string) =>
  `${name} takes only ${COMMANDS.find((c) => c.name === name)!
    .options.map((o) => `--${o}`)
    .join(', ')}`;
const see = (name: string) => `(see interop-conformance ${name} --help)\n`;

/** The options `<command> --help` documents, with whether each takes a value (`--grep TEXT`) or is a flag. */
const helps = new Map<string, Promise<string>>();
async function documented(command: string): Promise<{ name: string; value: boolean }[]> {
  if (!helps.has(command))
    helps.set(
      command,
      cli([command, '--help']).then((r) => r.out),
    );
  const help = await helps.get(command)!;
  return [...help.matchAll(/^ {2}--([a-z-]+)( \S+)? {2,}/gm)]
    .map((m) => ({ name: m[1]!, value: m[2] !== undefined }))
    .filter((o) => o.name !== 'help' && o.name !== 'version');
}

t.test(
  'every command refuses a representative option it does not use: exit 2, the command and the option named, what it takes, its help; nothing on stdout, no stack',
  async (t) => {
    // Each case fails fast even if the option were let through (a path that is not there, a port out of range):
    // only the message tells the refusal from another usage error.
    const cases: [string[], string][] = [
      [['run', NOWHERE, '--runs', '5'], 'run takes no --runs (an option of explore)'],
      [['merge-reports', NOWHERE, '--shard', '1/2'], 'merge-reports takes no --shard (an option of run)'],
      [['validate', NOWHERE, '--shard', '1/2'], 'validate takes no --shard (an option of run)'],
      [['list', NOWHERE, '--workers', '3'], 'list takes no --workers (an option of run, mutants)'],
      [['mutants', NOWHERE, '--strict'], 'mutants takes no --strict (an option of run)'],
      [['generate', NOWHERE, '--grep', 'x'], 'generate takes no --grep (an option of run, list, mutants)'],
      [
        ['explore', '--runs', 'x', '--no-cache'],
        'explore takes no --no-cache (an option of run, validate, list, mutants)',
      ],
      [['serve', '--port', '70000', '--quiet'], 'serve takes no --quiet (an option of run, merge-reports, mutants)'],
    ];
    t.same(
      cases.map(([args]) => args[0]),
      COMMANDS.map((c) => c.name),
      'one case per command, in the order of the help',
    );
    for (const [args, head] of cases) {
      const r = await cli(args);
      const name = args[0]!;
      t.equal(r.code, 2, args.join(' '));
      t.equal(r.out, '', `${name}: nothing on stdout`);
      t.equal(r.err, `interop-conformance: ${head}: it would be ignored. ${takes(name)}\n${see(name)}`, name);
    }
  },
);

t.test('two unused options are named together; --help still wins over a refusal', async (t) => {
  const r = await cli(['validate', NOWHERE, '--grep', 'x', '--workers', '2']);
  t.equal(r.code, 2);
  t.equal(
    r.err,
    `interop-conformance: validate takes no --grep (an option of run, list, mutants) or --workers (an option of run, mutants): they would be ignored. ${takes('validate')}\n${see('validate')}`,
  );
  const help = await cli(['list', '--workers', '3', '--help']);
  t.equal(help.code, 0);
  t.match(help.out, /^usage: interop-conformance list/);
});

t.test(
  'an option a command uses only beside another is refused without it, exit 2, naming both; given with it, it passes the check',
  async (t) => {
    const pairs = Object.entries(OPTION_NEEDS).flatMap(([name, needs]) =>
      Object.entries(needs).map(([option, partner]) => ({ name, option, partner })),
    );
    t.same(
      pairs.map((p) => `${p.name} --${p.option}`),
      [
        'run --update-baseline-add',
        'run --shard-durations',
        'run --server-timeout',
        'run --reuse-server',
        'mutants --workers',
        'mutants --settle',
      ],
    );
    for (const { name, option, partner } of pairs) {
      const command = COMMANDS.find((c) => c.name === name)!;
      const value = (await documented(name)).find((o) => o.name === option)!.value ? ['1'] : [];
      const r = await cli([name, NOWHERE, `--${option}`, ...value]);
      t.equal(r.code, 2, `${name} --${option}`);
      t.equal(
        r.err,
        `interop-conformance: --${option} goes with ${partner}: without it, ${name} does not use --${option}\n${see(name)}`,
      );
      const with_ = /^--([a-z-]+)/.exec(partner)![1]!;
      t.doesNotThrow(() => refuseUnusedOptions(command, [option, with_]), `${name} --${option} ${partner}`);
    }
  },
);

t.test(
  "every option each command's --help documents is accepted, all of them at once: the command then fails on its own bad input, never with a refusal",
  async (t) => {
    const dir = tmp();
    let checked = 0;
    for (const c of COMMANDS) {
      const options = await documented(c.name);
      t.same(
        options.map((o) => o.name),
        c.options,
        `${c.name}: the help documents the options the check takes`,
      );
      // Every value a path in a fresh folder: nothing is written in the tree, and each command stops at its input
      // (no such scenario folder, a value that is no number, a module that is not there) before it starts anything.
      const args = options.flatMap((o) => [`--${o.name}`, ...(o.value ? [join(dir, o.name)] : [])]);
      const r = await cli([c.name, ...(c.name === 'explore' || c.name === 'serve' ? [] : [NOWHERE]), ...args]);
      t.equal(r.code, 2, `${c.name}: its own usage error`);
      t.notMatch(r.err, /takes no --|does not use --/, `${c.name}: ${r.err.split('\n')[0]}`);
      checked += options.length;
    }
    t.equal(checked, 63, 'the options documented over the 8 commands');
  },
);

t.test('what was typed, not what defaults fill in: long names, -h as help, --no-cache as itself, once', async (t) => {
  const { tokens } = parseArgs({
    args: ['list', '--tag', 'a', '--tag=b', '-h', '--no-cache', '--grep=x'],
    options: {
      tag: { type: 'string', multiple: true },
      grep: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      'no-cache': { type: 'boolean' },
      out: { type: 'string', default: 'conformance-report' },
    },
    allowPositionals: true,
    tokens: true,
  });
  t.same(givenOptions(tokens), ['tag', 'tag', 'help', 'no-cache', 'grep']);
  const list = COMMANDS.find((c) => c.name === 'list')!;
  t.doesNotThrow(() => refuseUnusedOptions(list, givenOptions(tokens)));
  t.throws(() => refuseUnusedOptions(list, ['out']), { message: /^list takes no --out \(an option of run,/ });
});

t.test(
  'serve --tls-cert-out without --tls is refused with --implementation independent too (it was ignored there)',
  async (t) => {
    const r = await cli(['serve', '--implementation', 'independent', '--tls-cert-out', join(tmp(), 'c.pem')]);
    t.equal(r.code, 2);
    t.equal(r.err, `interop-conformance: --tls-cert-out goes with --tls\n${see('serve')}`);
  },
);

t.test(
  'what the adapter chosen would ignore is refused, for run and explore: --command without a stdio adapter, --url with only the in-process reference',
  async (t) => {
    const url =
      '--url names the system under test of --adapter http (or of a module of yours); the in-process reference takes none';
    const command = '--command starts the adapter process of --adapter stdio; no stdio adapter was named';
    const cases: [string[], string][] = [
      [['run', NOWHERE, '--url', 'http://127.0.0.1:1'], url],
      [['run', NOWHERE, '--adapter', 'reference,reference', '--url', 'http://127.0.0.1:1'], url],
      [['explore', '--runs', 'x', '--url', 'http://127.0.0.1:1'], url],
      [['run', NOWHERE, '--command', 'python3 adapter.py'], command],
      [['explore', '--runs', 'x', '--adapter', 'http', '--command', 'python3 adapter.py'], command],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      t.equal(r.code, 2, args.join(' '));
      t.equal(r.err, `interop-conformance: ${message}\n${see(args[0]!)}`);
    }
    const run = COMMANDS.find((c) => c.name === 'run')!;
    for (const values of [{ adapter: 'http' }, { adapter: 'reference,http' }, { adapter: 'reference', server: 'CMD' }])
      t.doesNotThrow(() => refuseIgnoredByAdapter(run, ['url'], values), `--url with ${JSON.stringify(values)}`);
    t.doesNotThrow(() => refuseIgnoredByAdapter(run, ['command'], { adapter: 'stdio' }));
    t.doesNotThrow(() => refuseIgnoredByAdapter(run, [], { adapter: 'reference' }), 'nothing given, nothing refused');
  },
);
