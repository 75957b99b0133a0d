/**
 * The served reference answering one request, without a socket: the control plane (`POST /worlds`, `DELETE
 * /worlds/{id}`, `POST /worlds/{id}/sync`) and every route of routes.ts under `/worlds/{id}/`, as specs/openapi.yaml
 * documents them. The node server (server.ts) answers every request through `respond`, handing only an event
 * stream over to its socket; `answer` is the same for a request held whole in memory (msw's handlers), so that an
 * in-process client sees exactly what `serve` answers. Every refusal is Graph's error JSON with `innerError`
 * (`date`, `request-id`, and the request's `client-request-id` echoed); every answer carries `request-id`.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { World } from '../../../specs/protocol.js';
import { OutOfScopeError } from '../scope.js';
import { eventCursor } from './cursor.js';
import { repairJson } from './faults.js';
import { allowedHosts, checkHost } from './guard.js';
import { FAULTY_MAX_BODY_BYTES, HttpError, MAX_BODY_BYTES, parseJson, tooLarge } from './limits.js';
import { match, methodsAt, type Ctx } from './routes.js';
import { lastEventId } from './sse.js';
import { worldLastEventId } from './world-stream.js';
import { check } from './validate.js';
import type { WorldRegistry } from './worlds.js';

export interface WireRequest {
  method: string;
  /** Path and query from the server's root: `/worlds/{id}/…`. */
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}
export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** An event stream: the node server hands its response over to it (status 200, no body here). */
  stream?: (res: ServerResponse) => void;
}
/** What `respond` is told besides the request: where its body comes from, and who answers to what. */
export interface Respond {
  /** The request's body, at most `limit` bytes (413 past it). */
  body(limit: number): Promise<Buffer>;
  /** The host names the request may name (guard.ts). */
  hosts: ReadonlySet<string>;
  /** Where a failure inside the service (a 500) is reported. */
  log?: (line: string) => void;
  /** A client that went away: rethrown, not answered. */
  wentAway?: (e: unknown) => boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';
/** On every 401 (RFC 9110 §11.6.1): how to authenticate. */
export const WWW_AUTHENTICATE = 'Bearer realm="interop-conformance"';
type Head = Omit<WireRequest, 'body'>;

const header = (req: Head, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};
/** A client's own request id, echoed as Graph does; anything but a short printable token is not echoed. */
const clientRequestId = (req: Head): string | undefined =>
  /^[\x21-\x7e]{1,128}$/.exec(header(req, 'client-request-id') ?? '')?.[0];

/** The headers every answer carries, and `request-id` (and `client-request-id`) as Graph's. */
function ids(req: Head | undefined, requestId: string): Record<string, string> {
  const client = req && clientRequestId(req);
  return { 'request-id': requestId, ...(client ? { 'client-request-id': client } : {}) };
}

function json(status: number, body: unknown, headers: Record<string, string>): WireAnswer {
  const text = body === undefined ? '' : JSON.stringify(body);
  return {
    status,
    body: Buffer.from(text),
    headers: {
      ...(text ? { 'content-type': JSON_TYPE } : {}),
      'content-length': String(Buffer.byteLength(text)),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...(status === 401 ? { 'www-authenticate': WWW_AUTHENTICATE } : {}),
      ...headers,
    },
  };
}

/** Graph's error body: code and message, and where and when (`innerError`). */
export function errorBody(code: string, message: string, requestId: string, req?: Head) {
  const client = req && clientRequestId(req);
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString(),
        'request-id': requestId,
        ...(client ? { 'client-request-id': client } : {}),
      },
    },
  };
}

const bearer = (req: Head): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '')?.[1];
const methodNotAllowed = (allow: string[]) =>
  new HttpError(405, 'method-not-allowed', `this path takes ${allow.join(', ')}`, { allow: allow.join(', ') });

function createWorld(worlds: WorldRegistry, body: unknown) {
  const world = check<World>('World', body);
  for (const [key, u] of Object.entries(world.users)) {
    if (u.name !== key) throw new HttpError(400, 'bad-request', `users.${key}.name must be "${key}"`);
    if (u.kind !== 'skype' && !Object.hasOwn(world.tenants, u.tenant))
      throw new HttpError(400, 'bad-request', `users.${key}.tenant names no tenant of this world`);
  }
  const hosted = worlds.create(world);
  const capabilities = hosted.capabilities;
  return {
    id: hosted.id,
    tokens: hosted.tokens,
    controlToken: hosted.controlToken,
    ...(capabilities.length ? { capabilities } : {}),
  };
}

/**
 * `GET /worlds/{id}/interop/events` (document 0.4.0), the world stream: served where offered, with the world's
 * control token; its Last-Event-ID a Dictionary of the world's users (400 otherwise). No event cursor: the
 * control token is no user's.
 */
function worldStream(worlds: WorldRegistry, req: Head, worldId: string, method: string) {
  if (method !== 'GET') throw methodNotAllowed(['GET']);
  const hosted = worlds.get(worldId);
  if (!hosted) throw new HttpError(404, 'not-found', 'no such world');
  if (!hosted.servesWorldEvents) throw new HttpError(404, 'not-found', 'no such route');
  if (!hosted.controls(bearer(req)))
    throw new HttpError(401, 'denied', "the world's control token (from POST /worlds) is needed");
  const after = worldLastEventId(req.headers['last-event-id'], new Set(hosted.users));
  return { status: 200, stream: (res: ServerResponse) => hosted.events.openWorld(res, after) };
}

/** The answer as status and JSON body, or an event stream; refusals are thrown as HttpError. */
async function handle(
  worlds: WorldRegistry,
  req: Head,
  o: Respond,
): Promise<{ status: number; body?: unknown; stream?: WireAnswer['stream'] }> {
  checkHost({ headers: { host: header(req, 'host') } }, o.hosts);
  const url = new URL(req.url || '/', 'http://service.invalid');
  let segments: string[];
  try {
    segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new HttpError(400, 'bad-request', 'the path is not valid percent-encoding');
  }
  const method = req.method || 'GET';
  const faulty = worlds.faults.http;
  const body = async () =>
    parseJson(
      await o.body(faulty.has('oversized-body-accepted') ? FAULTY_MAX_BODY_BYTES : MAX_BODY_BYTES),
      header(req, 'content-type'),
      faulty.has('malformed-json-repaired') ? repairJson : undefined,
    );
  const [root, worldId, ...rest] = segments;
  if (root !== 'worlds') throw new HttpError(404, 'not-found', 'no such route');

  // The control plane: creating needs nothing; deleting and syncing need the world's control token.
  if (worldId === undefined) {
    if (method !== 'POST') throw methodNotAllowed(['POST']);
    return { status: 201, body: createWorld(worlds, await body()) };
  }
  if (rest.length === 0 || (rest.length === 1 && rest[0] === 'sync')) {
    const wanted = rest.length === 0 ? 'DELETE' : 'POST';
    if (method !== wanted) throw methodNotAllowed([wanted]);
    const raw = await body();
    const hosted = worlds.get(worldId);
    if (!hosted) throw new HttpError(404, 'not-found', 'no such world');
    if (!hosted.controls(bearer(req)))
      throw new HttpError(401, 'denied', "the world's control token (from POST /worlds) is needed");
    if (wanted === 'DELETE') {
      worlds.delete(worldId);
      return { status: 204 };
    }
    const { marker } = check<{ marker: string }>('SyncRequest', raw);
    hosted.events.sync(marker);
    return { status: 202, body: { marker } };
  }

  if (rest.length === 2 && rest[0] === 'interop' && rest[1] === 'events')
    return worldStream(worlds, req, worldId, method);

  // A user's routes: route, body, world, token, shape — in that order.
  const found = match(method, rest);
  if (!found) {
    const allow = methodsAt(rest);
    if (allow.length) throw methodNotAllowed(allow);
    if (faulty.has('unknown-route-answered-ok') && worlds.get(worldId)) return { status: 200, body: {} };
    throw new HttpError(404, 'not-found', 'no such route');
  }
  const raw = await body();
  const world = worlds.get(worldId);
  if (!world) throw new HttpError(404, 'not-found', 'no such world');
  const token = bearer(req);
  const me =
    world.userOf(token) ?? (faulty.has('tokens-valid-in-every-world') ? worlds.nameOfToken(token, world) : undefined);
  if (me === undefined) throw new HttpError(401, 'denied', 'a bearer token of this world is needed');
  const kind = world.directory.user(me).kind;
  if (found.route.who === 'admin' && kind !== 'admin')
    throw new HttpError(403, 'denied', 'only a tenant admin may do this');
  if (found.route.who === 'person' && kind === 'admin')
    throw new HttpError(403, 'denied', 'admins take part in no conversation');
  const ctx: Ctx = {
    world,
    me,
    params: found.params,
    query: url.searchParams,
    body: found.route.schema ? check(found.route.schema, raw) : raw,
  };
  const reply = found.route.handle(ctx);
  if (reply.stream) {
    const after = lastEventId(header(req, 'last-event-id'));
    return { status: 200, stream: (res) => world.events.open(me, res, after) };
  }
  return { status: reply.status, body: reply.body };
}

function refusal(e: unknown, log: ((line: string) => void) | undefined): HttpError {
  if (e instanceof HttpError) return e;
  if (e instanceof OutOfScopeError) return new HttpError(400, 'bad-request', e.message);
  log?.(`internal error: ${(e as Error)?.message ?? e}`);
  return new HttpError(500, 'internal', 'internal error');
}

/** Answer `req` (its body read through `o.body`): a JSON answer, an event stream to hand over, or a refusal. */
export async function respond(worlds: WorldRegistry, req: Head, o: Respond): Promise<WireAnswer> {
  const requestId = randomUUID();
  const cursor = eventCursor(worlds, req, worlds.faults.http);
  try {
    const { status, body, stream } = await handle(worlds, req, o);
    if (stream) return { ...json(status, body, ids(req, requestId)), stream };
    return json(status, body, { ...ids(req, requestId), ...cursor(status) });
  } catch (e) {
    if (o.wentAway?.(e)) throw e;
    const { status, code, message, headers } = refusal(e, o.log);
    return json(status, errorBody(code, message, requestId, req), {
      ...ids(req, requestId),
      ...headers,
      ...cursor(status),
    });
  }
}

/**
 * One request held whole in memory, answered as `serve` answers it (host names: the loopback ones). An event
 * stream cannot be answered without a socket: its answer is status 200 with `stream` set and no body.
 */
export function answer(
  worlds: WorldRegistry,
  req: WireRequest,
  hosts: ReadonlySet<string> = allowedHosts('127.0.0.1'),
): Promise<WireAnswer> {
  return respond(worlds, req, {
    hosts,
    body: async (limit) => {
      if (req.body.length > limit) throw tooLarge();
      return req.body;
    },
  });
}
