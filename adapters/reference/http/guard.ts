/**
 * What the served reference checks and does before and after any route: the Host allow-list (a web page that
 * rebinds a DNS name to 127.0.0.1 must not reach a loopback service), telling a client that went away from an
 * internal error, and an error log that a flood cannot turn into a flood of lines.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError, MAX_LOG_LINES_PER_SECOND } from './limits.js';

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The host names a request may name in its Host header (any port): the loopback names and the configured host.
 * A wildcard address (0.0.0.0, ::) names no host, so it adds nothing.
 */
export function allowedHosts(configured: string): ReadonlySet<string> {
  const name = configured.includes(':') ? `[${configured}]` : configured;
  const wildcard = configured === '0.0.0.0' || configured === '::';
  return new Set([...LOOPBACK, ...(wildcard ? [] : [name.toLowerCase()])]);
}

/** 421 unless the request's Host header names an allowed host (with any port, or none). */
export function checkHost(req: { headers: { host?: string | undefined } }, allowed: ReadonlySet<string>): void {
  const host = (req.headers.host ?? '').toLowerCase();
  const name = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/.exec(host)?.[1];
  if (name === undefined || !allowed.has(name))
    throw new HttpError(421, 'misdirected-request', 'this service answers only to its own host names (Host header)');
}

/** A client that closed its connection (or stopped sending) mid-request: nothing went wrong inside the service. */
export function clientWentAway(e: unknown, req?: IncomingMessage): boolean {
  // Not req.destroyed: a request whose body was read to the end is destroyed too (autoDestroy); its socket is not.
  const err = e as { code?: string; message?: string } | undefined;
  if (
    ['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_HTTP_REQUEST_TIMEOUT'].includes(
      err?.code ?? '',
    )
  )
    return true;
  if (err?.message === 'aborted') return true;
  return req !== undefined && req.socket.destroyed && !(e instanceof HttpError);
}

/** Control characters shown as escapes, so that a log line is one line and says what it got. */
export const printable = (text: string): string =>
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * `log` limited to MAX_LOG_LINES_PER_SECOND lines a second: the rest of that second is counted, and one line
 * says how many were suppressed when the second is over.
 */
export function rateLimited(
  log: (line: string) => void,
  perSecond = MAX_LOG_LINES_PER_SECOND,
  now = () => Date.now(),
): (line: string) => void {
  let windowStart = -Infinity;
  let lines = 0;
  let suppressed = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (suppressed > 0)
      log(`… ${suppressed} more error line${suppressed === 1 ? '' : 's'} suppressed (at most ${perSecond} a second)`);
    suppressed = 0;
  };
  return (line: string) => {
    const t = now();
    if (t - windowStart >= 1000) {
      if (timer) {
        clearTimeout(timer);
        flush();
      }
      windowStart = t;
      lines = 0;
    }
    if (lines < perSecond) {
      lines++;
      return log(printable(line));
    }
    suppressed++;
    timer ??= setTimeout(flush, Math.max(0, windowStart + 1000 - t)).unref();
  };
}
