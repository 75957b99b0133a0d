/**
 * `explore`: finds nothing on the reference, finds a faulty variant's fault and writes a short scenario that fails
 * on the variant and passes on the reference, and gives the same file for the same seed.
 */
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { findScenarioFiles, loadScenario } from '../harness/load.js';
import { loadCatalogue } from '../harness/specs-files.js';
import { cli } from './support.js';

const freshOut = () => mkdtempSync(join(tmpdir(), 'ic-explore-'));
const writtenFile = (out: string) => /^wrote (.+\.yaml)$/m.exec(out)?.[1];

/**
 * The reference delivers before `perform` returns, so a deadline longer than the default 25 ms costs no waiting;
 * but under 25 ms a stall of the process (a loaded CI machine) measured an on-time delivery late: that sequence was
 * run again (101 sequences, or a divergence when it stalled twice). 2000 ms is a margin no stall reaches, and what
 * this test proves, that the reference does what the models predict, does not depend on the clock.
 */
t.test('against the reference, 100 runs find no divergence: exit 0 and no file, no sequence run twice', async (t) => {
  const out = freshOut();
  const r = await cli(['explore', '--runs', '100', '--seed', '1', '--deadline', '2000', '--out', out]);
  t.equal(r.code, 0, r.out + r.err);
  t.match(r.out, /against reference, seed 1, delivery deadline 2000 ms$/m);
  t.match(
    r.out,
    /^no divergence in 100 runs: 100 sequences, \d+ steps, \d+ moves the models did not allow, [\d.]+ s \(\d+ sequences\/s\)$/m,
  );
  t.notOk(existsSync(join(out, 'explored')), 'nothing written');
});

t.test(
  "an adapter module without coexistence is explored in a world without Islands users, with run's deadline",
  async (t) => {
    const r = await cli([
      'explore',
      '--adapter',
      'test/fixtures/wrapped-adapter.ts',
      '--adapter-option',
      'without=coexistence',
      '--runs',
      '30',
      '--seed',
      '3',
      '--out',
      freshOut(),
    ]);
    t.equal(r.code, 0, r.out + r.err);
    t.match(r.out, /against wrapped\(reference\), seed 3, delivery deadline 2000 ms/);
    t.match(r.out, /^no divergence in 30 runs/m, 'nothing skipped for want of a capability, nothing failed');
  },
);

t.test(
  'a dropped-message variant is found, and the scenario written fails on it and passes on the reference',
  async (t) => {
    const out = freshOut();
    const fault = ['--adapter-option', 'faults=teams-to-skype-messages-dropped'];
    const r = await cli(['explore', ...fault, '--seed', '42', '--out', out]);
    t.equal(r.code, 1, r.out + r.err);
    t.match(r.out, /seed 42, delivery deadline 25 ms$/m, "the in-process reference's own short deadline by default");
    const file = writtenFile(r.out);
    t.ok(file, 'the path is printed');
    t.equal(findScenarioFiles([join(out, 'explored')]).length, 1, 'one file, under <out>/explored/<area>/');
    t.match(
      file,
      /explored\/chat\/explore-42\.yaml$/,
      'in the area of the requirements it breaks, named after the seed',
    );
    const text = readFileSync(file!, 'utf8');
    t.match(text, /^# Found by `interop-conformance explore`: seed 42, 200 runs/m, 'the seed in the header');
    t.match(
      text,
      /^# Search again: {2}interop-conformance explore --adapter-option faults=teams-to-skype-messages-dropped --runs 200 --seed 42$/m,
    );

    const raw = parse(text) as { steps: Record<string, unknown>[]; tags: string[] };
    // Seeded and in process (the reference delivers before perform returns): the same search, the same shrink.
    t.equal(raw.steps.length, 3, 'shrunk to the 3 steps the drop needs: a request, its acceptance, the lost message');
    t.same(raw.tags, ['explored']);
    const { scenario, problems } = loadScenario(file!, text, loadCatalogue().requirements);
    t.same(problems, [], 'loads with the real loader');
    t.equal(scenario?.steps.length, raw.steps.length);

    const onVariant = await cli(['run', file!, ...fault]);
    t.equal(onVariant.code, 1, 'fails on the variant');
    const failed = onVariant
      .report()
      .requirements.filter((q) => q.verdict === 'fail')
      .map((q) => q.id);
    t.ok(failed.includes('CHAT-001'), `names the requirement the fault breaks (${failed.join(', ')})`);
    const onReference = await cli(['run', file!]);
    t.equal(onReference.code, 0, `passes on the reference\n${onReference.out}`);
  },
);

t.test('the same seed gives the same search and the same file', async (t) => {
  // A deadline no loaded machine races: with the reference's own 25 ms, a run under CI's load once found the
  // divergence on another run, or not at all, and the two searches differed.
  const fault = ['--adapter-option', 'faults=block-not-enforced', '--deadline', '2000'];
  const [a, b] = [freshOut(), freshOut()];
  const first = await cli(['explore', ...fault, '--seed', '7', '--out', a]);
  const again = await cli(['explore', ...fault, '--seed', '7', '--out', b]);
  t.equal(first.code, 1, first.out + first.err);
  t.equal(again.code, 1);
  const [fa, fb] = [writtenFile(first.out)!, writtenFile(again.out)!];
  t.equal(fa.slice(a.length), fb.slice(b.length), 'same path under --out');
  t.equal(readFileSync(fa, 'utf8'), readFileSync(fb, 'utf8'), 'byte for byte the same file');
  const printed = (s: string) =>
    s
      .split('\n')
      .filter((l) => /^ {2}\d+\. |^divergence on run/.test(l))
      .map((l) => l.replace(/after [\d.]+ s/, ''));
  t.same(printed(again.out), printed(first.out), 'the same run found it, and the same steps are printed');
});

t.test('a seed left out is chosen, printed, and repeats the search when given', async (t) => {
  const fault = ['--adapter-option', 'faults=skype-request-not-marked-external'];
  const [a, b] = [freshOut(), freshOut()];
  const first = await cli(['explore', ...fault, '--out', a]);
  t.equal(first.code, 1, first.out + first.err);
  const seed = /seed (\d+) \(chosen at random: --seed repeats it\)/.exec(first.out)?.[1];
  t.ok(seed, 'the chosen seed is printed');
  const again = await cli(['explore', ...fault, '--seed', seed!, '--out', b]);
  t.equal(again.code, 1);
  t.equal(readFileSync(writtenFile(first.out)!, 'utf8'), readFileSync(writtenFile(again.out)!, 'utf8'));
});

t.test('bad input is exit 2 and runs nothing', async (t) => {
  for (const args of [
    ['--runs', '0'],
    ['--seed=-1'],
    ['--seed', '4294967296'],
    ['scenarios'],
    ['--adapter', 'reference,reference'],
    ['--adapter-option', 'faults=no-such-fault'],
  ]) {
    const r = await cli(['explore', ...args, '--out', freshOut()]);
    t.equal(r.code, 2, `${args.join(' ')}: ${r.err.split('\n')[0]}`);
  }
});

t.test('a divergence that cannot be written is exit 3, with the reason', async (t) => {
  // A file where explore makes its explored/ folder (an --out under a file is refused before the search, exit 2).
  const out = freshOut();
  writeFileSync(join(out, 'explored'), '');
  const r = await cli([
    'explore',
    '--adapter-option',
    'faults=skype-request-not-marked-external',
    '--seed',
    '1',
    '--out',
    out,
  ]);
  t.equal(r.code, 3);
  t.match(r.err, /could not write .*explore-1\.yaml/);
});

t.test(
  'a failure seen twice that the shrunk counterexample no longer reproduces is reported as flaky, exit 1',
  async (t) => {
    const out = freshOut();
    const r = await cli([
      'explore',
      '--adapter',
      'test/fixtures/flaky-adapter.ts',
      '--runs',
      '5',
      '--seed',
      '1',
      '--out',
      out,
    ]);
    t.equal(r.code, 1, 'never exit 0 after a failure was seen');
    t.notMatch(r.out, /no divergence/);
    t.match(
      r.out,
      /^flaky: a sequence failed on run 1 of 5 \(\d+ steps? to the failure, after [\d.]+ s; failed twice in a row\), but after \d+ shrinks the counterexample passed when run again/m,
    );
    t.match(r.out, /^ {2}first seen: step 1 \w+ [\w-]+ — the adapter failed: 503 from a warming-up gateway$/m);
    t.match(r.out, /the same command with --seed 1 repeats the search/);
    t.notOk(existsSync(join(out, 'explored')), 'no scenario file: there is nothing reproducible to write');
  },
);

t.test('an adapter that calls process.exit during the search cannot end it: exit 3, the crash named', async (t) => {
  const r = await cli([
    'explore',
    '--adapter',
    'test/fixtures/crash-adapter.ts',
    '--adapter-option',
    'crash=exit-in-perform',
    '--runs',
    '3',
    '--seed',
    '1',
    '--out',
    freshOut(),
  ]);
  t.equal(r.code, 3, r.out + r.err);
  t.match(
    r.err,
    /^interop-conformance: the adapter crashed during the search: the adapter called process\.exit\(0\)$/m,
  );
  t.match(
    r.out,
    /the adapter failed: the adapter called process\.exit\(0\)/,
    'the step it happened in is an adapter error',
  );
});
