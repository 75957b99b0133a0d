/**
 * For the bench: record every request the http adapter makes in a run, then replay the same requests with a bare
 * undici loop (new worlds, their ids and tokens mapped onto the recorded ones; event streams opened and drained
 * without parsing until their world is deleted), so the harness over HTTP can be compared with the bare cost of the same
 * requests.
 */
import { Pool, type Dispatcher } from 'undici';

export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The answer's text, kept for `POST /worlds` (ids and tokens to map). */
  answer?: string;
  /** An event stream: opened, not read. */
  stream?: boolean;
}

/** A dispatcher that forwards to `pool` and records each request; event streams pass through unrecorded. */
export function recording(pool: Pool, into: Recorded[]): Dispatcher {
  return {
    async request(opts: Dispatcher.RequestOptions) {
      const headers = (opts.headers ?? {}) as Record<string, string>;
      const res = await pool.request(opts);
      if (headers.accept === 'text/event-stream') {
        into.push({ method: opts.method, path: opts.path, headers, stream: true });
        return res;
      }
      const text = await res.body.text();
      const isWorld = opts.method === 'POST' && /\/worlds$/.test(opts.path);
      into.push({
        method: opts.method,
        path: opts.path,
        headers,
        ...(typeof opts.body === 'string' ? { body: opts.body } : {}),
        ...(isWorld ? { answer: text } : {}),
      });
      return { ...res, body: { text: async () => text } };
    },
  } as unknown as Dispatcher;
}

/** Send the recorded requests again, one after another, as a bare loop would. Returns how many were sent. */
export async function replay(origin: string, recorded: readonly Recorded[]): Promise<number> {
  // Every event stream holds a connection until its world is deleted, and worlds overlap (up to 32 settle while
  // the next scenarios run): enough connections that a replayed request never waits behind open streams.
  const pool = new Pool(origin, { connections: 1024, pipelining: 1 });
  const ids = new Map<string, string>();
  const tokens = new Map<string, string>();
  for (const r of recorded) {
    let path = r.path;
    for (const [old, now] of ids) path = path.replace(old, now);
    const auth = r.headers.authorization?.replace('Bearer ', '');
    const headers = { ...r.headers, ...(auth ? { authorization: `Bearer ${tokens.get(auth) ?? auth}` } : {}) };
    const res = await pool.request({
      origin,
      method: r.method as Dispatcher.HttpMethod,
      path,
      headers,
      ...(r.body !== undefined ? { body: r.body } : {}),
      ...(r.stream ? { bodyTimeout: 0 } : {}),
    });
    if (r.stream) {
      // Drained without parsing, so the server's writes don't back up; it ends the stream when the world goes.
      res.body.on('error', () => {}).resume();
      continue;
    }
    const text = await res.body.text();
    if (r.answer) {
      const before = JSON.parse(r.answer) as { id: string; tokens: Record<string, string> };
      const after = JSON.parse(text) as { id: string; tokens: Record<string, string> };
      ids.set(before.id, after.id);
      for (const [user, token] of Object.entries(before.tokens)) tokens.set(token, after.tokens[user]!);
    }
  }
  await pool.close();
  return recorded.length;
}
