/**
 * The independent implementation on the Graph-faithful document (issue 12 item 1): one chat, one id for both
 * members; one message, one id on both sides; Graph's minimal send body; non-members refused; presence with
 * `activity`; Graph's error envelope; createChat's answers; and every operation of the document served. Each check
 * is shown failing against the fault of the catalogue that breaks it, so none can pass whatever the service does.
 */
import t, { type Test } from 'tap';
import { request } from 'undici';
import { readApiDocument } from '../specs/schemas/ajv.js';
import { startIndependent } from '../adapters/independent/index.js';
import { GRAPH_ROUTES } from '../adapters/independent/routes-graph.js';
import { PEOPLE_ROUTES } from '../adapters/independent/routes-people.js';
import { WORLD_ROUTES } from '../adapters/independent/routes-world.js';
import { BODY_SCHEMAS, shapeError } from '../adapters/independent/schema.js';
import { boundUser } from '../adapters/independent/graph.js';
import { skype, teams, worldOf } from './fixtures/reference-world.js';

const WORLD = worldOf(teams('tara'), teams('tom'), skype('sam'), skype('sue'));
const bind = (u: string) => ({ 'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${u}')` });

interface Answer {
  status: number;
  body: any;
}

/** A service with `defects` on, one world of it, and a way to call it as one of its users. */
async function world(t: Test, defects: string[] = []) {
  const service = await startIndependent({ defects: new Set(defects) });
  t.teardown(() => service.close());
  const created = await request(`${service.url}/worlds`, {
    method: 'POST',
    body: JSON.stringify(WORLD),
    headers: { 'content-type': 'application/json' },
  });
  const { id, tokens } = (await created.body.json()) as { id: string; tokens: Record<string, string> };
  const call = async (user: string, method: string, path: string, body?: unknown, headers = {}): Promise<Answer> => {
    const a = await request(`${service.url}/worlds/${id}${path}`, {
      method: method as 'GET',
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { authorization: `Bearer ${tokens[user]}`, 'content-type': 'application/json', ...headers },
    });
    const text = await a.body.text();
    return { status: a.statusCode, body: text ? JSON.parse(text) : undefined };
  };
  const createChat = (user: string, ...members: string[]) =>
    call(user, 'POST', '/v1.0/chats', { chatType: 'oneOnOne', members: members.map(bind) });
  const say = async (user: string, chat: string, content: string) =>
    call(user, 'POST', `/v1.0/chats/${chat}/messages`, { body: { content } });
  return { call, createChat, say };
}

t.test('one chat, one id: both members get the same opaque id from createChat, again and again', async (t) => {
  const ids = async (defects: string[] = []) => {
    const w = await world(t, defects);
    const first = await w.createChat('tara', 'tara', 'sam');
    const again = await w.createChat('tara', 'sam', 'tara');
    const other = await w.createChat('sam', 'sam', 'tara');
    return [first, again, other].map((a) => [a.status, a.body.id]);
  };
  const [[s1, id], ...rest] = await ids();
  t.equal(s1, 201);
  t.notMatch(id, /tara|sam/, 'the id does not spell the members (clients must not parse it)');
  t.same(rest, [
    [201, id],
    [201, id],
  ]);
  const faulty = await ids(['chat-id-per-side']);
  t.not(faulty[2]![1], faulty[0]![1], 'chat-id-per-side: the other member gets another id, and this check sees it');
});

t.test("one message, one id: the sender's 201 and the recipient's history name it alike", async (t) => {
  const ids = async (defects: string[] = []) => {
    const w = await world(t, defects);
    const chat = (await w.createChat('tara', 'tara', 'sam')).body.id;
    const sent = await w.say('tara', chat, 'Hello Sam');
    const read = await w.call('sam', 'GET', `/v1.0/chats/${chat}/messages`);
    return [sent.body.id, read.body.value.map((m: { id: string }) => m.id)];
  };
  const [sent, read] = await ids();
  t.same(read, [sent]);
  const [fSent, fRead] = await ids(['message-id-per-side']);
  t.not(fRead[0], fSent, 'message-id-per-side: the two views differ, and this check sees it');
});

t.test("Graph's minimal body { body: { content } } is a text message, shaped as Graph's chatMessage", async (t) => {
  const w = await world(t);
  const chat = (await w.createChat('tara', 'tara', 'sam')).body.id;
  const sent = await w.say('tara', chat, 'Hello Sam');
  t.equal(sent.status, 201);
  t.match(sent.body, {
    chatId: chat,
    messageType: 'message',
    from: {
      user: { '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: 'tara', userIdentityType: 'aadUser' },
    },
    body: { contentType: 'text', content: 'Hello Sam' },
  });
  const faulty = await world(t, ['content-type-required']);
  const fChat = (await faulty.createChat('tara', 'tara', 'sam')).body.id;
  t.equal((await faulty.say('tara', fChat, 'Hello Sam')).status, 400, 'content-type-required: refused, and seen');
});

t.test(
  'a user who is not a member of a chat is refused 403 denied: the chat, its messages, posting in it',
  async (t) => {
    const tries = async (defects: string[] = []) => {
      const w = await world(t, defects);
      const chat = (await w.createChat('tara', 'tara', 'sam')).body.id;
      await w.say('tara', chat, 'Hello Sam');
      const answers = [
        await w.call('sue', 'GET', `/v1.0/chats/${chat}`),
        await w.call('sue', 'GET', `/v1.0/chats/${chat}/messages`),
        await w.say('sue', chat, 'let me in'),
        await w.call('sue', 'GET', '/v1.0/chats/19:nothing@unq.gbl.spaces'),
      ];
      return answers.map((a) => [a.status, a.body.error?.code, JSON.stringify(a.body).includes('Hello')]);
    };
    t.same(await tries(), [
      [403, 'denied', false],
      [403, 'denied', false],
      [403, 'denied', false],
      [404, 'not-found', false],
    ]);
    const reads = await tries(['non-member-reads-chat']);
    t.same([reads[1]![0], reads[1]![2]], [200, true], "non-member-reads-chat: the stranger reads Tara's message, seen");
    t.equal((await tries(['non-member-posts-in-chat']))[2]![0], 201, 'non-member-posts-in-chat: accepted, seen');
  },
);

t.test(
  'presence: one own is Available; across the interop availability and activity are PresenceUnknown',
  async (t) => {
    const w = await world(t);
    t.same((await w.call('tara', 'GET', '/v1.0/me/presence')).body, {
      id: 'tara',
      availability: 'Available',
      activity: 'Available',
    });
    t.same((await w.call('tara', 'GET', '/v1.0/users/sam/presence')).body, {
      id: 'sam',
      availability: 'PresenceUnknown',
      activity: 'PresenceUnknown',
    });
    const faulty = await world(t, ['presence-without-activity']);
    t.notOk('activity' in (await faulty.call('tara', 'GET', '/v1.0/users/sam/presence')).body, 'the fault is seen');
  },
);

t.test(
  "every refusal is Graph's error: code, message, innerError with date, request-id and the client's id",
  async (t) => {
    const w = await world(t);
    const refused = await w.call('tara', 'GET', '/v1.0/users/sam/chats', undefined, { 'client-request-id': 'c-42' });
    t.equal(refused.status, 403);
    t.match(refused.body.error, {
      code: 'denied',
      message: String,
      innerError: {
        date: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
        'request-id': /^[0-9a-f-]{36}$/,
        'client-request-id': 'c-42',
      },
    });
    const faulty = await world(t, ['error-code-missing']);
    const bare = await faulty.call('tara', 'GET', '/v1.0/users/sam/chats');
    t.notOk('code' in bare.body.error, 'error-code-missing: no code, and this check sees it');
  },
);

t.test(
  'createChat: a group or more than two is 422; own platform or without the caller 400; unknown 404',
  async (t) => {
    const w = await world(t);
    const status = async (user: string, body: unknown) => {
      const a = await w.call(user, 'POST', '/v1.0/chats', body);
      return [a.status, a.body.error?.code];
    };
    t.same(
      [
        await status('tara', { chatType: 'group', members: ['tara', 'sam'].map(bind) }),
        await status('tara', { chatType: 'oneOnOne', members: ['tara', 'sam', 'tom'].map(bind) }),
        await status('tara', { chatType: 'oneOnOne', members: ['tara', 'tom'].map(bind) }),
        await status('tara', { chatType: 'oneOnOne', members: ['tom', 'sam'].map(bind) }),
        await status('tara', { chatType: 'oneOnOne', members: ['tara', 'nobody'].map(bind) }),
        await status('tara', { chatType: 'oneOnOne', members: [{ 'user@odata.bind': 'sam' }, bind('tara')] }),
      ],
      [
        [422, 'unsupported-group'],
        [422, 'unsupported-group'],
        [400, 'bad-request'],
        [400, 'bad-request'],
        [404, 'not-found'],
        [400, 'bad-request'],
      ],
    );
    // It decides nothing: a caller the other blocks gets the chat as anyone would (the first message decides).
    await w.call('sam', 'POST', '/interop/me/blockedContacts/tara');
    t.equal((await w.createChat('tara', 'tara', 'sam')).status, 201, 'createChat tells no caller of a block');
    const faulty = await world(t, ['create-chat-refused-by-recipient-block']);
    await faulty.call('sam', 'POST', '/interop/me/blockedContacts/tara');
    t.equal((await faulty.createChat('tara', 'tara', 'sam')).status, 409, 'the faulty one tells: seen');
  },
);

/** Every (method, path) of the document no route serves, and every route with a body whose schema is not found. */
function unserved(
  doc: { paths: Record<string, Record<string, unknown>> },
  routes: readonly { method: string; path: string; operation?: string }[],
) {
  const served = new Set(routes.map((r) => `${r.method} ${r.path}`));
  const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
  return [
    ...ops.filter((op) => !served.has(op)),
    ...routes.filter((r) => r.operation !== undefined && !BODY_SCHEMAS.has(r.operation)).map((r) => r.operation!),
  ];
}

t.test(
  "every operation of the API document is served, and every body is checked by its operation's schema",
  async (t) => {
    const doc = readApiDocument() as unknown as { paths: Record<string, Record<string, unknown>> };
    const routes = [...WORLD_ROUTES, ...GRAPH_ROUTES, ...PEOPLE_ROUTES];
    t.equal(routes.length, 39, 'the 39 operations of the document');
    t.same(unserved(doc, routes), []);
    t.same(
      unserved({ paths: { ...doc.paths, '/worlds/{worldId}/v1.0/me/joinedTeams': { get: {} } } }, [
        ...routes,
        { method: 'POST', path: '/x', operation: 'noSuchOperation' },
      ]),
      ['GET /worlds/{worldId}/v1.0/me/joinedTeams', 'noSuchOperation'],
      'an operation nobody serves, and a body no schema checks, are caught',
    );
  },
);

t.test(
  "a member binding names its user by users('<id>') at its end, whatever the base; bodies by their operation",
  async (t) => {
    t.same(
      [
        boundUser({ 'user@odata.bind': "https://graph.microsoft.com/v1.0/users('sam')" }),
        boundUser({ 'user@odata.bind': "users('tara')" }),
        boundUser({ 'user@odata.bind': "https://graph.microsoft.com/v1.0/users('sam')/chats" }),
        boundUser({}),
      ],
      ['sam', 'tara', undefined, undefined],
    );
    t.equal(shapeError('sendChatMessage', { body: { content: 'hi' } }), undefined, "Graph's minimal body is a body");
    t.equal(shapeError('sendChatMessage', { body: {} }), "/body must have required property 'content'");
    t.equal(shapeError('noSuchOperation', {}), 'the document has no request body for noSuchOperation');
  },
);
