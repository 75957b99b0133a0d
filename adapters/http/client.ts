/**
 * The transport: one undici Pool (keep-alive) per adapter, per-request header and body timeouts, every body read
 * to the end even when the answer is an error. Trouble on the way — a refused connection, a timeout, a 5xx, a
 * body that is not JSON — is a plain Error naming its cause (the harness's verdict `error`, never `fail`); a 5xx
 * says that the system under test answered it, and to which request.
 * Nothing here puts a token in a message: the Redactor blanks every secret it was given.
 */
import { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';

export class Redactor {
  readonly #secrets = new Set<string>();
  add(...secrets: string[]): void {
    for (const s of secrets) if (s.length >= 8) this.#secrets.add(s);
  }
  text(s: string): string {
    let out = s;
    for (const secret of this.#secrets) out = out.replaceAll(secret, '[redacted]');
    return out;
  }
}

/** What went wrong on the way, in words, from an undici or socket error. */
export function transportCause(e: unknown, timeoutMs: number): string {
  const err = (e ?? {}) as { code?: string; message?: string; errors?: { code?: string }[]; cause?: { code?: string } };
  const code = err.code ?? err.errors?.[0]?.code ?? err.cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED): is the service running at that address?';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'timeout: could not connect (UND_ERR_CONNECT_TIMEOUT)';
    case 'UND_ERR_HEADERS_TIMEOUT':
      return `timeout: no answer within ${timeoutMs} ms (UND_ERR_HEADERS_TIMEOUT)`;
    case 'UND_ERR_BODY_TIMEOUT':
      return `timeout: the answer's body stalled for ${timeoutMs} ms (UND_ERR_BODY_TIMEOUT)`;
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'EPIPE':
      return `the connection was closed by the other side (${code})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found (${code})`;
    default:
      return `${err.message ?? String(e)}${code ? ` (${code})` : ''}`;
  }
}

export interface ClientOptions {
  /** The service's base URL, e.g. http://127.0.0.1:8080 (a path prefix is kept). */
  url: string;
  /** Per-request header and body timeout. */
  timeoutMs: number;
  /** Instead of the adapter's own Pool (tests: an undici MockAgent). */
  dispatcher?: Dispatcher;
  /** PEM certificates to trust for https besides the system's (e.g. `serve --tls`'s throwaway certificate). */
  ca?: string;
}

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  /** The `Interop-Event-Cursor` field value (several lines joined by commas), if the answer has one. */
  cursor?: string;
}

export interface SendOptions {
  token?: string;
  /** A string is sent with its Content-Length; an iterable of chunks chunked, with none (probes: SEC-005). */
  body?: string | AsyncIterable<Uint8Array>;
  contentType?: string;
  /** Names the request in messages, e.g. "tara: POST /me/chats/sam/messages". */
  what: string;
  redact: Redactor;
}

export class HttpClient {
  readonly origin: string;
  readonly #prefix: string;
  readonly #dispatcher: Dispatcher;
  readonly #pool: Pool | undefined;

  constructor(readonly o: ClientOptions) {
    const url = new URL(o.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`url must be http:// or https://; got ${o.url}`);
    this.origin = url.origin;
    this.#prefix = url.pathname.replace(/\/+$/, '');
    // Each open event stream holds a connection, and worlds overlap (a world stays open while the next scenarios
    // run): room for the streams of 32 settling worlds besides the requests of the one being played.
    this.#pool = o.dispatcher
      ? undefined
      : new Pool(this.origin, {
          connections: 256,
          pipelining: 1,
          keepAliveTimeout: 4_000,
          ...(o.ca !== undefined ? { connect: { ca: o.ca } } : {}),
        });
    this.#dispatcher = o.dispatcher ?? this.#pool!;
  }

  #headers(token: string | undefined, contentType: string | undefined, accept: string): Record<string, string> {
    return {
      accept,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(contentType ? { 'content-type': contentType } : {}),
    };
  }

  /** One request; the whole answer, its body read. Transport trouble and 5xx throw plain Errors. */
  async send(method: string, path: string, s: SendOptions): Promise<RawAnswer> {
    const t = this.o.timeoutMs;
    let res: Dispatcher.ResponseData;
    try {
      res = await this.#dispatcher.request({
        origin: this.origin,
        path: this.#prefix + path,
        method,
        headers: this.#headers(
          s.token,
          s.body !== undefined ? (s.contentType ?? 'application/json') : undefined,
          'application/json',
        ),
        ...(s.body !== undefined
          ? { body: typeof s.body === 'string' ? s.body : Readable.from(s.body, { objectMode: false }) }
          : {}),
        headersTimeout: t,
        bodyTimeout: t,
      });
    } catch (e) {
      throw new Error(s.redact.text(`${s.what}: no answer from ${this.origin}: ${transportCause(e, t)}`));
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (e) {
      throw new Error(s.redact.text(`${s.what}: the answer could not be read: ${transportCause(e, t)}`));
    }
    const contentType = String(res.headers['content-type'] ?? '');
    const cursor = res.headers['interop-event-cursor'];
    if (res.statusCode >= 500) {
      throw new Error(
        s.redact.text(
          `the system under test answered ${res.statusCode} to ${s.what} (a server error: outside the API, so no verdict)${text ? `: ${snippet(text)}` : ''}`,
        ),
      );
    }
    if (cursor === undefined) return { status: res.statusCode, contentType, text };
    return { status: res.statusCode, contentType, text, cursor: Array.isArray(cursor) ? cursor.join(', ') : cursor };
  }

  /** Open an event stream: resolves once the answer's headers are in; the body is the caller's to read. */
  async stream(
    path: string,
    token: string,
    signal: AbortSignal,
    s: Omit<SendOptions, 'token'>,
    extra: Record<string, string> = {},
  ): Promise<Dispatcher.ResponseData> {
    const t = this.o.timeoutMs;
    try {
      return await this.#dispatcher.request({
        origin: this.origin,
        path: this.#prefix + path,
        method: 'GET',
        headers: { ...this.#headers(token, undefined, 'text/event-stream'), ...extra },
        headersTimeout: t,
        bodyTimeout: 0,
        signal,
      });
    } catch (e) {
      throw new Error(s.redact.text(`${s.what}: no answer from ${this.origin}: ${transportCause(e, t)}`));
    }
  }

  /**
   * Close the pool: requests in flight may finish within `graceMs`; then every connection is cut (an answer
   * that trickles, an event stream left open), so that closing never hangs.
   */
  async close(graceMs = 1_000): Promise<void> {
    const pool = this.#pool;
    if (!pool || pool.destroyed) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    const closed = pool.close().then(
      () => 'closed' as const,
      () => 'closed' as const,
    );
    const first = await Promise.race([closed, late]);
    clearTimeout(timer);
    if (first === 'late')
      await pool
        .destroy(new Error('the adapter was disposed of while this request was still answering'))
        .catch(() => {});
  }
}

export const snippet = (text: string): string => JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);

/** The JSON of an answer (undefined when it has no body), or a plain Error: a body that is not JSON is transport trouble. */
export function jsonOf(a: RawAnswer, what: string, redact: Redactor): unknown {
  if (a.text === '') return undefined;
  const bad = (why: string) =>
    new Error(
      redact.text(
        `${what}: the service answered ${a.status} with a body that is not JSON (${why}): ${snippet(a.text)}`,
      ),
    );
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(a.contentType))
    throw bad(`content-type ${a.contentType || 'missing'}`);
  try {
    return JSON.parse(a.text);
  } catch {
    throw bad('it does not parse');
  }
}
