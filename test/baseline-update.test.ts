/**
 * `--update-baseline FILE` rewrites the expected-failures file from a run (wpt's update-metadata is the model):
 * entries that now pass go, entries that still fail keep their reason, link and comments, new failures are added
 * as `reason: TODO` only with `--update-baseline-add`.
 */
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cli } from './support.js';

const DROPS = [
  '--adapter',
  'test/fixtures/variant-adapter.ts',
  '--adapter-option',
  'variant=teams-to-skype-messages-dropped',
  '--deadline',
  '50',
  '--reporter',
  'json',
  '--quiet',
];
const temp = (name: string) => join(mkdtempSync(join(tmpdir(), 'ic-baseline-')), name);

// One run to learn which chat scenarios the dropping variant fails and which it passes. It is also the
// --update-baseline-add run judged below: its file does not exist yet, so nothing is expected and every verdict is
// the plain run's (one run fewer, for CI's time).
const added = temp('new.yaml');
const addRun = await cli(['run', 'scenarios/chat', ...DROPS, '--update-baseline', added, '--update-baseline-add']);
const known = addRun.report().scenarios;
const failing = known.filter((s) => s.verdict === 'fail').map((s) => s.id);
const passing = known.filter((s) => s.verdict === 'pass').map((s) => s.id);

t.test('the fixture has failures and passes to work with', async (t) => {
  t.equal(known.length, 28);
  t.equal(failing.length + passing.length, 28, 'no error or skip in this run');
  t.same([failing.length, passing.length], [17, 11], 'the dropping variant fails 17 of them and passes 11');
});

t.test(
  'an entry that now passes is removed; one that still fails keeps its reason, link and comment; one not run stays',
  async (t) => {
    const file = temp('known.yaml');
    writeFileSync(
      file,
      [
        '# known failures of our gateway',
        `- ${passing[0]}  # fixed since`,
        `- scenario: ${failing[0]}`,
        '  reason: our gateway drops first messages',
        '  link: https://tracker.example/GW-1',
        '- call/not-in-this-run',
        '',
      ].join('\n'),
    );
    const r = await cli(['run', 'scenarios/chat', ...DROPS, '--update-baseline', file]);
    t.equal(
      r.code,
      1,
      'the run is judged by the file before it is rewritten: the other failures and the unexpected pass close the gate',
    );
    t.same(r.report().summary.gate.unexpectedPasses, [passing[0]], "the file was the run's baseline");
    const text = readFileSync(file, 'utf8');
    t.same(parse(text), [
      { scenario: failing[0], reason: 'our gateway drops first messages', link: 'https://tracker.example/GW-1' },
      'call/not-in-this-run',
    ]);
    t.match(text, /^# known failures of our gateway$/m, 'the comments people wrote stay');
    t.match(r.out, `baseline ${file}: 1 removed (now pass), 2 kept, 0 added`);
    t.match(r.out, `removed: ${passing[0]}`);
    t.match(
      r.out,
      `${failing.length - 1} new failures not written (add them with --update-baseline-add): ${failing.slice(1).join(', ')}`,
    );
  },
);

t.test(
  '--update-baseline-add writes a new file with every failure as reason TODO, and the next run is conformant by it',
  async (t) => {
    const [file, r] = [added, addRun];
    t.equal(r.code, 1, 'this run had no baseline yet');
    t.same(
      parse(readFileSync(file, 'utf8')),
      failing.map((scenario) => ({ scenario, reason: 'TODO' })),
    );
    t.match(r.out, `0 removed (now pass), 0 kept, ${failing.length} added`);
    const again = await cli(['run', 'scenarios/chat', ...DROPS, '--expect-failures', file]);
    t.equal(again.code, 0, 'every failure is now expected');
  },
);

t.test('a shrink only: without -add the file gains nothing, and an all-passing run empties it', async (t) => {
  const file = temp('shrink.yaml');
  writeFileSync(file, `- ${failing[0]}\n`);
  await cli(['run', 'scenarios/chat', '--reporter', 'json', '--quiet', '--update-baseline', file]);
  t.same(parse(readFileSync(file, 'utf8')), [], 'the reference passes every chat scenario: nothing left to expect');
});

t.test(
  'usage: -add alone, an empty file name, and a malformed baseline are refused before anything runs',
  async (t) => {
    const addAlone = await cli(['run', 'scenarios/chat', '--update-baseline-add']);
    t.equal(addAlone.code, 2);
    t.match(addAlone.err, '--update-baseline-add goes with --update-baseline FILE');
    t.equal((await cli(['run', 'scenarios/chat', '--update-baseline', ' '])).code, 2);
    const bad = temp('bad.yaml');
    writeFileSync(bad, '- scenario: chat/x\n  ticket: 12\n');
    const r = await cli(['run', 'scenarios/chat', '--update-baseline', bad]);
    t.equal(r.code, 2);
    t.match(r.err, /bad\.yaml:\d+:\d+: /, 'the problem is located in the file');
    t.equal(readFileSync(bad, 'utf8'), '- scenario: chat/x\n  ticket: 12\n', 'left as it was');
    t.notOk(existsSync(join(r.outDir, 'report.json')), 'nothing ran');
  },
);

t.test('a run that did not finish does not rewrite the baseline', async (t) => {
  const file = temp('crash.yaml');
  writeFileSync(file, `- ${failing[0]}\n`);
  const r = await cli([
    'run',
    'scenarios/chat/first-messages-within-deadline.yaml',
    '--adapter',
    'test/fixtures/crash-adapter.ts',
    '--adapter-option',
    'crash=exit-in-perform',
    '--reporter',
    'json',
    '--quiet',
    '--update-baseline',
    file,
  ]);
  t.equal(r.code, 3);
  t.match(r.err, `baseline ${file} not updated: the run did not finish`);
  t.equal(readFileSync(file, 'utf8'), `- ${failing[0]}\n`);
});
