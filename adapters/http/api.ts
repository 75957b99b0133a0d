/**
 * Calling one operation of the API document as one user of one world: the path from the template, the bearer
 * token, the answer parsed and checked against the document before anybody looks at it.
 */
import { WireFormatViolation } from '../adapter.js';
import { jsonOf, type HttpClient, type RawAnswer, type Redactor } from './client.js';
import { CURSOR_SOURCE, type EventCursor } from './cursor.js';
import type { ApiDocument, Operation } from './schema.js';

export interface Answer {
  status: number;
  /** The parsed, schema-checked JSON body (undefined when there is none). */
  data: any;
}

export interface InvokeOptions {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Sent as is instead of `body` (probes: malformed or oversized JSON). */
  rawBody?: string;
  /** Another world's id (probes). */
  worldId?: string;
  /** A token other than the actor's own (probes). */
  token?: string;
}

export class WorldApi {
  constructor(
    readonly client: HttpClient,
    readonly doc: ApiDocument,
    readonly redact: Redactor,
    readonly worldId: string,
    readonly tokens: Readonly<Record<string, string>>,
    /** The session's event cursor: every answer to a user of this world, with their own token, must carry one. */
    readonly cursor?: EventCursor,
  ) {}

  /** The path of `op` in this (or another) world; `{worldId}` and the other parameters filled in. */
  path(op: Operation, params: Record<string, string> = {}, worldId = this.worldId): string {
    return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = name === 'worldId' ? worldId : params[name];
      if (value === undefined) throw new Error(`${op.id} needs the path parameter ${name}`);
      return encodeURIComponent(value);
    });
  }

  /** "tara: POST /me/chats/sam/messages" — the world's id and every token left out. */
  describe(as: string, method: string, path: string): string {
    return this.redact.text(`${as}: ${method} ${path.replace(/^\/worlds\/[^/]+/, '')}`);
  }

  /** Send a request as `as` (a user of this world) and return the raw answer. */
  async raw(
    as: string,
    method: string,
    path: string,
    o: { body?: string; contentType?: string; token?: string } = {},
  ): Promise<RawAnswer & { what: string }> {
    const what = this.describe(as, method, path);
    // Own keys only: a user named `constructor` or `toString` must not find Object's members.
    const token = o.token ?? (Object.hasOwn(this.tokens, as) ? this.tokens[as] : undefined);
    const answer = await this.client.send(method, path, {
      what,
      redact: this.redact,
      ...(token ? { token } : {}),
      ...(o.body !== undefined ? { body: o.body } : {}),
      ...(o.contentType ? { contentType: o.contentType } : {}),
    });
    return { ...answer, what };
  }

  /** Call operation `id` as `as`; the answer must be documented and of the documented shape. */
  async invoke(id: string, as: string, o: InvokeOptions = {}): Promise<Answer> {
    const op = this.doc.operation(id);
    const query = o.query ? `?${new URLSearchParams(o.query)}` : '';
    const body = o.rawBody ?? (o.body !== undefined ? JSON.stringify(o.body) : undefined);
    const shown = this.cursor?.shownNow();
    const a = await this.raw(as, op.method, this.path(op, o.params, o.worldId) + query, {
      ...(body !== undefined ? { body } : {}),
      ...(o.token ? { token: o.token } : {}),
    });
    const answer = this.checked(id, a);
    // Due on the answer to a user of this world acting with their own token in it, unless refused as unknown (401).
    if (this.cursor && !o.token && !o.worldId && a.status !== 401 && Object.hasOwn(this.tokens, as))
      this.cursor.take(a.cursor, `${a.what} answered ${a.status}`, (s) => this.redact.text(s), shown);
    return answer;
  }

  /** A raw answer to operation `id`, parsed and checked against the document (statuses, shapes), redacted. */
  checked(id: string, a: RawAnswer & { what: string }): Answer {
    const op = this.doc.operation(id);
    const data = jsonOf(a, a.what, this.redact);
    // A 401 tells its caller nothing of the world: a cursor on it would hand a stranger every user's name and event
    // count (the document: never on a 401).
    if (a.status === 401 && a.cursor !== undefined)
      throw new WireFormatViolation(
        this.redact.text(
          `${a.what} answered 401 with an Interop-Event-Cursor; ${CURSOR_SOURCE} puts none on a 401: it would tell a caller without a valid token each user's event count`,
        ),
        [this.redact.text(`Interop-Event-Cursor: ${a.cursor.slice(0, 200)}`)],
      );
    try {
      this.doc.check(op, a.status, data, `${a.what} answered ${a.status}`);
    } catch (e) {
      if (e instanceof WireFormatViolation)
        throw new WireFormatViolation(
          this.redact.text(e.message),
          e.details.map((d) => this.redact.text(d)),
        );
      throw e;
    }
    return { status: a.status, data };
  }
}
