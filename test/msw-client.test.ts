/**
 * Client conformance through msw (issue 12, item 3): a client's requests are answered by the reference, in
 * process, as `serve` would answer them, and every one is held to specs/openapi.yaml. A client that follows the
 * document sees the interop's answers and no violation; each kind of faulty client (wrong body, undocumented path
 * or method, no token, a token the world did not issue, no Content-Type) is reported at the clause it breaks.
 * Microsoft's Graph SDK, unchanged and aimed at https://graph.microsoft.com, is driven through it too.
 */
import t, { type Test } from 'tap';
import { Client } from '@microsoft/microsoft-graph-client';
import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import {
  ClientConformanceError,
  interopHandlers,
  setupInteropServer,
  type InteropServerOptions,
} from '../adapters/msw/index.js';

const WORLD = { users: { tara: { platform: 'teams' }, sam: { platform: 'skype' } } } as const;
const GRAPH = 'https://graph.microsoft.com/v1.0';
const bind = (user: string) => ({
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  roles: ['owner'],
  'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${user}')`,
});

async function mock(t: Test, o: Partial<InteropServerOptions> = {}) {
  const m = await setupInteropServer({ world: WORLD, ...o });
  t.teardown(() => m.close());
  /** fetch as `user` (their token), JSON in and out. */
  const as = async (user: string | undefined, method: string, path: string, body?: unknown) => {
    const r = await fetch(`${m.baseUrl}${path}`, {
      method,
      headers: {
        ...(user ? { authorization: `Bearer ${m.tokens[user]}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    return { status: r.status, data: text ? JSON.parse(text) : undefined };
  };
  const chat = async () =>
    (await as('tara', 'POST', '/v1.0/chats', { chatType: 'oneOnOne', members: [bind('tara'), bind('sam')] })).data
      .id as string;
  return { m, as, chat };
}

t.test(
  'a fetch client that follows the document breaks nothing and sees the interop: sent, then read by the other side',
  async (t) => {
    const { m, as, chat } = await mock(t);
    const id = await chat();
    t.match(id, /^19:/, "the chat id is the reference's");
    const sent = await as('tara', 'POST', `/v1.0/chats/${encodeURIComponent(id)}/messages`, {
      body: { content: 'Hello Sam' },
    });
    t.equal(sent.status, 201);
    const read = await as('sam', 'GET', `/v1.0/chats/${encodeURIComponent(id)}/messages`);
    t.equal(read.status, 200);
    t.same(
      read.data.value.map((v: any) => [v.id, v.from.user.id, v.body.content]),
      [[sent.data.id, 'tara', 'Hello Sam']],
      'the Skype user reads the message, with the one id both sides share',
    );
    t.same(m.violations(), []);
    t.equal(m.report().text, '3 requests, none broke specs/openapi.yaml');
    t.same(
      m.requests().map((r) => [r.method, r.operationId, r.user, r.status]),
      [
        ['POST', 'createChat', 'tara', 201],
        ['POST', 'sendChatMessage', 'tara', 201],
        ['GET', 'listChatMessages', 'sam', 200],
      ],
    );
    t.doesNotThrow(() => m.assertNoViolations());
  },
);

t.test("a wrong body is CLIENT-002 with the schema errors, and the client gets the reference's 400", async (t) => {
  const { m, as, chat } = await mock(t);
  const path = `/v1.0/chats/${encodeURIComponent(await chat())}/messages`;
  const missing = await as('tara', 'POST', path, { body: { contentType: 'text' } });
  const markdown = await as('tara', 'POST', path, { body: { contentType: 'markdown', content: '**hi**' } });
  t.same([missing.status, markdown.status], [400, 400], 'answered as the reference answers');
  t.equal(missing.data.error.code, 'bad-request');
  t.same(
    m.violations().map((v) => [v.seq, v.clause, v.operationId, v.message, v.errors]),
    [
      [
        2,
        'CLIENT-002',
        'sendChatMessage',
        'the body is not a NewChatMessage',
        ["/body must have required property 'content'"],
      ],
      [
        3,
        'CLIENT-002',
        'sendChatMessage',
        'the body is not a NewChatMessage',
        ['/body/contentType must be equal to one of the allowed values (["text","html"])'],
      ],
    ],
  );
  t.throws(() => m.assertNoViolations(), ClientConformanceError);
  t.match(
    m.report().text,
    /^3 requests, 2 broke specs\/openapi\.yaml:\n {2}#2 POST \/v1\.0\/chats\/19%3A[^ ]+\/messages \(sendChatMessage, as tara\) → 400\n {4}CLIENT-002 the body is not a NewChatMessage\n {6}- \/body must have/,
  );
});

t.test(
  'an undocumented path, or a method its path does not take, is CLIENT-001; the reference answers 404 and 405',
  async (t) => {
    const { m, as } = await mock(t);
    t.equal((await as('tara', 'GET', '/v1.0/me/chatz')).status, 404);
    t.equal((await as('tara', 'DELETE', '/v1.0/me/chats')).status, 405);
    t.equal((await as('tara', 'GET', '')).status, 405, "the base URL itself is the world's root");
    t.same(
      m.violations().map((v) => [v.clause, v.message]),
      [
        ['CLIENT-001', 'GET /v1.0/me/chatz names no path of specs/openapi.yaml'],
        ['CLIENT-001', 'DELETE /v1.0/me/chats: the path is documented for GET only, not DELETE'],
        ['CLIENT-001', 'GET /: the path is documented for DELETE only, not GET'],
      ],
    );
  },
);

t.test(
  'the interop extension through the mock: a blocked sender is answered as delivered (F21); unblocking is 204, no body',
  async (t) => {
    const { m, as, chat } = await mock(t);
    const messages = `/v1.0/chats/${encodeURIComponent(await chat())}/messages`;
    t.equal((await as('tara', 'POST', messages, { body: { content: 'Hi Sam' } })).status, 201);
    t.equal((await as('sam', 'POST', '/interop/me/blockedContacts/tara')).status, 200);
    t.equal((await as('tara', 'POST', messages, { body: { content: 'Still there?' } })).status, 201);
    t.same(
      (await as('sam', 'GET', messages)).data.value.map((v: any) => v.body.content),
      ['Hi Sam'],
      'the message after the block reached nobody',
    );
    t.same(await as('sam', 'DELETE', '/interop/me/blockedContacts/tara'), { status: 204, data: undefined });
    t.same(
      m.requests().map((r) => [r.operationId, r.status]),
      [
        ['createChat', 201],
        ['sendChatMessage', 201],
        ['blockContact', 200],
        ['sendChatMessage', 201],
        ['listChatMessages', 200],
        ['unblockContact', 204],
      ],
    );
    t.same(m.violations(), []);
  },
);

t.test('no token, a token the world did not issue, a body without Content-Type: each is CLIENT-003', async (t) => {
  const { m, as } = await mock(t);
  t.equal((await as(undefined, 'GET', '/v1.0/me/chats')).status, 401);
  const forged = await fetch(`${GRAPH}/me/chats`, { headers: { authorization: 'Bearer not-a-token-of-this-world' } });
  t.equal(forged.status, 401);
  const untyped = await fetch(`${GRAPH}/chats`, {
    method: 'POST',
    headers: { authorization: `Bearer ${m.tokens.tara}`, 'content-type': 'text/plain' },
    body: JSON.stringify({ chatType: 'oneOnOne', members: [bind('tara'), bind('sam')] }),
  });
  t.equal(untyped.status, 400, 'the reference refuses a body that is not application/json');
  t.same(
    m.violations().map((v) => [v.clause, v.message]),
    [
      ['CLIENT-003', 'listMyChats needs Authorization: Bearer and a token of bearer, and none was sent'],
      ['CLIENT-003', 'listMyChats needs a bearer token of this world; the bearer token sent is not one'],
      ['CLIENT-003', 'a body sent as "text/plain", not application/json'],
    ],
  );
  t.equal(m.requests()[1]!.headers.authorization, 'Bearer [a token this world did not issue]');
  t.match(m.report().text, /^ {2}#1 GET \/v1\.0\/me\/chats \(listMyChats, no token\) → 401$/m);
  t.match(
    m.report().text,
    /^ {2}#2 GET \/v1\.0\/me\/chats \(listMyChats, Authorization: Bearer \[a token this world did not issue\]\) → 401$/m,
  );
});

t.test(
  'query parameters: undocumented ones are CLIENT-002, OData $ options are not counted, $expand=members is fine',
  async (t) => {
    const { m, as } = await mock(t);
    t.equal((await as('tara', 'GET', '/v1.0/me/chats?$expand=members&$top=5')).status, 200);
    t.equal((await as('tara', 'GET', '/v1.0/me/chats?page=2')).status, 200);
    t.same(
      m.violations().map((v) => [v.seq, v.clause, v.errors]),
      [[2, 'CLIENT-002', ['query parameter page is not documented for listMyChats']]],
    );
  },
);

t.test('the report never holds a token; reset forgets the requests; an event stream is 501, recorded', async (t) => {
  const { m, as } = await mock(t);
  await as('tara', 'GET', '/v1.0/me/chatz');
  const events = await as('sam', 'GET', '/interop/me/events');
  t.same([events.status, events.data.error.code], [501, 'not-implemented']);
  const json = JSON.stringify(m.report());
  for (const [user, token] of Object.entries(m.tokens))
    t.notOk(json.includes(token), `${user}'s token is not in the report`);
  t.match(m.requests()[0], { headers: { authorization: 'Bearer [token of tara]' }, status: 404 });
  t.match(m.requests()[1], { operationId: 'streamEvents', user: 'sam', status: 501, violations: [] });
  m.reset();
  t.same(m.report(), { requests: [], violations: [], violating: 0, text: '0 requests, none broke specs/openapi.yaml' });
});

t.test("another base URL: the world root stands there, and requests elsewhere are msw's unhandled ones", async (t) => {
  const { m, as } = await mock(t, { baseUrl: 'http://interop.test/graph/', onUnhandledRequest: 'bypass' });
  t.equal(m.baseUrl, 'http://interop.test/graph');
  await t.rejects(setupInteropServer({ world: WORLD }), /^setupInteropServer: another interop server is listening/);
  t.equal((await as('tara', 'GET', '/v1.0/me/chats')).status, 200);
  t.same(
    m.requests().map((r) => r.path),
    ['/v1.0/me/chats'],
  );
  t.same(m.violations(), []);
});

t.test(
  'the Graph SDK, unchanged and aimed at graph.microsoft.com: list, create (twice: the same chat), send, read — no violation',
  async (t) => {
    const { m } = await mock(t);
    const sdk = (user: string) => Client.init({ authProvider: (done) => done(null, m.tokens[user]!) });
    t.same((await sdk('tara').api('/me/chats').get()).value, []);
    const body = { chatType: 'oneOnOne', members: [bind('tara'), bind('sam')] };
    const chat = await sdk('tara').api('/chats').post(body);
    t.equal((await sdk('tara').api('/chats').post(body)).id, chat.id, 'createChat again: the same chat');
    const sent = await sdk('tara')
      .api(`/chats/${chat.id}/messages`)
      .post({ body: { content: 'Hello from the SDK' } });
    const read = await sdk('sam').api(`/chats/${chat.id}/messages`).get();
    t.same(
      read.value.map((v: any) => [v.id, v.body.content]),
      [[sent.id, 'Hello from the SDK']],
    );
    t.equal(m.report().text, '5 requests, none broke specs/openapi.yaml');
    t.ok(
      m.requests().every((r) => r.headers.sdkversion?.startsWith('graph-js/')),
      "the requests were the SDK's",
    );
  },
);

t.test("the README's sample report is what a client sending those requests gets, word for word", async (t) => {
  const { m, as, chat } = await mock(t);
  await as('tara', 'POST', `/v1.0/chats/${encodeURIComponent(await chat())}/messages`, {
    body: { contentType: 'text' },
  });
  await as('tara', 'GET', '/v1.0/me/chatz');
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const sample = /## Testing a client with msw[\s\S]*?\n```\n(\d+ requests[\s\S]*?)\n```/.exec(readme)?.[1];
  t.equal(sample, m.report().text);
});

t.test(
  "two worlds in the user's own msw server (one server per process): each answers its own root and tokens",
  async (t) => {
    const first = await interopHandlers({ world: WORLD });
    const second = await interopHandlers({ world: WORLD, baseUrl: 'http://second.test' });
    const server = setupServer(...first.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    t.teardown(async () => {
      server.close();
      await Promise.all([first.close(), second.close()]);
    });
    server.use(...second.handlers);
    const own = await fetch(`${GRAPH}/me/presence`, { headers: { authorization: `Bearer ${first.tokens.sam}` } });
    t.same(
      [own.status, (await own.json()).availability],
      [200, 'Available'],
      "the user's own presence, outside the interop",
    );
    const across = await fetch('http://second.test/v1.0/me/presence', {
      headers: { authorization: `Bearer ${first.tokens.sam}` },
    });
    t.equal(across.status, 401, "the first world's token is nothing in the second");
    t.same(
      [...first.requests(), ...second.requests()].map((q) => [
        q.operationId,
        q.user,
        q.violations.map((v) => v.clause),
      ]),
      [
        ['getMyPresence', 'sam', []],
        ['getMyPresence', undefined, ['CLIENT-003']],
      ],
    );
  },
);
