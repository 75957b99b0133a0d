/**
 * What one request may make the service hold, and reading a request body within it. A body over the limit is
 * refused with 413 (SEC-005) without being kept: the rest is read and thrown away, so that the client sees the
 * answer instead of a reset connection, and the connection is then closed.
 */
import type { IncomingMessage } from 'node:http';
import type { ErrorCode } from '../../../specs/protocol.js';

/** The domain's codes, and the wire's own refusals (openapi.yaml's ErrorCode); `internal` is a 500, outside the contract. */
export type WireErrorCode = ErrorCode | 'too-many-requests' | 'method-not-allowed' | 'misdirected-request' | 'internal';

/** SEC-005: text-only chat needs no more than this (F10). */
export const MAX_BODY_BYTES = 64 * 1024;
/** After the limit, how much more of a refused body is read (and dropped) before the connection is cut. */
export const MAX_DISCARD_BYTES = 8 * 1024 * 1024;
/** A world nobody has used for this long is deleted (a harness that died without closing it). */
export const WORLD_IDLE_MS = 15 * 60_000;
/** At most this many live worlds; creating one more is refused (429). */
export const MAX_WORLDS = 10_000;
/**
 * What the worlds may hold together, in counted bytes (an estimate of the heap they take): a world costs
 * WORLD_COST_PER_JSON_BYTE × its World's JSON bytes + WORLD_COST_PER_USER × its users when created, and every
 * message and call adds its cost (messageCost). Creating a world past this is refused with 429, whatever the count.
 * 64 MiB: `SOAK_WORLD_MIB=4096 npm run soak` (the whole cap in one world, 500 streams never reading) peaked at
 * 273 MiB RSS; at 128 MiB it peaked at 445 MiB, over the 300 MiB bound.
 */
export const MAX_HOSTED_BYTES = 64 * 1024 * 1024;
export const WORLD_COST_PER_JSON_BYTE = 4;
export const WORLD_COST_PER_USER = 2048;
/** What one world may hold in counted bytes; a message or call past it is refused with 429. */
export const MAX_WORLD_BYTES = 8 * 1024 * 1024;
/** Counted for every stored copy besides its text: ids, dates, object headers. */
export const ENTRY_OVERHEAD_BYTES = 256;
/**
 * A message's cost: it is kept four times (the sender's and the recipient's sealed views, the delivery frame, the
 * service's own copy), and measured, 300 messages of 60 KB kept 4.2× their bytes and grew RSS 5.7×: counted 5×.
 */
export const MESSAGE_COPIES = 5;
export const messageCost = (text: string): number => MESSAGE_COPIES * (Buffer.byteLength(text) + ENTRY_OVERHEAD_BYTES);
/** A call's deliveries, counted like an empty message. */
export const CALL_COST = MESSAGE_COPIES * ENTRY_OVERHEAD_BYTES;
/** Messages kept in one user's view of one chat; one more (either side's) is refused with 429. */
export const MAX_MESSAGES_PER_CHAT = 1_000;
/** Deliveries held for a user whose stream does not take them; one more message or call to them is 429. */
export const MAX_QUEUED_DELIVERIES = 1_000;
/** An event stream whose unsent bytes pass this (a reader that stopped reading) is cut and its buffers released. */
export const MAX_STREAM_BUFFER_BYTES = 1024 * 1024;
/** The quotas a service keeps; tests and the soak may set others (ServiceOptions.limits). */
export interface Limits {
  worlds: number;
  hostedBytes: number;
  worldBytes: number;
  messagesPerChat: number;
  queuedDeliveries: number;
  streamBufferBytes: number;
}

/** Lines of the error log per second; past it, one line says how many were suppressed. */
export const MAX_LOG_LINES_PER_SECOND = 10;
/** `late-delivery`: how late every delivery is, by default: past a 500 ms deadline, inside the 1 s the runner listens. */
export const LATE_DELIVERY_MS = 750;
/** `async-delivery`: how long every delivery sits in the queue, by default: well inside the 2 s deadline. */
export const ASYNC_DELIVERY_MS = 300;
/** `oversized-body-accepted`: the limit the faulty service enforces instead of MAX_BODY_BYTES. */
export const FAULTY_MAX_BODY_BYTES = 1024 * 1024;

/** A refusal with its status and error code; the message is shown to the client, so it must leak nothing. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: WireErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** A quota reached: 429, with Retry-After (seconds) only where waiting can help. */
export const quotaReached = (message: string, retryAfterS?: number) =>
  new HttpError(
    429,
    'too-many-requests',
    message,
    retryAfterS === undefined ? {} : { 'retry-after': String(retryAfterS) },
  );

export const tooLarge = () =>
  new HttpError(413, 'payload-too-large', `the request body is over ${MAX_BODY_BYTES} bytes`);

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
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? ''))
    throw new HttpError(400, 'bad-request', 'the body must be application/json');
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    const repaired = lenient?.(text);
    if (repaired !== undefined) return repaired;
    throw new HttpError(400, 'bad-request', 'the body is not valid JSON');
  }
}

export const LIMITS: Readonly<Limits> = Object.freeze({
  worlds: MAX_WORLDS,
  hostedBytes: MAX_HOSTED_BYTES,
  worldBytes: MAX_WORLD_BYTES,
  messagesPerChat: MAX_MESSAGES_PER_CHAT,
  queuedDeliveries: MAX_QUEUED_DELIVERIES,
  streamBufferBytes: MAX_STREAM_BUFFER_BYTES,
});
