/**
 * The served reference speaks Graph v1.0 where Graph has the concept (specs/openapi.yaml, issue 12 item 1): one
 * chat id for both members, one message id in both views, Graph's minimal message body, non-members refused,
 * presence with `activity`, Graph's error with `innerError` — checked through `answer()`, the transport-neutral
 * entry msw's handlers use, and over a socket, which must answer the same. Each check is also shown failing on a
 * faulty answer.
 */
import t from 'tap';
import { request } from 'undici';
import { answer, type WireAnswer } from '../adapters/reference/http/answer.js';
import { parseFaults } from '../adapters/reference/http/faults.js';
import { LIMITS } from '../adapters/reference/http/limits.js';
import { startService } from '../adapters/reference/http/server.js';
import { WorldRegistry } from '../adapters/reference/http/worlds.js';
import { skype, teams, worldOf } from './fixtures/reference-world.js';
import { bind, oneOnOne } from './fixtures/graph-chat.js';

type Json = Record<string, any>;
const WORLD = worldOf(teams('tara'), teams('tom'), skype('sam'), skype('sue'));

/** A registry of worlds answered in process, and one world of WORLD in it. */
async function inProcess(faults?: string, o: { lateDeliveryMs?: number } = {}) {
  const worlds = new WorldRegistry(parseFaults(faults, o.lateDeliveryMs), { ...LIMITS });
  const call = async (method: string, url: string, o: { token?: string; body?: unknown; headers?: Json } = {}) => {
    const got = await answer(worlds, {
      method,
      url,
      headers: {
        host: '127.0.0.1',
        ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...o.headers,
      },
      body: Buffer.from(o.body === undefined ? '' : JSON.stringify(o.body)),
    });
    return { ...got, json: got.body.length ? (JSON.parse(got.body.toString()) as Json) : undefined };
  };
  const made = (await call('POST', '/worlds', { body: WORLD })).json!;
  const as = (user: string) => ({
    get: (path: string, headers?: Json) =>
      call('GET', `/worlds/${made.id}${path}`, { token: made.tokens[user], ...(headers ? { headers } : {}) }),
    post: (path: string, body: unknown) =>
      call('POST', `/worlds/${made.id}${path}`, { token: made.tokens[user], body }),
  });
  return { worlds, call, made, as };
}
const chatPath = (id: string) => `/v1.0/chats/${encodeURIComponent(id)}`;
const ids = (a: { json?: Json }) => (a.json!.value as Json[]).map((x) => x.id as string);

/** The ids both sides see of one chat and its messages are one id each; the problems otherwise. */
function sameIds(mine: { chat: string; messages: string[] }, theirs: { chat: string; messages: string[] }): string[] {
  return [
    ...(mine.chat === theirs.chat ? [] : [`the chat is ${mine.chat} on one side, ${theirs.chat} on the other`]),
    ...(JSON.stringify(mine.messages) === JSON.stringify(theirs.messages)
      ? []
      : [`the messages are ${mine.messages.join(',')} on one side, ${theirs.messages.join(',')} on the other`]),
  ];
}

t.test('one chat id for both members, and one message id in the sender’s and the recipient’s view', async (t) => {
  const { as } = await inProcess();
  const created = await as('tara').post('/v1.0/chats', oneOnOne('tara', 'sam'));
  t.equal(created.status, 201);
  const again = await as('sam').post('/v1.0/chats', oneOnOne('sam', 'tara'));
  t.same([again.status, again.json!.id], [201, created.json!.id], 'created from the other side: the same chat');
  const chat = created.json!.id as string;
  for (const text of ['one', 'two'])
    t.equal((await as('tara').post(`${chatPath(chat)}/messages`, { body: { content: text } })).status, 201);
  // tara's first contact is a request (F5): sam accepts it, then writes back.
  t.equal((await as('sam').post('/interop/me/requests/tara/accept', {})).status, 200);
  t.equal((await as('sam').post(`${chatPath(chat)}/messages`, { body: { content: 'three' } })).status, 201);
  const view = async (user: string) => ({
    chat: ids(await as(user).get('/v1.0/me/chats'))[0]!,
    messages: ids(await as(user).get(`${chatPath(chat)}/messages`)),
  });
  const [tara, sam] = [await view('tara'), await view('sam')];
  t.same(sameIds(tara, sam), [], 'the same ids on both sides');
  t.equal(new Set(tara.messages).size, 3, 'three messages, three ids');
  // The check fails on views whose ids are each side's own (the id of the other user, a copy's own id).
  t.same(sameIds(tara, { chat: 'sam', messages: [...sam.messages.slice(0, 2), 'x'] }), [
    `the chat is ${chat} on one side, sam on the other`,
    `the messages are ${tara.messages.join(',')} on one side, ${[...sam.messages.slice(0, 2), 'x'].join(',')} on the other`,
  ]);
});

t.test('a message overtaken in transit (F13) still takes the id its sender was answered with', async (t) => {
  const { as } = await inProcess('messages-overtake-in-transit');
  const chat = (await as('tara').post('/v1.0/chats', oneOnOne('tara', 'sam'))).json!.id as string;
  await as('tara').post(`${chatPath(chat)}/messages`, { body: { content: 'May I ask you something?' } });
  await as('sam').post('/interop/me/requests/tara/accept', {});
  const sent: string[] = [];
  for (const content of ['first', 'second'])
    sent.push((await as('tara').post(`${chatPath(chat)}/messages`, { body: { content } })).json!.id as string);
  await new Promise((r) => setTimeout(r, 120));
  const got = (await as('sam').get(`${chatPath(chat)}/messages`)).json!.value as Json[];
  const byText = Object.fromEntries(got.map((m) => [m.body.content, m.id]));
  t.same([byText.first, byText.second], sent, 'each arrival has its own message id');
  t.same(
    got.slice(1).map((m) => m.body.content),
    ['second', 'first'],
    'the second did arrive first (the fault is at work)',
  );
});

t.test(
  'createChat: idempotent, delivers and lists nothing for the other member; refusals by Graph’s rules',
  async (t) => {
    const { as } = await inProcess();
    const created = await as('tara').post('/v1.0/chats', oneOnOne('tara', 'sam'));
    t.match(created.json, { chatType: 'oneOnOne', topic: null }, "Graph's chat");
    t.same(ids(await as('tara').get('/v1.0/me/chats')), [created.json!.id], 'listed for its creator');
    t.same(ids(await as('sam').get('/v1.0/me/chats')), [], 'not for the other member before a message');
    t.same((await as('sam').get(`${chatPath(created.json!.id)}/messages`)).json, { value: [] }, 'who may read it');
    const refusals: [string, unknown, number, string][] = [
      ['group', { chatType: 'group', members: [bind('tara'), bind('sam'), bind('sue')] }, 422, 'unsupported-group'],
      [
        'oneOnOne of three',
        { chatType: 'oneOnOne', members: [bind('tara'), bind('sam'), bind('sue')] },
        422,
        'unsupported-group',
      ],
      ['the same platform', oneOnOne('tara', 'tom'), 400, 'bad-request'],
      ['without the caller', oneOnOne('sue', 'tom'), 400, 'bad-request'],
      ['an unknown user', oneOnOne('tara', 'nobody'), 404, 'not-found'],
      [
        'a member bound by no user',
        { chatType: 'oneOnOne', members: [bind('tara'), { 'user@odata.bind': 'x' }] },
        400,
        'bad-request',
      ],
    ];
    for (const [what, body, status, code] of refusals) {
      const got = await as('tara').post('/v1.0/chats', body);
      t.same([got.status, got.json!.error.code], [status, code], what);
    }
    t.same(ids(await as('tara').get('/v1.0/me/chats')), [created.json!.id], 'no refused chat is listed');
  },
);

t.test("Graph's minimal message body is a text message; a body of another shape is 400", async (t) => {
  const { as } = await inProcess();
  const chat = (await as('sam').post('/v1.0/chats', oneOnOne('sam', 'tara'))).json!.id as string;
  const sent = await as('sam').post(`${chatPath(chat)}/messages`, { body: { content: 'Hi from Skype' } });
  t.match(sent, {
    status: 201,
    json: { chatId: chat, messageType: 'message', body: { contentType: 'text', content: 'Hi from Skype' } },
  });
  t.match(sent.json!.from.user, {
    '@odata.type': '#microsoft.graph.teamworkUserIdentity',
    id: 'sam',
    userIdentityType: 'skypeUser',
  });
  const wrong = await as('sam').post(`${chatPath(chat)}/messages`, { body: { content: 'x' }, deliveredTo: ['tara'] });
  t.same([wrong.status, wrong.json!.error.code], [400, 'bad-request'], 'requests stay strict: an unknown property');
  const members = (await as('tara').get(`${chatPath(chat)}?$expand=members`)).json!.members as Json[];
  t.same(
    members.map((m) => [m['@odata.type'], m.userId]),
    [
      ['#microsoft.graph.skypeUserConversationMember', 'sam'],
      ['#microsoft.graph.aadUserConversationMember', 'tara'],
    ],
    "Graph's member types, the world's user id on both",
  );
  t.notOk('members' in (await as('tara').get(chatPath(chat))).json!, 'members only under $expand=members');
});

t.test('a user who is not a member may neither read nor send in a chat: 403 denied, nothing of it named', async (t) => {
  const { as } = await inProcess();
  const chat = (await as('tara').post('/v1.0/chats', oneOnOne('tara', 'sam'))).json!.id as string;
  await as('tara').post(`${chatPath(chat)}/messages`, { body: { content: 'The merger closes on Friday' } });
  for (const got of [
    await as('sue').get(chatPath(chat)),
    await as('sue').get(`${chatPath(chat)}/messages`),
    await as('sue').get(`/v1.0/users/sue/chats/${encodeURIComponent(chat)}/messages`),
    await as('sue').post(`${chatPath(chat)}/messages`, { body: { content: 'hi' } }),
  ]) {
    t.same([got.status, got.json!.error.code], [403, 'denied']);
    t.notMatch(got.body.toString(), /merger|tara|sam/);
  }
  t.same((await as('sue').get(chatPath('19:nothing@unq.gbl.spaces'))).status, 404, 'an id that names no chat');
});

t.test(
  "presence: one's own is Available; across the interop availability and activity are PresenceUnknown",
  async (t) => {
    const { as } = await inProcess();
    t.same((await as('tara').get('/v1.0/me/presence')).json, {
      id: 'tara',
      availability: 'Available',
      activity: 'Available',
    });
    t.same((await as('tara').get('/v1.0/users/sam/presence')).json, {
      id: 'sam',
      availability: 'PresenceUnknown',
      activity: 'PresenceUnknown',
    });
  },
);

t.test("every refusal is Graph's error with innerError; client-request-id is echoed when it is a token", async (t) => {
  const { as, call } = await inProcess();
  const innerOf = (a: WireAnswer & { json?: Json }) => a.json!.error.innerError as Json;
  const echoed = await as('sue').get('/v1.0/users/sam/chats', { 'client-request-id': 'c0ffee-1' });
  t.match(innerOf(echoed), { 'client-request-id': 'c0ffee-1', 'request-id': echoed.headers['request-id'] });
  t.ok(!Number.isNaN(Date.parse(innerOf(echoed).date)), 'innerError.date is a date');
  t.equal(echoed.headers['client-request-id'], 'c0ffee-1', 'and the header, as Graph');
  const junk = await as('sue').get('/v1.0/users/sam/chats', { 'client-request-id': 'a b\u0001' });
  t.notOk('client-request-id' in innerOf(junk), 'a header that is no token is not echoed');
  for (const got of [
    await call('GET', '/nowhere'),
    await call('POST', '/worlds', { body: {} }),
    await as('tara').get('/v1.0/me/nothing'),
  ])
    t.same(Object.keys(innerOf(got)).sort(), ['date', 'request-id'], `${got.status}: innerError`);
});

t.test('answer() and the node server answer alike; an event stream is handed over, not answered', async (t) => {
  const s = await startService();
  t.teardown(() => s.close());
  const { as } = await inProcess();
  const made2 = (await (
    await request(`${s.url}/worlds`, {
      method: 'POST',
      body: JSON.stringify(WORLD),
      headers: { 'content-type': 'application/json' },
    })
  ).body.json()) as Json;
  const shape = (status: number, body: Json) => [
    status,
    JSON.stringify(body).replace(/"[0-9T:.-]{23}Z"|"[0-9a-f-]{36}"/g, '"…"'),
  ];
  const overSocket = await request(`${s.url}/worlds/${made2.id}/v1.0/chats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${made2.tokens.tara}` },
    body: JSON.stringify(oneOnOne('tara', 'sam')),
  });
  const inMemory = await as('tara').post('/v1.0/chats', oneOnOne('tara', 'sam'));
  t.same(shape(overSocket.statusCode, (await overSocket.body.json()) as Json), shape(inMemory.status, inMemory.json!));
  const stream = await as('tara').get('/interop/me/events');
  t.same([stream.status, typeof stream.stream, stream.body.length], [200, 'function', 0]);
});

t.test(
  'the non-member-reads-chat variant shows a third person the members’ messages, and is refused nothing else',
  async (t) => {
    const { as } = await inProcess('non-member-reads-chat');
    const chat = (await as('tara').post('/v1.0/chats', oneOnOne('tara', 'sam'))).json!.id as string;
    await as('tara').post(`${chatPath(chat)}/messages`, { body: { content: 'The merger closes on Friday' } });
    const read = await as('sue').get(`${chatPath(chat)}/messages`);
    t.same(
      [read.status, (read.json!.value as Json[]).map((m) => m.body.content)],
      [200, ['The merger closes on Friday']],
      'sue reads what tara wrote to sam',
    );
    t.equal(
      (await as('sue').post(`${chatPath(chat)}/messages`, { body: { content: 'hi' } })).status,
      403,
      'sending is checked',
    );
  },
);

t.test(
  'answer() refuses a body over 64 KiB as the node server does, and a group chat the interop carried is a group',
  async (t) => {
    const { call, made } = await inProcess();
    const big = await call('POST', `/worlds/${made.id}/v1.0/chats`, {
      token: made.tokens.tara,
      body: { topic: 'x'.repeat(70_000) },
    });
    t.same([big.status, big.json!.error.code], [413, 'payload-too-large']);
    // The reference variant group-chat-allowed carries a group chat: Graph's answer for it is a chat of type group.
    const { as } = await inProcess('group-chat-allowed');
    const group = await as('tara').post('/v1.0/chats', {
      chatType: 'group',
      members: [bind('tara'), bind('sam'), bind('sue')],
    });
    t.match(group, { status: 201, json: { chatType: 'group', topic: null } });
  },
);

t.test(
  'a message to someone who blocks its sender is listed for the sender alone, answered as delivered (F21)',
  async (t) => {
    const { as } = await inProcess();
    const chat = (await as('tara').post('/v1.0/chats', oneOnOne('tara', 'sam'))).json!.id as string;
    const first = await as('tara').post(`${chatPath(chat)}/messages`, { body: { content: 'Hello Sam' } });
    t.equal((await as('sam').post('/interop/me/blockedContacts/tara', {})).status, 200, 'sam blocks the request');
    const dropped = await as('tara').post(`${chatPath(chat)}/messages`, { body: { content: 'Hello again' } });
    t.same(
      [dropped.status, Object.keys(dropped.json!).sort()],
      [first.status, Object.keys(first.json!).sort()],
      'the same answer',
    );
    const texts = async (user: string) =>
      ((await as(user).get(`${chatPath(chat)}/messages`)).json!.value as Json[]).map((m) => m.body.content);
    t.same(await texts('tara'), ['Hello Sam', 'Hello again'], 'the sender sees both sent');
    t.same(await texts('sam'), ['Hello Sam'], 'the blocker never gets the second');
  },
);
