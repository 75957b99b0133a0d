/**
 * Hostile requests (the `probe` action, SEC-001…007) and what their answers mean. An access attack answered
 * 401, 403 or 404, with an error body that leaks none of the world's texts, was `denied` (someone outside a chat
 * that exists is owed the document's 403 `denied`: another refusal is a WIRE-001 violation); malformed JSON
 * answered 400 is `bad-request`, an oversized body answered 413 `payload-too-large`, an unknown route answered
 * 404 `not-found`. Any other answer is `ok` — the attack got through — which the oracle's prediction then fails.
 * Every answer is still checked against the API document (WIRE-001).
 * Each attack is tried in its realistic forms, all of which must be refused: sending as a colleague and as the
 * other member of one's own chat, and reading or posting in a chat of two others by its id; another world's and a deleted world's token on the event stream too (and a
 * stream open when its world is deleted must end); several kinds of broken JSON; an oversized body counted in
 * bytes of multi-byte text, and sent chunked without a Content-Length.
 */
import { WireFormatViolation } from '../adapter.js';
import type { ActorOutcome, Attack, Person, World } from '../../specs/protocol.js';
import { jsonOf } from './client.js';
import { WorldApi, type Answer } from './api.js';
import { ChatIds } from './chats.js';
import { openStream, sendChunked, streamOf, type OpenStream } from './probe-requests.js';
import { catchUpInOrder, ownStreamResends, unknownUser } from './world-probes.js';
import { EventCursor } from './cursor.js';
import { ERROR_SCHEMA_OF } from './schema.js';

export interface ProbeContext {
  api: WorldApi;
  world: World;
  /** Texts sent in this world so far: none may appear in an answer that turns an attacker away. */
  texts: ReadonlySet<string>;
  /** The chat ids this world's people were given: a probe attacks a chat by the id one of its members holds. */
  chats: ChatIds;
  /** Create another world like this one; the caller deletes it with `deleteWorld`. */
  openWorld(): Promise<{ id: string; tokens: Record<string, string>; controlToken?: string }>;
  /**
   * Set in world mode only (`events=world`, the service offers the world stream): its control token, and how far
   * the world stream has shown each user. A service read through users' own streams is not probed on it.
   */
  worldStream?: { controlToken: string; shown(user: string): number };
  deleteWorld(id: string): Promise<void>;
}

/** The SEC-005 limit: one byte more is refused. */
export const BODY_LIMIT = 64 * 1024;
/** Bodies that are not valid JSON (SEC-004), each answered 400: cut off, a valid value with more after it, JSON5-isms. */
export const MALFORMED_BODIES: readonly string[] = [
  '{"body": {"contentType": "text", "content": "unterminated',
  '{"body": {"contentType": "text", "content": "trailing garbage"}}garbage',
  '{"body": {"contentType": "text", "content": "two values"}} {"body": {"contentType": "text", "content": "x"}}',
  "{'body': {'contentType': 'text', 'content': 'single quotes'}}",
  '{"body": {"contentType": "text", "content": "trailing comma",},}',
];
const ACCESS: readonly Attack[] = [
  'read-other-chats',
  'act-as-other-user',
  'reach-other-world',
  'use-deleted-world-token',
];

const persons = (w: World): Person[] => Object.values(w.users).filter((u): u is Person => u.kind !== 'admin');
/** `record[key]` if `record` has it as its own: a name like `constructor` or `__proto__` never reaches Object's members. */
const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/** The people `owner` can have a chat with: those of the other platform (every conversation is Teams ↔ Skype). */
function chatPartners(w: World, owner: string): string[] {
  const o = own(w.users, owner);
  return persons(w)
    .filter((p) => p.name !== owner && (o?.kind === 'admin' || p.kind !== o?.kind))
    .map((p) => p.name);
}

/** Someone `target` could chat with: a person of the other platform, the actor if possible. */
function partnerOf(w: World, target: string, actor: string): string {
  const others = chatPartners(w, target);
  return others.find((p) => p === actor) ?? others[0] ?? actor;
}

/**
 * The id of `a`'s chat with `b`, as one of them holds it (else `a` asks for it: creating a chat delivers
 * nothing). A probe without a chat to attack would prove nothing, so a refusal is an error of the run.
 */
async function chatToProbe(chats: ChatIds, a: string, b: string): Promise<string> {
  const chat = await chats.between(a, b);
  if ('id' in chat) return chat.id;
  throw new Error(
    `no chat of ${a} and ${b} to probe: POST /chats answered ${chat.refused.status} ${String(chat.refused.data?.error?.code ?? '')}`.trim(),
  );
}

function leaks(a: Answer, texts: ReadonlySet<string>): boolean {
  const body = JSON.stringify(a.data ?? '');
  return [...texts].some((t) => t.length >= 6 && body.includes(JSON.stringify(t).slice(1, -1)));
}

const turnedAway = (answers: Answer[], texts: ReadonlySet<string>) =>
  answers.every((a) => [401, 403, 404].includes(a.status) && !leaks(a, texts));

export async function probe(
  ctx: ProbeContext,
  actor: string,
  attack: Attack,
  target: string | undefined,
): Promise<ActorOutcome> {
  const { api, world } = ctx;
  const answers: Answer[] = [];
  /** Answers to someone outside a chat that exists, each with the operation asked. */
  const outsiders: [operation: string, answer: Answer][] = [];
  const texts = new Set(ctx.texts);
  switch (attack) {
    case 'read-other-chats': {
      // The owner's chats listed, and each chat of theirs read — as the owner (`/users/{owner}/…`) and, by a third
      // person who is in neither, as a member (`/chats/{id}`…): both are reading someone else's conversation.
      const owner = target!;
      answers.push(await api.invoke('listUserChats', actor, { params: { userId: owner } }));
      for (const p of chatPartners(world, owner)) {
        const chatId = await chatToProbe(ctx.chats, owner, p);
        answers.push(await api.invoke('listUserChatMessages', actor, { params: { userId: owner, chatId } }));
        if (actor !== p && actor !== owner) {
          outsiders.push(['getChat', await api.invoke('getChat', actor, { params: { chatId } })]);
          outsiders.push(['listChatMessages', await api.invoke('listChatMessages', actor, { params: { chatId } })]);
        }
      }
      if (ctx.worldStream) {
        // A user's token on the world stream would read every user's deliveries (401: SEC-001); and the actor's own
        // stream, opened without Last-Event-ID, resends nothing the world stream already showed them (WIRE-003).
        answers.push(await openStream(api, actor, { world: true }));
        await ownStreamResends(api, actor, ctx.worldStream.shown(actor));
      }
      break;
    }
    case 'act-as-other-user': {
      const body = { body: { contentType: 'text', content: `Written by ${actor}, signed ${target}` } };
      // In a chat of the target's (with the actor, if they can chat, else with someone else): as the target
      // (`/users/{target}/…`: a member of a chat is still not its other member), and, when the actor is not in
      // it, posted straight into it as a member would.
      const partner = partnerOf(world, target!, actor);
      const chatId = await chatToProbe(ctx.chats, target!, partner);
      answers.push(await api.invoke('sendUserChatMessage', actor, { params: { userId: target!, chatId }, body }));
      if (actor !== partner && actor !== target)
        outsiders.push(['sendChatMessage', await api.invoke('sendChatMessage', actor, { params: { chatId }, body })]);
      break;
    }
    case 'reach-other-world': {
      const other = await ctx.openWorld();
      try {
        // The other world's token against this world, and this world's token against the other.
        answers.push(await api.invoke('listMyChats', actor, { token: own(other.tokens, actor) ?? '' }));
        answers.push(await api.invoke('listMyChats', actor, { worldId: other.id }));
        // The event stream too, both ways: it carries every delivery of whoever it is opened for.
        answers.push(await openStream(api, actor, { token: own(other.tokens, actor) ?? '' }));
        answers.push(await openStream(api, actor, { worldId: other.id }));
        // The world stream with the other world's control token, both ways (401: SEC-003).
        if (ctx.worldStream && other.controlToken !== undefined) {
          answers.push(await openStream(api, actor, { world: true, token: other.controlToken }));
          answers.push(
            await openStream(api, actor, { world: true, worldId: other.id, token: ctx.worldStream.controlToken }),
          );
        }
      } finally {
        await ctx.deleteWorld(other.id);
      }
      break;
    }
    case 'use-deleted-world-token': {
      // A world like this one, used a little (so it has something to leak), then deleted: its token must be
      // turned away in its own routes and in this world's (SEC-007).
      const gone = await ctx.openWorld();
      const goneApi = new WorldApi(api.client, api.doc, api.redact, gone.id, gone.tokens);
      // In world mode its answers' cursors are read while it lives: they order its world stream's catch-up.
      const liveApi = ctx.worldStream
        ? new WorldApi(
            api.client,
            api.doc,
            api.redact,
            gone.id,
            gone.tokens,
            new EventCursor(new Set(Object.keys(world.users))),
          )
        : goneApi;
      const token = own(gone.tokens, actor) ?? '';
      const text = `Before ${actor}'s world was deleted`;
      texts.add(text);
      // A stream of the world open while it is deleted: it must end (openapi.yaml, deleteWorld).
      let open: OpenStream | undefined;
      let openWorld: OpenStream | undefined;
      let chatId: string;
      try {
        const partner = partnerOf(world, actor, actor);
        chatId = await chatToProbe(new ChatIds(liveApi), actor, partner);
        await liveApi.invoke('sendChatMessage', actor, {
          params: { chatId },
          body: { body: { contentType: 'text', content: text } },
        });
        if (ctx.worldStream && gone.controlToken !== undefined)
          await catchUpInOrder(liveApi, gone.controlToken, Object.keys(world.users), actor, partner, chatId, texts);
        open = await streamOf(api, actor, { worldId: gone.id, token });
        // Its world stream too, in world mode: open with its control token, it must end as well.
        if (ctx.worldStream && gone.controlToken !== undefined)
          openWorld = await streamOf(api, actor, { world: true, worldId: gone.id, token: gone.controlToken });
      } finally {
        await ctx.deleteWorld(gone.id);
      }
      answers.push(await open!.ended(api.client.o.timeoutMs));
      if (openWorld) answers.push(await openWorld.ended(api.client.o.timeoutMs));
      answers.push(await goneApi.invoke('listMyChats', actor));
      answers.push(await goneApi.invoke('getChat', actor, { params: { chatId } }));
      answers.push(await goneApi.invoke('listChatMessages', actor, { params: { chatId } }));
      answers.push(await api.invoke('listMyChats', actor, { token }));
      answers.push(await openStream(api, actor, { worldId: gone.id, token }));
      answers.push(await openStream(api, actor, { token }));
      break;
    }
    case 'malformed-json': {
      const params = { chatId: await chatToProbe(ctx.chats, actor, partnerOf(world, actor, actor)) };
      for (const rawBody of MALFORMED_BODIES)
        answers.push(await api.invoke('sendChatMessage', actor, { params, rawBody }));
      // A Last-Event-ID the world stream cannot resume from: not a Dictionary, or naming a user not in the world.
      if (ctx.worldStream) {
        const token = ctx.worldStream.controlToken;
        for (const lastEventId of ['7', `${unknownUser(world)}=1`])
          answers.push(await openStream(api, actor, { world: true, token, lastEventId }));
      }
      break;
    }
    case 'oversized-body': {
      const params = { chatId: await chatToProbe(ctx.chats, actor, partnerOf(world, actor, actor)) };
      const envelope = JSON.stringify({ body: { contentType: 'text', content: '' } });
      // One byte over, in ASCII; over in bytes while far under in characters ("€" is 3 bytes in UTF-8); and one
      // byte over sent chunked, with no Content-Length to judge it by.
      const ascii = JSON.stringify({
        body: { contentType: 'text', content: 'x'.repeat(BODY_LIMIT + 1 - envelope.length) },
      });
      const euros = JSON.stringify({
        body: { contentType: 'text', content: '€'.repeat(Math.ceil((BODY_LIMIT + 1 - envelope.length) / 3)) },
      });
      answers.push(await api.invoke('sendChatMessage', actor, { params, rawBody: ascii }));
      answers.push(await api.invoke('sendChatMessage', actor, { params, rawBody: euros }));
      answers.push(await sendChunked(api, actor, 'sendChatMessage', params, ascii));
      break;
    }
    case 'unknown-route': {
      const path = `/worlds/${encodeURIComponent(api.worldId)}/v1.0/me/no-such-route-${Date.now().toString(36)}`;
      const a = await api.raw(actor, 'GET', path);
      const data = jsonOf(a, a.what, api.redact);
      const schema = ERROR_SCHEMA_OF[a.status];
      if (a.status >= 400 && !schema)
        throw new WireFormatViolation(`${a.what} answered ${a.status}, a status specs/openapi.yaml gives no error`);
      if (schema) api.doc.expect(schema, data, `${a.what} answered ${a.status}`);
      answers.push({ status: a.status, data });
      break;
    }
  }
  const refused = (code: 'denied' | 'bad-request' | 'payload-too-large' | 'not-found'): ActorOutcome => ({
    status: 'error',
    error: code,
  });
  if (ACCESS.includes(attack)) {
    answers.push(...outsiders.map(([, a]) => a));
    if (!turnedAway(answers, texts)) return { status: 'ok' };
    // Turned away, but someone outside a chat that exists is owed the document's answer, 403 `denied`: a 404
    // ("no such chat") is another status than the document gives (WIRE-001).
    const other = outsiders.find(([, a]) => a.status !== 403 || a.data?.error?.code !== 'denied');
    if (other)
      throw new WireFormatViolation(
        `${actor}: ${other[0]} on a chat ${actor} is not a member of answered ${other[1].status} ${String(other[1].data?.error?.code)}; specs/openapi.yaml answers a non-member 403 denied`,
      );
    return refused('denied');
  }
  const all = (status: number) => answers.every((a) => a.status === status);
  if (attack === 'malformed-json') return all(400) ? refused('bad-request') : { status: 'ok' };
  if (attack === 'oversized-body') return all(413) ? refused('payload-too-large') : { status: 'ok' };
  return all(404) ? refused('not-found') : { status: 'ok' };
}
