/**
 * The wire: one request's way through the service. Match the path (404, or 405 with Allow), read the body within
 * 64 KiB (413), find the world and check the credential (401 with WWW-Authenticate), parse and shape-check the
 * body against the API document (400), then run the route's handler. Every answer is JSON (or an event stream)
 * with `X-Content-Type-Options: nosniff`; a refusal is `{error: {code, message}}`; nothing else leaks (no stack).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode, Person, User } from '../../specs/protocol.js';
import { Refusal, refuse, refuseWith, type WireCode } from './gates.js';
import { shapeError } from './schema.js';
import { NO_DEFECTS, type Switches } from './faults/memory.js';
import { bodyTooLarge, bytesKept, catchAll, errorWithout, parseJson, tokenAnywhere, unburied } from './faults/wire.js';
import { askerOf, worldIn, type Asker } from './cursor.js';
import { cursorHeaders, cursorOnArrival, strangerCursor } from './faults/cursor.js';
import { opensWorldStream } from './faults/world-stream.js';
import type { Defects, Registry, World } from './world.js';

/** SEC-005: a body over 64 KiB is refused. */
export const BODY_LIMIT = 64 * 1024;
export const REALM = 'Bearer realm="interop-conformance"';

export interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Record<string, string>;
  readonly registry: Registry;
  readonly defects: Defects;
  /** Set for every route under /worlds/{worldId}. */
  world?: World;
  /** The user whose token the request carries (user routes). */
  actor?: User;
  body?: any;
}

export interface Reply {
  status: number;
  body?: unknown;
}

/**
 * `user`: a user's bearer token of this world; `control`: the world's control token; `world-stream`: the control
 * token too (the faults of the world stream's own check differ); `none`: nobody's.
 */
export type Auth = 'none' | 'user' | 'control' | 'world-stream';

export interface Route {
  readonly method: string;
  readonly path: string;
  readonly auth: Auth;
  /** The document's operationId, when the route takes a JSON body: its requestBody schema checks the body. */
  readonly operation?: string;
  /** A reply, or `undefined` when the handler answered itself (an event stream). */
  handle(ctx: Ctx): Reply | undefined;
}

interface Compiled {
  route: Route;
  re: RegExp;
  names: string[];
}

export function compile(routes: readonly Route[]): Compiled[] {
  return routes.map((route) => {
    const names: string[] = [];
    const re = new RegExp(`^${route.path.replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), '([^/]+)'))}$`);
    return { route, re, names };
  });
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  const common = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...headers };
  if (body === undefined) {
    res.writeHead(status, common).end();
    return;
  }
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      ...common,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    })
    .end(text);
}

/**
 * Graph's error envelope: the code and a message for people, and `innerError` with the time and this request's id
 * (and the client's own `client-request-id`, echoed, so that a client can match a failure to its log).
 */
function errorBody(req: IncomingMessage, defects: Switches, code: ErrorCode | WireCode, message: string) {
  const clientId = req.headers['client-request-id'];
  const innerError = {
    date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'request-id': randomUUID(),
    ...(typeof clientId === 'string' && clientId.length <= 200 ? { 'client-request-id': clientId } : {}),
  };
  return { error: errorWithout(defects, { code, message: message.slice(0, 1000), innerError }) };
}

function sendRefusal(
  req: IncomingMessage,
  res: ServerResponse,
  defects: Switches,
  r: Refusal,
  cursor: Record<string, string>,
): void {
  send(res, r.status, errorBody(req, defects, r.code, r.message), {
    ...r.headers,
    ...(r.status === 401 ? { 'www-authenticate': REALM } : {}),
    ...cursor,
  });
}

/** Read the whole body (so a keep-alive connection stays usable), keeping at most BODY_LIMIT + 1 bytes. */
function readBody(req: IncomingMessage, defects: Switches = NO_DEFECTS): Promise<{ text: string; tooLarge: boolean }> {
  const keep = bytesKept(defects, BODY_LIMIT);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= keep) chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ text, tooLarge: bodyTooLarge(defects, req, size, text, BODY_LIMIT) });
    });
    req.on('error', reject);
  });
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = h === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

function authorize(ctx: Ctx, auth: Auth): void {
  if (auth === 'none') return;
  const token = bearer(ctx.req);
  if (token === undefined) refuse(401, 'denied', 'a bearer token is required');
  const world = ctx.world!;
  if (auth === 'control') {
    if (token !== world.controlToken) refuse(401, 'denied', "this route takes the world's control token");
    return;
  }
  if (auth === 'world-stream') {
    if (!opensWorldStream(ctx.defects, token!, world.controlToken, (t) => world.userOf(t)))
      refuse(401, 'denied', "the world's event stream takes the world's control token");
    return;
  }
  const name = world.userOf(token!) ?? tokenAnywhere(ctx.defects, token!, world.state.users, ctx.url.pathname);
  if (name === undefined) refuse(401, 'denied', 'the token is not valid in this world');
  ctx.actor = world.state.users.get(name!);
}

/** The loopback names (and the configured host) this service answers to, whatever the port (wire-contract 2). */
function hostAllowed(req: IncomingMessage, hosts: ReadonlySet<string>): boolean {
  const h = req.headers.host;
  if (h === undefined) return true; // HTTP/1.0 carries no Host: nothing to be misdirected by
  const name = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d*$/, '');
  return hosts.has(name.toLowerCase());
}

export async function serve(
  table: readonly Compiled[],
  registry: Registry,
  hosts: ReadonlySet<string>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // A user of an existing world whose token is valid in it, once known: the answers to them carry the event cursor.
  let asker: Asker | undefined;
  let requested: URL | undefined;
  const cursor = (status: number): Record<string, string> => {
    const d = registry.defects;
    // Not a 401 (the token is not valid), nor a 421 (refused before anything is read or said).
    if (status === 401) return strangerCursor(d, requested && worldIn(registry, requested.pathname));
    if (status === 421) return {};
    // A refusal before the route's credential check (404 route, 405, 413) has its asker looked up from the request
    // (event-cursor-missing-before-routing: only the routes' own credential check finds one).
    const early = d.has('event-cursor-missing-before-routing') ? undefined : requested;
    const to = asker ?? (early && askerOf(registry, early.pathname, bearer(req)));
    return to ? cursorHeaders(d, { ...to, status, method: req.method }) : {};
  };
  try {
    const url = (requested = new URL(req.url ?? '/', 'http://127.0.0.1'));
    const matching = table.map((c) => ({ c, m: c.re.exec(url.pathname) })).filter((x) => x.m);
    const { text, tooLarge } = await readBody(req, registry.defects);
    // A name this service does not answer to (DNS rebinding): refused before anything is read or said.
    if (!hostAllowed(req, hosts)) refuse(421, 'misdirected-request', 'this service does not answer to that Host');
    const caught = matching.length === 0 ? catchAll(registry.defects, url.pathname) : undefined;
    if (caught) return send(res, caught.status, caught.body);
    if (matching.length === 0) refuseWith('not-found', `no route ${url.pathname}`);
    const hit = matching.find((x) => x.c.route.method === req.method);
    if (hit === undefined) {
      const allow = [...new Set(matching.map((x) => x.c.route.method))].join(', ');
      return refuse(405, 'method-not-allowed', `${req.method} is not allowed here; allowed: ${allow}`, { allow });
    }
    if (tooLarge) refuseWith('payload-too-large', `the body is over ${BODY_LIMIT} bytes`);
    const params: Record<string, string> = {};
    hit.c.names.forEach((n, i) => {
      try {
        params[n] = decodeURIComponent(hit.m![i + 1]!);
      } catch {
        refuseWith('bad-request', `the ${n} in the path is not valid`);
      }
    });
    const ctx: Ctx = { req, res, url, params, registry, defects: registry.defects };
    const route = hit.c.route;
    if (params.worldId !== undefined) {
      // Without a credential nothing is said about the world, not even whether it exists.
      if (route.auth !== 'none' && bearer(req) === undefined) refuse(401, 'denied', 'a bearer token is required');
      ctx.world = registry.get(params.worldId) ?? unburied<World>(registry.defects, params.worldId, url.pathname);
      if (!ctx.world) refuseWith('not-found', 'no such world');
    }
    authorize(ctx, route.auth);
    // The control plane's answers (control token: no actor) carry no cursor.
    if (ctx.world && ctx.actor)
      asker = { world: ctx.world, actor: ctx.actor.name, onArrival: cursorOnArrival(ctx.defects, ctx.world) };
    if (route.operation !== undefined) {
      try {
        ctx.body = parseJson(ctx.defects, text);
      } catch {
        if (ctx.defects.has('malformed-json-crashes-handler')) throw new Error('the body was not parsed');
        refuseWith('bad-request', 'the body is not valid JSON');
      }
      const wrong = shapeError(route.operation, ctx.body);
      if (wrong) refuseWith('bad-request', `not a body ${route.operation} takes: ${wrong}`);
    }
    const reply = route.handle(ctx);
    if (reply) send(res, reply.status, reply.body, cursor(reply.status));
  } catch (e) {
    if (e instanceof Refusal) return sendRefusal(req, res, registry.defects, e, cursor(e.status));
    // Never a stack trace on the wire: a located, plain message.
    const failed = errorBody(req, registry.defects, 'bad-request', 'the service failed to answer this request');
    send(res, 500, failed, cursor(500));
  }
}

// ── Helpers for handlers ─────────────────────────────────────────────────────────────────────────────────────

/** The acting person (not an admin): only people chat, call, search and block. */
export function me(ctx: Ctx): Person {
  const a = ctx.actor!;
  if (a.kind === 'admin') refuseWith('denied', `${a.name} is an admin and takes part in no conversation`);
  return a as Person;
}

/** Another person of this world, by the id in the path or body. */
export function personNamed(ctx: Ctx, name: string): Person {
  const u = ctx.world!.state.users.get(name);
  if (!u) refuseWith('not-found', `no user ${name} in this world`);
  if (u!.kind === 'admin') refuseWith('bad-request', `${name} is an admin and takes part in no conversation`);
  return u as Person;
}
