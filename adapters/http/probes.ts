/**
 * Hostile requests (the `probe` action, SEC-001…007) and what their answers mean. An access attack answered
 * 401, 403 or 404, with an error body that leaks none of the world's texts, was `denied`; malformed JSON
 * answered 400 is `bad-request`, an oversized body answered 413 `payload-too-large`, an unknown route answered
 * 404 `not-found`. Any other answer is `ok` — the attack got through — which the oracle's prediction then fails.
 * Every answer is still checked against the API document (WIRE-001).
 */
import { WireFormatViolation } from '../adapter.js';
import type { ActorOutcome, Attack, Person, World } from '../../specs/protocol.js';
import { jsonOf } from './client.js';
import type { Answer, WorldApi } from './api.js';
import { ERROR_SCHEMA_OF } from './schema.js';

export interface ProbeContext {
  api: WorldApi;
  world: World;
  /** Texts sent in this world so far: none may appear in an answer that turns an attacker away. */
  texts: ReadonlySet<string>;
  /** Create another world like this one; the caller deletes it with `deleteWorld`. */
  openWorld(): Promise<{ id: string; tokens: Record<string, string> }>;
  deleteWorld(id: string): Promise<void>;
}

/** The SEC-005 limit: one byte more is refused. */
export const BODY_LIMIT = 64 * 1024;
const ACCESS: readonly Attack[] = ['read-other-chats', 'act-as-other-user', 'reach-other-world', 'use-deleted-world-token'];

const persons = (w: World): Person[] => Object.values(w.users).filter((u): u is Person => u.kind !== 'admin');
/** `record[key]` if `record` has it as its own: a name like `constructor` or `__proto__` never reaches Object's members. */
const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

/** Someone `target` could chat with: a person of the other platform, the actor if possible. */
function partnerOf(w: World, target: string, actor: string): string {
  const t = own(w.users, target);
  const others = persons(w).filter((p) => p.name !== target && (t?.kind === 'admin' || p.kind !== t?.kind));
  return (others.find((p) => p.name === actor) ?? others[0])?.name ?? actor;
}

function leaks(a: Answer, texts: ReadonlySet<string>): boolean {
  const body = JSON.stringify(a.data ?? '');
  return [...texts].some((t) => t.length >= 6 && body.includes(JSON.stringify(t).slice(1, -1)));
}

const turnedAway = (answers: Answer[], texts: ReadonlySet<string>) => answers.every((a) => [401, 403, 404].includes(a.status) && !leaks(a, texts));

export async function probe(ctx: ProbeContext, actor: string, attack: Attack, target: string | undefined): Promise<ActorOutcome> {
  const { api, world } = ctx;
  const answers: Answer[] = [];
  const texts = new Set(ctx.texts);
  switch (attack) {
    case 'read-other-chats': {
      const owner = target!;
      answers.push(await api.invoke('listUserChats', actor, { params: { userId: owner } }));
      for (const p of persons(world).filter((p) => p.name !== owner)) {
        answers.push(await api.invoke('listUserChatMessages', actor, { params: { userId: owner, chatId: p.name } }));
      }
      break;
    }
    case 'act-as-other-user': {
      const body = { body: { contentType: 'text', content: `Written by ${actor}, signed ${target}` } };
      answers.push(await api.invoke('sendUserChatMessage', actor, { params: { userId: target!, chatId: partnerOf(world, target!, actor) }, body }));
      break;
    }
    case 'reach-other-world': {
      const other = await ctx.openWorld();
      try {
        // The other world's token against this world, and this world's token against the other.
        answers.push(await api.invoke('listMyChats', actor, { token: own(other.tokens, actor) ?? '' }));
        answers.push(await api.invoke('listMyChats', actor, { worldId: other.id }));
      } finally {
        await ctx.deleteWorld(other.id);
      }
      break;
    }
    case 'use-deleted-world-token': {
      // A world like this one, used a little (so it has something to leak), then deleted: its token must be
      // turned away in its own routes and in this world's (SEC-007).
      const gone = await ctx.openWorld();
      const token = own(gone.tokens, actor) ?? '';
      const partner = partnerOf(world, actor, actor);
      const text = `Before ${actor}'s world was deleted`;
      texts.add(text);
      try {
        await api.invoke('sendChatMessage', actor, { worldId: gone.id, token, params: { chatId: partner }, body: { body: { contentType: 'text', content: text } } });
      } finally {
        await ctx.deleteWorld(gone.id);
      }
      answers.push(await api.invoke('listMyChats', actor, { worldId: gone.id, token }));
      answers.push(await api.invoke('listMyChatMessages', actor, { worldId: gone.id, token, params: { chatId: partner } }));
      answers.push(await api.invoke('listMyChats', actor, { token }));
      break;
    }
    case 'malformed-json':
      answers.push(await api.invoke('sendChatMessage', actor, { params: { chatId: partnerOf(world, actor, actor) }, rawBody: '{"body": {"contentType": "text", "content": "unterminated' }));
      break;
    case 'oversized-body': {
      const envelope = JSON.stringify({ body: { contentType: 'text', content: '' } });
      const content = 'x'.repeat(BODY_LIMIT + 1 - envelope.length);
      answers.push(await api.invoke('sendChatMessage', actor, { params: { chatId: partnerOf(world, actor, actor) }, body: { body: { contentType: 'text', content } } }));
      break;
    }
    case 'unknown-route': {
      const path = `/worlds/${encodeURIComponent(api.worldId)}/me/no-such-route-${Date.now().toString(36)}`;
      const a = await api.raw(actor, 'GET', path);
      const data = jsonOf(a, a.what, api.redact);
      const schema = ERROR_SCHEMA_OF[a.status];
      if (a.status >= 400 && !schema) throw new WireFormatViolation(`${a.what} answered ${a.status}, a status specs/openapi.yaml gives no error`);
      if (schema) api.doc.expect(schema, data, `${a.what} answered ${a.status}`);
      answers.push({ status: a.status, data });
      break;
    }
  }
  const refused = (code: 'denied' | 'bad-request' | 'payload-too-large' | 'not-found'): ActorOutcome => ({ status: 'error', error: code });
  if (ACCESS.includes(attack)) return turnedAway(answers, texts) ? refused('denied') : { status: 'ok' };
  const [a] = answers as [Answer];
  if (attack === 'malformed-json') return a.status === 400 ? refused('bad-request') : { status: 'ok' };
  if (attack === 'oversized-body') return a.status === 413 ? refused('payload-too-large') : { status: 'ok' };
  return a.status === 404 ? refused('not-found') : { status: 'ok' };
}
