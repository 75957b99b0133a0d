/**
 * Event ids and resuming (specs/openapi.yaml, streamEvents): every event has an `id:` increasing along the user's
 * own log; a stream reopened with `Last-Event-ID` gets exactly the events after it — nothing replayed, nothing
 * lost. Checked on the served reference with raw requests, through the http adapter's `reconnect` (with a real
 * gap in which a delivery is made), and through the runner, which reopens every stream midway.
 * why-long: the service's ids, the adapter's resume and the runner's midway reopen are one contract (WIRE-003),
 *   checked over the same helpers (world, rawStream, GatedClient); split, each part would repeat them.
 */
import t from 'tap';
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { startService, type RunningService } from '../adapters/reference/http/server.js';
import { HttpClient, Redactor } from '../adapters/http/client.js';
import { UserEvents } from '../adapters/http/events.js';
import { ApiDocument } from '../adapters/http/schema.js';
import { createHttpAdapter } from '../adapters/http/adapter.js';
import type { World } from '../specs/protocol.js';
import { cli } from './support.js';
import { skype, teams, worldOf } from './fixtures/reference-world.js';
import { chatWith } from './fixtures/graph-chat.js';

const WORLD: World = worldOf(teams('tara'), skype('sam', { client: 'web' }));

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = { 'content-type': 'application/json' };

async function world(s: RunningService) {
  const made = await request(`${s.url}/worlds`, { method: 'POST', headers: json, body: JSON.stringify(WORLD) });
  const { id, tokens, controlToken } = (await made.body.json()) as {
    id: string;
    tokens: Record<string, string>;
    controlToken: string;
  };
  const chat = await chatWith(s.url, id, tokens.tara!, 'tara', 'sam');
  /** Tara's message to Sam; the answer's event cursor entry for Sam. */
  const send = async (text: string) => {
    const r = await request(`${s.url}/worlds/${id}/v1.0/chats/${chat}/messages`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${tokens.tara}` },
      body: JSON.stringify({ body: { contentType: 'text', content: text } }),
    });
    await r.body.dump();
    return Number(/\bsam=(\d+)/.exec(String(r.headers['interop-event-cursor']))?.[1]);
  };
  const sync = async (marker: string) =>
    (
      await request(`${s.url}/worlds/${id}/sync`, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${controlToken}` },
        body: JSON.stringify({ marker }),
      })
    ).body.dump();
  return { id, tokens, controlToken, send, sync };
}

/** sam's stream, raw: every event as {id, event, text-or-marker}, as it comes. */
async function rawStream(s: RunningService, id: string, token: string, lastEventId?: string) {
  const res = await request(`${s.url}/worlds/${id}/interop/me/events`, {
    headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
  });
  const events: { id: string; event: string; what: string }[] = [];
  let pending = '';
  res.body.on('data', (c: Buffer) => {
    pending += c.toString();
    let end: number;
    while ((end = pending.indexOf('\n\n')) >= 0) {
      const frame = pending.slice(0, end);
      pending = pending.slice(end + 2);
      const field = (k: string) =>
        frame
          .split('\n')
          .find((l) => l.startsWith(`${k}: `))
          ?.slice(k.length + 2);
      if (field('event')) {
        const data = JSON.parse(field('data')!) as { text?: string; marker?: string };
        events.push({ id: field('id')!, event: field('event')!, what: data.text ?? data.marker! });
      }
    }
  });
  const until = async (n: number) => {
    for (let i = 0; i < 200 && events.length < n; i++) await pause(5);
    return events;
  };
  return { events, until, close: () => res.body.destroy() };
}

t.test(
  'the service: ids increase along the log; Last-Event-ID resumes exactly after it, the gap included',
  async (t) => {
    const s = await startService();
    t.teardown(() => s.close());
    const w = await world(s);
    const first = await rawStream(s, w.id, w.tokens.sam!);
    await w.send('one');
    await w.send('two');
    await w.sync('m1');
    t.same(await first.until(3), [
      { id: '1', event: 'delivery', what: 'one' },
      { id: '2', event: 'delivery', what: 'two' },
      { id: '3', event: 'sync', what: 'm1' },
    ]);
    first.close();
    await pause(50);
    await w.send('three, while sam is away');
    const again = await rawStream(s, w.id, w.tokens.sam!, '3');
    await w.send('four');
    t.same(
      await again.until(2),
      [
        { id: '4', event: 'delivery', what: 'three, while sam is away' },
        { id: '5', event: 'delivery', what: 'four' },
      ],
      'what was missed, then the live ones: nothing replayed, nothing lost',
    );
    await pause(30);
    t.equal(again.events.length, 2, 'and nothing more');
    again.close();
  },
);

for (const [fault, seen] of [
  ['events-replayed-on-reconnect', ['one', 'm1', 'three', 'four']],
  ['events-lost-on-reconnect', ['four']],
] as const) {
  t.test(
    `the faulty service ${fault} is visible on the wire: after Last-Event-ID 2 sam gets ${seen.join(', ')}`,
    async (t) => {
      const s = await startService({ faults: fault });
      t.teardown(() => s.close());
      const w = await world(s);
      const first = await rawStream(s, w.id, w.tokens.sam!);
      await w.send('one');
      await w.sync('m1');
      await first.until(2);
      first.close();
      await pause(50);
      await w.send('three');
      const again = await rawStream(s, w.id, w.tokens.sam!, '2');
      await w.send('four');
      await again.until(seen.length);
      await pause(30);
      t.same(
        again.events.map((e) => e.what),
        seen,
      );
    },
  );
}

/** An HttpClient whose next event stream opens only when `release()` is called: a reconnect with a real gap. */
class GatedClient extends HttpClient {
  #gate: Promise<void> | undefined;
  hold(): () => void {
    let release!: () => void;
    this.#gate = new Promise((r) => (release = r));
    return () => release();
  }
  override async stream(...args: Parameters<HttpClient['stream']>): Promise<Dispatcher.ResponseData> {
    await this.#gate;
    return super.stream(...args);
  }
}

async function adapterGap(fault: string) {
  const s = await startService({ faults: fault });
  const w = await world(s);
  const client = new GatedClient({ url: s.url, timeoutMs: 2000 });
  const events = await UserEvents.open(
    client,
    ApiDocument.load(),
    `/worlds/${w.id}/interop/me/events`,
    'sam',
    w.tokens.sam!,
    new Redactor(),
  );
  // What the stream has once it reached the cursor of the last answer.
  const through = async (cursor: number) => {
    await events.reached(cursor, 2000);
    return events.drain().map((d) => d.text);
  };
  try {
    const before = [await w.send('before').then(through)];
    const release = client.hold();
    const reconnecting = events.reconnect();
    await pause(50); // the old connection is gone, the new one not yet open
    await w.send('during the gap');
    release();
    await reconnecting;
    const after = await through(await w.send('after'));
    return { before, after };
  } finally {
    events.close();
    await client.close();
    await s.close();
  }
}

t.test(
  'a reopened stream that took nothing says Last-Event-ID: 0, so a delivery sent to the dropped connection comes again (without the header it would not)',
  async (t) => {
    const s = await startService();
    t.teardown(() => s.close());
    const w = await world(s);
    // Sam's stream as the service sees it while the harness is dropping it: the delivery is written to it.
    const dropped = await rawStream(s, w.id, w.tokens.sam!);
    await w.send('sent to a connection about to go');
    await dropped.until(1);
    const bare = await rawStream(s, w.id, w.tokens.sam!);
    const zero = await rawStream(s, w.id, w.tokens.sam!, '0');
    await w.send('live');
    t.same(
      (await bare.until(1)).map((e) => e.what),
      ['live'],
      'no header: only what no stream was sent',
    );
    t.same(
      (await zero.until(2)).map((e) => e.what),
      ['sent to a connection about to go', 'live'],
      'after 0: the whole log',
    );
    for (const x of [dropped, bare, zero]) x.close();
    const sent: (string | undefined)[] = [];
    class Recording extends HttpClient {
      override stream(...args: Parameters<HttpClient['stream']>): Promise<Dispatcher.ResponseData> {
        sent.push(args[4]?.['last-event-id']);
        return super.stream(...args);
      }
    }
    const client = new Recording({ url: s.url, timeoutMs: 2000 });
    t.teardown(() => client.close());
    const path = `/worlds/${w.id}/interop/me/events`;
    const tara = await UserEvents.open(client, ApiDocument.load(), path, 'tara', w.tokens.tara!, new Redactor());
    await tara.reconnect();
    tara.close();
    t.same(sent, [undefined, '0'], 'the adapter: none on opening, 0 on reopening a stream that took nothing');
  },
);

t.test(
  'the adapter: reconnect resumes with Last-Event-ID — the delivery made during the gap arrives, nothing twice',
  async (t) => {
    const { before, after } = await adapterGap('');
    t.same(before, [['before']]);
    t.same(after, ['during the gap', 'after']);
  },
);

t.test(
  'the adapter does not hide a faulty service: a replayed event is a WIRE-003 violation, a lost one never comes',
  async (t) => {
    await t.rejects(
      adapterGap('events-replayed-on-reconnect'),
      {
        name: 'WireFormatViolation',
        requirement: 'WIRE-003',
        message: /sam.s event stream: a delivery event with the id 1 after the id 1;.*WIRE-003: an event replayed/,
      },
      'replayed: "before" (id 1) again',
    );
    t.same((await adapterGap('events-lost-on-reconnect')).after, ['after'], 'lost: the gap is gone');
  },
);

t.test('the http adapter session: reconnect then drain gives no duplicate, and the stream goes on', async (t) => {
  const s = await startService();
  t.teardown(() => s.close());
  const adapter = createHttpAdapter({ url: s.url });
  t.teardown(() => adapter.dispose());
  const session = await adapter.open(WORLD);
  await session.perform('tara', { kind: 'message', to: 'sam', text: 'Hello Sam' });
  t.same(
    (await session.drain('sam')).map((d) => d.text),
    ['Hello Sam'],
  );
  await session.reconnect!('sam');
  await session.reconnect!('tara');
  t.same(await session.drain('sam'), [], 'nothing replayed');
  await session.perform('tara', { kind: 'message', to: 'sam', text: 'Still there?' });
  t.same(
    (await session.drain('sam')).map((d) => d.text),
    ['Still there?'],
    'the reopened stream delivers',
  );
  await session.close();
  await t.rejects(session.reconnect!('sam'), /closed/, 'a closed session does not reconnect');
});

t.test(
  'a reconnect the service refuses (its world is gone) is an error naming the answer, and drain reports it after',
  async (t) => {
    const s = await startService();
    t.teardown(() => s.close());
    const w = await world(s);
    const client = new GatedClient({ url: s.url, timeoutMs: 2000 });
    t.teardown(() => client.close());
    const events = await UserEvents.open(
      client,
      ApiDocument.load(),
      `/worlds/${w.id}/interop/me/events`,
      'sam',
      w.tokens.sam!,
      new Redactor(),
    );
    const release = client.hold();
    const reconnecting = events.reconnect();
    await (
      await request(`${s.url}/worlds/${w.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${w.controlToken}` },
      })
    ).body.dump();
    release();
    await t.rejects(
      reconnecting,
      /sam's event stream: the service answered 404 application\/json.* instead of an event stream/,
    );
    t.throws(() => events.drain(), /answered 404/, 'the stream is known broken');
    await t.rejects(events.reconnect(), /answered 404/, 'and stays so');
  },
);

t.test(
  'through the runner (every stream reopened midway): the suite fails a service that replays on reconnect, at WIRE-003',
  async (t) => {
    const s = await startService({ faults: 'events-replayed-on-reconnect' });
    t.teardown(() => s.close());
    const r = await cli([
      'run',
      'scenarios/chat',
      '--adapter',
      'http',
      '--adapter-option',
      `url=${s.url}`,
      '--quiet',
      '--reporter',
      'json',
    ]);
    t.equal(r.code, 1);
    const report = r.report();
    const failed = report.scenarios.filter((x) => x.verdict === 'fail');
    // The three that pass deliver nothing before their midway reconnect: with no event to replay, a replaying
    // service is a conformant one there (0.2.0's sync markers gave them events to replay; the cursor adds none).
    t.same(
      report.scenarios.filter((x) => x.verdict !== 'fail').map((x) => `${x.id} ${x.verdict}`),
      [
        'chat/group-chat-refused-starts-no-request pass',
        'chat/refused-content-starts-no-request pass',
        'chat/tagged-first-message-starts-no-request pass',
      ],
      'the chat scenarios that deliver nothing before their midway reconnect',
    );
    t.equal(failed.length, 25, '25 of the 28 chat scenarios fail: each delivers something before its midway reconnect');
    t.ok(report.requirements.find((q) => q.id === 'WIRE-003')?.verdict === 'fail', 'WIRE-003 fails');
  },
);

t.test(
  'through the runner (every stream dropped before the midway action, reopened after it): the suite fails a service that loses what is delivered meanwhile, at WIRE-003',
  async (t) => {
    const s = await startService({ faults: 'events-lost-on-reconnect' });
    t.teardown(() => s.close());
    // A short deadline: each scenario waits it out for what never comes.
    const r = await cli([
      'run',
      'scenarios/chat',
      '--adapter',
      'http',
      '--adapter-option',
      `url=${s.url}`,
      '--deadline',
      '300',
      '--quiet',
      '--reporter',
      'json',
    ]);
    t.equal(r.code, 1);
    const report = r.report();
    const failed = report.scenarios.filter((x) => x.verdict === 'fail');
    t.equal(failed.length, 15, 'the 15 chat scenarios whose midway step delivers something fail; none is an error');
    t.equal(report.scenarios.filter((x) => x.verdict === 'error').length, 0);
    for (const x of failed) {
      t.ok(
        x.steps.some((st) =>
          st.mismatches.some((m) => m.requirements.includes('WIRE-003') && /lost on reconnect/.test(m.message)),
        ),
        `${x.id}: a delivery lost on reconnect, at WIRE-003`,
      );
    }
  },
);
