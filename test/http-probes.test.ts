/**
 * The probes' realistic forms and the reconnect with a real gap (issue 14's wire survivors), against the
 * independent implementation served on loopback: the conformant service turns every form away, and each faulty
 * switch that lets one form through is seen — a probe answered `ok`, an event sent twice, a delivery lost. And the
 * Graph surface's own promises as the adapter sees them: one chat id for both members, presence with `activity`,
 * a chat closed to anyone outside it (the served reference's variant too).
 */
import t, { type Test } from 'tap';
import { startIndependent } from '../adapters/independent/index.js';
import { startService } from '../adapters/reference/http/server.js';
import { createHttpAdapter } from '../adapters/http/adapter.js';
import { MALFORMED_BODIES, probe as probeOf } from '../adapters/http/probes.js';
import { WorldApi } from '../adapters/http/api.js';
import { ChatIds } from '../adapters/http/chats.js';
import { HttpClient, Redactor } from '../adapters/http/client.js';
import { ApiDocument } from '../adapters/http/schema.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WireFormatViolation, type Session } from '../adapters/adapter.js';
import type { Attack, World } from '../specs/protocol.js';
import { skype, teams, worldOf } from './fixtures/reference-world.js';

t.setTimeout(120_000);

const WORLD: World = worldOf(teams('tara'), teams('tom'), skype('sam', { client: 'web' }));

/** A session on the independent implementation with `defects` on (or on `served`); Tara and Sam already connected. */
async function connected(
  t: Test,
  defects: string[],
  served?: { url: string; close(): Promise<void> },
): Promise<Session> {
  const service = served ?? (await startIndependent({ defects: new Set(defects) }));
  const adapter = createHttpAdapter({ url: service.url, timeout: '1500' });
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
  for (const u of ['tara', 'tom', 'sam']) await session.drain(u);
  return session;
}

const probe = (s: Session, actor: string, attack: Attack, target?: string) =>
  s.perform(actor, { kind: 'probe', attack, ...(target ? { target } : {}) });
const denied = { status: 'error', error: 'denied' };

// Each form, the fault that lets exactly it through, and the probe that must then be answered ok.
const FORMS: [fault: string, actor: string, attack: Attack, target: string | undefined, refusal: object][] = [
  ['send-as-colleague-allowed', 'tom', 'act-as-other-user', 'tara', denied],
  ['chat-member-sends-as-other-member', 'sam', 'act-as-other-user', 'tara', denied],
  ['event-stream-token-any-world', 'tara', 'reach-other-world', undefined, denied],
  ['deleted-world-streams-stay-open', 'sam', 'use-deleted-world-token', undefined, denied],
  // Graph's chats are reached by id: a third person of the world reading or posting in Tara and Sam's chat.
  ['non-member-reads-chat', 'tom', 'read-other-chats', 'sam', denied],
  ['non-member-posts-in-chat', 'tom', 'act-as-other-user', 'tara', denied],
  ['trailing-garbage-json-accepted', 'tara', 'malformed-json', undefined, { status: 'error', error: 'bad-request' }],
  [
    'body-limit-counts-characters',
    'tara',
    'oversized-body',
    undefined,
    { status: 'error', error: 'payload-too-large' },
  ],
  [
    'body-limit-only-with-content-length',
    'sam',
    'oversized-body',
    undefined,
    { status: 'error', error: 'payload-too-large' },
  ],
];

t.test('the conformant service turns every form of every attack away', async (t) => {
  const session = await connected(t, []);
  for (const [, actor, attack, target, refusal] of FORMS)
    t.same(await probe(session, actor, attack, target), refusal, `${actor}: ${attack} ${target ?? ''}`);
  t.same(await probe(session, 'tara', 'act-as-other-user', 'tom'), denied, 'a colleague the other way');
  t.same(await session.perform('tara', { kind: 'message', to: 'sam', text: 'Still here.' }), { status: 'ok' });
  t.same(
    (await session.drain('sam')).map((d) => d.text),
    ['Still here.'],
    'nothing any probe sent reached Sam; the conversation goes on',
  );
});

for (const [fault, actor, attack, target] of FORMS) {
  t.test(`${fault}: ${actor}'s ${attack} probe gets through and says so`, async (t) => {
    const session = await connected(t, [fault]);
    t.same(await probe(session, actor, attack, target), { status: 'ok' });
  });
}

t.test(
  "the served reference's non-member-reads-chat variant: Tom, in neither, reads Tara and Sam's chat by its id; the conformant reference turns him away",
  async (t) => {
    for (const [faults, outcome] of [
      ['', denied],
      ['non-member-reads-chat', { status: 'ok' }],
    ] as const) {
      const session = await connected(t, [], await startService({ faults }));
      t.same(await probe(session, 'tom', 'read-other-chats', 'sam'), outcome, faults || 'conformant');
      // Sam is in Tara's one chat: he is asked only through /users/{tara}/…, which the variant still refuses.
      t.same(await probe(session, 'sam', 'read-other-chats', 'tara'), denied, `${faults || 'conformant'}: Sam`);
    }
  },
);

t.test(
  'one chat, one id: a reply in the chat the other side created, through the same id; a service that gives each side its own id is a WIRE-001 violation showing both',
  async (t) => {
    const conformant = await connected(t, []);
    t.same(await conformant.perform('sam', { kind: 'message', to: 'tara', text: 'Hello back.' }), { status: 'ok' });
    const perSide = await connected(t, ['chat-id-per-side']);
    const e = await perSide.perform('sam', { kind: 'message', to: 'tara', text: 'Hello back.' }).catch((e) => e);
    t.ok(e instanceof WireFormatViolation, 'a wire violation');
    t.equal((e as WireFormatViolation).requirement, undefined, 'of WIRE-001 (the default)');
    t.match(e, {
      message:
        /^sam: POST \/chats \(oneOnOne with tara\) answered 201 with the chat id "([^"]+)", but tara was given "(?!\1)[^"]+" for the same chat/,
      details: [/^tara → sam: "/, /^sam → tara: "/],
    });
  },
);

t.test(
  "one message, one id: the recipient views a request under the ids its sender was given; a service that names each side's copy its own way is a WIRE-001 violation showing both",
  async (t) => {
    const ask = (s: Session) => s.perform('sam', { kind: 'message', to: 'tom', text: 'Hello Tom, from Sam.' });
    const view = (s: Session) => s.perform('tom', { kind: 'view-messages', from: 'sam' });
    const conformant = await connected(t, []);
    t.same(await ask(conformant), { status: 'ok' });
    t.same(await view(conformant), { status: 'ok', messages: ['Hello Tom, from Sam.'] });
    const perSide = await connected(t, ['message-id-per-side']);
    t.same(await ask(perSide), { status: 'ok' });
    const e = await view(perSide).catch((e: unknown) => e);
    t.ok(e instanceof WireFormatViolation, 'a wire violation');
    t.match(e, {
      requirement: undefined,
      message:
        /^tom was shown sam's message "Hello Tom, from Sam\." with the id "([^"]+)", but sam was given "(?!\1)[^"]+" when sending it: a message has one id/,
      details: [
        /^sam \(POST \/chats\/\{id\}\/messages answered 201\): /,
        /^tom \(GET \/interop\/me\/requests\/sam\/messages\): /,
      ],
    });
  },
);

t.test(
  "plain text goes as Graph's minimal body (no contentType): a service that refuses it 400 answers a body the document accepts, a WIRE-001 violation",
  async (t) => {
    const service = await startIndependent({ defects: new Set(['content-type-required']) });
    const adapter = createHttpAdapter({ url: service.url, timeout: '1500' });
    const session = await adapter.open(WORLD);
    t.teardown(async () => {
      await session.close();
      await adapter.dispose();
      await service.close();
    });
    const e = await session.perform('tara', { kind: 'message', to: 'sam', text: 'Hello Sam.' }).catch((e) => e);
    t.ok(e instanceof WireFormatViolation);
    t.same(
      [(e as Error).message, (e as WireFormatViolation).requirement],
      [
        'tara: POST /chats/{id}/messages answered 400 to a body specs/openapi.yaml accepts (NewChatMessage): {"body":{"content":"Hello Sam."}}',
        undefined,
      ],
    );
  },
);

t.test(
  "presence without Graph's activity is a WIRE-001 violation (the document requires it); with it, a Skype user's presence is hidden",
  async (t) => {
    const conformant = await connected(t, []);
    t.same(await conformant.perform('tara', { kind: 'presence', of: 'sam' }), { status: 'ok', presence: 'hidden' });
    const faulty = await connected(t, ['presence-without-activity']);
    const e = await faulty.perform('tara', { kind: 'presence', of: 'sam' }).catch((e) => e);
    t.ok(e instanceof WireFormatViolation);
    t.match(e, { message: /not a Presence/, details: [/must have required property 'activity'/] });
  },
);

t.test(
  "a chat the service refuses: a message's outcome is createChat's refusal, and a probe with no chat to attack is an error of the run, not a vacuous denial",
  async (t) => {
    const session = await connected(t, []);
    // Tara and Tom are both Teams users: the interop has no chat for them (400 bad-request, openapi.yaml).
    t.same(await session.perform('tara', { kind: 'message', to: 'tom', text: 'Lunch?' }), {
      status: 'error',
      error: 'bad-request',
    });
    const service = await startIndependent({ defects: new Set() });
    const adapter = createHttpAdapter({ url: service.url, timeout: '1500' });
    const colleagues = await adapter.open(worldOf(teams('tara'), teams('tom')));
    t.teardown(async () => {
      await colleagues.close();
      await adapter.dispose();
      await service.close();
    });
    await t.rejects(probe(colleagues, 'tom', 'act-as-other-user', 'tara'), {
      message: 'no chat of tara and tom to probe: POST /chats answered 400 bad-request',
    });
  },
);

t.test('the malformed bodies are five kinds, none of them JSON', async (t) => {
  t.equal(MALFORMED_BODIES.length, 5);
  for (const body of MALFORMED_BODIES) t.throws(() => JSON.parse(body), SyntaxError, body);
});

/** Tara writes to Sam while every stream is down, then the streams are reopened (what the runner does midway). */
async function writtenWhileAway(t: Test, session: Session): Promise<string[]> {
  for (const u of ['tara', 'tom', 'sam']) await session.disconnect!(u);
  t.same(await session.perform('tara', { kind: 'message', to: 'sam', text: 'Written while you were away.' }), {
    status: 'ok',
  });
  for (const u of ['tara', 'tom', 'sam']) await session.reconnect!(u);
  return (await session.drain('sam')).map((d) => d.text!);
}

t.test('a delivery made while the streams are down arrives once they are reopened, exactly once', async (t) => {
  const session = await connected(t, []);
  t.same(await writtenWhileAway(t, session), ['Written while you were away.']);
  t.same(await session.perform('tara', { kind: 'message', to: 'sam', text: 'And live again.' }), { status: 'ok' });
  t.same(
    (await session.drain('sam')).map((d) => d.text),
    ['And live again.'],
    'nothing twice',
  );
});

t.test(
  "events-lost-while-disconnected: the reopened stream never reaches the delivery the answer's event cursor counted; the reconnect fails WIRE-003 naming user, cursor and last id",
  async (t) => {
    const session = await connected(t, ['events-lost-while-disconnected']);
    await t.rejects(writtenWhileAway(t, session), {
      name: 'WireFormatViolation',
      requirement: 'WIRE-003',
      message:
        /^sam's event stream: the event cursor of the last answer promised sam's events up to the id 2, but the stream had shown only up to 1 after 1500 ms: reopened with Last-Event-ID "1", it never sent sam's events emitted before or while it was down \(WIRE-003: events lost on reconnect\)$/,
    });
  },
);

t.test(
  'reconnect-replays-last-event: the event sent again after the reconnect is a wire violation of WIRE-003',
  async (t) => {
    const session = await connected(t, ['reconnect-replays-last-event']);
    // The replay shows on reopening or on the next drain at the latest (the cursor is reached already: no wait).
    const e = await (async () => {
      try {
        await session.reconnect!('sam');
        await session.drain('sam');
      } catch (e) {
        return e;
      }
    })();
    t.ok(e instanceof WireFormatViolation, 'a wire violation');
    t.match(e, {
      requirement: 'WIRE-003',
      message: /sam's event stream: a delivery event with the id (\d+) after the id \1/,
    });
  },
);

t.test(
  'an event stream refused in a status the document does not give is a wire violation, its message free of tokens',
  async (t) => {
    // A service that turns every request away properly (401), except the event stream, which it answers 418.
    const server = createServer((req, res) => {
      const teapot = req.url!.endsWith('/me/events');
      res.writeHead(teapot ? 418 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'denied', message: 'no' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const client = new HttpClient({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      timeoutMs: 1000,
    });
    t.teardown(() => client.close());
    const redact = new Redactor();
    const secret = 'tara-token-0123456789';
    redact.add(secret, 'world-0123456789');
    const api = new WorldApi(client, ApiDocument.load(), redact, 'world-0123456789', { tara: secret });
    const ctx = {
      api,
      world: WORLD,
      texts: new Set<string>(),
      chats: new ChatIds(api),
      openWorld: async () => ({ id: 'other-0123456789', tokens: { tara: 'other-token-0123456789' } }),
      deleteWorld: async () => {},
    };
    redact.add('other-0123456789', 'other-token-0123456789');
    const e = await probeOf(ctx, 'tara', 'reach-other-world', undefined).catch((e: unknown) => e);
    t.ok(e instanceof WireFormatViolation);
    t.match(e, {
      message: /^tara: GET \/interop\/me\/events answered 418: status 418 is not documented for streamEvents/,
    });
    t.notMatch((e as Error).message, /0123456789/, 'no token or world id in it');
  },
);

t.test(
  'someone outside a chat that exists must be told 403 denied: a service that says 404 (no such chat) breaks WIRE-001 (the status the document gives), reading and posting',
  async (t) => {
    // A service with one chat, 'c1', of Tara and Sam: Tom asking for it is answered `outside` (status and code).
    const serve = async (outside: [number, string]) => {
      const server = createServer((req, res) => {
        const created = req.method === 'POST' && req.url!.endsWith('/v1.0/chats');
        const foreign = /\/v1\.0\/chats\/c1(\/messages)?$/.test(req.url!);
        const [status, code] = created ? [201, ''] : foreign ? outside : [403, 'denied'];
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(created ? { id: 'c1', chatType: 'oneOnOne' } : { error: { code, message: 'no' } }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const client = new HttpClient({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        timeoutMs: 1000,
      });
      t.teardown(() => client.close());
      const api = new WorldApi(client, ApiDocument.load(), new Redactor(), 'world-0123456789', {});
      const ctx = { api, world: WORLD, texts: new Set<string>(), chats: new ChatIds(api) };
      return { ...ctx, openWorld: async () => ({ id: '', tokens: {} }), deleteWorld: async () => {} };
    };
    t.same(await probeOf(await serve([403, 'denied']), 'tom', 'read-other-chats', 'sam'), denied, '403 denied');
    for (const [attack, target, op] of [
      ['read-other-chats', 'sam', 'getChat'],
      ['act-as-other-user', 'tara', 'sendChatMessage'],
    ] as const) {
      const e = await probeOf(await serve([404, 'not-found']), 'tom', attack, target).catch((e: unknown) => e);
      t.ok(e instanceof WireFormatViolation, `${attack}: a wire violation`);
      t.same(
        [(e as Error).message, (e as WireFormatViolation).requirement],
        [
          `tom: ${op} on a chat tom is not a member of answered 404 not-found; specs/openapi.yaml answers a non-member 403 denied`,
          undefined,
        ],
      );
    }
  },
);
