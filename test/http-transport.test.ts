/**
 * Transport trouble is verdict `error` with its cause named, never `fail`, and the run goes on with its reports;
 * a wrong answer (shape or status) is a WIRE-001 `fail`. Refused and stalled connections are real sockets on
 * 127.0.0.1; 5xx, non-JSON and wrong shapes come from an undici MockAgent (test/fixtures/http-mock-adapter.ts).
 */
import t from 'tap';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WireFormatViolation } from '../adapters/adapter.js';
import { HttpClient, Redactor } from '../adapters/http/client.js';
import { createHttpAdapter, DISPOSE_GRACE_MS } from '../adapters/http/adapter.js';
import { UserEvents } from '../adapters/http/events.js';
import { ApiDocument } from '../adapters/http/schema.js';
import { mockToken } from './fixtures/http-mock-adapter.js';
import { cli, type CliRun } from './support.js';

const TWO = ['scenarios/chat/teams-to-skype-after-accept.yaml', 'scenarios/chat/skype-to-teams-after-accept.yaml'];
const MOCK = ['--adapter', 'test/fixtures/http-mock-adapter.ts', '--adapter-option'];

function reportsWritten(t: { ok(value: unknown, message: string): unknown }, r: CliRun): void {
  for (const f of ['report.json', 'junit.xml', 'summary.md']) t.ok(existsSync(join(r.outDir, f)), `${f} written`);
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

t.test(
  'a refused connection: verdict error naming ECONNREFUSED for every scenario, the run goes on, reports written',
  async (t) => {
    const probe = createServer();
    const port = await listen(probe);
    await new Promise((resolve) => probe.close(resolve));
    const r = await cli(['run', ...TWO, '--adapter', 'http', '--adapter-option', `url=http://127.0.0.1:${port}`]);
    t.equal(r.code, 1, 'not conformant: nothing is known');
    const report = r.report();
    t.equal(report.scenarios.length, 2, 'both scenarios were tried');
    for (const s of report.scenarios) {
      t.equal(s.verdict, 'error');
      t.match(
        s.reason,
        /could not open the world: harness: POST \/worlds: no answer from http:\/\/127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)/,
      );
    }
    t.equal(report.summary.scenarios.fail, 0, 'never a conformance failure');
    reportsWritten(t, r);
  },
);

t.test('a service that accepts and never answers: verdict error naming the timeout', async (t) => {
  const sockets = new Set<Socket>();
  const stalled = createServer((s) => void sockets.add(s));
  const port = await listen(stalled);
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    stalled.close();
  });
  const r = await cli([
    'run',
    TWO[0]!,
    '--adapter',
    'http',
    '--adapter-option',
    `url=http://127.0.0.1:${port}`,
    '--adapter-option',
    'timeout=200',
  ]);
  t.equal(r.code, 1);
  const [s] = r.report().scenarios;
  t.equal(s!.verdict, 'error');
  t.match(s!.reason, /timeout: no answer within 200 ms \(UND_ERR_HEADERS_TIMEOUT\)/);
  reportsWritten(t, r);
});

t.test(
  'a 5xx: verdict error saying the system under test answered it, to which request, with the token the error page echoed redacted',
  async (t) => {
    const r = await cli(['run', ...TWO, ...MOCK, 'mock=5xx']);
    t.equal(r.code, 1);
    const report = r.report();
    t.same(
      report.scenarios.map((s) => s.verdict),
      ['error', 'error'],
      'the run went on to the second scenario',
    );
    for (const s of report.scenarios)
      t.match(
        s.steps[0]!.error,
        /^the system under test answered 503 to [a-z]+: POST \/v1\.0\/chats\/[^/ ]+\/messages \(a server error: outside the API, so no verdict\): "upstream failed for Authorization: Bearer \[redacted\]"/,
      );
    const reasons = report.summary.gate.reasons.filter((x) => x.includes('answered 503'));
    t.equal(reasons.length, 2, 'the gate gives each scenario its reason');
    for (const x of reasons)
      t.notMatch(x, /adapter or harness error/, 'the system under test failed, not the adapter or the harness');
    for (const f of ['report.json', 'junit.xml', 'summary.md'])
      t.notOk(readFileSync(join(r.outDir, f), 'utf8').includes(mockToken('tara')), `no token in ${f}`);
  },
);

t.test('a body that is not JSON: verdict error naming it', async (t) => {
  const r = await cli(['run', TWO[0]!, ...MOCK, 'mock=non-json']);
  t.equal(r.code, 1);
  const [s] = r.report().scenarios;
  t.equal(s!.verdict, 'error');
  t.match(s!.steps[0]!.error, /answered 201 with a body that is not JSON \(content-type text\/html\): "<html>/);
  reportsWritten(t, r);
});

t.test(
  'an answer that breaks the schema: verdict fail naming WIRE-001, the schema error in the message (an extra property is no error)',
  async (t) => {
    const r = await cli(['run', TWO[0]!, ...MOCK, 'mock=bad-shape']);
    t.equal(r.code, 1);
    const [s] = r.report().scenarios;
    t.equal(s!.verdict, 'fail');
    t.match(s!.steps[0]!.mismatches, [
      {
        requirements: ['WIRE-001'],
        message:
          /answered 201 with a body that is not a ChatMessage \(specs\/openapi\.yaml\); \/messageType must be equal to one of the allowed values \(\["message",[^)]*\)$/,
      },
    ]);
    t.equal(r.report().requirements.find((q) => q.id === 'WIRE-001')!.verdict, 'fail');
  },
);

t.test('an undocumented status: verdict fail naming WIRE-001 and the documented ones', async (t) => {
  const r = await cli(['run', TWO[0]!, ...MOCK, 'mock=undocumented-status']);
  t.equal(r.code, 1);
  t.match(r.report().scenarios[0]!.steps[0]!.mismatches, [
    {
      requirements: ['WIRE-001'],
      message: /status 202 is not documented for sendChatMessage; specs\/openapi\.yaml allows 201, 400/,
    },
  ]);
});

t.test(
  'event streams: deliveries carry the server time, split frames parse, a wrong or id-less event is a WireFormatViolation',
  async (t) => {
    const streams = new Map<string, ServerResponse>();
    const server = createHttpServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': hello\n\n');
      streams.set(req.url!, res);
    });
    const port = await listen(server as unknown as Server);
    t.teardown(() => {
      server.closeAllConnections();
      server.close();
    });
    const client = new HttpClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 2000 });
    t.teardown(() => client.close());
    const open = (path: string) =>
      UserEvents.open(client, ApiDocument.load(), path, 'sam', 'a-token-of-sam-0123456789', new Redactor());
    const settle = () => new Promise((r) => setTimeout(r, 50));

    const good = await open('/good');
    const delivery = {
      to: 'sam',
      from: 'tara',
      kind: 'message',
      surface: 'skype',
      text: 'two\nlines',
      encrypted: true,
      deliveredAt: 1_700_000_000_000,
    };
    const frame = `id: 1\nevent: delivery\ndata: ${JSON.stringify(delivery)}\n\n`;
    streams.get('/good')!.write(frame.slice(0, 17));
    await settle();
    t.same(await good.drain(), [], 'half a frame is not an event, and drain does not wait for the rest');
    streams.get('/good')!.write(`${frame.slice(17)}id: 2\nevent: sync\ndata: {"marker":"m1"}\n\n`);
    await good.reached(2, 1000);
    t.same(good.drain(), [delivery], 'the delivery, with the server deliveredAt, once the stream reached id 2');
    t.same(good.drain(), [], 'drain clears');
    good.close();

    // An answer may carry what the document does not name (a real system's extras); a named field of the wrong type is wrong.
    const extra = await open('/extra');
    streams
      .get('/extra')!
      .write(`id: 1\nevent: delivery\ndata: ${JSON.stringify({ ...delivery, seenBy: ['sue'] })}\n\n`);
    await settle();
    t.same(extra.drain(), [{ ...delivery, seenBy: ['sue'] }], 'a delivery with a property the document does not name');
    extra.close();

    const wrong = await open('/wrong');
    streams
      .get('/wrong')!
      .write(`id: 1\nevent: delivery\ndata: ${JSON.stringify({ ...delivery, deliveredAt: 'soon' })}\n\n`);
    await settle();
    t.throws(() => wrong.drain(), WireFormatViolation, 'a delivery of the wrong shape');
    t.same(
      (() => {
        try {
          wrong.drain();
        } catch (e) {
          return (e as WireFormatViolation).details;
        }
      })(),
      ['/deliveredAt must be integer'],
      'with the schema error as evidence',
    );

    const anonymous = await open('/anonymous');
    streams.get('/anonymous')!.write(`event: delivery\ndata: ${JSON.stringify(delivery)}\n\n`);
    await settle();
    t.throws(
      () => anonymous.drain(),
      {
        name: 'WireFormatViolation',
        message: /a delivery event without an id; specs\/openapi\.yaml gives every event a whole-number id/,
      },
      'an event without an id cannot be resumed after: WIRE-001',
    );

    const ended = await open('/ended');
    streams.get('/ended')!.end();
    await settle();
    t.throws(() => ended.drain(), /sam's event stream ended while the world was open/);
    await t.rejects(
      ended.reached(1, 1000)!,
      /ended while the world was open/,
      'a wait for the cursor fails at once, it does not hang',
    );
  },
);

t.test(
  'dispose() never waits for an answer that trickles: the pool is cut after the grace period, and the request fails',
  async (t) => {
    const sockets = new Set<Socket>();
    // Headers at once, then one byte every 100 ms, forever: no body timeout ever fires.
    const trickling = createHttpServer((req, res) => {
      sockets.add(req.socket);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.write('{"id": "');
      const drip = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(drip));
    });
    const port = await listen(trickling as unknown as Server);
    t.teardown(() => {
      trickling.closeAllConnections();
      trickling.close();
    });
    const adapter = createHttpAdapter({ url: `http://127.0.0.1:${port}`, timeout: '5000' });
    const world = { tenants: {}, users: {} } as unknown as Parameters<typeof adapter.open>[0];
    const opening = adapter.open(world).then(
      () => 'opened',
      (e: Error) => e.message,
    );
    await new Promise((r) => setTimeout(r, 300));
    t.equal(sockets.size, 1, 'the answer is trickling in');
    const t0 = performance.now();
    await adapter.dispose();
    const took = performance.now() - t0;
    t.ok(
      took >= DISPOSE_GRACE_MS - 50 && took < DISPOSE_GRACE_MS + 1000,
      `dispose took ${Math.round(took)} ms: the grace period, then the cut`,
    );
    t.match(await opening, /POST \/worlds: the answer could not be read/, 'the request in flight fails, naming itself');
    const idle = createHttpAdapter({ url: `http://127.0.0.1:${port}` });
    const t1 = performance.now();
    await idle.dispose();
    t.ok(performance.now() - t1 < 200, 'with nothing in flight dispose is immediate');
  },
);
