/**
 * The independent implementation's event cursor (openapi.yaml 0.3.0, `Interop-Event-Cursor`): where it is due and
 * where not, its form (the document's own pattern), what it counts (an action's own deliveries, as the streams show
 * them), never empty, never going down, never ahead of the streams. One scripted session a service; each check is a
 * function of the session, shown failing on the session of the catalogue's fault that breaks it (or on a doctored
 * session where no fault of the catalogue does), so that none can pass whatever the service does.
 */
import t, { type Test } from 'tap';
import { request } from 'undici';
import { readApiDocument } from '../specs/schemas/ajv.js';
import { startIndependent } from '../adapters/independent/index.js';
import { skype, teams, worldOf } from './fixtures/reference-world.js';

const WORLD = worldOf(teams('tara'), skype('sam'));
const USERS = ['tara', 'sam'];
const bind = (u: string) => ({ 'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${u}')` });
/** The document's form of the field (components.headers.InteropEventCursor), read from the document itself. */
const cursorHeader = (readApiDocument().components as Record<string, any>).headers.InteropEventCursor;
const PATTERN = new RegExp(cursorHeader.schema.pattern as string);

interface Answer {
  /** What was asked, and whether the document wants a cursor on its answer. */
  label: string;
  due: boolean;
  status: number;
  cursor: string | undefined;
}
interface Session {
  answers: Answer[];
  /** The highest event id each user's stream showed by the end. */
  streamed: Record<string, number>;
  /** sam's entry in the answer to tara's first message, and the id sam's stream gave that message. */
  firstDelivery: { entry: number; streamedId: number | undefined };
}

/** RFC 8941 Dictionary of Integers as the document allows it (no parameters): user → id; undefined if malformed. */
function parseCursor(field: string): Map<string, number> | undefined {
  const out = new Map<string, number>();
  for (const member of field.split(',').map((m) => m.trim())) {
    const m = /^([a-z][a-z0-9_-]*)=([0-9]{1,15})$/.exec(member);
    if (!m) return undefined;
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}

/** Read `user`'s stream, recording each event id and the id of the first `delivery`. */
async function stream(url: string, token: string, ids: number[], signal: AbortSignal): Promise<number> {
  const res = await request(url, { headers: { authorization: `Bearer ${token}` }, signal });
  ids.push(-res.statusCode); // the stream's own answer, kept apart (negative) to check it carries no cursor
  if (res.headers['interop-event-cursor'] !== undefined) ids.push(Number.NaN);
  let buf = '';
  res.body.on('data', (chunk: Buffer) => {
    buf += chunk.toString('utf8');
    for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
      const id = /^id: (\d+)/m.exec(buf.slice(0, i))?.[1];
      if (id) ids.push(Number(id));
      buf = buf.slice(i + 2);
    }
  });
  res.body.on('error', () => {});
  return res.statusCode;
}

/** One scripted session against a service with `defects` on. */
async function session(t: Test, defects: string[] = []): Promise<Session> {
  const service = await startIndependent({ defects: new Set(defects) });
  const ac = new AbortController();
  t.teardown(async () => (ac.abort(), await service.close()));
  const answers: Answer[] = [];
  const ask = async (label: string, due: boolean, url: string, method: string, token?: string, body?: string) => {
    const a = await request(url, {
      method: method as 'GET',
      body,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    });
    const text = await a.body.text();
    const cursor = a.headers['interop-event-cursor'];
    answers.push({ label, due, status: a.statusCode, cursor: Array.isArray(cursor) ? cursor.join(', ') : cursor });
    return text;
  };
  const created = JSON.parse(
    await ask('create a world', false, `${service.url}/worlds`, 'POST', undefined, JSON.stringify(WORLD)),
  );
  const { id, tokens, controlToken } = created as { id: string; tokens: Record<string, string>; controlToken: string };
  const W = `${service.url}/worlds/${id}`;
  await ask('list chats in a world with no event yet', true, `${W}/v1.0/me/chats`, 'GET', tokens.tara);
  const ids: Record<string, number[]> = { tara: [], sam: [] };
  for (const u of USERS) await stream(`${W}/interop/me/events`, tokens[u]!, ids[u]!, ac.signal);
  const members = ['tara', 'sam'].map(bind);
  const newChat = JSON.stringify({ chatType: 'oneOnOne', members });
  const chat = JSON.parse(await ask('create a chat', true, `${W}/v1.0/chats`, 'POST', tokens.tara, newChat)).id;
  const M = `${W}/v1.0/chats/${chat}/messages`;
  const CHATS = `${W}/v1.0/me/chats`;
  const say = (text: string) => JSON.stringify({ body: { content: text } });
  await ask("tara's first message (a request to sam)", true, M, 'POST', tokens.tara, say('hello'));
  await ask("sam's message before accepting (409)", true, M, 'POST', tokens.sam, say('too soon'));
  await ask('a body that is not JSON (400)', true, M, 'POST', tokens.tara, '{"body": oops');
  await ask('a method the path does not take (405)', true, CHATS, 'PUT', tokens.tara);
  await ask('no such route (404)', true, `${W}/v1.0/me/nothing-here`, 'GET', tokens.sam);
  await ask('a body over 64 KiB (413)', true, M, 'POST', tokens.tara, 'x'.repeat(70_000));
  await ask('accept the request', true, `${W}/interop/me/requests/tara/accept`, 'POST', tokens.sam, '{}');
  await ask("sam's answer", true, M, 'POST', tokens.sam, say('hi tara'));
  await ask("tara's second message", true, M, 'POST', tokens.tara, say('how are you'));
  await ask('a token not valid in this world (401)', false, CHATS, 'GET', 'not-a-token');
  await ask('no token (401)', false, CHATS, 'GET');
  const nowhere = `${service.url}/worlds/${'x'.repeat(22)}/v1.0/me/chats`;
  await ask('a world that does not exist (404)', false, nowhere, 'GET', tokens.tara);
  await new Promise((r) => setTimeout(r, 100)); // the streams' last events
  // Before the sync marker, whose event would lift every stream above what the answers counted.
  const streamed = Object.fromEntries(USERS.map((u) => [u, Math.max(0, ...ids[u]!)]));
  await ask('the deprecated sync (control plane)', false, `${W}/sync`, 'POST', controlToken, '{"marker":"m1"}');
  const first = answers.find((a) => a.label.startsWith("tara's first message"))!;
  const firstDelivery = {
    entry: parseCursor(first.cursor ?? '')?.get('sam') ?? 0,
    streamedId: ids.sam!.find((i) => i > 0),
  };
  await ask('delete the world (control plane)', false, W, 'DELETE', controlToken);
  // A stream's 200 that carried a cursor was recorded as NaN: an answer where none is due.
  for (const u of USERS)
    if (ids[u]!.some(Number.isNaN)) answers.push({ label: `${u}'s stream`, due: false, status: 200, cursor: '?' });
  return { answers, streamed, firstDelivery };
}

// ── the checks, as functions of a session ───────────────────────────────────────────────────────────────────

const missingWhereDue = (s: Session) => s.answers.filter((a) => a.due && a.cursor === undefined).map((a) => a.label);
const presentWhereNotDue = (s: Session) =>
  s.answers.filter((a) => !a.due && a.cursor !== undefined).map((a) => a.label);
const malformed = (s: Session) =>
  s.answers
    .filter((a) => a.cursor !== undefined && (!PATTERN.test(a.cursor) || !parseCursor(a.cursor)))
    .map((a) => `${a.label}: ${a.cursor}`);
const namingStrangers = (s: Session) =>
  s.answers.flatMap((a) =>
    [...(parseCursor(a.cursor ?? '') ?? [])].filter(([u]) => !USERS.includes(u)).map(([u]) => `${a.label}: ${u}`),
  );
/** An entry lower than an earlier answer's for the same user (a user left out counts 0). */
function goingDown(s: Session): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const a of s.answers) {
    const c = a.cursor === undefined ? undefined : parseCursor(a.cursor);
    if (!c) continue;
    for (const u of USERS) {
      const now = c.get(u) ?? 0;
      if (now < (seen.get(u) ?? 0)) out.push(`${a.label}: ${u}=${now} after ${seen.get(u)}`);
      seen.set(u, Math.max(now, seen.get(u) ?? 0));
    }
  }
  return out;
}
/** An entry above the last id the user's stream ever showed: a promise of an event that never comes. */
const aheadOfStreams = (s: Session) =>
  s.answers.flatMap((a) =>
    [...(parseCursor(a.cursor ?? '') ?? [])]
      .filter(([u, id]) => id > (s.streamed[u] ?? 0))
      .map(([u, id]) => `${a.label}: ${u}=${id}`),
  );

t.test('the cursor is on every answer to a valid token under a world, 4xx included, and nowhere else', async (t) => {
  const s = await session(t);
  t.same(
    s.answers.map((a) => [a.label, a.status]),
    [
      ['create a world', 201],
      ['list chats in a world with no event yet', 200],
      ['create a chat', 201],
      ["tara's first message (a request to sam)", 201],
      ["sam's message before accepting (409)", 409],
      ['a body that is not JSON (400)', 400],
      ['a method the path does not take (405)', 405],
      ['no such route (404)', 404],
      ['a body over 64 KiB (413)', 413],
      ['accept the request', 200],
      ["sam's answer", 201],
      ["tara's second message", 201],
      ['a token not valid in this world (401)', 401],
      ['no token (401)', 401],
      ['a world that does not exist (404)', 404],
      ['the deprecated sync (control plane)', 202],
      ['delete the world (control plane)', 204],
    ],
    'the session asked what it meant to (so the checks below are about these answers)',
  );
  t.same(missingWhereDue(s), [], 'due on 11 answers, carried by each');
  t.same(presentWhereNotDue(s), [], 'not on the control plane, a 401, an unknown world or a stream');
  const faulty = await session(t, ['event-cursor-missing-on-errors']);
  t.same(
    missingWhereDue(faulty),
    [
      "sam's message before accepting (409)",
      'a body that is not JSON (400)',
      'a method the path does not take (405)',
      'no such route (404)',
      'a body over 64 KiB (413)',
    ],
    'a service that leaves it off its refusals is caught',
  );
  t.same(
    missingWhereDue(await session(t, ['event-cursor-missing-on-reads'])),
    ['list chats in a world with no event yet', 'no such route (404)'],
    "a service that sets it on actions only is caught on the session's two GETs",
  );
  t.same(
    missingWhereDue(await session(t, ['event-cursor-missing-before-routing'])),
    ['a method the path does not take (405)', 'no such route (404)', 'a body over 64 KiB (413)'],
    'a service that adds it only where a route checks the credential is caught on the refusals before routing',
  );
  t.same(
    presentWhereNotDue(await session(t, ['event-cursor-on-unauthorized'])),
    ['a token not valid in this world (401)', 'no token (401)'],
    'a cursor on a 401 is caught',
  );
});

t.test("the cursor has the document's form, names only the world's users, and is never empty", async (t) => {
  const s = await session(t);
  t.equal(
    s.answers[1]!.cursor,
    'tara=0',
    'a world with no event yet names the asker as 0 (RFC 8941 sends no empty field)',
  );
  t.same(malformed(s), []);
  t.same(namingStrangers(s), []);
  t.same(malformed(await session(t, ['event-cursor-json'])).length, 11, 'a JSON object is caught on every answer');
  t.same(malformed(await session(t, ['event-cursor-string-ids'])).length, 11, 'sf-strings for ids are caught');
  const doctored = {
    ...s,
    answers: [
      { ...s.answers[1]!, cursor: '' },
      { ...s.answers[2]!, cursor: 'bob=1' },
    ],
  };
  t.same(malformed(doctored), ['list chats in a world with no event yet: '], 'an empty field is caught');
  t.same(namingStrangers(doctored), ['create a chat: bob'], 'a key naming no user of the world is caught');
});

t.test(
  "an action's answer counts the deliveries the action made, as the recipient's stream numbers them",
  async (t) => {
    const s = await session(t);
    t.same(
      s.firstDelivery,
      { entry: 1, streamedId: 1 },
      "sam's entry is the id sam's stream gave tara's first message",
    );
    for (const fault of ['event-cursor-computed-on-arrival', 'event-cursor-one-behind', 'event-cursor-actor-only'])
      t.same((await session(t, [fault])).firstDelivery, { entry: 0, streamedId: 1 }, `${fault} is caught`);
  },
);

t.test('no entry goes down along the answers, and none runs ahead of what the streams show', async (t) => {
  const s = await session(t);
  t.same(
    s.streamed,
    { tara: 1, sam: 2 },
    'the streams showed their 3 events (the checks below have something to hold)',
  );
  t.same(goingDown(s), []);
  t.same(aheadOfStreams(s), []);
  t.same(
    goingDown(await session(t, ['event-cursor-actor-only'])),
    [
      'a body that is not JSON (400): sam=0 after 1',
      'a method the path does not take (405): sam=0 after 1',
      'a body over 64 KiB (413): sam=0 after 1',
      "tara's second message: sam=0 after 1",
    ],
    'a cursor of the asker alone reads as the other user going back to 0: caught',
  );
  t.same(
    aheadOfStreams(await session(t, ['event-cursor-next-id'])),
    ["sam's answer: tara=2", "tara's second message: tara=2", "tara's second message: sam=3"],
    'a cursor one ahead is caught once a stream has stopped growing',
  );
  t.equal(
    aheadOfStreams(await session(t, ['event-cursor-world-sequence'])).length,
    11,
    "the world's sequence for every user is caught: 11 entries ahead of their streams",
  );
});
