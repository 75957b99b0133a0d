/**
 * `interop-conformance/msw`: client conformance (issue 12, item 3). msw handlers that answer a client's requests
 * as the interop would for one world — backed by the reference service, in process — while every request is held
 * to the API document (specs/openapi.yaml) and recorded; `report()` lists the requests that broke it, each with
 * the clause of specs/requirements.yaml it breaks (CLIENT-001…003).
 *
 * The world's root stands where `https://graph.microsoft.com` stands (graph-surface: `/worlds/{id}` is Graph's
 * host), so by default a client written for Microsoft Graph is intercepted unchanged: `GET
 * https://graph.microsoft.com/v1.0/me/chats` is the world's `GET /worlds/{id}/v1.0/me/chats`.
 *
 * Event streams (`text/event-stream` operations) are out of scope: msw answers a request with one response, and
 * a stream that never ends would hold the client's test open. They are checked and recorded like any request and
 * answered 501 with a JSON error.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import type { World } from '../../specs/protocol.js';
import { createBackend, type Backend, type BackendAnswer } from './backend.js';
import { Recorder, type ClientReport, type RecordedRequest, type Violation } from './record.js';
import { RequestChecker } from './request-check.js';
import { resolveWorld, type ScenarioWorld } from './world.js';

export type { ClientReport, RecordedRequest, Violation } from './record.js';
export { CLIENT_REQUIREMENTS, type ClientClause } from './request-check.js';
export type { ScenarioWorld } from './world.js';

/** Where a world's root stands unless told otherwise: Microsoft Graph's host. */
export const GRAPH_ROOT = 'https://graph.microsoft.com';

export interface InteropMockOptions {
  /** The world: as a scenario's `world:` is written (`platform:` per user, defaults left out), or a resolved World. */
  world: ScenarioWorld | World;
  /** Where the world's root stands: requests under it are the world's (default `https://graph.microsoft.com`). */
  baseUrl?: string;
}

export interface InteropMock {
  /** The msw request handlers: pass them to `setupServer(...handlers)` (msw/node) or `server.use(...)`. */
  readonly handlers: HttpHandler[];
  /** Each user's bearer token, by user name. */
  readonly tokens: Readonly<Record<string, string>>;
  /** The world root the handlers answer under (no trailing slash). */
  readonly baseUrl: string;
  /** Every request so far, in order, redacted. */
  requests(): RecordedRequest[];
  /** Every clause broken so far, in the order of the requests. */
  violations(): Violation[];
  /** The requests and the violations, as data and as text. */
  report(): ClientReport;
  /** Throws a ClientConformanceError, whose message is the report's text, when any request broke the document. */
  assertNoViolations(): void;
  /** Forget the requests recorded so far (the world keeps its state). */
  reset(): void;
  /** Delete the world and release the service. */
  close(): Promise<void>;
}

/** A client broke the API document: the message lists the requests and the clauses. */
export class ClientConformanceError extends Error {
  constructor(readonly report: ClientReport) {
    super(report.text);
    this.name = 'ClientConformanceError';
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
let checker: RequestChecker | undefined;

/** What an event stream's request gets: msw answers once, and a stream that never ends would hold the test open. */
const STREAM_REFUSED: BackendAnswer = {
  status: 501,
  headers: { 'content-type': JSON_TYPE },
  body: Buffer.from(
    JSON.stringify({
      error: { code: 'not-implemented', message: 'event streams are not served through msw: use serve and its SSE' },
    }),
  ),
};

async function createWorld(backend: Backend, world: World) {
  const created = await backend.answer({
    method: 'POST',
    url: '/worlds',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(world)),
  });
  const data = JSON.parse(created.body.toString('utf8') || '{}');
  if (created.status !== 201)
    throw new Error(
      `the reference refused the world (${created.status}): ${data?.error?.message ?? 'no reason given'}`,
    );
  return data as { id: string; tokens: Record<string, string>; controlToken: string };
}

/** Handlers answering `options.world` as the interop would, and what they recorded. */
export async function interopHandlers(options: InteropMockOptions): Promise<InteropMock> {
  const baseUrl = new URL(options.baseUrl ?? GRAPH_ROOT).href.replace(/\/+$/, '');
  const root = new URL(baseUrl).pathname.replace(/\/+$/, '');
  checker ??= new RequestChecker();
  const backend = createBackend();
  const { id, tokens, controlToken } = await createWorld(backend, resolveWorld(options.world));
  const whose = new Map<string, string>(Object.entries(tokens).map(([user, token]) => [token, user]));
  const recorder = new Recorder(new Map([...whose, [controlToken, "the world's control"]]));
  // The document's `control` scheme admits the world's control token; every other bearer scheme a user's.
  const tokenOk = (scheme: string, token: string) => (scheme === 'control' ? token === controlToken : whose.has(token));

  const handler = http.all(new RegExp(`^${escapeRegExp(baseUrl)}(?=[/?#]|$)`), async ({ request }) => {
    const url = new URL(request.url);
    const shown = url.pathname.slice(root.length) || '/';
    const path = `/worlds/${encodeURIComponent(id)}${shown === '/' ? '' : shown}`;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
    const body = Buffer.from(await request.arrayBuffer());
    const checked = checker!.check(
      { method: request.method, path, shown, query: url.searchParams, headers, body: body.toString('utf8') },
      tokenOk,
    );
    const answer = checked.operation?.stream
      ? STREAM_REFUSED
      : await backend.answer({ method: request.method, url: path + url.search, headers, body });
    recorder.add({
      method: request.method,
      path: shown + url.search,
      ...(checked.operation ? { operationId: checked.operation.id } : {}),
      ...(checked.token !== undefined && whose.has(checked.token) ? { user: whose.get(checked.token)! } : {}),
      headers,
      status: answer.status,
      findings: checked.findings,
    });
    const empty = answer.body.length === 0 || answer.status === 204 || answer.status === 304;
    return new HttpResponse(empty ? null : answer.body, { status: answer.status, headers: answer.headers });
  });

  return {
    handlers: [handler],
    tokens,
    baseUrl,
    requests: () => recorder.report().requests.slice(),
    violations: () => recorder.report().violations.slice(),
    report: () => recorder.report(),
    assertNoViolations() {
      const report = recorder.report();
      if (report.violations.length) throw new ClientConformanceError(report);
    },
    reset: () => recorder.clear(),
    async close() {
      await backend.answer({
        method: 'DELETE',
        url: `/worlds/${encodeURIComponent(id)}`,
        headers: { authorization: `Bearer ${controlToken}` },
        body: Buffer.alloc(0),
      });
      backend.close();
    },
  };
}

export interface InteropServerOptions extends InteropMockOptions {
  /** What msw does with a request outside the world's root (default 'error': a client reaching elsewhere fails). */
  onUnhandledRequest?: 'bypass' | 'warn' | 'error';
}

/** The server setupInteropServer has listening, if any: msw intercepts with one server per process. */
let listening: SetupServer | undefined;

/**
 * `interopHandlers` with an msw server already listening; `close()` also closes the server. One at a time: a
 * second server would see the first's requests as unhandled (and refuse them under 'error').
 */
export async function setupInteropServer(
  options: InteropServerOptions,
): Promise<InteropMock & { readonly server: SetupServer }> {
  if (listening)
    throw new Error(
      'setupInteropServer: another interop server is listening (msw intercepts with one server per process); close it first, or give each world interopHandlers({ world, baseUrl }) and put all their handlers in one setupServer(...)',
    );
  const mock = await interopHandlers(options);
  const server = setupServer(...mock.handlers);
  server.listen({ onUnhandledRequest: options.onUnhandledRequest ?? 'error' });
  listening = server;
  return {
    ...mock,
    server,
    async close() {
      server.close();
      if (listening === server) listening = undefined;
      await mock.close();
    },
  };
}
