/**
 * Every call into an adapter runs under its timeout, watched by one shared timer (harness/adapter-calls.ts): calls
 * with different timeouts at once, a call that ends after it timed out, and the process kept alive exactly while a
 * call is under way.
 */
import { spawnSync } from 'node:child_process';
import t from 'tap';
import { guarded } from '../harness/adapter-calls.js';

const never = () => new Promise<never>(() => {});
const outcome = (p: Promise<unknown>) =>
  p.then(
    (v) => `resolved ${String(v)}`,
    (e: Error) => `rejected: ${e.message}`,
  );

t.test('a call with a short timeout times out while a call with a long one is under way, which does not', async (t) => {
  const long = guarded({ stepTimeoutMs: 60_000 });
  const short = guarded({ stepTimeoutMs: 30 });
  let longEnded = false;
  let answer!: (v: number) => void;
  const first = outcome(long('a long drain', () => new Promise<number>((r) => (answer = r)))).finally(
    () => (longEnded = true),
  );
  // Two at once, due in the same round of the watchdog: both time out.
  t.same(await Promise.all([outcome(short('a short drain', never)), outcome(short('a short perform', never))]), [
    'rejected: a short drain took longer than 30 ms',
    'rejected: a short perform took longer than 30 ms',
  ]);
  t.equal(longEnded, false, 'the long call is still under way');
  answer(7);
  t.equal(await first, 'resolved 7', 'and ends with its answer');
});

t.test('a call that ends after its timeout leaves what the crash guard caught to the next call', async (t) => {
  const caught: string[] = [];
  const crashes = { take: () => (caught.length ? caught.splice(0).join('; ') : undefined) };
  const call = guarded({ stepTimeoutMs: 20, crashes });
  let answer!: (v: number) => void;
  const hung = call('a slow perform', () => new Promise<number>((r) => (answer = r)));
  t.equal(await outcome(hung), 'rejected: a slow perform took longer than 20 ms');
  caught.push('the adapter called process.exit(1)');
  answer(1);
  await new Promise((r) => setImmediate(r));
  t.equal(
    await outcome(call('the next drain', async () => [])),
    'rejected: the adapter called process.exit(1) (during the next drain)',
  );
  t.same(caught, [], 'taken once');
});

t.test('a call that throws before returning a promise fails like one that rejects, with what crashed', async (t) => {
  const call = guarded({ stepTimeoutMs: 1000, crashes: { take: () => undefined } });
  t.equal(
    await outcome(
      call('opening the world', () => {
        throw new Error('no world');
      }),
    ),
    'rejected: no world',
  );
  const crashing = guarded({ stepTimeoutMs: 1000, crashes: { take: () => 'uncaught exception: boom' } });
  t.equal(
    await outcome(crashing('a perform', async () => 'ok')),
    'rejected: uncaught exception: boom (during a perform)',
  );
});

t.test('the watchdog keeps the process alive while a call hangs, and not after the last call ends', async (t) => {
  // A quick call under 100 ms leaves the watchdog set for then; a hung call under 300 ms must keep the process alive
  // until it times out (else the program ends with nothing said); a last quick call under 60 s must not keep it
  // alive for those 60 s.
  const script = [
    "import { guarded } from './harness/adapter-calls.ts';",
    'await guarded({ stepTimeoutMs: 100 })("a quick call", async () => 1);',
    'await guarded({ stepTimeoutMs: 300 })("a hung call", () => new Promise(() => {})).catch((e) => console.log(e.message));',
    'await guarded({ stepTimeoutMs: 60000 })("a last call", async () => 2);',
  ].join('\n');
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' },
  });
  t.equal(child.signal, null, 'the process ended by itself');
  t.equal(child.stdout, 'a hung call took longer than 300 ms\n', child.stderr);
});
