/**
 * What one request may make the service hold, and reading a request body within it. A body over the limit is
 * refused with 413 (SEC-005) without being kept: the rest is read and thrown away, so that the client sees the
 * answer instead of a reset connection, and the connection is then closed.
 */
import type { IncomingMessage } from 'node:http';
import type { ErrorCode } from '../../../specs/protocol.js';

/** SEC-005: text-only chat needs no more than this (F10). */
export const MAX_BODY_BYTES = 64 * 1024;
/** After the limit, how much more of a refused body is read (and dropped) before the connection is cut. */
export const MAX_DISCARD_BYTES = 8 * 1024 * 1024;
/** A world nobody has used for this long is deleted (a harness that died without closing it). */
export const WORLD_IDLE_MS = 15 * 60_000;
/** At most this many live worlds; creating one more is refused. */
export const MAX_WORLDS = 10_000;
/** `late-delivery`: how late every delivery is, by default: past a 500 ms deadline, inside the 1 s the runner listens. */
export const LATE_DELIVERY_MS = 750;
/** `async-delivery`: how long every delivery sits in the queue, by default: well inside the 2 s deadline. */
export const ASYNC_DELIVERY_MS = 300;
/** `oversized-body-accepted`: the limit the faulty service enforces instead of MAX_BODY_BYTES. */
export const FAULTY_MAX_BODY_BYTES = 1024 * 1024;

/** A refusal with its status and error code; the message is shown to the client, so it must leak nothing. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: ErrorCode, message: string) {
    super(message);
  }
}

export const tooLarge = () => new HttpError(413, 'payload-too-large', `the request body is over ${MAX_BODY_BYTES} bytes`);

/**
 * The body of `req`, at most `limit` bytes. Over the limit: rejects with 413 at once (by Content-Length, or as
 * soon as the bytes pass it) and keeps draining what is left without storing it.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const refuse = () => {
      refused = true;
      chunks.length = 0;
      reject(tooLarge());
    };
    if (declared > limit) refuse();
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (refused) {
        if (size > limit + MAX_DISCARD_BYTES) req.socket.destroy();
        return;
      }
      if (size > limit) return refuse();
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (e) => {
      if (!refused) reject(e);
    });
  });
}

/**
 * The JSON of a body, or 400 (SEC-004). An empty body is `undefined`. `lenient` (a fault's parser) makes what it
 * can of a body that does not parse instead of refusing it.
 */
export function parseJson(body: Buffer, contentType: string | undefined, lenient?: (text: string) => unknown): unknown {
  if (body.length === 0) return undefined;
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? '')) throw new HttpError(400, 'bad-request', 'the body must be application/json');
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    const repaired = lenient?.(text);
    if (repaired !== undefined) return repaired;
    throw new HttpError(400, 'bad-request', 'the body is not valid JSON');
  }
}
