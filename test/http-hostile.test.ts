/**
 * Issue 10, the served reference: each case of its "Served reference" list, against `serve`'s service. Every
 * check here failed against the service before the fix (no control token, no Host check, unbounded queues and
 * stream buffers, a cap by count only, aborts logged as internal errors, 404 for a wrong method, no
 * WWW-Authenticate, no nosniff, prototype keys).
 */
import t from 'tap';
import { connect } from 'node:net';
import { request } from 'undici';
import { startService, type RunningService } from '../adapters/reference/http/server.js';
import {
  CALL_COST,
  MAX_HOSTED_BYTES,
  MAX_WORLDS,
  messageCost,
  type Limits,
} from '../adapters/reference/http/limits.js';
import { WorldRegistry } from '../adapters/reference/http/worlds.js';
import { createHttpAdapter } from '../adapters/http/adapter.js';
import type { World } from '../specs/protocol.js';
import { skype as skypeOf, teams as teamsOf, tenant } from './fixtures/reference-world.js';
import { chatWith, referenceChatId } from './fixtures/graph-chat.js';

const TENANT = tenant();
const teams = (name: string, tenant = 'contoso') => teamsOf(name, { tenant });
const skype = (name: string) => skypeOf(name, { client: 'web' });
const WORLD = {
  tenants: { contoso: TENANT },
  users: { tara: teams('tara'), tom: teams('tom'), sam: skype('sam'), sue: skype('sue') },
};

interface Made {
  id: string;
  tokens: Record<string, string>;
  controlToken: string;
}
interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

async function call(
  s: RunningService,
  method: string,
  path: string,
  o: { token?: string; body?: unknown; host?: string } = {},
): Promise<Got> {
  const headers: Record<string, string> = {
    ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
    ...(o.host ? { host: o.host } : {}),
  };
  const res = await request(`${s.url}${path}`, {
    method: method as 'GET',
    headers,
    ...(o.body !== undefined ? { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}),
  });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}
const make = async (s: RunningService, world: unknown = WORLD): Promise<Made> =>
  JSON.parse((await call(s, 'POST', '/worlds', { body: world })).text) as Made;
/** Graph's way: the chat of `from` and `to` (created, or got again), then the message in it. */
const message = async (s: RunningService, w: Made, from: string, to: string, text: string) =>
  call(s, 'POST', `/worlds/${w.id}/v1.0/chats/${await chatWith(s.url, w.id, w.tokens[from]!, from, to)}/messages`, {
    token: w.tokens[from]!,
    body: { body: { contentType: 'text', content: text } },
  });
const code = (g: Got) => (JSON.parse(g.text) as { error: { code: string } }).error.code;

async function service(
  t: { teardown(fn: () => unknown): void },
  o: { limits?: Partial<Limits>; log?: (l: string) => void } = {},
) {
  const s = await startService(o);
  t.teardown(() => s.close());
  return s;
}

/** A raw connection that asks for `user`'s event stream and then never reads a byte. */
function neverReading(s: RunningService, w: Made, user: string) {
  const { port } = new URL(s.url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.write(
    `GET /worlds/${w.id}/interop/me/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${w.tokens[user]}\r\n\r\n`,
  );
  socket.pause();
  return socket;
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test(
  "DELETE /worlds/{id} and POST …/sync need the world's own control token: none, a user's, another world's are 401 with WWW-Authenticate",
  async (t) => {
    const s = await service(t);
    const w = await make(s);
    const other = await make(s);
    t.match(w.controlToken, /^[A-Za-z0-9_-]{43}$/, 'POST /worlds hands back a 256-bit base64url control token');
    for (const [what, token] of [
      ['no token', undefined],
      ["a user's token", w.tokens.tara],
      ["another world's control token", other.controlToken],
    ] as const) {
      for (const [method, path, body] of [
        ['DELETE', `/worlds/${w.id}`, undefined],
        ['POST', `/worlds/${w.id}/sync`, { marker: 'm1' }],
      ] as const) {
        const got = await call(s, method, path, { ...(token ? { token } : {}), ...(body ? { body } : {}) });
        t.same(
          [got.status, code(got), got.headers['www-authenticate']],
          [401, 'denied', 'Bearer realm="interop-conformance"'],
          `${method} ${path.replace(w.id, '{id}')} with ${what}`,
        );
      }
    }
    t.equal(
      (await call(s, 'GET', `/worlds/${w.id}/v1.0/me/chats`, { token: w.tokens.tara! })).status,
      200,
      'the world is still there',
    );
    t.equal(
      (await call(s, 'POST', `/worlds/${w.id}/sync`, { token: w.controlToken, body: { marker: 'm1' } })).status,
      202,
      'its own control token syncs',
    );
    t.equal((await call(s, 'DELETE', `/worlds/${w.id}`, { token: w.controlToken })).status, 204, 'and deletes');
    t.equal((await call(s, 'GET', `/worlds/${w.id}/v1.0/me/chats`, { token: w.tokens.tara! })).status, 404, 'gone');
  },
);

t.test(
  'Host allow-list: a foreign Host (DNS rebinding) is 421 with no token handed out; the loopback names, any port, are served',
  async (t) => {
    const s = await service(t);
    const before = s.worlds.size;
    for (const host of [
      'attacker.example',
      'attacker.example:80',
      '127.0.0.1.attacker.example',
      'localhost.',
      '10.0.0.1',
      '[::2]:1',
    ]) {
      const got = await call(s, 'POST', '/worlds', { body: WORLD, host });
      t.same(
        [got.status, code(got), /tokens|controlToken/.test(got.text)],
        [421, 'misdirected-request', false],
        `Host: ${host}`,
      );
    }
    t.equal(s.worlds.size, before, 'no world was created for them');
    for (const host of ['127.0.0.1', 'localhost:1234', 'LOCALHOST', '[::1]:80', new URL(s.url).host])
      t.equal((await call(s, 'POST', '/worlds', { body: WORLD, host })).status, 201, `Host: ${host}`);
    const w = await make(s);
    t.equal(
      (await call(s, 'GET', `/worlds/${w.id}/v1.0/me/chats`, { token: w.tokens.tara!, host: 'evil.example' })).status,
      421,
      "a user's route too",
    );
  },
);

t.test(
  "a flood of 60 KB messages to a peer with no open stream stops at the world's byte quota (429, no Retry-After), and reading the chat stays fast",
  async (t) => {
    const s = await service(t);
    const w = await make(s);
    const big = 'x'.repeat(60_000);
    const room = 8 * 1024 * 1024 - WorldRegistry.cost(WORLD as unknown as World);
    const expected = Math.floor(room / messageCost(big));
    let accepted = 0;
    let refused: Got | undefined;
    while (!refused && accepted < 1000) {
      const got = await message(s, w, 'tara', 'sam', big);
      if (got.status === 201) accepted++;
      else refused = got;
    }
    t.equal(accepted, expected, `exactly ${expected} messages of 60 KB fit in 8 MiB counted`);
    t.same(
      [refused?.status, code(refused!), refused?.headers['retry-after']],
      [429, 'too-many-requests', undefined],
      'then 429; waiting would not help',
    );
    const started = Date.now();
    const read = await call(s, 'GET', `/worlds/${w.id}/v1.0/chats/${referenceChatId('tara', 'sam')}/messages`, {
      token: w.tokens.tara!,
    });
    t.equal(read.status, 200);
    t.equal(
      (JSON.parse(read.text) as { value: unknown[] }).value.length,
      expected,
      'the sender reads back what was accepted',
    );
    t.ok(Date.now() - started < 2000, 'in well under 2 s');
    t.equal((await message(s, w, 'sue', 'tom', big)).status, 429, "the quota is the world's, not the chat's");
    t.equal((await message(s, w, 'sue', 'tom', 'a short one')).status, 201, 'what still fits is accepted');
  },
);

t.test(
  'deliveries queued for a user no stream takes them from: 429 with Retry-After at the quota; opening a stream lets messages through again',
  async (t) => {
    const s = await service(t, { limits: { queuedDeliveries: 30 } });
    const w = await make(s);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await message(s, w, 'tara', 'sam', `from tara ${i}`)).status);
    for (let i = 0; i < 10; i++) statuses.push((await message(s, w, 'tom', 'sam', `from tom ${i}`)).status);
    t.same(statuses, Array(30).fill(201), 'two senders, 30 deliveries waiting for sam: all accepted');
    const refused = await message(s, w, 'tom', 'sam', 'one too many');
    t.same(
      [refused.status, code(refused), refused.headers['retry-after']],
      [429, 'too-many-requests', '5'],
      'the 31st delivery waiting for sam is refused; waiting can help',
    );
    t.equal(
      (await message(s, w, 'tara', 'sue', 'to someone else')).status,
      201,
      "another recipient's queue is not sam's",
    );
    const stream = await request(`${s.url}/worlds/${w.id}/interop/me/events`, {
      headers: { authorization: `Bearer ${w.tokens.sam}` },
    });
    let got = '';
    stream.body.on('data', (c: Buffer) => (got += c));
    while (!got.includes('from tom 9')) await pause(5);
    t.equal((await message(s, w, 'tom', 'sam', 'after sam read')).status, 201, 'sam took his queue: tom gets through');
    stream.body.destroy();
  },
);

t.test(
  'messages kept per chat: the 1,001st message of one chat is 429, though its recipient reads every delivery',
  async (t) => {
    const s = await service(t);
    const w = await make(s);
    const stream = await request(`${s.url}/worlds/${w.id}/interop/me/events`, {
      headers: { authorization: `Bearer ${w.tokens.sam}` },
    });
    stream.body.resume();
    let accepted = 0;
    for (let i = 0; i < 1001; i++) if ((await message(s, w, 'tara', 'sam', `m${i}`)).status === 201) accepted++;
    t.equal(accepted, 1000);
    const refused = await message(s, w, 'tara', 'sam', 'again');
    t.same(
      [refused.status, code(refused), JSON.parse(refused.text).error.message],
      [429, 'too-many-requests', 'this chat holds its 1000 messages already'],
    );
    t.equal(
      (await message(s, w, 'tom', 'sam', 'another chat')).status,
      201,
      'another chat of the same recipient is not full',
    );
    stream.body.destroy();
  },
);

t.test(
  'an event stream whose reader stopped reading is cut after its buffer fills, and what it held is released; a reading stream carries on',
  async (t) => {
    const s = await service(t, { limits: { worldBytes: 64 << 20, streamBufferBytes: 256 * 1024 } });
    const w = await make(s);
    const hosted = s.worlds.get(w.id)!;
    const stuck = neverReading(s, w, 'sam');
    t.teardown(() => stuck.destroy());
    const live = await request(`${s.url}/worlds/${w.id}/interop/me/events`, {
      headers: { authorization: `Bearer ${w.tokens.sue}` },
    });
    let sueGot = 0;
    live.body.on('data', (c: Buffer) => (sueGot += c.length));
    await pause(50);
    const big = 'y'.repeat(60_000);
    let sent = 0;
    while (hosted.events.dropped === 0 && sent < 400)
      if ((await message(s, w, 'tara', 'sam', big)).status === 201) sent++;
    t.equal(hosted.events.dropped, 1, `sam's stuck stream was cut (after ${sent} messages of 60 KB)`);
    stuck.resume(); // a socket that reads nothing learns of the close only on reading
    t.ok(
      await Promise.race([new Promise((r) => stuck.once('close', () => r(true))), pause(5000).then(() => false)]),
      'the service closed the connection',
    );
    t.equal((await message(s, w, 'tom', 'sue', 'still here')).status, 201);
    // Waited for, but not for ever: a stream that never delivers fails here, named, instead of timing the file out.
    for (const until = Date.now() + 5000; sueGot === 0 && Date.now() < until;) await pause(5);
    t.ok(sueGot > 0, "sue's stream, which reads, still gets her deliveries");
    const again = await request(`${s.url}/worlds/${w.id}/interop/me/events`, {
      headers: { authorization: `Bearer ${w.tokens.sam}`, 'last-event-id': '0' },
    });
    t.equal(again.statusCode, 200, 'sam reconnects with Last-Event-ID and resumes from the log');
    again.body.destroy();
    live.body.destroy();
  },
);

t.test(
  'the world cap is by size: 200-user worlds are refused (429, Retry-After 60) when their counted bytes would pass the cap, long before the count',
  async (t) => {
    const users = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [`u${i}`, i % 2 ? skype(`u${i}`) : teams(`u${i}`)]),
    );
    const big = { tenants: { contoso: TENANT }, users };
    const cost = WorldRegistry.cost(big as unknown as World);
    t.ok(
      Math.floor(MAX_HOSTED_BYTES / cost) < MAX_WORLDS / 20,
      `by default at most ${Math.floor(MAX_HOSTED_BYTES / cost)} such worlds, not ${MAX_WORLDS}`,
    );
    const s = await service(t, { limits: { hostedBytes: 5 * cost + 1000 } });
    const made: Made[] = [];
    let refused: Got | undefined;
    while (!refused && made.length < 20) {
      const got = await call(s, 'POST', '/worlds', { body: big });
      if (got.status === 201) made.push(JSON.parse(got.text) as Made);
      else refused = got;
    }
    t.equal(made.length, 5, 'exactly five fit');
    t.equal(s.worlds.bytes, 5 * cost, 'the service counts what they cost, no more');
    t.same([refused?.status, code(refused!), refused?.headers['retry-after']], [429, 'too-many-requests', '60']);
    t.equal(
      (await call(s, 'POST', '/worlds', { body: WORLD })).status,
      429,
      `a 4-user world too: it costs ${WorldRegistry.cost(WORLD as unknown as World)} bytes, over the 1,000 left`,
    );
    await call(s, 'DELETE', `/worlds/${made[0]!.id}`, { token: made[0]!.controlToken });
    t.equal(s.worlds.bytes, 4 * cost, 'a deleted world gives back what it cost');
    t.equal((await call(s, 'POST', '/worlds', { body: big })).status, 201, 'deleting a world makes room for one more');
    t.equal(CALL_COST, 1280, 'a call counts 1,280 bytes, as documented');
  },
);

/** Send `head` (and maybe part of a body) on a raw connection, then cut it: a client that went away. */
async function abandon(s: RunningService, head: string) {
  const socket = connect(Number(new URL(s.url).port), '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  socket.write(head);
  await pause(10);
  socket.destroy();
}

t.test(
  'client aborts are not errors: 40 requests cut mid-body or mid-headers log nothing; real internal errors are logged at most 10 a second, then one "suppressed" line',
  async (t) => {
    const lines: string[] = [];
    const s = await service(t, { log: (l) => lines.push(l) });
    const w = await make(s);
    const host = new URL(s.url).host;
    for (let i = 0; i < 20; i++)
      await abandon(
        s,
        `POST /worlds/${w.id}/v1.0/chats/${referenceChatId('tara', 'sam')}/messages HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${w.tokens.tara}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"body":`,
      );
    for (let i = 0; i < 20; i++) await abandon(s, `POST /worlds HTTP/1.1\r\nHost: ${host}\r\nContent-Ty`);
    await pause(200);
    t.same(lines, [], 'nothing logged');
    t.equal((await message(s, w, 'tara', 'sam', 'after the aborts')).status, 201, 'and the service serves on');

    s.worlds.get = () => {
      throw new Error('boom\u001b[2J');
    };
    const answers = await Promise.all(
      Array.from({ length: 25 }, () => call(s, 'GET', `/worlds/${w.id}/v1.0/me/chats`, { token: w.tokens.tara! })),
    );
    // innerError says when and which request (Graph's), nothing of what went wrong.
    const told = (a: Got) => {
      const { code, message, innerError } = (JSON.parse(a.text) as { error: Record<string, any> }).error;
      return `${a.status} ${code} ${message} ${Object.keys(innerError as object).join(',')}`;
    };
    t.same(
      [...new Set(answers.map(told))],
      ['500 internal internal error date,request-id'],
      'the client is told no more than "internal error"',
    );
    t.same(
      lines,
      Array(10).fill('internal error: boom\\u001b[2J'),
      'ten lines in the first second, control characters escaped',
    );
    await pause(1100);
    t.same(lines.slice(10), ['… 15 more error lines suppressed (at most 10 a second)'], 'then one line for the rest');
  },
);

t.test('a known path with a method it does not take is 405 with Allow; an unknown path is still 404', async (t) => {
  const s = await service(t);
  const w = await make(s);
  const cases: [string, string, string][] = [
    ['GET', '/worlds', 'POST'],
    ['PUT', `/worlds/${w.id}`, 'DELETE'],
    ['GET', `/worlds/${w.id}/sync`, 'POST'],
    ['DELETE', `/worlds/${w.id}/v1.0/me/chats`, 'GET'],
    ['GET', `/worlds/${w.id}/v1.0/chats`, 'POST'],
    ['PUT', `/worlds/${w.id}/interop/me/blockedContacts/sam`, 'POST, DELETE'],
    ['POST', `/worlds/${w.id}/interop/me/events`, 'GET'],
  ];
  for (const [method, path, allow] of cases) {
    const got = await call(s, method, path, { token: w.tokens.tara! });
    t.same(
      [got.status, got.headers.allow, code(got)],
      [405, allow, 'method-not-allowed'],
      `${method} ${path.replace(w.id, '{id}')}`,
    );
  }
  t.equal((await call(s, 'GET', `/worlds/${w.id}/me/nothing`, { token: w.tokens.tara! })).status, 404);
  t.equal((await call(s, 'GET', '/elsewhere')).status, 404);
});

t.test(
  'every 401 carries WWW-Authenticate, and every answer X-Content-Type-Options: nosniff — event streams and unparsable requests included',
  async (t) => {
    const s = await service(t);
    const w = await make(s);
    const other = await make(s);
    const answers: [string, Got][] = [];
    const add = async (what: string, got: Promise<Got>) => void answers.push([what, await got]);
    await add('201', call(s, 'POST', '/worlds', { body: WORLD }));
    await add('200', call(s, 'GET', `/worlds/${w.id}/v1.0/me/chats`, { token: w.tokens.tara! }));
    const chat = referenceChatId('tara', 'sam');
    await add(
      '400',
      call(s, 'POST', `/worlds/${w.id}/v1.0/chats/${chat}/messages`, { token: w.tokens.tara!, body: '{' }),
    );
    await add('401 no token', call(s, 'GET', `/worlds/${w.id}/v1.0/me/chats`));
    await add(
      "401 another world's token",
      call(s, 'GET', `/worlds/${w.id}/v1.0/me/chats`, { token: other.tokens.tara! }),
    );
    await add('401 a junk token', call(s, 'GET', `/worlds/${w.id}/v1.0/me/chats`, { token: 'junk' }));
    await add('403', call(s, 'GET', `/worlds/${w.id}/v1.0/users/sam/chats`, { token: w.tokens.tara! }));
    await add('404', call(s, 'GET', '/nothing'));
    await add('405', call(s, 'GET', '/worlds'));
    await add(
      '413',
      call(s, 'POST', `/worlds/${w.id}/v1.0/chats/${chat}/messages`, {
        token: w.tokens.tara!,
        body: 'x'.repeat(70_000),
      }),
    );
    await add('421', call(s, 'GET', '/worlds', { host: 'evil.example' }));
    await add('204', call(s, 'DELETE', `/worlds/${other.id}`, { token: other.controlToken }));
    t.same(
      answers.map(([what, g]) => [what, g.status]),
      answers.map(([what]) => [what, Number(what.slice(0, 3))]),
      'each answer has the status it is named after',
    );
    for (const [what, g] of answers) t.equal(g.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
    for (const [what, g] of answers)
      t.equal(
        g.headers['www-authenticate'],
        g.status === 401 ? 'Bearer realm="interop-conformance"' : undefined,
        `${what}: WWW-Authenticate on a 401 only`,
      );
    const stream = await request(`${s.url}/worlds/${w.id}/interop/me/events`, {
      headers: { authorization: `Bearer ${w.tokens.sam}` },
    });
    t.equal(stream.headers['x-content-type-options'], 'nosniff', 'an event stream: nosniff');
    stream.body.destroy();
    const raw = connect(Number(new URL(s.url).port), '127.0.0.1');
    let text = '';
    raw.on('data', (c: Buffer) => (text += c));
    raw.write('GET /worlds HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Line\r\n\r\n');
    await new Promise((r) => raw.once('close', r));
    t.match(
      text,
      /^HTTP\/1\.1 400 Bad Request\r\n[^]*x-content-type-options: nosniff\r\n[^]*\r\n\r\n\{"error":\{"code":"bad-request","message":"the request is not valid HTTP","innerError":\{"date":"[^"]+","request-id":"[0-9a-f-]{36}"\}\}\}$/,
      'a request node:http cannot parse: a JSON 400 with nosniff',
    );
  },
);

t.test(
  'names that are Object prototype keys: worlds with tenants `__proto__`, `constructor`, `toString` and a user `constructor` work; such names that are nobody are 404',
  async (t) => {
    const s = await service(t);
    for (const tenant of ['__proto__', 'constructor', 'toString']) {
      const body = `{"tenants":{"${tenant}":${JSON.stringify(TENANT)}},"users":{"constructor":${JSON.stringify(teams('constructor', tenant))},"sam":${JSON.stringify(skype('sam'))}}}`;
      const got = await call(s, 'POST', '/worlds', { body });
      t.equal(got.status, 201, `tenant ${tenant}: created`);
      const w = JSON.parse(got.text) as Made;
      t.same(Object.keys(w.tokens).sort(), ['constructor', 'sam'], 'a token for each user, constructor included');
      t.equal(
        (await message(s, w, 'constructor', 'sam', 'from constructor')).status,
        201,
        'constructor sends with its token',
      );
    }
    const missing = `{"tenants":{"contoso":${JSON.stringify(TENANT)}},"users":{"tara":${JSON.stringify(teams('tara', 'toString'))}}}`;
    t.match(
      await call(s, 'POST', '/worlds', { body: missing }),
      { status: 400, text: /users\.tara\.tenant names no tenant of this world/ },
      'a tenant `toString` the world does not have is no tenant',
    );
    const w = await make(s);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const got = await call(s, 'GET', `/worlds/${w.id}/v1.0/users/${name}/chats`, { token: w.tokens.tara! });
      t.same([got.status, code(got)], [404, 'not-found'], `the chats of ${name}: no such user`);
      const chat = await call(s, 'GET', `/worlds/${w.id}/v1.0/chats/${name}/messages`, { token: w.tokens.tara! });
      t.same([chat.status, code(chat)], [404, 'not-found'], `a chat with the id ${name}: no such chat`);
      t.equal(
        (await call(s, 'GET', `/worlds/${name}/v1.0/me/chats`, { token: w.tokens.tara! })).status,
        404,
        `a world named ${name}: no such world`,
      );
    }
  },
);

t.test(
  'the http adapter: a user named `constructor` plays, probes see nothing of Object, and closing deletes the world with its control token',
  async (t) => {
    const s = await service(t);
    const adapter = createHttpAdapter({ url: s.url });
    t.teardown(() => adapter.dispose());
    const world = {
      tenants: { contoso: TENANT },
      users: { constructor: teams('constructor'), sam: skype('sam') },
    } as unknown as World;
    const session = await adapter.open(world);
    t.equal(s.worlds.size, 1);
    t.match(await session.perform('constructor', { kind: 'message', to: 'sam', text: 'Hello from constructor' }), {
      status: 'ok',
    });
    t.same(await session.perform('constructor', { kind: 'probe', attack: 'reach-other-world' }), {
      status: 'error',
      error: 'denied',
    });
    t.same(await session.perform('constructor', { kind: 'probe', attack: 'use-deleted-world-token' }), {
      status: 'error',
      error: 'denied',
    });
    await session.close();
    t.equal(s.worlds.size, 0, 'every world the adapter made is deleted: the control tokens were accepted');
    t.equal(
      adapter.secrets().filter((x) => /^[A-Za-z0-9_-]{43}$/.test(x)).length,
      9,
      'three worlds: two user tokens and a control token each',
    );
  },
);
