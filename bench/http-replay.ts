/**
 * For the bench: record every request the http adapter makes in a run, then replay the same requests with a bare
 * undici loop making the same waits: new worlds (their ids and tokens mapped onto the recorded ones), event streams
 * opened and scanned as raw text (no SSE parsing), a stream closed where the harness closed it, and after each
 * `POST /worlds/{id}/sync` a wait until its marker has come through every stream of that world still open — the
 * wait the adapter makes after every action. Neither side has a settle window (the bench runs the harness with 0).
 */
import { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';

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

/** How long the bare loop waits for a marker before counting it missed (the adapter's timeout would fail the step). */
const MARKER_WAIT_MS = 5000;

interface OpenStream {
  world: string;
  tail: string;
  waiters: Map<string, () => void>;
  close: () => void;
}

/** Sends the recorded requests again, one after another, with the same waits. Returns the markers that never came. */
export async function replay(
  origin: string,
  recorded: readonly Recorded[],
): Promise<{ missedMarkers: number; otherAnswers: number }> {
  // Every event stream holds a connection until it is closed or its world deleted: enough connections that a
  // replayed request never waits behind open streams.
  const pool = new Pool(origin, { connections: 1024, pipelining: 1 });
  const ids = new Map<string, string>();
  const tokens = new Map<string, string>();
  const streams: (OpenStream | undefined)[] = [];
  let missedMarkers = 0;
  let otherAnswers = 0;
  for (const r of recorded) {
    if (r.closes !== undefined) {
      streams[r.closes]?.close();
      streams[r.closes] = undefined;
      continue;
    }
    let path = r.path;
    for (const [old, now] of ids) path = path.replace(old, now);
    const auth = r.headers.authorization?.replace('Bearer ', '');
    const headers = { ...r.headers, ...(auth ? { authorization: `Bearer ${tokens.get(auth) ?? auth}` } : {}) };
    const world = /^\/worlds\/([^/]+)/.exec(path)?.[1] ?? '';
    const sync = r.method === 'POST' && /^\/worlds\/[^/]+\/sync$/.test(path);
    const marker = sync ? (JSON.parse(r.body ?? '{}') as { marker?: string }).marker : undefined;
    const waits = marker
      ? streams
          .filter((s): s is OpenStream => s?.world === world)
          .map(
            (s) =>
              new Promise<void>((resolve) => {
                const timer = setTimeout(() => (missedMarkers++, s.waiters.delete(marker), resolve()), MARKER_WAIT_MS);
                s.waiters.set(marker, () => (clearTimeout(timer), resolve()));
              }),
          )
      : [];
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
    // A refused stream (a probe's bad token, another world's) carries no marker: nothing waits on it.
    if (r.stream && res.statusCode !== 200) {
      res.body.on('error', () => {}).resume();
      continue;
    }
    if (r.stream) {
      const open: OpenStream = { world, tail: '', waiters: new Map(), close: () => ac.abort() };
      streams.push(open);
      res.body.setEncoding('utf8');
      res.body
        .on('error', () => {})
        .on('data', (chunk: string) => {
          // A marker may straddle two chunks: the end of the previous one is kept.
          const text = open.tail + chunk;
          open.tail = text.slice(-64);
          for (const [m, wake] of open.waiters)
            if (text.includes(m)) {
              open.waiters.delete(m);
              wake();
            }
        });
      continue;
    }
    const text = await res.body.text();
    if (r.status !== undefined && res.statusCode !== r.status) otherAnswers++;
    await Promise.all(waits);
    if (r.answer) {
      const before = JSON.parse(r.answer) as { id: string; tokens: Record<string, string> };
      const after = JSON.parse(text) as { id: string; tokens: Record<string, string> };
      ids.set(before.id, after.id);
      // Every other string the answer issued is a credential (each user's token, the world's control token, which
      // sync and DELETE carry): the replay presents the new world's.
      for (const [old, now] of strings(before, after)) if (old !== before.id) tokens.set(old, now);
    }
  }
  for (const s of streams) s?.close();
  await pool.close();
  return { missedMarkers, otherAnswers };
}

/** The strings found at the same place in two JSON values of the same shape, as [first's, second's] pairs. */
function strings(a: unknown, b: unknown): [string, string][] {
  if (typeof a === 'string' && typeof b === 'string') return [[a, b]];
  if (a && b && typeof a === 'object' && typeof b === 'object')
    return Object.keys(a).flatMap((k) => strings((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  return [];
}
