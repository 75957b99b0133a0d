/**
 * `run --workers N` (issue 9, item 6): in-process adapters on worker threads, networked ones on lanes of concurrent
 * worlds (test/workers-http.test.ts), results and reports in scenario order whatever order scenarios end in, a
 * thread that dies giving its scenarios `error` (exit 3, reports written), and what a bad N is (exit 2).
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createReferenceAdapter } from '../adapters/reference/adapter.js';
import type { Adapter } from '../adapters/adapter.js';
import type { ScenarioResult } from '../reports/results.js';
import { loadScenarios } from '../harness/api.js';
import { runScenarios } from '../harness/run.js';
import { InOrder } from '../harness/workers/in-order.js';
import type { ToMain } from '../harness/workers/messages.js';
import { serveThread } from '../harness/workers/thread.js';
import { workerPlan } from '../harness/workers/policy.js';
import { CHAT_SCENARIO, cli, scenarioDir } from './support.js';
import { comparable } from './workers-support.js';

/** Three scenarios, each with its own people: `wes` is only in the first. */
const three = scenarioDir({
  'chat/a-wes.yaml': CHAT_SCENARIO.replaceAll('tara', 'wes').replace('Tara and Sam', 'Wes and Sam'),
  'chat/b.yaml': CHAT_SCENARIO,
  'chat/c.yaml': CHAT_SCENARIO.replaceAll('sam', 'sue').replace('Tara and Sam', 'Tara and Sue'),
});
const ids = ['chat/a-wes', 'chat/b', 'chat/c'];

t.test('results reach the reporter in scenario order when a later scenario ends first', async (t) => {
  const { scenarios } = loadScenarios(three);
  t.same(
    scenarios.map((s) => s.id),
    ids,
  );
  const reference = createReferenceAdapter();
  const closed: string[] = [];
  // The first scenario's world is slow to open: on two lanes the other two end before it.
  const slowFirst: Adapter = {
    ...reference,
    open: async (world) => {
      const first = world === scenarios[0]!.world;
      if (first) await new Promise((r) => setTimeout(r, 300));
      const session = await reference.open(world);
      const id = scenarios.find((s) => s.world === world)!.id;
      return {
        perform: (actor, action) => session.perform(actor, action),
        drain: (user) => session.drain(user),
        close: async () => (closed.push(id), session.close()),
      };
    },
  };
  const reported: string[] = [];
  const results = await runScenarios(scenarios, {
    adapter: slowFirst,
    deadlineMs: 2000,
    stepTimeoutMs: 5000,
    settleMs: 0,
    lanes: 2,
    reporter: { onScenarioEnd: (r) => void reported.push(r.id) },
  });
  t.same(closed, ['chat/b', 'chat/c', 'chat/a-wes'], 'the first scenario ended last');
  t.same(reported, ids, 'the reporter had them in scenario order');
  t.same(
    results.map((r) => r.id),
    ids,
  );
  t.same(
    results.map((r) => r.verdict),
    ['pass', 'pass', 'pass'],
  );
});

t.test('InOrder holds a result back until every earlier one has been handed on', async (t) => {
  const seen: number[] = [];
  const order = new InOrder({ onScenarioEnd: async (r) => void seen.push(Number(r.id)) });
  const result = (id: number) => ({ id: String(id) }) as ScenarioResult;
  order.add(2, result(2));
  order.add(1, result(1));
  t.equal(order.count, 0, 'nothing before scenario 0 has ended');
  order.add(0, result(0));
  t.equal(order.count, 3);
  t.same(
    (await order.all()).map((r) => r.id),
    ['0', '1', '2'],
  );
  t.same(seen, [0, 1, 2]);
});

t.test('workerPlan: lanes for http, threads in process when asked, else one', async (t) => {
  const plan = (o: Partial<Parameters<typeof workerPlan>[0]>) =>
    workerPlan({ specs: ['reference'], byName: true, cores: 2, ...o });
  t.match(plan({ specs: ['http'] }), { workers: 2, threads: false }, 'http: the cores, as lanes');
  t.match(plan({ specs: ['http'], cores: 8 }), { workers: 8, threads: false });
  t.match(plan({ specs: ['http'], asked: 3 }), { workers: 3, threads: false });
  t.match(plan({ specs: ['stdio'], asked: 5 }), { workers: 5, threads: false });
  t.match(plan({ specs: ['stdio'] }), { workers: 1, threads: false }, 'stdio: one lane unless asked');
  t.match(plan({ specs: ['reference', 'http'], asked: 4 }), { workers: 1, threads: false }, 'differential');
  t.match(plan({ byName: false, asked: 4 }), { workers: 1, threads: false }, 'an Adapter object stays here');
  t.match(plan({ asked: 2 }), { workers: 2, threads: true });
  t.match(plan({ specs: ['./mine.ts'], asked: 4 }), { workers: 4, threads: true }, 'a module: threads');
  t.match(plan({ asked: 1 }), { workers: 1, threads: false });
  t.match(plan({}), { workers: 1, threads: false }, 'in process: one thread unless asked');
});

t.test('--workers 0 and --workers abc are usage errors: exit 2, nothing run', async (t) => {
  for (const n of ['0', 'abc', '1.5', '']) {
    const r = await cli(['run', three, '--workers', n]);
    t.equal(r.code, 2, `--workers ${n}`);
    t.match(r.err, `--workers takes a whole number above 0; got "${n}"`);
    t.match(r.err, 'run --help');
  }
});

t.test('run --help lists --workers', async (t) => {
  const r = await cli(['run', '--help']);
  t.match(r.out, '--workers N');
});

t.test('in process: --workers 2 (two threads) writes the report.json --workers 1 writes', async (t) => {
  const one = await cli(['run', three, '--workers', '1', '--reporter', 'json']);
  const two = await cli(['run', three, '--workers', '2', '--reporter', 'json']);
  t.equal(one.code, 0, one.err);
  t.equal(two.code, 0, two.err);
  t.equal(two.report().scenarios.length, 3);
  t.equal(comparable(two.report()), comparable(one.report()));
  t.same(
    two.out
      .split('\n')
      .filter((l) => /^(pass|fail|error) /.test(l))
      .map((l) => l.split(' ')[1]),
    ids,
    'progress in scenario order',
  );
});

t.test(
  'a worker thread that dies mid-run: its scenario is error naming the exit, exit 3, the report whole',
  async (t) => {
    const reference = pathToFileURL(join(import.meta.dirname, '..', 'adapters', 'reference', 'adapter.ts')).href;
    // Ends its thread as native code would: process.reallyExit is below the crash guard's process.exit.
    const module = join(three, '..', 'dies-in-thread.mjs');
    writeFileSync(
      module,
      `import { isMainThread } from 'node:worker_threads';
import { createReferenceAdapter } from ${JSON.stringify(reference)};
export default () => {
  const reference = createReferenceAdapter();
  return {
    ...reference,
    name: 'dies-in-thread',
    open: (world) => (!isMainThread && 'wes' in world.users ? process.reallyExit(7) : reference.open(world)),
  };
};
`,
    );
    const r = await cli(['run', three, '--adapter', module, '--workers', '2', '--reporter', 'json']);
    t.equal(r.code, 3, r.err);
    const run = r.report();
    t.same(
      run.scenarios.map((s) => [s.id, s.verdict]),
      [
        ['chat/a-wes', 'error'],
        ['chat/b', 'pass'],
        ['chat/c', 'pass'],
      ],
    );
    t.match(run.scenarios[0]!.reason, /^worker thread [12] ended with exit code 7$/);
    t.equal(run.summary.crashes?.length, 1);
    t.match(run.summary.crashes?.[0], /^worker thread [12] ended with exit code 7 while it ran chat\/a-wes$/);
    t.match(run.summary.gate.reasons[0], 'the adapter crashed: worker thread');
    t.equal(run.summary.gate.conformant, false);
  },
);

const REFERENCE = pathToFileURL(join(import.meta.dirname, '..', 'adapters', 'reference', 'adapter.ts')).href;

/** An adapter module in the temp folder, importing the reference. */
function adapterModule(name: string, body: string): string {
  const file = join(three, '..', name);
  writeFileSync(
    file,
    `import { isMainThread } from 'node:worker_threads';\nimport { createReferenceAdapter } from ${JSON.stringify(REFERENCE)};\n${body}`,
  );
  return file;
}

t.test('threads that cannot make the adapter: every scenario error, each thread a crash, exit 3', async (t) => {
  const module = adapterModule(
    'no-licence-in-threads.mjs',
    `export default () => {
  if (!isMainThread) throw new Error('no licence in this thread');
  return createReferenceAdapter();
};
`,
  );
  const r = await cli(['run', three, '--adapter', module, '--workers', '2', '--reporter', 'json']);
  t.equal(r.code, 3, r.err);
  const run = r.report();
  t.same(
    run.scenarios.map((s) => s.verdict),
    ['error', 'error', 'error'],
  );
  t.match(run.scenarios[0]!.reason, /^not run: every worker thread had ended \(the last: worker thread [12] could not/);
  t.match(run.scenarios[0]!.reason, 'no licence in this thread');
  t.equal(run.summary.crashes?.length, 2, 'one crash a thread');
  t.equal(run.summary.scenarios.total, 3, 'no lost result');
});

t.test('a thread serves its lane over a port: asks, says what it played, posts results, disposes', async (t) => {
  const { scenarios } = loadScenarios(three);
  const module = adapterModule(
    'dispose-fails.mjs',
    `export default () => ({ ...createReferenceAdapter(), name: 'dispose-fails', secrets: () => ['s3cr3t-token-1'],
  dispose: async () => { throw new Error('the pool would not drain'); } });
`,
  );
  const serve = async (spec: string, total: number) => {
    const { port1, port2 } = new MessageChannel();
    const got: ToMain[] = [];
    let next = 0;
    // Messages arrive after serveThread returns: the port stays open until its last one.
    let ended!: () => void;
    const last = new Promise<void>((r) => (ended = r));
    port2.on('message', (m: ToMain) => {
      got.push(m);
      if (m.type === 'done' || m.type === 'failed') ended();
      if (m.type === 'want')
        port2.postMessage(
          next < total ? { type: 'take', queued: { index: next, scenario: scenarios[next++] } } : { type: 'take' },
        );
      // The main thread says the next scenario was played; here no other thread plays it.
      if (m.type === 'played' && m.index + 1 < total)
        port2.postMessage({ type: 'next-played', index: m.index, opened: true });
    });
    const run = { deadlineMs: 2000, stepTimeoutMs: 5000, settleMs: 0 };
    await serveThread(port1, {
      interopConformanceThread: 1,
      recipe: { spec, options: {}, timeoutMs: 5000 },
      run,
      total,
    });
    await last;
    port1.close();
    port2.close();
    return got;
  };
  const got = await serve(module, 2);
  const of = (type: ToMain['type']) => got.flatMap((m) => (m.type === type ? ['index' in m ? m.index : null] : []));
  t.same(of('want'), [null, null, null], 'one want a scenario, and one answered with none');
  t.same(of('played'), [0, 1]);
  t.same(of('result'), [0, 1]);
  t.equal(got.at(-1)!.type, 'done', 'done last');
  const results = got.flatMap((m) => (m.type === 'result' ? [m] : []));
  t.same(
    results.map((m) => [m.result.id, m.result.verdict, m.secrets, m.crashes]),
    [
      ['chat/a-wes', 'pass', ['s3cr3t-token-1'], []],
      ['chat/b', 'pass', [], []],
    ],
    'each secret posted once',
  );
  t.same(got.at(-1), {
    type: 'done',
    notes: ['adapter dispose-fails could not be disposed of: the pool would not drain'],
    crashes: [],
  });
  const unknown = await serve('no-such-adapter', 1);
  t.equal(unknown.length, 1);
  t.match(unknown[0], { type: 'failed', message: /unknown adapter "no-such-adapter"/ });
});
