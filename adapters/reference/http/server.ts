/**
 * The reference interop service over HTTP (node:http): the control plane (`POST /worlds`, `DELETE
 * /worlds/{id}`, `POST /worlds/{id}/sync`) and every route of routes.ts under `/worlds/{id}/`, as documented in
 * specs/openapi.yaml. Listens on 127.0.0.1 by default; port 0 picks a free port; answers only requests whose Host
 * names a loopback name or the configured host (421 otherwise). Nothing it logs contains a token or a request's
 * headers. Every answer carries `X-Content-Type-Options: nosniff`; every 401 `WWW-Authenticate`.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { World } from '../../../specs/protocol.js';
import { OutOfScopeError } from '../scope.js';
import { parseFaults } from './faults.js';
import { repairJson } from './faults.js';
import {
  FAULTY_MAX_BODY_BYTES,
  HttpError,
  LIMITS,
  MAX_BODY_BYTES,
  parseJson,
  readBody,
  type Limits,
} from './limits.js';
import { allowedHosts, checkHost, clientWentAway, rateLimited } from './guard.js';
import { match, methodsAt, type Ctx } from './routes.js';
import { lastEventId } from './sse.js';
import type { TlsMaterial } from './tls.js';
import { check } from './validate.js';
import { WorldRegistry } from './worlds.js';

export interface ServiceOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** HTTP faults (faults.ts) and reference faults, as a list or one comma-separated string. */
  faults?: readonly string[] | string;
  /** How late `late-delivery` makes every delivery (ms). */
  lateDeliveryMs?: number;
  /** How long `async-delivery` queues every delivery (ms). */
  asyncDeliveryMs?: number;
  /** Quotas other than limits.ts's LIMITS (tests, the soak). */
  limits?: Partial<Limits>;
  /**
   * Where to report a request that failed inside the service (a 500); never given tokens or headers, at most
   * MAX_LOG_LINES_PER_SECOND lines a second (then one line says how many were suppressed).
   */
  log?: (line: string) => void;
  /** Serve https with this certificate and key (tls.ts; `serve --tls`): the Graph SDK sends tokens only to https. */
  tls?: TlsMaterial;
}

export interface RunningService {
  readonly url: string;
  readonly worlds: WorldRegistry;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
/** On every 401 (RFC 9110 §11.6.1): how to authenticate. */
export const WWW_AUTHENTICATE = 'Bearer realm="interop-conformance"';

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent) return void res.end();
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'content-type': JSON_TYPE } : {}),
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(status === 401 ? { 'www-authenticate': WWW_AUTHENTICATE } : {}),
    ...headers,
  });
  res.end(text);
}

const bearer = (req: IncomingMessage): string | undefined =>
  /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
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
  return { id: hosted.id, tokens: hosted.tokens, controlToken: hosted.controlToken };
}

async function handle(
  worlds: WorldRegistry,
  hosts: ReadonlySet<string>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  checkHost(req, hosts);
  const url = new URL(req.url ?? '/', 'http://service.invalid');
  let segments: string[];
  try {
    segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new HttpError(400, 'bad-request', 'the path is not valid percent-encoding');
  }
  const method = req.method ?? 'GET';
  const faulty = worlds.faults.http;
  const body = async () =>
    parseJson(
      await readBody(req, faulty.has('oversized-body-accepted') ? FAULTY_MAX_BODY_BYTES : MAX_BODY_BYTES),
      req.headers['content-type'],
      faulty.has('malformed-json-repaired') ? repairJson : undefined,
    );
  const [root, worldId, ...rest] = segments;
  if (root !== 'worlds') throw new HttpError(404, 'not-found', 'no such route');

  // The control plane: creating needs nothing; deleting and syncing need the world's control token.
  if (worldId === undefined) {
    if (method !== 'POST') throw methodNotAllowed(['POST']);
    const created = createWorld(worlds, await body());
    return send(res, 201, created);
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
      return send(res, 204);
    }
    const { marker } = check<{ marker: string }>('SyncRequest', raw);
    hosted.events.sync(marker);
    return send(res, 202, { marker });
  }

  // A user's routes: route, body, world, token, shape — in that order.
  const found = match(method, rest);
  if (!found) {
    const allow = methodsAt(rest);
    if (allow.length) throw methodNotAllowed(allow);
    if (faulty.has('unknown-route-answered-ok') && worlds.get(worldId)) return send(res, 200, {});
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
  if (reply.stream) return world.events.open(me, res, lastEventId(req.headers['last-event-id']));
  send(res, reply.status, reply.body);
}

function refusal(e: unknown, log: ((line: string) => void) | undefined): HttpError {
  if (e instanceof HttpError) return e;
  if (e instanceof OutOfScopeError) return new HttpError(400, 'bad-request', e.message);
  log?.(`internal error: ${(e as Error)?.message ?? e}`);
  return new HttpError(500, 'internal', 'internal error');
}

/**
 * A node:http request listener serving `worlds` to requests naming one of `hosts` (default: the loopback names).
 * A client that went away is not an error: its connection is let go, nothing is logged.
 */
export function requestListener(
  worlds: WorldRegistry,
  log?: (line: string) => void,
  hosts: ReadonlySet<string> = allowedHosts('127.0.0.1'),
) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(worlds, hosts, req, res).catch((e: unknown) => {
      if (clientWentAway(e, req)) return void res.destroy();
      const { status, code, message, headers } = refusal(e, log);
      // A refused body may still be arriving: answer, then close the connection (limits.ts drains it meanwhile).
      send(res, status, { error: { code, message } }, status === 413 ? { ...headers, connection: 'close' } : headers);
    });
  };
}

/** A request node:http could not parse (or that timed out arriving): a JSON answer with nosniff, or nothing if the client is gone. */
function clientError(err: Error & { code?: string }, socket: Duplex): void {
  // An answer already under way on this socket (node:http's own field): raw bytes now would corrupt it.
  const answering = (socket as Duplex & { _httpMessage?: unknown })._httpMessage != null;
  if (!socket.writable || answering || (err.code !== 'ERR_HTTP_REQUEST_TIMEOUT' && clientWentAway(err)))
    return void socket.destroy();
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const text = JSON.stringify({
    error: {
      code: 'bad-request',
      message: status === 408 ? 'the request took too long to arrive' : 'the request is not valid HTTP',
    },
  });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: ${JSON_TYPE}\r\ncontent-length: ${Buffer.byteLength(text)}\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n${text}`,
  );
}

export async function startService(o: ServiceOptions = {}): Promise<RunningService> {
  const worlds = new WorldRegistry(parseFaults(o.faults, o.lateDeliveryMs, o.asyncDeliveryMs), {
    ...LIMITS,
    ...o.limits,
  });
  const host = o.host ?? '127.0.0.1';
  const listener = requestListener(worlds, o.log ? rateLimited(o.log) : undefined, allowedHosts(host));
  const timeouts = { requestTimeout: 30_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 };
  const server: Server = o.tls
    ? createTlsServer({ ...timeouts, cert: o.tls.cert, key: o.tls.key }, listener)
    : createServer(timeouts, listener);
  server.on('clientError', clientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Connections with no request in progress, so that closing need not wait for a client's idle keep-alive.
  const busy = new Map<Socket, number>();
  // Over TLS a request's socket is the TLSSocket of 'secureConnection', not the TCP socket of 'connection'.
  server.on(o.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    busy.set(socket, 0);
    socket.on('close', () => busy.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    busy.set(req.socket, (busy.get(req.socket) ?? 0) + 1);
    res.on('close', () => busy.set(req.socket, (busy.get(req.socket) ?? 1) - 1));
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `${o.tls ? 'https' : 'http'}://${shown}:${port}`,
    worlds,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        worlds.close(); // ends every event stream
        server.close(() => resolve());
        setImmediate(() => {
          for (const [socket, n] of busy) if (n <= 0) socket.destroy();
        });
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      })),
  };
}
