/**
 * Differential runs: the same scenarios against several adapters in one run, with an adapter × requirement
 * matrix, the steps where adapters disagree (apart from where they disagree with the model), and delivery latency.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './support.js';

const VARIANT = 'test/fixtures/variant-adapter.ts';

t.test('two agreeing systems: no disagreement, one matrix column each, latency per adapter', async (t) => {
  const r = await cli(['run', 'scenarios/chat', '--adapter', `reference,${VARIANT}`]);
  t.equal(r.code, 0, r.out.slice(-1500));
  const d = r.report().differential!;
  t.same(d.adapters, ['reference', 'variant(none)']);
  t.same(d.disagreements, []);
  t.ok(d.matrix.every((m) => m.verdicts.reference === m.verdicts['variant(none)']));
  t.same(
    [d.latency.reference?.count, d.latency['variant(none)']?.count],
    [91, 91],
    'latency measured for each adapter, at each of the 91 deliveries of the chat scenarios',
  );
  t.equal(
    r.report().summary.scenarios.total,
    2 * r.report().scenarios.filter((s) => s.adapter === 'reference').length,
    'every scenario ran on both',
  );
});

t.test('a system that drops messages: the matrix, the disagreements and the gate say so', async (t) => {
  const r = await cli([
    'run',
    'scenarios/chat',
    '--adapter',
    `reference,${VARIANT}`,
    '--adapter-option',
    'variant=teams-to-skype-messages-dropped',
    '--deadline',
    '50',
  ]);
  t.equal(r.code, 1);
  const report = r.report();
  const chat001 = report.differential!.matrix.find((m) => m.requirement === 'CHAT-001')!;
  t.same(chat001.verdicts, { reference: 'pass', 'variant(teams-to-skype-messages-dropped)': 'fail' });
  const first = report.differential!.disagreements[0]!;
  t.match(first, {
    actor: /^(tara|tom)$/,
    action: { kind: 'message' },
    verdicts: { reference: 'pass', 'variant(teams-to-skype-messages-dropped)': 'fail' },
  });
  t.equal(first.observed['variant(teams-to-skype-messages-dropped)']!.deliveries.length, 0);
  t.equal(
    report.requirements.find((q) => q.id === 'CHAT-001')!.verdict,
    'fail',
    'the overall verdict is the worst over the adapters',
  );
  const md = readFileSync(join(r.outDir, 'summary.md'), 'utf8');
  t.match(md, /## Adapters × requirements/);
  t.match(md, /\| CHAT-001 \| MUST \| ✅ pass \| ❌ fail \|/);
  t.match(md, /## Where the adapters disagree \(\d+\)/);
  t.match(
    readFileSync(join(r.outDir, 'junit.xml'), 'utf8'),
    /classname="variant-teams-to-skype-messages-dropped\.chat"/,
    'junit cases stay distinct per adapter',
  );
});

t.test('delivery latency is reported as p50 / p95 / max, and late arrivals are measured', async (t) => {
  const r = await cli([
    'run',
    'scenarios/chat/first-messages-within-deadline.yaml',
    '--adapter-option',
    'faults=first-message-late',
    '--deadline',
    '2000',
    '--reporter',
    'json,markdown',
  ]);
  t.equal(r.code, 1);
  const l = r.report().summary.latency!;
  // Timing: the message is held 3 s, and a loaded machine may deliver it a little before or after; only a floor holds.
  t.ok(l.maxMs >= 2900, `max ${l.maxMs} ms reflects the 3 s late message`);
  t.ok(l.p50Ms <= l.p95Ms && l.p95Ms <= l.maxMs);
  t.match(
    readFileSync(join(r.outDir, 'summary.md'), 'utf8'),
    /Delivery latency: p50 [\d.]+ ms · p95 [\d.]+ ms · max [\d.]+ ms/,
  );
  t.match(r.out, /delivery latency: p50/);
});

t.test('two adapters with one name cannot be told apart: usage error', async (t) => {
  const r = await cli(['run', 'scenarios/chat', '--adapter', 'reference,reference']);
  t.equal(r.code, 2);
  t.match(r.err, /different name/);
});

t.test('observations that cannot be serialised (circular, BigInt) are compared without crashing the run', async (t) => {
  const { disagreements } = await import('../harness/differential.js');
  const odd = { status: 'ok', big: 1n } as Record<string, unknown>;
  odd.self = odd;
  const step = (observed: unknown) => ({
    index: 1,
    location: 'x.yaml:1:1',
    actor: 'tara',
    action: { kind: 'presence' },
    verdict: 'pass',
    observed,
    mismatches: [],
    requirements: [],
    rule: 'r',
    expected: {},
    durationMs: 0,
  });
  const results = (observed: unknown) => [{ id: 'chat/x', steps: [step(observed)] }] as never;
  const found = disagreements(
    new Map([
      ['a', results({ outcome: odd, deliveries: [{ to: 'sam', n: 2n }] })],
      ['b', results({ outcome: { status: 'ok' }, deliveries: [] })],
    ]),
  );
  t.equal(found.length, 1, 'the odd observation differs from the plain one, and saying so did not throw');
  t.same(
    disagreements(
      new Map([
        ['a', results({ outcome: odd, deliveries: [] })],
        ['b', results({ outcome: odd, deliveries: [] })],
      ]),
    ),
    [],
    'the same odd observation agrees with itself',
  );
});
