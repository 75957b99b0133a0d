/**
 * What the http adapter checks of the world stream beyond reading it (events=world only), each shown failing on
 * the independent implementation's fault that breaks it and passing on the conformant service: the probes open
 * the world stream with a user's token and with another world's control token (refused), with a Last-Event-ID it
 * cannot resume from (400), and watch it end when its world is deleted; a user's own stream opened without
 * Last-Event-ID resends nothing the world stream showed (WIRE-003); and the world stream's order across users, as
 * answers' cursors prove it (WIRE-001), on a scripted stream and on a catch-up sent user by user.
 */
import t, { type Test } from 'tap';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startIndependent } from '../adapters/independent/index.js';
import { createHttpAdapter } from '../adapters/http/adapter.js';
import { HttpClient, Redactor } from '../adapters/http/client.js';
import { EventCursor } from '../adapters/http/cursor.js';
import { ApiDocument } from '../adapters/http/schema.js';
import { WorldEvents } from '../adapters/http/world-events.js';
import { WireFormatViolation, type Session } from '../adapters/adapter.js';
import type { Attack, World } from '../specs/protocol.js';
import { skype, teams, worldOf } from './fixtures/reference-world.js';

t.setTimeout(120_000);

const WORLD: World = worldOf(teams('tara'), skype('sam', { client: 'web' }));

/** A session on the independent implementation with `defects` on, read `events` way; Tara and Sam connected. */
async function connected(t: Test, defects: string[], events = 'world'): Promise<Session> {
  const service = await startIndependent({ defects: new Set(defects) });
  const adapter = createHttpAdapter({ url: service.url, timeout: '1500', events });
  const session = await adapter.open(WORLD);
  t.teardown(async () => {
    await session.close().catch(() => {});
    await adapter.dispose();
    await service.close();
  });
  t.same(await session.perform('tara', { kind: 'message', to: 'sam', text: 'Hello Sam, first contact.' }), {
    status: 'ok',
  });
  t.same(await session.perform('sam', { kind: 'accept', from: 'tara' }), { status: 'ok' });
  for (const u of ['tara', 'sam']) await session.drain(u);
  return session;
}

const probe = (s: Session, actor: string, attack: Attack, target?: string) =>
  s.perform(actor, { kind: 'probe', attack, ...(target ? { target } : {}) });
const denied = { status: 'error', error: 'denied' };

// Each world-stream probe: its actor and attack, the conformant refusal, the fault it catches and what that gives.
const PROBES: [fault: string, actor: string, attack: Attack, target: string | undefined, refusal: object][] = [
  ['world-stream-accepts-user-token', 'sam', 'read-other-chats', 'tara', denied],
  ['world-stream-control-token-any-world', 'tara', 'reach-other-world', undefined, denied],
  [
    'world-stream-bad-last-event-id-from-start',
    'tara',
    'malformed-json',
    undefined,
    { status: 'error', error: 'bad-request' },
  ],
  ['world-stream-outlives-deleted-world', 'sam', 'use-deleted-world-token', undefined, denied],
];

t.test('the conformant service, read through its world stream, turns every world-stream probe away', async (t) => {
  const session = await connected(t, []);
  for (const [, actor, attack, target, refusal] of PROBES)
    t.same(await probe(session, actor, attack, target), refusal, `${actor}'s ${attack}`);
});

for (const [fault, actor, attack, target] of PROBES)
  t.test(`${fault}: ${actor}'s ${attack} probe gets through (ok) in world mode`, async (t) => {
    t.same(await probe(await connected(t, [fault]), actor, attack, target), { status: 'ok' });
  });

t.test("read through users' own streams (events=person), the world stream is not probed", async (t) => {
  const session = await connected(t, ['world-stream-accepts-user-token', 'world-stream-not-counted-as-sent'], 'person');
  t.same(await probe(session, 'sam', 'read-other-chats', 'tara'), denied);
});

t.test(
  "world-stream-not-counted-as-sent: sam's own stream resends what the world stream showed (WIRE-003)",
  async (t) => {
    const session = await connected(t, ['world-stream-not-counted-as-sent']);
    const e = await probe(session, 'sam', 'read-other-chats', 'tara').catch((e: unknown) => e);
    t.type(e, WireFormatViolation);
    t.equal((e as WireFormatViolation).requirement, 'WIRE-003');
    t.match(
      (e as Error).message,
      /^sam: GET \/interop\/me\/events, opened without Last-Event-ID after the world stream had shown sam's events up to the id 1, sent the event 1 again/,
    );
  },
);

t.test(
  'world-stream-catch-up-by-user: a catch-up sent user by user is out of the order the cursors prove',
  async (t) => {
    const session = await connected(t, ['world-stream-catch-up-by-user']);
    const e = await probe(session, 'sam', 'use-deleted-world-token').catch((e: unknown) => e);
    t.type(e, WireFormatViolation);
    t.match(
      (e as Error).message,
      /^the world stream: a delivery event for \w+ with the id \d+ came before \w+'s event \d+/,
    );
  },
);

/** A world stream writing `frames`, opened with the cursors `counted` already taken. */
async function scripted(t: Test, frames: string[], counted: ReadonlyMap<string, number>[]) {
  const open = new Set<ServerResponse>();
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const f of frames) res.write(f);
    open.add(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = new HttpClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 1000 });
  t.teardown(async () => {
    for (const res of open) res.destroy();
    await client.close(10);
    await new Promise((r) => server.close(r));
  });
  const doc = ApiDocument.load();
  const stream = await WorldEvents.open(
    client,
    doc,
    '/worlds/w/interop/events',
    'c',
    ['tara', 'sam'],
    new Redactor(),
    counted,
  );
  t.teardown(() => stream.close());
  return stream;
}
const delivery = (id: string, to: string) =>
  `id: ${id}\nevent: delivery\ndata: ${JSON.stringify({ to, from: to === 'sam' ? 'tara' : 'sam', kind: 'message', surface: 'skype', text: 'hi', encrypted: true, deliveredAt: 1 })}\n\n`;

t.test("an answer's cursor orders two users' events: the world stream must show them in that order", async (t) => {
  // A cursor counting tara's event 1 and not sam's: tara's was emitted first.
  const cursor = new EventCursor(new Set(['tara', 'sam']));
  const taken: ReadonlyMap<string, number>[] = [];
  cursor.listen((entries) => taken.push(entries));
  cursor.take('tara=1, sam=0', 'tara: GET /v1.0/me/chats answered 200', (s) => s);
  t.same(
    taken,
    [
      new Map([
        ['tara', 1],
        ['sam', 0],
      ]),
    ],
    'every cursor taken is told',
  );
  const inOrder = await scripted(t, [delivery('tara=1, sam=0', 'tara'), delivery('tara=1, sam=1', 'sam')], taken);
  await inOrder.reached('sam', 1, 500);
  t.same([inOrder.drain('tara').length, inOrder.drain('sam').length], [1, 1], 'in that order: both shown');
  const reversed = await scripted(t, [delivery('tara=0, sam=1', 'sam'), delivery('tara=1, sam=1', 'tara')], taken);
  const e = await reversed.reached('sam', 1, 500)?.catch((e: unknown) => e);
  t.type(e, WireFormatViolation);
  t.equal(
    (e as Error).message,
    "the world stream: a delivery event for sam with the id 1 came before tara's event 1 (the stream had shown tara only up to none), though an answer's Interop-Event-Cursor counted tara's 1 and not sam's 1: tara's was emitted first, and the world stream sends every user's events, its catch-up too, in the order the service emitted them",
  );
});
