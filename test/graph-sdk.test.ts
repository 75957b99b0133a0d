/**
 * Microsoft's own Graph JS client (@microsoft/microsoft-graph-client 3.0.7, its default middleware: auth, retry,
 * redirect, telemetry) drives the served reference as it would drive graph.microsoft.com: the world root stands
 * where https://graph.microsoft.com stands. It takes `serve --tls` (the certificate `--tls-cert-out` wrote, trusted
 * through undici's dispatcher), because its AuthenticationHandler gives the token to https hosts only.
 */
import t from 'tap';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { Agent, request, type Dispatcher } from 'undici';
import { startService } from '../adapters/reference/http/server.js';
import { CommandContext, type Options } from '../harness/commands/context.js';
import { startFromOptions } from '../harness/commands/serve.js';
import { skype, teams, worldOf } from './fixtures/reference-world.js';

const WORLD = worldOf(teams('tara'), skype('sam'), teams('tom'));

interface CreatedWorld {
  id: string;
  tokens: Record<string, string>;
}

/** `serve --tls --tls-cert-out FILE`, in process; the client trusts what that file holds, and nothing else. */
async function serveTls() {
  const certFile = join(mkdtempSync(join(tmpdir(), 'ic-graph-')), 'serve-cert.pem');
  const quiet = { write: () => true } as never;
  const options = { adapter: 'reference', out: 'x', reporter: 'json', strict: false, quiet: true };
  const service = await startFromOptions(
    new CommandContext({ ...options, tls: true, 'tls-cert-out': certFile } as Options, [], {
      stdout: quiet,
      stderr: quiet,
      env: {},
    }),
  );
  return { service, dispatcher: new Agent({ connect: { ca: readFileSync(certFile, 'utf8') } }) };
}

/** The control plane is not Graph: a world is created with a plain POST, which hands out each user's token. */
async function createWorld(url: string, dispatcher?: Dispatcher): Promise<CreatedWorld> {
  const res = await request(`${url}/worlds`, {
    method: 'POST',
    body: JSON.stringify(WORLD),
    headers: { 'content-type': 'application/json' },
    ...(dispatcher ? { dispatcher } : {}),
  });
  if (res.statusCode !== 201) throw new Error(`POST /worlds answered ${res.statusCode}`);
  return (await res.body.json()) as CreatedWorld;
}

/** The official client as a user's app would make it: the token from an auth provider, the server a custom host. */
const graphClient = (url: string, world: CreatedWorld, user: string, dispatcher?: Dispatcher, customHosts = true) =>
  Client.init({
    baseUrl: `${url}/worlds/${world.id}`, // the SDK appends its defaultVersion, v1.0
    authProvider: (done) => done(null, world.tokens[user]!),
    ...(customHosts ? { customHosts: new Set(['127.0.0.1']) } : {}),
    ...(dispatcher ? { fetchOptions: { dispatcher } as RequestInit } : {}),
  });

/** Graph's member binding: `user@odata.bind` ends in users('<id>'); the base is Graph's, as an app copies it. */
const bind = (userId: string) => ({
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  roles: ['owner'],
  'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${userId}')`,
});

/**
 * What the server received, request by request: whether the Authorization header was `token` (never printed), and
 * the `client-request-id` the SDK's TelemetryHandler added.
 */
function watchRequests() {
  let token = '';
  const seen: ('token' | 'other' | 'none')[] = [];
  const clientRequestIds: (string | undefined)[] = [];
  const onRequest = (message: unknown) => {
    const { headers } = (message as { request: IncomingMessage }).request;
    seen.push(
      headers.authorization === undefined ? 'none' : headers.authorization === `Bearer ${token}` ? 'token' : 'other',
    );
    clientRequestIds.push(headers['client-request-id'] as string | undefined);
  };
  subscribe('http.server.request.start', onRequest);
  return {
    seen,
    clientRequestIds,
    stop: () => unsubscribe('http.server.request.start', onRequest),
    expect: (t: string) => void (token = t),
  };
}

/** What the SDK throws for an error answer: Graph's error body, innerError included, parsed into its fields. */
async function graphError(p: Promise<unknown>): Promise<GraphError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GraphError) return e;
    throw e;
  }
  throw new Error('expected an error answer');
}

t.test(
  'over serve --tls the official Graph client lists, creates and reads chats, sends a message and reads presence; the Skype user sees the same chat and message ids',
  async (t) => {
    const started = performance.now();
    const { service, dispatcher } = await serveTls();
    t.teardown(() => service.close());
    const world = await createWorld(service.url, dispatcher);
    const ready = performance.now();
    const tara = graphClient(service.url, world, 'tara', dispatcher);
    const sam = graphClient(service.url, world, 'sam', dispatcher);
    const watch = watchRequests();
    t.teardown(watch.stop);
    watch.expect(world.tokens.tara!);

    t.same((await tara.api('/me/chats').get()).value, [], 'tara has no chat yet');
    const chat = await tara.api('/chats').post({ chatType: 'oneOnOne', members: [bind('tara'), bind('sam')] });
    t.match(chat, { id: String, chatType: 'oneOnOne' }, 'POST /chats with Graph body makes the 1:1 chat');
    const again = await tara.api('/chats').post({ chatType: 'oneOnOne', members: [bind('tara'), bind('sam')] });
    t.equal(again.id, chat.id, 'creating it again answers the same chat (as Graph does)');
    t.same(
      (await tara.api('/me/chats').get()).value.map((c: { id: string }) => c.id),
      [chat.id],
      "the chat is in tara's list from its creation on",
    );

    const sent = await tara.api(`/chats/${chat.id}/messages`).post({ body: { content: 'Hello from Teams' } });
    t.match(
      sent,
      {
        id: String,
        messageType: 'message',
        from: { user: { id: 'tara', userIdentityType: 'aadUser' } },
        body: { contentType: 'text', content: 'Hello from Teams' },
      },
      "Graph's minimal body is a text message, answered 201 with the chatMessage",
    );
    const mine = (await tara.api(`/chats/${chat.id}/messages`).get()).value;
    t.same(
      mine.map((m: { id: string }) => m.id),
      [sent.id],
      'tara reads exactly her one message back',
    );
    t.match(await tara.api('/me/presence').get(), { availability: 'Available' }, "tara's own presence is Graph's");
    t.match(
      await tara.api('/users/sam/presence').get(),
      { id: 'sam', availability: 'PresenceUnknown', activity: 'PresenceUnknown' },
      "a Skype user's presence is unknown across the interop (CHAT-007)",
    );
    t.same(
      [...new Set(watch.seen)],
      ['token'],
      `each of tara's ${watch.seen.length} requests carried her token: the SDK sent it to https://127.0.0.1`,
    );
    t.equal(watch.seen.length, 8, 'tara made 8 requests');
    t.equal(new Set(watch.clientRequestIds).size, 8, 'each with a client-request-id of its own');

    const samChats = (await sam.api('/me/chats').expand('members').get()).value;
    t.same(
      samChats.map((c: { id: string }) => c.id),
      [chat.id],
      "sam's list holds the same chat id",
    );
    t.match(
      [...samChats[0].members].sort((a: { userId: string }, b: { userId: string }) => a.userId.localeCompare(b.userId)),
      [
        { '@odata.type': '#microsoft.graph.skypeUserConversationMember', userId: 'sam' },
        { '@odata.type': '#microsoft.graph.aadUserConversationMember', userId: 'tara' },
      ],
      "$expand=members: Graph's member types, the Skype user as a skypeUserConversationMember",
    );
    t.match(
      await sam.api(`/chats/${chat.id}`).get(),
      { id: chat.id, chatType: 'oneOnOne' },
      'GET /chats/{id}: the same chat for its other member',
    );
    const received = (await sam.api(`/chats/${chat.id}/messages`).get()).value;
    t.match(
      received,
      [{ id: sent.id, from: { user: { id: 'tara' } }, body: { content: 'Hello from Teams' } }],
      'sam reads the message under the same message id',
    );
    t.equal(received.length, 1, 'and nothing else');
    t.match(
      await sam.api('/users/tara/presence').get(),
      { id: 'tara', availability: 'PresenceUnknown', activity: 'PresenceUnknown' },
      "and the Teams user's presence is unknown to the Skype user (CHAT-007)",
    );

    // What Graph lacks lives under /worlds/{id}/interop/…: the same client reaches it as another "version".
    t.match(
      await sam.api('/me/requests/tara/accept').version('interop').post(undefined),
      { id: 'tara', state: 'accepted' },
      "the extension namespace through the same client: sam accepts tara's request",
    );
    const reply = await sam.api(`/chats/${chat.id}/messages`).post({ body: { content: 'Hello from Skype' } });
    t.match(
      reply,
      { from: { user: { id: 'sam', userIdentityType: 'skypeUser' } } },
      'sam replies in the same chat, as a skypeUser',
    );
    t.same(
      (await tara.api(`/chats/${chat.id}/messages`).get()).value.map((m: { id: string }) => m.id),
      [sent.id, reply.id],
      'the reply reaches tara in the same chat, after her message',
    );

    const tom = graphClient(service.url, world, 'tom', dispatcher);
    const denied = await graphError(tom.api(`/chats/${chat.id}/messages`).get());
    t.match(
      { status: denied.statusCode, code: denied.code, requestId: denied.requestId },
      { status: 403, code: 'denied', requestId: String },
      "a non-member is refused in Graph's error shape; the SDK reads its innerError's request-id",
    );
    t.equal(
      JSON.parse(denied.body as string).innerError?.['client-request-id'],
      watch.clientRequestIds.at(-1),
      "innerError echoes the client-request-id the SDK's TelemetryHandler sent",
    );
    t.match(watch.clientRequestIds.at(-1), /^[0-9a-f-]{36}$/, 'which was a GUID');
    t.comment(
      `graph client: server and world ${Math.round(ready - started)} ms, ${watch.seen.length} requests ${Math.round(performance.now() - ready)} ms`,
    );
  },
);

t.test(
  'the failing cases: over plain http, or without the server in customHosts, the SDK sends no token and is answered 401',
  async (t) => {
    const plain = await startService();
    t.teardown(() => plain.close());
    const world = await createWorld(plain.url);
    const watch = watchRequests();
    t.teardown(watch.stop);
    const overHttp = await graphError(graphClient(plain.url, world, 'tara').api('/me/chats').get());
    t.match({ status: overHttp.statusCode, code: overHttp.code }, { status: 401, code: 'denied' }, 'http://: 401');
    t.same(watch.seen, ['none'], 'http://: the AuthenticationHandler dropped the Authorization header');

    const { service, dispatcher } = await serveTls();
    t.teardown(() => service.close());
    const secure = await createWorld(service.url, dispatcher);
    watch.seen.length = 0;
    const unlisted = await graphError(
      graphClient(service.url, secure, 'tara', dispatcher, false).api('/me/chats').get(),
    );
    t.equal(unlisted.statusCode, 401, 'https without customHosts: 401');
    t.same(watch.seen, ['none'], 'https without customHosts: 127.0.0.1 is no Graph host, no token either');
  },
);
