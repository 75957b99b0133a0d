/**
 * The served reference's world stream (specs/openapi.yaml 0.4.0, `streamWorldEvents`), on the wire: offered by
 * `POST /worlds`; one log per user with two views (the same per-user ids on the user's own stream and in the world
 * stream's id Dictionary); Last-Event-ID resuming every user at once, in emission order; what is sent there counts as
 * sent to the user; auth and a malformed header answered as documented; and each of its faulty variants visible
 * on the wire as what it claims to be.
 */
import t from 'tap';
import { request } from 'undici';
import { startService, type RunningService } from '../adapters/reference/http/server.js';
import type { World } from '../specs/protocol.js';
import { skype, teams, worldOf } from './fixtures/reference-world.js';
import { chatWith } from './fixtures/graph-chat.js';

const WORLD: World = worldOf(teams('tara'), skype('sam', { client: 'web' }));
const json = { 'content-type': 'application/json' };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function world(s: RunningService) {
  const made = await request(`${s.url}/worlds`, { method: 'POST', headers: json, body: JSON.stringify(WORLD) });
  const w = (await made.body.json()) as {
    id: string;
    tokens: Record<string, string>;
    controlToken: string;
    capabilities?: string[];
  };
  /** `from`'s message to the other one (the first makes their chat; the second, once accepted, is a message). */
  const send = async (from: 'tara' | 'sam', text: string) => {
    const chat = await chatWith(s.url, w.id, w.tokens[from]!, from, from === 'tara' ? 'sam' : 'tara');
    const r = await request(`${s.url}/worlds/${w.id}/v1.0/chats/${chat}/messages`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${w.tokens[from]}` },
      body: JSON.stringify({ body: { content: text } }),
    });
    await r.body.dump();
  };
  const accept = async () =>
    (
      await request(`${s.url}/worlds/${w.id}/interop/me/requests/tara/accept`, {
        method: 'POST',
        headers: { authorization: `Bearer ${w.tokens.sam}` },
      })
    ).body.dump();
  return { ...w, send, accept };
}

/** A stream, raw: each event as `id event to:text-or-marker`, as it comes. */
async function raw(s: RunningService, path: string, token: string, lastEventId?: string) {
  const res = await request(`${s.url}${path}`, {
    headers: {
      authorization: `Bearer ${token}`,
      ...(lastEventId !== undefined ? { 'last-event-id': lastEventId } : {}),
    },
  });
  const events: string[] = [];
  let pending = '';
  res.body.on('data', (c: Buffer) => {
    pending += c.toString();
    let end: number;
    while ((end = pending.indexOf('\n\n')) >= 0) {
      const frame = pending.slice(0, end).split('\n');
      pending = pending.slice(end + 2);
      const field = (k: string) => frame.find((l) => l.startsWith(`${k}: `))?.slice(k.length + 2);
      if (!field('event')) continue;
      const data = JSON.parse(field('data')!) as { to?: string; text?: string; marker?: string };
      events.push(`${field('id')} ${field('event')} ${data.to ?? '-'}:${data.text ?? data.marker}`);
    }
  });
  const until = async (n: number) => {
    for (let i = 0; i < 200 && events.length < n; i++) await pause(5);
    return events;
  };
  return { status: res.statusCode, headers: res.headers, events, until, close: () => res.body.destroy() };
}

t.test('POST /worlds offers the world stream; the not-offered variant offers none and does not serve it', async (t) => {
  const s = await startService();
  const plain = await startService({ faults: 'world-events-not-offered' });
  t.teardown(async () => {
    await s.close();
    await plain.close();
  });
  t.same((await world(s)).capabilities, ['world-events']);
  const w = await world(plain);
  t.equal(w.capabilities, undefined, 'absent: not offered');
  const r = await request(`${plain.url}/worlds/${w.id}/interop/events`, {
    headers: { authorization: `Bearer ${w.controlToken}` },
  });
  t.equal(r.statusCode, 404);
  t.equal(((await r.body.json()) as { error: { code: string } }).error.code, 'not-found');
});

t.test(
  "one log, two views: the world stream's ids name every user, the recipient's entry the id its own stream shows",
  async (t) => {
    const s = await startService();
    t.teardown(() => s.close());
    const w = await world(s);
    const everyone = await raw(s, `/worlds/${w.id}/interop/events`, w.controlToken);
    const sam = await raw(s, `/worlds/${w.id}/interop/me/events`, w.tokens.sam!);
    t.equal(everyone.status, 200);
    t.equal(everyone.headers['interop-event-cursor'], undefined, 'no event cursor: the control token is no user');
    await w.send('tara', 'one');
    await w.accept(); // delivers nothing
    await w.send('sam', 'two');
    await w.send('tara', 'three');
    t.same(await everyone.until(3), [
      'tara=0, sam=1 delivery sam:one',
      'tara=1, sam=1 delivery tara:two',
      'tara=1, sam=2 delivery sam:three',
    ]);
    t.same(await sam.until(2), ['1 delivery sam:one', '2 delivery sam:three'], "sam's own stream: the same ids");
    everyone.close();
    sam.close();
  },
);

t.test(
  "Last-Event-ID resumes every user at once: exactly each one's events after their entry, in emission order",
  async (t) => {
    const s = await startService();
    t.teardown(() => s.close());
    const w = await world(s);
    await w.send('tara', 'one');
    await w.accept();
    await w.send('sam', 'two');
    await w.send('tara', 'three');
    const all = await raw(s, `/worlds/${w.id}/interop/events`, w.controlToken);
    t.equal((await all.until(3)).length, 3, 'without the header: every log from the start');
    all.close();
    const after = await raw(s, `/worlds/${w.id}/interop/events`, w.controlToken, 'sam=1, tara=1');
    await w.send('sam', 'four');
    t.same(await after.until(2), ['tara=1, sam=2 delivery sam:three', 'tara=2, sam=2 delivery tara:four']);
    const left = await raw(s, `/worlds/${w.id}/interop/events`, w.controlToken, 'tara=2');
    t.same(
      await left.until(2),
      ['tara=2, sam=1 delivery sam:one', 'tara=2, sam=2 delivery sam:three'],
      'a user left out means 0',
    );
    await pause(30);
    t.same([after.events.length, left.events.length], [2, 2], 'nothing replayed, nothing more');
    after.close();
    left.close();
  },
);

t.test(
  "what the world stream is sent counts as sent to its user: sam's own stream opened later without Last-Event-ID starts after it",
  async (t) => {
    const s = await startService();
    t.teardown(() => s.close());
    const w = await world(s);
    const everyone = await raw(s, `/worlds/${w.id}/interop/events`, w.controlToken);
    await w.send('tara', 'one');
    await everyone.until(1);
    const sam = await raw(s, `/worlds/${w.id}/interop/me/events`, w.tokens.sam!);
    await w.send('tara', 'two');
    t.same(await sam.until(1), ['2 delivery sam:two']);
    // A sync marker: in the log of every user, since opening the world stream opens every user's.
    await request(`${s.url}/worlds/${w.id}/sync`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${w.controlToken}` },
      body: JSON.stringify({ marker: 'm1' }),
    }).then((r) => r.body.dump());
    t.same(
      (await everyone.until(4)).slice(2),
      ['tara=1, sam=2 sync tara:m1', 'tara=1, sam=3 sync sam:m1'],
      'a marker in each log, naming whose it is',
    );
    everyone.close();
    sam.close();
  },
);

t.test(
  'refused as documented: 401 for any token but the control token, 400 for a malformed Last-Event-ID',
  async (t) => {
    const s = await startService();
    t.teardown(() => s.close());
    const w = await world(s);
    const other = await world(s);
    const path = `/worlds/${w.id}/interop/events`;
    for (const [why, token] of [
      ["a user's token", w.tokens.tara!],
      ["another world's control token", other.controlToken],
      ['no token', ''],
    ] as const) {
      const r = await request(`${s.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      t.equal(r.statusCode, 401, why);
      t.equal(r.headers['www-authenticate'], 'Bearer realm="interop-conformance"', `${why}: as every 401`);
      t.equal(r.headers['interop-event-cursor'], undefined, `${why}: no cursor`);
      await r.body.dump();
    }
    for (const header of ['7', 'tara=1, bob=2', 'tara=x', '']) {
      const r = await request(`${s.url}${path}`, {
        headers: { authorization: `Bearer ${w.controlToken}`, 'last-event-id': header },
      });
      t.equal(r.statusCode, 400, `Last-Event-ID ${JSON.stringify(header)}`);
      await r.body.dump();
    }
    const post = await request(`${s.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.controlToken}` },
    });
    t.same([post.statusCode, post.headers.allow], [405, 'GET']);
    await post.body.dump();
    const gone = await request(`${s.url}/worlds/nope/interop/events`, {
      headers: { authorization: `Bearer ${w.controlToken}` },
    });
    t.equal(gone.statusCode, 404, 'an unknown world');
    await gone.body.dump();
  },
);

t.test('each faulty variant of the world stream shows on the wire as what it claims', async (t) => {
  const seen: Record<string, string[]> = {};
  for (const fault of [
    'world-events-wrong-recipient',
    'world-events-replayed-on-reconnect',
    'world-events-lost-on-reconnect',
    'world-events-own-numbering',
  ]) {
    const s = await startService({ faults: fault });
    t.teardown(() => s.close());
    const w = await world(s);
    const first = await raw(s, `/worlds/${w.id}/interop/events`, w.controlToken);
    await w.send('tara', 'one');
    await w.accept();
    await w.send('sam', 'hi');
    await first.until(2);
    first.close();
    await pause(30);
    await w.send('tara', 'two'); // while no world stream is open
    const again = await raw(
      s,
      `/worlds/${w.id}/interop/events`,
      w.controlToken,
      first.events[1]?.split(' delivery')[0], // its last id, as an EventSource sends it back
    );
    await w.send('tara', 'three');
    await again.until(fault.includes('replayed') ? 4 : fault.includes('lost') ? 1 : 2);
    await pause(30);
    seen[fault] = [...first.events, '|', ...again.events];
    again.close();
  }
  t.same(seen, {
    'world-events-wrong-recipient': [
      'tara=0, sam=1 delivery tara:one',
      'tara=1, sam=1 delivery sam:hi',
      '|',
      'tara=1, sam=2 delivery tara:two',
      'tara=1, sam=3 delivery tara:three',
    ],
    'world-events-replayed-on-reconnect': [
      'tara=0, sam=1 delivery sam:one',
      'tara=1, sam=1 delivery tara:hi',
      '|',
      'tara=0, sam=1 delivery sam:one',
      'tara=1, sam=1 delivery tara:hi',
      'tara=1, sam=2 delivery sam:two',
      'tara=1, sam=3 delivery sam:three',
    ],
    'world-events-lost-on-reconnect': [
      'tara=0, sam=1 delivery sam:one',
      'tara=1, sam=1 delivery tara:hi',
      '|',
      'tara=1, sam=3 delivery sam:three',
    ],
    'world-events-own-numbering': [
      'tara=0, sam=1 delivery sam:one',
      'tara=2, sam=1 delivery tara:hi',
      '|',
      'tara=2, sam=3 delivery sam:two',
      'tara=2, sam=4 delivery sam:three',
    ],
  });
});
