/**
 * The independent implementation's world stream (openapi.yaml 0.4.0, `streamWorldEvents`): offered on every world,
 * opened with the control token only, two views of one log per user (the same events, data and per-user ids as the
 * users' own streams), ids in the document's Dictionary form, resumed exactly from a Last-Event-ID (a user left
 * out: from 0) in the order the service emitted the events, what it shows counted as sent, and ended with its
 * world. One scripted session a service; each check is a function of the session, shown failing on the session
 * of the catalogue's fault that breaks it (or on a doctored session where none does).
 */
import t, { type Test } from 'tap';
import { request } from 'undici';
import { readApiDocument } from '../specs/schemas/ajv.js';
import { startIndependent } from '../adapters/independent/index.js';
import { skype, teams, worldOf } from './fixtures/reference-world.js';

const WORLD = worldOf(teams('tara'), skype('sam'), skype('sue'), skype('sid'));
const schemas = (readApiDocument().components as Record<string, any>).schemas;
/** The document's form of a world stream id (components.schemas.WorldEventId), read from the document itself. */
const ID_FORM = new RegExp(schemas.WorldEventId.pattern as string);
const bind = (u: string) => ({ 'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${u}')` });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Shown {
  id: string;
  event: string;
  /** The data without `deliveredAt`, which both views give alike anyway. */
  data: string;
}
interface Reader {
  status: number;
  headers: Record<string, unknown>;
  shown: Shown[];
  ended: boolean;
  stop(): void;
}
interface Session {
  capabilities: unknown;
  /** label → status (and whether a cursor or WWW-Authenticate came with it). */
  probes: Record<string, string>;
  /** Each user's own stream, open throughout. */
  own: Record<string, Shown[]>;
  fresh: Shown[];
  /** The header the resumed stream was opened with, the texts sent in order (to whom), and what it showed. */
  resumedFrom: Map<string, number>;
  sent: { to: string; text: string }[];
  resumed: Shown[];
  /** sid's own stream, opened without Last-Event-ID after the world stream showed sid's delivery. */
  sidLater: Shown[];
  endedWithWorld: boolean;
}

async function read(url: string, token: string | undefined, last?: string): Promise<Reader> {
  const ac = new AbortController();
  const headers = {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(last ? { 'last-event-id': last } : {}),
  };
  const res = await request(url, { headers, signal: ac.signal });
  const r: Reader = { status: res.statusCode, headers: res.headers, shown: [], ended: false, stop: () => ac.abort() };
  let buf = '';
  res.body.on('data', (chunk: Buffer) => {
    buf += chunk.toString('utf8');
    for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const id = /^id: (.*)$/m.exec(block)?.[1];
      const data = (/^data: (.*)$/m.exec(block)?.[1] ?? '').replace(/,"deliveredAt":\d+/, '');
      if (id !== undefined) r.shown.push({ id, event: /^event: (.*)$/m.exec(block)?.[1] ?? '', data });
    }
  });
  res.body.on('end', () => (r.ended = true));
  res.body.on('error', () => {});
  return r;
}

async function session(t: Test, defects: string[] = []): Promise<Session> {
  const service = await startIndependent({ defects: new Set(defects) });
  const readers: Reader[] = [];
  t.teardown(async () => (readers.forEach((r) => r.stop()), await service.close()));
  const create = async () => {
    const res = await request(`${service.url}/worlds`, { method: 'POST', body: JSON.stringify(WORLD) });
    return (await res.body.json()) as { id: string; tokens: Record<string, string>; controlToken: string } & {
      capabilities?: unknown;
    };
  };
  const a = await create();
  const b = await create();
  const A = `${service.url}/worlds/${a.id}`;
  const EVENTS = `${A}/interop/events`;
  const probes: Record<string, string> = {};
  for (const [label, url, token, last] of [
    ['the control token', EVENTS, a.controlToken],
    ['no token', EVENTS, undefined],
    ["a user's token", EVENTS, a.tokens.tara],
    ["another world's control token", EVENTS, b.controlToken],
    ['an unknown world', `${service.url}/worlds/${'x'.repeat(22)}/interop/events`, a.controlToken],
    ['not a world event id', EVENTS, a.controlToken, '7'],
    ['a user not in the world', EVENTS, a.controlToken, 'tara=1, bob=1'],
  ] as [string, string, string | undefined, string?][]) {
    const r = await read(url, token, last);
    r.stop();
    const extra = `${r.headers['interop-event-cursor'] ? ' cursor' : ''}${r.headers['www-authenticate'] ? ' www-authenticate' : ''}`;
    probes[label] = `${r.status}${extra}`;
  }
  const own = {
    sam: await read(`${A}/interop/me/events`, a.tokens.sam),
    sue: await read(`${A}/interop/me/events`, a.tokens.sue),
  };
  const fresh = await read(EVENTS, a.controlToken);
  readers.push(own.sam, own.sue, fresh);
  const sent: Session['sent'] = [];
  const chats = new Map<string, string>();
  const say = async (to: string, text: string) => {
    const auth = { authorization: `Bearer ${a.tokens.tara}`, 'content-type': 'application/json' };
    if (!chats.has(to)) {
      const body = JSON.stringify({ chatType: 'oneOnOne', members: [bind('tara'), bind(to)] });
      const chat = await request(`${A}/v1.0/chats`, { method: 'POST', headers: auth, body });
      chats.set(to, ((await chat.body.json()) as { id: string }).id);
    }
    const body = JSON.stringify({ body: { content: text } });
    const res = await request(`${A}/v1.0/chats/${chats.get(to)}/messages`, { method: 'POST', headers: auth, body });
    await res.body.text();
    sent.push({ to, text });
    await pause(10);
  };
  // sue first, sam then: the world's order of users is tara, sam, sue, sid.
  await say('sue', 'one');
  await say('sam', 'two');
  await say('sue', 'three');
  await say('sid', 'to sid, who has no stream of their own');
  await pause(50);
  fresh.stop();
  await say('sue', 'while no world stream is open');
  await say('sam', 'to sam while no world stream is open');
  // Resumed from sam's entry alone: sue and sid are left out, so from 0.
  const resumedFrom = new Map([['sam', 1]]);
  const resumed = await read(EVENTS, a.controlToken, 'sam=1');
  readers.push(resumed);
  await say('sam', 'live, once resumed');
  const sidLater = await read(`${A}/interop/me/events`, a.tokens.sid);
  readers.push(sidLater);
  await pause(50);
  await request(A, { method: 'DELETE', headers: { authorization: `Bearer ${a.controlToken}` } });
  await pause(50);
  return {
    capabilities: a.capabilities,
    probes,
    own: { sam: own.sam.shown, sue: own.sue.shown },
    fresh: fresh.shown,
    resumedFrom,
    sent,
    resumed: resumed.shown,
    sidLater: sidLater.shown,
    endedWithWorld: resumed.ended,
  };
}

// ── the checks, as functions of a session ───────────────────────────────────────────────────────────────────

const USERS = Object.keys(WORLD.users);
function parseId(id: string): Map<string, number> | undefined {
  if (!ID_FORM.test(id)) return undefined;
  return new Map(id.split(/[ \t]*,[ \t]*/).map((m) => [m.split('=')[0]!, Number(m.split('=')[1])]));
}
const recipient = (e: Shown) => (JSON.parse(e.data) as { to: string }).to;

const offerWrong = (s: Session) =>
  JSON.stringify(s.capabilities) === '["world-events"]' ? [] : [`capabilities ${JSON.stringify(s.capabilities)}`];
const WANTED: Record<string, string> = {
  'the control token': '200',
  'no token': '401 www-authenticate',
  "a user's token": '401 www-authenticate',
  "another world's control token": '401 www-authenticate',
  'an unknown world': '404',
  'not a world event id': '400',
  'a user not in the world': '400',
};
const probesWrong = (s: Session) =>
  Object.entries(WANTED)
    .filter(([k, v]) => s.probes[k] !== v)
    .map(([k, v]) => `${k}: ${s.probes[k]}, not ${v}`);
/**
 * For each user with a stream of their own: its (id, data) pairs against the fresh world stream's (recipient entry,
 * data), as far as the world stream went (the own streams stayed open after it closed).
 */
const viewsDiffer = (s: Session) =>
  Object.entries(s.own).flatMap(([u, mine]) => {
    const world = s.fresh.filter((e) => recipient(e) === u).map((e) => `${parseId(e.id)?.get(u)} ${e.data}`);
    const own = mine.slice(0, world.length).map((e) => `${e.id} ${e.data}`);
    return JSON.stringify(world) === JSON.stringify(own) ? [] : [`${u}: ${own.join(' | ')} ≠ ${world.join(' | ')}`];
  });
/** Along one stream: the form, only the recipient's entry moving (up), none going down, none left out once above 0. */
function idsWrong(shown: Shown[], from = new Map<string, number>()): string[] {
  const at = new Map(from);
  const out: string[] = [];
  for (const e of shown) {
    const id = parseId(e.id);
    if (!id || [...id.keys()].some((u) => !USERS.includes(u))) {
      out.push(`not a world event id: ${e.id}`);
      continue;
    }
    for (const u of USERS) {
      const was = at.get(u) ?? 0;
      const now = id.get(u) ?? 0;
      if (u === recipient(e) ? now <= was : now !== was) out.push(`${e.id}: ${u} from ${was} to ${now}`);
      at.set(u, now);
    }
  }
  return out;
}
/** The resumed stream: exactly each user's events after their entry (left out: 0), in the order they were sent. */
function resumeWrong(s: Session): string[] {
  const count = new Map<string, number>();
  const wanted = s.sent
    .map(({ to, text }) => ({ to, text, id: count.set(to, (count.get(to) ?? 0) + 1).get(to)! }))
    .filter((e) => e.id > (s.resumedFrom.get(e.to) ?? 0))
    .map((e) => `${e.to}: ${e.text}`);
  const got = s.resumed.map((e) => `${recipient(e)}: ${(JSON.parse(e.data) as { text: string }).text}`);
  return JSON.stringify(got) === JSON.stringify(wanted) ? [] : [`got ${got.join(' | ')}; wanted ${wanted.join(' | ')}`];
}
/** Every event on the world stream names its recipient, a user of the world, in `to`, live or caught up. */
const recipientsWrong = (s: Session) =>
  [...s.fresh, ...s.resumed].filter((e) => !USERS.includes(recipient(e))).map((e) => `no user's: ${e.data}`);
const sentAgain = (s: Session) => s.sidLater.map((e) => `sid's own stream: ${e.data}`);
const outlived = (s: Session) => (s.endedWithWorld ? [] : ['the resumed world stream stayed open after DELETE']);

t.test('the conformant service passes every check of its world stream', async (t) => {
  const s = await session(t);
  t.same(offerWrong(s), [], 'capabilities: ["world-events"] on POST /worlds');
  t.same(
    probesWrong(s),
    [],
    'the control token opens it, no other (401 with WWW-Authenticate); 404, 400 for a bad id; no cursor',
  );
  t.equal(s.fresh.length, 4, 'the fresh stream showed the 4 deliveries made while it was open');
  t.same(viewsDiffer(s), [], "each user's events on the world stream are their own stream's, ids and data alike");
  t.same(idsWrong(s.fresh), [], 'the fresh stream: ids in the form, only the recipient moving up');
  t.same(idsWrong(s.resumed, s.resumedFrom), [], 'the resumed stream too, from its Last-Event-ID');
  t.equal(s.resumed.length, 6, "sue's 3 and sid's 1 (left out: from 0), and sam's 2 after sam=1");
  t.same(resumeWrong(s), [], 'resumed exactly, in the order the service emitted the events');
  t.same(recipientsWrong(s), [], 'every event names its recipient, caught up or live');
  t.same(sentAgain(s), [], 'what the world stream showed counts as sent to its user');
  t.same(outlived(s), [], 'deleting the world ends its world stream');
});

t.test('each check catches the fault of the catalogue that breaks it', async (t) => {
  const caught = async (fault: string, check: (s: Session) => string[]) =>
    t.not(check(await session(t, [fault])).length, 0, `${fault} is caught`);
  await caught('world-events-capability-repeated', offerWrong);
  await caught('world-stream-offered-not-served', probesWrong);
  await caught('world-stream-accepts-user-token', probesWrong);
  await caught('world-stream-control-token-any-world', probesWrong);
  await caught('world-stream-bad-last-event-id-from-start', probesWrong);
  await caught('world-stream-id-names-recipient-only', (s) => idsWrong(s.resumed, s.resumedFrom));
  await caught('world-stream-ids-per-connection', (s) => idsWrong(s.resumed, s.resumedFrom));
  await caught('world-stream-catch-up-by-user', resumeWrong);
  await caught('world-stream-resume-left-out-users-live-only', resumeWrong);
  await caught('world-stream-resume-first-member-for-all', resumeWrong);
  await caught('world-stream-not-counted-as-sent', sentAgain);
  await caught('world-stream-catch-up-without-to', recipientsWrong);
  await caught('world-stream-outlives-deleted-world', outlived);
  // No fault of the catalogue numbers a fresh world stream apart from the users' own streams: a doctored session.
  const s = await session(t);
  const shifted = s.fresh.map((e) => ({ ...e, id: e.id.replace(/=(\d+)/g, (_, n: string) => `=${Number(n) + 1}`) }));
  t.not(viewsDiffer({ ...s, fresh: shifted }).length, 0, 'ids unlike the own streams are caught');
});
