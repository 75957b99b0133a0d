/**
 * The requests of probes that are more than one operation call: a body sent chunked (no Content-Length), and event
 * streams opened where they must be refused, or watched for their end once their world is deleted.
 */
import type { Answer, WorldApi } from './api.js';

/** `record[key]` if `record` has it as its own: a name like `constructor` never reaches Object's members. */
const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/** `body` sent as a stream of chunks (Transfer-Encoding: chunked), so that no Content-Length announces its size. */
export async function sendChunked(
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

export interface OpenStream {
  /**
   * Whether the stream ended within `ms`, put as an answer: 404 (the world is gone for it: turned away) once it
   * has ended, 200 if it is still open (the attack got through). Either way it is closed afterwards.
   */
  ended(ms: number): Promise<Answer>;
}

export interface StreamRequest {
  worldId?: string;
  token?: string;
  /** `streamWorldEvents`: the world's one stream (document 0.4.0), else `as`'s own. */
  world?: boolean;
  lastEventId?: string;
}

/** Open `as`'s event stream, or the world's (in another world, or with another token). Refused: the answer; 200: left open. */
export async function streamOf(api: WorldApi, as: string, o: StreamRequest): Promise<OpenStream & { answer: Answer }> {
  const opId = o.world ? 'streamWorldEvents' : 'streamEvents';
  const op = api.doc.operation(opId);
  const path = api.path(op, {}, o.worldId);
  const what = api.describe(as, 'GET', path);
  const abort = new AbortController();
  const res = await api.client.stream(
    path,
    o.token ?? own(api.tokens, as) ?? '',
    abort.signal,
    { what, redact: api.redact },
    o.lastEventId !== undefined ? { 'last-event-id': o.lastEventId } : {},
  );
  if (res.statusCode !== 200) {
    const text = await res.body.text().catch(() => '');
    const answer = api.checked(opId, {
      status: res.statusCode,
      contentType: String(res.headers['content-type'] ?? ''),
      text,
      what,
      ...(res.headers['interop-event-cursor'] !== undefined
        ? { cursor: String(res.headers['interop-event-cursor']) }
        : {}),
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
export async function openStream(api: WorldApi, as: string, o: StreamRequest): Promise<Answer> {
  const s = await streamOf(api, as, o);
  if (s.answer.status === 200) await s.ended(0);
  return s.answer;
}
