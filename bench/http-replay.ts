/**
 * For the bench: record every request the http adapter makes in a run, then replay the same requests with a bare
 * undici loop making the same waits: new worlds (their ids and tokens mapped onto the recorded ones), event streams
 * opened and scanned as raw text for their `id:` lines only (no SSE parsing), a stream closed where the harness
 * closed it, and after each answer that carries an `Interop-Event-Cursor` a wait until every stream of that world
 * still open has shown an id at or above its user's entry — the wait the adapter makes after every action (the
 * adapter waits once, after an action's last answer; waiting after each answer costs the loop no more, as the
 * entries only grow). A reopened stream (Last-Event-ID) is waited for until it reaches its user's last entry, as the
 * adapter's reconnect does. A world stream (`events=world`, document 0.4.0) is read the same way, its `id:` lines
 * being every user's position: it stands for every user of its world at once. Neither side has a settle window (the
 * bench runs the harness with 0).
 */
import { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { DISCONNECT_SETTLE_MS } from '../adapters/http/adapter.js';

export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** A body sent chunked (a probe's oversized one): its chunks, sent chunked again. */
  chunks?: Buffer[];
  /** The answer's text, kept for `POST /worlds` (ids and tokens to map). */
  answer?: string;
  /** An event stream: opened, read as raw text. */
  stream?: boolean;
  /** The status the service answered the harness (the replay counts the answers that differ). */
  status?: number;
  /** Not a request: the harness closed the `closes`th recorded stream here. */
  closes?: number;
}

/** A dispatcher that forwards to `pool` and records each request, and where each event stream is closed. */
export function recording(pool: Pool, into: Recorded[]): Dispatcher {
  let streams = 0;
  return {
    async request(opts: Dispatcher.RequestOptions) {
      const headers = (opts.headers ?? {}) as Record<string, string>;
      if (headers.accept === 'text/event-stream') {
        const n = streams++;
        into.push({ method: opts.method, path: opts.path, headers, stream: true });
        const signal = opts.signal as AbortSignal | undefined;
        signal?.addEventListener('abort', () =>
          into.push({ method: 'CLOSE', path: opts.path, headers: {}, closes: n }),
        );
        return pool.request(opts);
      }
      // A streamed body is read here, recorded and sent on as a stream of the same chunks.
      let chunks: Buffer[] | undefined;
      if (opts.body instanceof Readable) {
        chunks = [];
        for await (const c of opts.body) chunks.push(Buffer.from(c as Uint8Array));
        opts = { ...opts, body: Readable.from(chunks, { objectMode: false }) };
      }
      const res = await pool.request(opts);
      const text = await res.body.text();
      const isWorld = opts.method === 'POST' && /\/worlds$/.test(opts.path);
      into.push({
        method: opts.method,
        path: opts.path,
        headers,
        status: res.statusCode,
        ...(typeof opts.body === 'string' ? { body: opts.body } : {}),
        ...(chunks ? { chunks } : {}),
        ...(isWorld ? { answer: text } : {}),
      });
      return { ...res, body: { text: async () => text } };
    },
  } as unknown as Dispatcher;
}

/** How long the bare loop waits for a stream to reach a cursor before counting it missed (the adapter would fail). */
const CURSOR_WAIT_MS = 5000;

interface OpenStream {
  world: string;
  /** Its user; undefined: the world stream, every user's. */
  user: string | undefined;
  /** The highest `id:` seen on this stream, by user (a user stream: its user's only). */
  at: Map<string, number>;
  tail: string;
  waiters: { user: string; id: number; wake: () => void }[];
  close: () => void;
}

/** The users a stream carries, among those `entries` name. */
const carried = (s: OpenStream, entries: ReadonlyMap<string, number>): string[] =>
  s.user === undefined ? [...entries.keys()] : [s.user];

/** Each `user=N` member of a cursor or a world stream's id. */
const members = (text: string) =>
  [...text.matchAll(/([a-z][a-z0-9_-]*)=(\d+)/g)].map((m) => [m[1]!, Number(m[2])] as const);

/** Where `s` is behind `id` for `user`: a promise resolved when it gets there (or, counted missed, after CURSOR_WAIT_MS). */
function until(s: OpenStream, user: string, id: number, missed: () => void): Promise<void> | undefined {
  if ((s.at.get(user) ?? 0) >= id) return undefined;
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => (missed(), resolve()), CURSOR_WAIT_MS);
    s.waiters.push({ user, id, wake: () => (clearTimeout(timer), resolve()) });
  });
}

/** Every wait `s` owes `entries` (a world's cursor, as far as its answers went). */
const waitsOf = (s: OpenStream, entries: ReadonlyMap<string, number>, missed: () => void): Promise<void>[] =>
  carried(s, entries).flatMap((u) => until(s, u, entries.get(u) ?? 0, missed) ?? []);

/** Sends the recorded requests again, one after another, with the same waits. Returns the waits that were never met. */
export async function replay(
  origin: string,
  recorded: readonly Recorded[],
): Promise<{ missedCursors: number; otherAnswers: number }> {
  // Every event stream holds a connection until it is closed or its world deleted: enough connections that a
  // replayed request never waits behind open streams.
  const pool = new Pool(origin, { connections: 1024, pipelining: 1 });
  const ids = new Map<string, string>();
  const tokens = new Map<string, string>();
  /** The replay's user tokens → [world, user], for the streams they open. */
  const users = new Map<string, [string, string]>();
  /** World id → user → the highest cursor entry its answers gave. */
  const cursors = new Map<string, Map<string, number>>();
  const streams: (OpenStream | undefined)[] = [];
  let missedCursors = 0;
  const missed = () => void missedCursors++;
  let otherAnswers = 0;
  const deleted = new Set<string>();
  /** When a stream was last dropped in a live world (the adapter's `disconnect`), if no request was sent since. */
  let droppedAt: number | undefined;
  for (const r of recorded) {
    if (r.closes !== undefined) {
      const s = streams[r.closes];
      s?.close();
      streams[r.closes] = undefined;
      if (s && !deleted.has(s.world)) droppedAt = performance.now();
      continue;
    }
    // The adapter's next action waits for the service to see the drops go: so does the loop.
    if (droppedAt !== undefined && !r.stream) {
      const left = droppedAt + DISCONNECT_SETTLE_MS - performance.now();
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
      droppedAt = undefined;
    }
    let path = r.path;
    for (const [old, now] of ids) path = path.replace(old, now);
    const auth = r.headers.authorization?.replace('Bearer ', '');
    const headers = { ...r.headers, ...(auth ? { authorization: `Bearer ${tokens.get(auth) ?? auth}` } : {}) };
    const world = /^\/worlds\/([^/]+)/.exec(path)?.[1] ?? '';
    if (r.method === 'DELETE' && path === `/worlds/${world}`) deleted.add(world);
    const ac = new AbortController();
    const res = await pool.request({
      origin,
      method: r.method as Dispatcher.HttpMethod,
      path,
      headers,
      ...(r.body !== undefined ? { body: r.body } : {}),
      ...(r.chunks ? { body: Readable.from(r.chunks, { objectMode: false }) } : {}),
      ...(r.stream ? { bodyTimeout: 0, signal: ac.signal } : {}),
    });
    // A refused stream (a probe's bad token, another world's) is never waited for; it keeps its place in `streams`,
    // so that a later `closes` (a recorded stream's index) still names the stream it closed.
    if (r.stream && res.statusCode !== 200) {
      res.body.on('error', () => {}).resume();
      streams.push(undefined);
      continue;
    }
    if (r.stream) {
      // The world stream is opened with the control token, no user's: it carries them all.
      const user = /\/interop\/events$/.test(path)
        ? undefined
        : (users.get(headers.authorization?.replace('Bearer ', '') ?? '') ?? ['', ''])[1];
      // A reopened stream resumes after Last-Event-ID: that much its user (each user) has seen already.
      const resumed = r.headers['last-event-id'];
      const at = new Map(
        resumed === undefined ? [] : user === undefined ? members(resumed) : [[user, Number(resumed)] as const],
      );
      const open: OpenStream = { world, user, at, tail: '', waiters: [], close: () => ac.abort() };
      streams.push(open);
      res.body.setEncoding('utf8');
      res.body
        .on('error', () => {})
        .on('data', (chunk: string) => {
          // Only whole lines are read: the end of a line cut by the chunk waits for the next one.
          const text = open.tail + chunk;
          const cut = text.lastIndexOf('\n') + 1;
          open.tail = text.slice(cut);
          for (const m of text.slice(0, cut).matchAll(/^id: (.+)$/gm))
            if (user !== undefined) open.at.set(user, Number(m[1]));
            else for (const [u, n] of members(m[1]!)) open.at.set(u, n);
          if (!open.waiters.length) return;
          const reached = (w: { user: string; id: number }) => (open.at.get(w.user) ?? 0) >= w.id;
          const woken = open.waiters.filter(reached);
          open.waiters = open.waiters.filter((w) => !reached(w));
          for (const w of woken) w.wake();
        });
      // A reopened stream is waited for until it reaches its user's last entry (as the adapter's reconnect).
      if (resumed !== undefined) await Promise.all(waitsOf(open, cursors.get(world) ?? new Map(), missed));
      continue;
    }
    const text = await res.body.text();
    if (r.status !== undefined && res.statusCode !== r.status) otherAnswers++;
    const cursor = res.headers['interop-event-cursor'];
    if (typeof cursor === 'string') {
      const entries = cursors.get(world) ?? new Map<string, number>();
      cursors.set(world, entries);
      for (const [u, n] of members(cursor)) entries.set(u, Math.max(entries.get(u) ?? 0, n));
      await Promise.all(streams.flatMap((s) => (s?.world === world ? waitsOf(s, entries, missed) : [])));
    }
    if (r.answer) {
      const before = JSON.parse(r.answer) as { id: string; tokens: Record<string, string> };
      const after = JSON.parse(text) as { id: string; tokens: Record<string, string> };
      ids.set(before.id, after.id);
      // Every other string the answer issued is a credential (each user's token, the world's control token, which
      // sync and DELETE carry): the replay presents the new world's.
      for (const [old, now] of strings(before, after)) if (old !== before.id) tokens.set(old, now);
      for (const [user, token] of Object.entries(after.tokens)) users.set(token, [after.id, user]);
    }
  }
  for (const s of streams) s?.close();
  await pool.close();
  return { missedCursors, otherAnswers };
}

/** The strings found at the same place in two JSON values of the same shape, as [first's, second's] pairs. */
function strings(a: unknown, b: unknown): [string, string][] {
  if (typeof a === 'string' && typeof b === 'string') return [[a, b]];
  if (a && b && typeof a === 'object' && typeof b === 'object')
    return Object.keys(a).flatMap((k) => strings((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  return [];
}
