/**
 * `--adapter stdio --command CMD` (issue 12 item 4; specs/adapter-protocol.md): a child process in any language is
 * the adapter. A well-behaved child passes real scenarios; each way a child can go wrong — crash, malformed line,
 * silence, garbage on stderr, a wrong or refused answer, a failed start — is an `error` verdict carrying its stderr
 * tail, never pass or fail; no process of the child's group outlives the run, Ctrl-C included.
 *
 * The children are test/fixtures/stdio/: reference-child.ts (the protocol in front of the in-process reference,
 * misbehaving on cue) and tiny-child.mjs (plain JavaScript, one behaviour per mode).
 *
 * why-long: one test per way a child can go wrong, each short; split, the files would share the helpers and fixtures.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Capability } from '../adapters/adapter.js';
import { createStdioAdapter, DEFAULT_TIMEOUT_MS, requestTimeoutMs } from '../adapters/stdio/adapter.js';
import {
  protocolValidators,
  readAnswer,
  readLine,
  StderrTail,
  TAIL_BYTES,
  TAIL_LINES,
} from '../adapters/stdio/protocol.js';
import { DEFAULT_STEP_TIMEOUT_MS } from '../harness/run.js';
import { CHAT_SCENARIO, cli, scenarioDir } from './support.js';

const NO_COVERAGE = '_TAPJS_PROCESSINFO_COVERAGE_=0';
const temp = () => mkdtempSync(join(tmpdir(), 'ic-stdio-'));
/** The reference behind the protocol; `pids`: the file each child appends its pid to. */
const referenceChild = (pids: string, args = '') =>
  `STDIO_PID_FILE=${pids} ${NO_COVERAGE} exec node --import tsx test/fixtures/stdio/reference-child.ts ${args}`;
const tinyChild = (pids: string, mode: string) =>
  `STDIO_PID_FILE=${pids} ${NO_COVERAGE} exec node test/fixtures/stdio/tiny-child.mjs ${mode}`;
const pidsIn = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map(Number) : []);

/** A process that runs (a zombie has stopped: where PID 1 reaps nothing, killed grandchildren stay zombies). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** A scenario whose first message carries `text` (the reference child's cue). */
const cued = (text: string) => CHAT_SCENARIO.replace('text: hello', `text: "hello ${text}"`);

t.test('the request timeout is just under the step timeout, whose default it shares with the harness', async (t) => {
  t.equal(DEFAULT_TIMEOUT_MS, DEFAULT_STEP_TIMEOUT_MS);
  t.equal(requestTimeoutMs(10_000), 9_750, 'at most 250 ms less');
  t.equal(requestTimeoutMs(1_000), 950, '95 %');
  t.equal(requestTimeoutMs(1), 1, 'never 0');
});

t.test('every message has a 2020-12 schema that compiles strictly and refuses what the protocol forbids', async (t) => {
  const v = protocolValidators();
  const ops = ['hello', 'open', 'perform', 'drain', 'close', 'shutdown'];
  t.same([...v.keys()].sort(), [...ops.flatMap((op) => [`${op}-request`, `${op}-answer`]), 'error-answer'].sort());
  const ok = (name: string, message: object) => v.get(name)!(message);
  t.ok(ok('perform-answer', { id: 3, ok: true, result: { status: 'error', error: 'contact-blocked', extra: 1 } }));
  t.notOk(ok('perform-answer', { id: 3, ok: true, result: { status: 'error' } }), 'status error needs its code');
  t.notOk(ok('perform-answer', { id: 3, ok: true, result: { sent: true } }), 'an outcome needs a status');
  t.notOk(ok('drain-answer', { id: 4, ok: true, result: { deliveries: [{ to: 'sam' }] } }), 'a delivery has a kind');
  t.notOk(ok('error-answer', { id: 4, ok: false, error: 'no' }), 'an error is an object with a message');
  t.notOk(ok('hello-answer', { id: 1, ok: true, result: { name: 'x\u001b', capabilities: [] } }), 'a name prints');
  t.notOk(ok('open-request', { id: 2, op: 'open', world: {}, extra: 1 }), 'requests are closed');
  t.notOk(ok('hello-answer', { id: 1.5, ok: true, result: { name: 'x', capabilities: [] } }), 'ids are whole');
  // The capabilities a child may declare are exactly adapters/adapter.ts's Capability.
  const every: Record<Capability, true> = {
    search: true,
    chat: true,
    call: true,
    relationship: true,
    presence: true,
    admin: true,
    coexistence: true,
    deployment: true,
    wire: true,
  };
  const schema = v.get('hello-answer')!.schema as any;
  t.same([...schema.properties.result.properties.capabilities.items.enum].sort(), Object.keys(every).sort());
});

t.test('each line that is no answer is named, and an answer is read by its op', async (t) => {
  const line = (text: string | Buffer) => readLine(Buffer.isBuffer(text) ? text : Buffer.from(text));
  t.same(line('  \r'), { blank: true });
  t.same(line(Buffer.from([0x7b, 0xff, 0x7d])), { malformed: 'wrote a line that is not UTF-8' });
  t.same(line('Traceback'), { malformed: 'wrote a line that is not JSON: "Traceback"' });
  t.same(line('[1]'), { malformed: 'wrote a line that is not a JSON object: "[1]"' });
  t.same(line('{"id":"1"}'), { malformed: 'wrote a line without a whole-number id: "{\\"id\\":\\"1\\"}"' });
  t.match(
    line(`"${'x'.repeat(300)}"`),
    { malformed: /not a JSON object: "\\"x{199}…"$/ },
    'quoted up to 200 characters',
  );
  t.same(line('{"id":7,"ok":true,"result":{}}\r'), { id: 7, message: { id: 7, ok: true, result: {} } });
  t.same(readAnswer('close', { id: 7, ok: true, result: {} }), { result: {} });
  t.same(readAnswer('close', { id: 7, ok: false, error: { message: 'busy' } }), { failed: 'busy' });
  t.same(readAnswer('close', { id: 7, ok: false, error: 'busy' }), { wrong: '/error must be object' });
  t.same(readAnswer('perform', { id: 7, ok: true, result: { status: 'error' } }), {
    wrong: "/result must have required property 'error'",
  });
  t.same(readAnswer('drain', { id: 7, ok: true, result: { deliveries: [{}, {}] } }), {
    wrong:
      "/result/deliveries/0 must have required property 'to'; /result/deliveries/0 must have required property 'kind'; /result/deliveries/1 must have required property 'to'; and 1 more",
  });
});

t.test('the stderr tail: the last 20 lines within 4 KiB, a lone long line cut to its end', async (t) => {
  const tail = new StderrTail();
  t.equal(tail.describe(), '; it wrote nothing on stderr');
  for (let i = 0; i < 100; i++) tail.add(Buffer.from(`line ${i}\n`));
  t.same(
    tail.lines(),
    Array.from({ length: TAIL_LINES }, (_, i) => `line ${80 + i}`),
  );
  tail.add(Buffer.from(`${'é'.repeat(5000)}\n`));
  const [only, ...rest] = tail.lines();
  t.same(rest, [], 'a line over the budget leaves no room for others');
  t.ok(only!.startsWith('…') && only!.endsWith('éé') && Buffer.byteLength(only!) <= TAIL_BYTES, 'cut to its end');
  t.match(tail.describe(), /^; its last stderr line \(1\):\n {2}\| …é/);
});

t.test(
  'a well-behaved child passes 2 chat scenarios; every request it got fits its schema; nothing it started runs after',
  async (t) => {
    const dir = temp();
    const log = join(dir, 'requests');
    // `sleep` in the background is a second process of the child's group: stopping only the child would leave it.
    const command = `sleep 300 & echo $! > ${dir}/sleeper; STDIO_REQUEST_LOG=${log} ${referenceChild(`${dir}/pids`)}`;
    const r = await cli([
      'run',
      'scenarios/chat',
      '--grep',
      'both-ways-after',
      '--adapter',
      'stdio',
      '--command',
      command,
    ]);
    t.equal(r.code, 0, r.err);
    t.same(r.report().summary.scenarios, { total: 2, pass: 2, fail: 0, error: 0, skip: 0 });
    t.equal(r.report().summary.adapter, 'stdio(fake)', "the child's name, as its hello gave it");
    const requests = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const count = (op: string) => requests.filter((q) => q.op === op).length;
    t.same(
      [count('hello'), count('open'), count('perform'), count('close'), count('shutdown')],
      [1, 2, 11, 2, 1],
      'one hello, a world per scenario, a perform per step, one shutdown',
    );
    t.equal(requests[0].op, 'hello');
    t.equal(requests.at(-1).op, 'shutdown');
    t.same(
      requests.map((q) => q.id),
      requests.map((_, i) => i + 1),
      'ids 1, 2, 3, … in the order sent',
    );
    const v = protocolValidators();
    const misfits = requests.filter((q) => !v.get(`${q.op}-request`)!(q));
    t.same(misfits, [], 'every request fits the schema of its op');
    const [pid] = pidsIn(`${dir}/pids`);
    t.equal(pidsIn(`${dir}/pids`).length, 1, 'one child for the whole run');
    t.ok(running(process.pid), 'the check sees a process that runs');
    t.notOk(running(pid!), 'the child is gone');
    t.notOk(running(Number(readFileSync(`${dir}/sleeper`, 'utf8'))), 'so is what its command started');
  },
);

t.test(
  'children that go wrong: each fault is an error verdict with the stderr tail, and a fresh child goes on',
  async (t) => {
    const dir = temp();
    const scenarios = scenarioDir({
      'chat/a-crash.yaml': cued('CRASH'),
      'chat/b-crash-again.yaml': cued('CRASH'),
      'chat/c-malformed.yaml': cued('MALFORMED'),
      'chat/d-garbage.yaml': cued('GARBAGE'),
      'chat/e-wrong.yaml': cued('WRONG'),
      'chat/f-refused.yaml': cued('REFUSE'),
      'chat/g-fine.yaml': CHAT_SCENARIO,
    });
    const r = await cli(['run', scenarios, '--adapter', 'stdio', '--command', referenceChild(`${dir}/pids`)]);
    t.equal(r.code, 1, 'adapter errors close the gate: exit 1, as for any adapter error');
    const report = r.report();
    t.same(report.summary.scenarios, { total: 7, pass: 1, fail: 0, error: 6, skip: 0 });
    const error = (id: string) => report.scenarios.find((s) => s.id === id)!.steps[0]!.error ?? '';
    for (const id of ['a-crash', 'b-crash-again', 'c-malformed', 'd-garbage', 'e-wrong', 'f-refused'])
      t.equal(report.scenarios.find((s) => s.id === `chat/${id}`)!.steps[0]!.verdict, 'error', `${id}: step 1 error`);
    const traceback =
      '(3):\n  | Traceback (most recent call last):\n  |   File "gateway.py", line 12\n  | KeyError: sam';
    t.match(
      error('chat/a-crash'),
      /^the adapter process 1 of this run exited with code 3 while perform \(request \d+\) waited for its answer; its last stderr lines /,
    );
    t.ok(error('chat/a-crash').endsWith(traceback), 'the crash carries its traceback');
    t.match(error('chat/b-crash-again'), /^the adapter process 2 of this run, after 1 restart, exited with code 3 /);
    t.match(
      error('chat/c-malformed'),
      /^the adapter process 3 of this run, after 2 restarts, wrote a line that is not JSON: "Connected to the gateway at 127\.0\.0\.1:9000"; it was stopped while perform \(request \d+\) waited for its answer; its last stderr line \(1\):\n {2}\| reference-child: about to print something that is no answer$/,
    );
    const garbage = error('chat/d-garbage');
    t.match(
      garbage,
      /^the adapter process 4 of this run, after 3 restarts, exited with code 1 .*its last stderr lines \(20\):\n/,
    );
    const tail = garbage.slice(garbage.indexOf('\n')).split('\n  | ').slice(1);
    t.equal(tail.length, TAIL_LINES);
    t.ok(Buffer.byteLength(tail.join('\n')) <= TAIL_BYTES, 'at most 4 KiB of it');
    t.equal(tail.at(-1), 'the last words');
    t.match(garbage, 'Authorization: Bearer [redacted]', 'the credential it logged is redacted in report.json');
    t.notMatch(r.out, /abcdefghijklmnop|\u001b|\u0007/, 'and on the terminal, without its escapes');
    t.notMatch(readFileSync(join(r.outDir, 'junit.xml'), 'utf8'), /abcdefghijklmnop|\u001b/, 'and in junit.xml');
    t.match(
      error('chat/e-wrong'),
      /^the adapter process 5 of this run, after 4 restarts, answered perform \(request \d+\) wrongly: \/result must have required property 'status'/,
    );
    t.match(
      error('chat/f-refused'),
      /^the adapter process 5 of this run, after 4 restarts, failed perform: the gateway refused the connection: ECONNREFUSED; /,
    );
    t.equal(report.scenarios.find((s) => s.id === 'chat/g-fine')!.verdict, 'pass', 'the fifth child passes the last');
    const pids = pidsIn(`${dir}/pids`);
    t.equal(pids.length, 5, 'a child for the first scenario and one after each of the 4 that died or were stopped');
    t.same(pids.filter(running), [], 'none of them runs');
  },
);

t.test('a child that never answers: the step is error at 95 % of --timeout, with its stderr tail', async (t) => {
  const dir = temp();
  const scenarios = scenarioDir({ 'chat/silent.yaml': CHAT_SCENARIO });
  const command = tinyChild(`${dir}/pids`, 'silent');
  const r = await cli(['run', scenarios, '--adapter', 'stdio', '--command', command, '--timeout', '2000']);
  t.equal(r.code, 1, r.err);
  const s = r.report().scenarios[0]!;
  t.equal(s.verdict, 'error');
  // Request 5: after hello, open, and a drain of each of the two people (what was waiting before the action).
  t.equal(
    s.steps[0]!.error,
    'the adapter process 1 of this run did not answer perform (request 5) within 1900 ms; its last stderr line (1):\n  | tiny: holding perform 5 forever',
  );
  t.notMatch(JSON.stringify(r.report()), 'took longer than', "the harness's bare timeout never won the race");
  t.same(pidsIn(`${dir}/pids`).filter(running), [], 'the silent child is gone after the run');
});

t.test('a child that cannot start is refused before anything runs: exit 2, its stderr tail redacted', async (t) => {
  const dir = temp();
  const r = await cli([
    'run',
    'scenarios/chat',
    '--adapter',
    'stdio',
    '--command',
    referenceChild(`${dir}/pids`, '--hello=exit'),
  ]);
  t.equal(r.code, 2);
  t.equal(
    r.err,
    'interop-conformance: adapter stdio could not be created: it did not start: the adapter process 1 of this run ' +
      'exited with code 2 while hello (request 1) waited for its answer; its last stderr line (1): | ' +
      'reference-child: cannot reach the gateway: password=[redacted]\n(see interop-conformance run --help)\n',
  );
  t.notOk(existsSync(join(r.outDir, 'report.json')), 'nothing was run');
  t.same(pidsIn(`${dir}/pids`).filter(running), []);
  // Silent: the adapter's error, which carries the stderr, comes before the harness's bare timeout of the factory
  // (the child is stopped after it, not before).
  const silent = await cli([
    'run',
    'scenarios/chat',
    '--adapter',
    'stdio',
    '--command',
    'exec sleep 30',
    '--timeout',
    '1000',
  ]);
  t.equal(silent.code, 2, silent.err);
  t.match(silent.err, 'did not answer hello (request 1) within 950 ms; it wrote nothing on stderr');
});

t.test('a hello that is wrong, or never comes, or no command at all: the adapter is not made', async (t) => {
  const dir = temp();
  await t.rejects(
    createStdioAdapter({ command: referenceChild(`${dir}/pids`, '--hello=wrong') }),
    /^it did not start: the adapter process 1 of this run answered hello \(request 1\) wrongly: \/result\/capabilities\/0 must be equal to one of the allowed values; it wrote nothing on stderr$/,
  );
  await t.rejects(createStdioAdapter({ command: `echo $$ > ${dir}/sleeper; exec sleep 30`, timeout: '400' }), {
    message:
      'it did not start: the adapter process 1 of this run did not answer hello (request 1) within 380 ms; it wrote nothing on stderr',
  });
  const sleeper = Number(readFileSync(`${dir}/sleeper`, 'utf8'));
  for (let i = 0; i < 200 && running(sleeper); i++) await sleep(20);
  t.notOk(running(sleeper), 'the silent child is stopped (shutdown, then SIGTERM 1 s later)');
  await t.rejects(createStdioAdapter({}), /needs the command that starts it: --command "CMD"/);
  await t.rejects(createStdioAdapter({ command: 'true', timeout: '1.5' }), /timeout takes a whole number of ms/);
  const usage = await cli(['run', 'scenarios/chat', '--command', 'python3 x.py']);
  t.equal(usage.code, 2, '--command without the stdio adapter is a usage error');
  t.match(usage.err, '--command starts the adapter process of --adapter stdio; no stdio adapter was named');
});

t.test('answers in any order reach the requests they answer', async (t) => {
  const dir = temp();
  const exitHooks = process.listenerCount('exit');
  const adapter = await createStdioAdapter({ command: tinyChild(`${dir}/pids`, 'reverse') });
  t.equal(process.listenerCount('exit'), exitHooks + 1, 'the child is killed if the harness exits meanwhile');
  t.equal(adapter.name, 'stdio(tiny-reverse)');
  t.same(adapter.capabilities, ['chat', 'relationship']);
  t.equal(adapter.settleMs, undefined, 'no settleMs in hello: the harness default applies');
  const session = await adapter.open({ tenants: {}, users: {} });
  const message = { kind: 'message', to: 'x', text: 'hi' } as const;
  const [tara, sam] = await Promise.all([session.perform('tara', message), session.perform('sam', message)]);
  t.same(
    [tara, sam],
    [
      { status: 'error', error: 'tara' },
      { status: 'error', error: 'sam' },
    ],
  );
  await session.close();
  await adapter.dispose!();
  t.same(pidsIn(`${dir}/pids`).filter(running), []);
  t.equal(process.listenerCount('exit'), exitHooks, 'and no exit hook outlives it');
});

t.test(
  'a stray id stops the child: what waited fails, its worlds are gone, the next world gets a fresh child',
  async (t) => {
    const dir = temp();
    const adapter = await createStdioAdapter({ command: tinyChild(`${dir}/pids`, 'stray') });
    const world = await adapter.open({ tenants: {}, users: {} });
    await t.rejects(
      world.perform('tara', { kind: 'presence', of: 'sam' }),
      /^the adapter process 1 of this run answered request 999, which no request is waiting for; it was stopped while perform \(request 3\) waited for its answer/,
    );
    await t.rejects(
      world.drain('tara'),
      /^the adapter process 1 of this run answered request 999, .*; it could not take drain/,
    );
    await world.close(); // nothing left to release: no error
    const next = await adapter.open({ tenants: {}, users: {} });
    await t.rejects(
      next.perform('tara', { kind: 'presence', of: 'sam' }),
      /^the adapter process 2 of this run, after 1 restart, answered request 999/,
    );
    await adapter.dispose!();
    t.equal(pidsIn(`${dir}/pids`).length, 2);
    t.same(pidsIn(`${dir}/pids`).filter(running), []);
  },
);

t.test('a late answer to a request given up on is dropped, and the child goes on', async (t) => {
  const dir = temp();
  const adapter = await createStdioAdapter({ command: tinyChild(`${dir}/pids`, 'late'), timeout: '2000' });
  const world = await adapter.open({ tenants: {}, users: {} });
  await t.rejects(world.perform('tara', { kind: 'presence', of: 'sam' }), {
    message:
      'the adapter process 1 of this run did not answer perform (request 3) within 1900 ms; it wrote nothing on stderr',
  });
  // The child answers the first perform only now, just before the second: a stray id would stop it.
  t.same(await world.perform('sam', { kind: 'presence', of: 'tara' }), { status: 'error', error: 'sam' });
  await adapter.dispose!();
  t.equal(pidsIn(`${dir}/pids`).length, 1, 'no restart');
});

t.test('a line over 1 MiB is malformed; blank lines are not', async (t) => {
  const dir = temp();
  const long = await createStdioAdapter({ command: tinyChild(`${dir}/pids`, 'long') });
  const world = await long.open({ tenants: {}, users: {} });
  await t.rejects(
    world.perform('tara', { kind: 'presence', of: 'sam' }),
    /^the adapter process 1 of this run wrote a line longer than 1048576 bytes; it was stopped while perform/,
  );
  await long.dispose!();
  const blank = await createStdioAdapter({ command: tinyChild(`${dir}/pids`, 'blank') });
  const fine = await blank.open({ tenants: {}, users: {} });
  t.same(await fine.perform('tara', { kind: 'presence', of: 'sam' }), { status: 'error', error: 'tara' });
  t.same(await fine.drain('tara'), []);
  const t0 = performance.now();
  await blank.dispose!();
  t.ok(performance.now() - t0 < 1000, 'a child that exits on shutdown is not waited for');
  t.same(pidsIn(`${dir}/pids`).filter(running), []);
});

t.test('a child that ignores shutdown and SIGTERM is killed (SIGKILL) 2 s after SIGTERM', async (t) => {
  const dir = temp();
  const adapter = await createStdioAdapter({ command: tinyChild(`${dir}/pids`, 'linger') });
  const [pid] = pidsIn(`${dir}/pids`);
  const t0 = performance.now();
  await adapter.dispose!();
  const ms = performance.now() - t0;
  t.ok(ms >= 2900 && ms < 6000, `1 s for shutdown, 2 s after SIGTERM (took ${Math.round(ms)} ms)`);
  t.notOk(running(pid!), 'it is gone');
});

t.test('after 3 starts in a row fail, no more are tried', async (t) => {
  const dir = temp();
  // The first start serves; every later one fails at once.
  const command = `if [ -e ${dir}/started ]; then echo "no gateway at 127.0.0.1:9000" >&2; exit 5; fi; touch ${dir}/started; ${tinyChild(`${dir}/pids`, 'blank')}`;
  const adapter = await createStdioAdapter({ command });
  await adapter.open({ tenants: {}, users: {} });
  const [pid] = pidsIn(`${dir}/pids`);
  process.kill(pid!, 'SIGKILL');
  for (let i = 0; i < 100 && running(pid!); i++) await sleep(20);
  await sleep(300); // its exit is noticed (and its last words read) before the next open
  const world = await adapter.open({ tenants: {}, users: {} }).catch((e: Error) => e);
  t.match(
    (world as Error).message,
    /^the adapter process 2 of this run, after 1 restart, exited with code 5 while hello/,
  );
  const failures: string[] = [];
  for (let i = 0; i < 4; i++)
    failures.push(
      await adapter.open({ tenants: {}, users: {} }).then(
        () => 'opened',
        (e: Error) => e.message,
      ),
    );
  t.match(
    failures.at(-1),
    /^no adapter process: the last 3 started \(of 4\) did not answer hello, so no more are started$/,
  );
  t.match(
    failures.join('\n'),
    /the adapter process 4 of this run, after 3 restarts, exited with code 5 while hello \(request 1\) waited for its answer; its last stderr line \(1\):\n {2}\| no gateway at 127\.0\.0\.1:9000/,
  );
  await adapter.dispose!();
});

t.test('Ctrl-C: SIGINT ends the run (exit 130) and its adapter process with it', async (t) => {
  const dir = temp();
  const scenarios = scenarioDir({ 'chat/silent.yaml': CHAT_SCENARIO });
  const harness = spawn(
    'node',
    [
      'bin/interop-conformance.js',
      'run',
      scenarios,
      '--adapter',
      'stdio',
      '--command',
      tinyChild(`${dir}/pids`, 'silent'),
      '--out',
      dir,
      '--timeout',
      '60000',
    ],
    { env: { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0', CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  harness.stdout.on('data', (c: Buffer) => (out += c));
  const exited = new Promise<number | null>((r) => harness.on('exit', (code) => r(code)));
  // Wait until the child holds the perform, then Ctrl-C.
  for (let i = 0; i < 200 && !out.includes('running 1 scenario'); i++) await sleep(50);
  for (let i = 0; i < 100 && pidsIn(`${dir}/pids`).length === 0; i++) await sleep(50);
  await sleep(300);
  harness.kill('SIGINT');
  t.equal(await exited, 130);
  const [pid] = pidsIn(`${dir}/pids`);
  t.ok(pid, 'the child had started');
  await sleep(100);
  t.notOk(running(pid!), 'the child went with the harness');
});
