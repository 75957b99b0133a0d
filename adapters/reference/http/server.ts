/**
 * The reference interop service over HTTP (node:http): every request answered by answer.ts (the control plane
 * and every route of routes.ts under `/worlds/{id}/`, as documented in specs/openapi.yaml). Listens on 127.0.0.1 by default; port 0 picks a free port; answers only requests whose Host
 * names a loopback name or the configured host (421 otherwise). Nothing it logs contains a token or a request's
 * headers. Every answer carries `X-Content-Type-Options: nosniff`; every 401 `WWW-Authenticate`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { errorBody, respond } from './answer.js';
import { parseFaults } from './faults.js';
import { LIMITS, readBody, type Limits } from './limits.js';
import { allowedHosts, clientWentAway, rateLimited } from './guard.js';
import type { TlsMaterial } from './tls.js';
import { WorldRegistry } from './worlds.js';

export { answer, WWW_AUTHENTICATE, type WireAnswer, type WireRequest } from './answer.js';

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
  /** Connections accepted since the service started (the bench counts a run's new TCP connections). */
  connections?(): number;
  close(): Promise<void>;
}

/**
 * A node:http request listener serving `worlds` to requests naming one of `hosts` (default: the loopback names):
 * answer.ts answers every request, reading its body from the socket within the limit; an event stream is handed
 * the response. A client that went away is not an error: its connection is let go, nothing is logged.
 */
export function requestListener(
  worlds: WorldRegistry,
  log?: (line: string) => void,
  hosts: ReadonlySet<string> = allowedHosts('127.0.0.1'),
) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const head = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
    respond(worlds, head, {
      hosts,
      log,
      body: (limit) => readBody(req, limit),
      wentAway: (e) => clientWentAway(e, req),
    })
      .then((answer) => {
        if (answer.stream) return answer.stream(res);
        if (res.headersSent) return void res.end();
        // A refused body may still be arriving: answer, then close the connection (limits.ts drains it meanwhile).
        res.writeHead(
          answer.status,
          answer.status === 413 ? { ...answer.headers, connection: 'close' } : answer.headers,
        );
        res.end(answer.body);
      })
      .catch(() => res.destroy());
  };
}

/** A request node:http could not parse (or that timed out arriving): a JSON answer with nosniff, or nothing if the client is gone. */
function clientError(err: Error & { code?: string }, socket: Duplex): void {
  // An answer already under way on this socket (node:http's own field): raw bytes now would corrupt it.
  const answering = (socket as Duplex & { _httpMessage?: unknown })._httpMessage != null;
  if (!socket.writable || answering || (err.code !== 'ERR_HTTP_REQUEST_TIMEOUT' && clientWentAway(err)))
    return void socket.destroy();
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const requestId = randomUUID();
  const message = status === 408 ? 'the request took too long to arrive' : 'the request is not valid HTTP';
  const text = JSON.stringify(errorBody('bad-request', message, requestId));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nx-content-type-options: nosniff\r\nrequest-id: ${requestId}\r\nconnection: close\r\n\r\n${text}`,
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
  let accepted = 0;
  // Over TLS a request's socket is the TLSSocket of 'secureConnection', not the TCP socket of 'connection'.
  server.on(o.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    accepted++;
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
    connections: () => accepted,
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
