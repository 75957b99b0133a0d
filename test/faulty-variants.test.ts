/**
 * The delay fault up close: a first message later than the deadline fails CHAT-006 alone, with its measured
 * latency, and the same message passes under a deadline that allows for it. That every faulty variant of the
 * catalogue fails the suite, naming a requirement it breaks, is test/mutants.test.ts (the `mutants` command).
 */
import t from 'tap';
import { cli } from './support.js';

t.test('a first message later than the deadline fails CHAT-006 with its measured latency', async (t) => {
  const r = await cli([
    'run',
    'scenarios/chat/first-messages-within-deadline.yaml',
    '--adapter-option',
    'faults=first-message-late',
    '--deadline',
    '2000',
    '--quiet',
    '--reporter',
    'json',
  ]);
  t.equal(r.code, 1);
  const report = r.report();
  t.same(
    report.requirements.filter((q) => q.verdict === 'fail').map((q) => q.id),
    ['CHAT-006'],
    'only the deadline is broken: the message did arrive',
  );
  const message = report.scenarios[0]!.steps.flatMap((s) => s.mismatches)
    .map((m) => m.message)
    .join('\n');
  t.match(message, /arrived after \d+ ms; the deadline is 2000 ms/);
});

t.test('the same late message passes under a deadline that allows for it (the deadline is a parameter)', async (t) => {
  const r = await cli([
    'run',
    'scenarios/chat/first-messages-within-deadline.yaml',
    '--adapter-option',
    'faults=first-message-late',
    '--deadline',
    '3500',
    '--quiet',
    '--reporter',
    'json',
  ]);
  t.equal(r.code, 0);
});
