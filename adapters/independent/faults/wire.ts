/**
 * Faults of the wire (http.ts, world.ts's registry): body parsing and limits, unknown routes, tokens and
 * deleted worlds. Each helper answers what the conformant service does when its fault is off.
 */
import type { IncomingMessage } from 'node:http';
import { Feeds } from '../feeds.js';
import { serviceMemoryOf, type Switches } from './memory.js';

/** How many bytes of a body are kept to judge it (body-limit-counts-characters keeps enough to count characters). */
export const bytesKept = (d: Switches, limit: number): number =>
  d.has('body-limit-counts-characters') ? 8 * limit : limit + 1;

/** Whether a body is refused as too large, as the faulty limit sees it. */
export function bodyTooLarge(d: Switches, req: IncomingMessage, bytes: number, text: string, limit: number): boolean {
  if (d.has('body-limit-only-with-content-length') && req.headers['content-length'] === undefined) return false;
  if (d.has('body-limit-counts-characters')) return text.length > limit;
  return bytes > limit;
}

/**
 * JSON.parse, or with trailing-garbage-json-accepted the first complete value of the text (the shortest prefix
 * ending in `}` or `]` that parses). Throws as JSON.parse does when nothing parses.
 */
export function parseJson(d: Switches, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (!d.has('trailing-garbage-json-accepted')) throw e;
    for (let i = 0; i < text.length; i++) {
      if (text[i] !== '}' && text[i] !== ']') continue;
      try {
        return JSON.parse(text.slice(0, i + 1));
      } catch {
        /* not yet a whole value */
      }
    }
    throw e;
  }
}

/** unknown-me-route-answers-empty-list: the catch-all's answer for an unknown route under …/me/ (either namespace). */
export function catchAll(d: Switches, pathname: string): { status: number; body: unknown } | undefined {
  if (d.has('unknown-me-route-answers-empty-list') && /^\/worlds\/[^/]+\/(v1\.0|interop)\/me\//.test(pathname))
    return { status: 200, body: { value: [] } };
  // unknown-route-answered-405: every miss reported as a method mismatch.
  if (d.has('unknown-route-answered-405'))
    return { status: 405, body: { error: { code: 'method-not-allowed', message: 'method not allowed' } } };
  return undefined;
}

/** token-table-global, event-stream-token-any-world: a world's tokens go into one service-wide table. */
export function registerTokens(d: Switches, tokens: ReadonlyMap<string, string>): void {
  if (!d.has('token-table-global') && !d.has('event-stream-token-any-world')) return;
  const table = serviceMemoryOf(d).tokens;
  for (const [token, user] of tokens) table.set(token, user);
}

/** token-table-global (every route), event-stream-token-any-world (the stream): the user a token names in any world, if this world has one of that name. */
export function tokenAnywhere(
  d: Switches,
  token: string,
  users: ReadonlyMap<string, unknown>,
  pathname: string,
): string | undefined {
  if (!d.has('token-table-global') && !(d.has('event-stream-token-any-world') && pathname.endsWith('/me/events')))
    return undefined;
  const name = serviceMemoryOf(d).tokens.get(token);
  return name !== undefined && users.has(name) ? name : undefined;
}

/**
 * A deleted world as the faulty registry keeps it: its tokens answer for 30 s (deleted-world-tokens-cached), its
 * streams stay open and can be reopened (deleted-world-streams-stay-open). Returns whether the world's streams
 * are to be left open.
 */
export function bury(d: Switches, id: string, world: unknown): boolean {
  const graveyard = serviceMemoryOf(d).graveyard;
  if (d.has('deleted-world-tokens-cached')) {
    graveyard.set(id, world);
    setTimeout(() => graveyard.delete(id), 30_000).unref();
  }
  if (d.has('deleted-world-streams-stay-open')) {
    graveyard.set(id, world);
    return true;
  }
  return false;
}

/** The deleted world a request still reaches, if a fault keeps it answering for this path. */
export function unburied<W>(d: Switches, id: string, pathname: string): W | undefined {
  const w = serviceMemoryOf(d).graveyard.get(id) as W | undefined;
  if (w === undefined) return undefined;
  if (d.has('deleted-world-tokens-cached')) return w;
  return d.has('deleted-world-streams-stay-open') && pathname.endsWith('/me/events') ? w : undefined;
}

/** deliveries-keyed-by-user-name: one table of event streams for the whole service, keyed by user name. */
class SharedFeeds extends Feeds {
  // The table outlives every world: deleting one world ends nobody's stream.
  override endAll(): void {}
}
const shared = new WeakMap<Switches, Feeds>();

export function sharedFeeds(d: Switches): Feeds | undefined {
  if (!d.has('deliveries-keyed-by-user-name')) return undefined;
  let f = shared.get(d);
  if (!f) shared.set(d, (f = new SharedFeeds(d)));
  return f;
}

/**
 * error-code-missing: the error envelope copied from a Graph sample that carried only `message` and `innerError`,
 * so a refusal no longer says which one it is.
 */
export function errorWithout<E extends { code: string }>(d: Switches, error: E): E | Omit<E, 'code'> {
  if (!d.has('error-code-missing')) return error;
  const { code: _dropped, ...rest } = error;
  return rest;
}
