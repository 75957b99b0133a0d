/**
 * Hostile requests (the `probe` action, SEC-001…007) and what their answers mean. An access attack answered
 * 401, 403 or 404, with an error body that leaks none of the world's texts, was `denied`; malformed JSON
 * answered 400 is `bad-request`, an oversized body answered 413 `payload-too-large`, an unknown route answered
 * 404 `not-found`. Any other answer is `ok` — the attack got through — which the oracle's prediction then fails.
 * Every answer is still checked against the API document (WIRE-001).
 * Each attack is tried in its realistic forms, all of which must be refused: sending as a colleague and as the
 * other member of one's own chat; another world's and a deleted world's token on the event stream too (and a
 * stream open when its world is deleted must end); several kinds of broken JSON; an oversized body counted in
 * bytes of multi-byte text, and sent chunked without a Content-Length.
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
      // In a chat of the target's with someone else, and in the actor's own chat with the target (a member of a
      // chat is still not its other member): both refused.
      for (const chatId of new Set([partnerOf(world, target!, actor), actor])) {
        answers.push(await api.invoke('sendUserChatMessage', actor, { params: { userId: target!, chatId }, body }));
      }
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
      // A stream of the world open while it is deleted: it must end (openapi.yaml, deleteWorld).
      let open: OpenStream | undefined;
      try {
        await api.invoke('sendChatMessage', actor, {
          worldId: gone.id,
          token,
          params: { chatId: partner },
          body: { body: { contentType: 'text', content: text } },
        });
        open = await streamOf(api, actor, { worldId: gone.id, token });
      } finally {
        await ctx.deleteWorld(gone.id);
      }
      answers.push(await open!.ended(api.client.o.timeoutMs));
      answers.push(await api.invoke('listMyChats', actor, { worldId: gone.id, token }));
      answers.push(
        await api.invoke('listMyChatMessages', actor, { worldId: gone.id, token, params: { chatId: partner } }),
      );
      answers.push(await api.invoke('listMyChats', actor, { token }));
      answers.push(await openStream(api, actor, { worldId: gone.id, token }));
      answers.push(await openStream(api, actor, { token }));
      break;
    }
    case 'malformed-json':
      for (const rawBody of MALFORMED_BODIES)
        answers.push(
          await api.invoke('sendChatMessage', actor, { params: { chatId: partnerOf(world, actor, actor) }, rawBody }),
        );
      break;
    case 'oversized-body': {
      const params = { chatId: partnerOf(world, actor, actor) };
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
      const path = `/worlds/${encodeURIComponent(api.worldId)}/me/no-such-route-${Date.now().toString(36)}`;
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
  if (ACCESS.includes(attack)) return turnedAway(answers, texts) ? refused('denied') : { status: 'ok' };
  const all = (status: number) => answers.every((a) => a.status === status);
  if (attack === 'malformed-json') return all(400) ? refused('bad-request') : { status: 'ok' };
  if (attack === 'oversized-body') return all(413) ? refused('payload-too-large') : { status: 'ok' };
  return all(404) ? refused('not-found') : { status: 'ok' };
}

/** `body` sent as a stream of chunks (Transfer-Encoding: chunked), so that no Content-Length announces its size. */
async function sendChunked(
  api: WorldApi,
  as: string,
  opId: string,
  params: Record<string, string>,
  body: string,
): Promise<Answer> {
  const op = api.doc.operation(opId);
  const path = api.path(op, params);
  const what = api.describe(as, op.method, path);
  const bytes = Buffer.from(body, 'utf8');
  async function* chunks() {
    for (let at = 0; at < bytes.length; at += 8192) yield bytes.subarray(at, at + 8192);
  }
  const token = own(api.tokens, as);
  const a = await api.client.send(op.method, path, {
    what,
    redact: api.redact,
    body: chunks(),
    ...(token ? { token } : {}),
  });
  return api.checked(opId, { ...a, what });
}

interface OpenStream {
  /**
   * Whether the stream ended within `ms`, put as an answer: 404 (the world is gone for it: turned away) once it
   * has ended, 200 if it is still open (the attack got through). Either way it is closed afterwards.
   */
  ended(ms: number): Promise<Answer>;
}

/** Open `as`'s event stream (in another world, or with another token). Refused: the answer; 200: left open. */
async function streamOf(
  api: WorldApi,
  as: string,
  o: { worldId?: string; token?: string },
): Promise<OpenStream & { answer: Answer }> {
  const op = api.doc.operation('streamEvents');
  const path = api.path(op, {}, o.worldId);
  const what = api.describe(as, 'GET', path);
  const abort = new AbortController();
  const res = await api.client.stream(path, o.token ?? own(api.tokens, as) ?? '', abort.signal, {
    what,
    redact: api.redact,
  });
  if (res.statusCode !== 200) {
    const text = await res.body.text().catch(() => '');
    const answer = api.checked('streamEvents', {
      status: res.statusCode,
      contentType: String(res.headers['content-type'] ?? ''),
      text,
      what,
    });
    return { answer, ended: async () => answer };
  }
  // Open: read it to its end in the background (what it carries is not looked at; its being open is the breach).
  const end = (async () => {
    try {
      for await (const _ of res.body) {
        /* drained */
      }
    } catch {
      /* aborted or cut: ended either way */
    }
  })();
  return {
    answer: { status: 200, data: undefined },
    async ended(ms: number) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'open'>((resolve) => (timer = setTimeout(() => resolve('open'), ms)));
      const first = await Promise.race([end.then(() => 'ended' as const), late]);
      clearTimeout(timer);
      abort.abort();
      return first === 'ended' ? { status: 404, data: undefined } : { status: 200, data: undefined };
    },
  };
}

/** One attempt at opening an event stream: the refusal, or 200 (the stream is closed again at once). */
async function openStream(api: WorldApi, as: string, o: { worldId?: string; token?: string }): Promise<Answer> {
  const s = await streamOf(api, as, o);
  if (s.answer.status === 200) await s.ended(0);
  return s.answer;
}
