/**
 * The harness can fail: every faulty variant of the reference in the catalogue makes the run exit 1, and the
 * report names a requirement the fault breaks as failed. A variant the suite let through would mean a
 * requirement whose checks cannot fail.
 */
import t from 'tap';
import { FAULTS } from '../adapters/reference/faults.js';
import { cli } from './support.js';

// The reference delivers synchronously, so a short deadline only shortens waiting for what never comes.
const FAST = ['--deadline', '25', '--quiet', '--reporter', 'json', '--strict']; // --strict: SHOULD faults must fail too

for (const fault of FAULTS.filter((f) => f.id !== 'first-message-late')) {
  t.test(`fault ${fault.id} (${fault.breaks.join(', ')}) makes the run fail naming what it breaks`, async (t) => {
    const r = await cli(['run', 'scenarios', '--adapter-option', `faults=${fault.id}`, ...FAST]);
    t.equal(r.code, 1, `exit 1: ${fault.description}`);
    const failed = r.report().requirements.filter((q) => q.verdict === 'fail').map((q) => q.id);
    t.ok(fault.breaks.some((id) => failed.includes(id)), `failed requirements ${failed.join(', ')} include one of ${fault.breaks.join(', ')}`);
  });
}

t.test('a first message later than the deadline fails CHAT-006 with its measured latency', async (t) => {
  const r = await cli(['run', 'scenarios/chat/first-messages-within-deadline.yaml', '--adapter-option', 'faults=first-message-late', '--deadline', '2000', '--quiet', '--reporter', 'json']);
  t.equal(r.code, 1);
  const report = r.report();
  t.same(report.requirements.filter((q) => q.verdict === 'fail').map((q) => q.id), ['CHAT-006'], 'only the deadline is broken: the message did arrive');
  const message = report.scenarios[0]!.steps.flatMap((s) => s.mismatches).map((m) => m.message).join('\n');
  t.match(message, /arrived after \d+ ms; the deadline is 2000 ms/);
});

t.test('the same late message passes under a deadline that allows for it (the deadline is a parameter)', async (t) => {
  const r = await cli(['run', 'scenarios/chat/first-messages-within-deadline.yaml', '--adapter-option', 'faults=first-message-late', '--deadline', '3500', '--quiet', '--reporter', 'json']);
  t.equal(r.code, 0);
});
