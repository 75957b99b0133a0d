/**
 * One user's event stream (Server-Sent Events on `GET /worlds/{id}/me/events`), consumed in the background:
 * `event: delivery` becomes a Delivery with the server's `deliveredAt`, buffered until `drain()` takes it;
 * `event: sync` (0.2.0's deprecated marker) is checked and passed over. Nothing here ever waits for an event,
 * except `reached()`, which waits until the stream has shown an event id at or above an answer's event cursor
 * for this user. A stream that breaks or ends while the world is open, or carries an event the API document does
 * not allow, is reported by the next `drain()` or `reached()`. `reconnect()` drops
 * the connection and opens a new one with `Last-Event-ID` (the id of the last event taken): the service must then
 * send exactly what came after it. `disconnect()` drops the connection and leaves it closed until `reconnect()`,
 * so that deliveries can be made while the user has no stream (the service keeps them for the resume). An event
 * whose id does not increase along the user's stream (across reconnects too) is a wire violation (WIRE-003: a
 * replay); nothing here removes duplicates, so a replayed delivery is also for the harness to see.
 */
import { WireFormatViolation } from '../adapter.js';
import type { Delivery } from '../../specs/protocol.js';
import type { HttpClient, Redactor } from './client.js';
import { EventConnection } from './event-connection.js';
import type { ApiDocument } from './schema.js';

/** More undrained deliveries than this for one user: something is flooding the stream. */
const MAX_BUFFERED = 10_000;

/**
 * What the session needs of one person's events, whichever stream carries them: their own (UserEvents) or the
 * world's (world-events.ts, `events=world`).
 */
export interface EventView {
  readonly user: string;
  drain(): Delivery[];
  /** The highest event id shown for this user (0: none yet). */
  readonly lastId: number;
  reached(id: number, timeoutMs: number): Promise<void> | undefined;
  readonly disconnected: boolean;
  disconnect(): void;
  reconnect(): Promise<void>;
  close(graceful?: boolean): void;
}

export class UserEvents extends EventConnection implements EventView {
  readonly #buffer: Delivery[] = [];
  /** The highest event id dispatched so far, on any connection: the next one must be above it. */
  #highestId = -1;

  private constructor(
    readonly user: string,
    client: HttpClient,
    private readonly doc: ApiDocument,
    path: string,
    token: string,
    redact: Redactor,
  ) {
    const what = `${user}'s event stream`;
    super(client, path, token, redact, what, what);
  }

  /** Open `user`'s stream; resolves when the service has answered 200 text/event-stream. */
  static async open(
    client: HttpClient,
    doc: ApiDocument,
    path: string,
    user: string,
    token: string,
    redact: Redactor,
  ): Promise<UserEvents> {
    const events = new UserEvents(user, client, doc, path, token, redact);
    await events.connect();
    return events;
  }

  protected fromStart(): string {
    return '0';
  }

  protected shown(): number {
    return this.#highestId;
  }

  protected positions(): ReadonlyMap<string, number> {
    return new Map(this.#highestId < 0 ? [] : [[this.user, this.#highestId]]);
  }

  /** What has arrived since the last call, oldest first; throws what went wrong with the stream, if anything did. */
  drain(): Delivery[] {
    if (this.problem) throw this.problem;
    return this.#buffer.splice(0);
  }

  /** The highest event id this stream has shown (0: none yet). */
  get lastId(): number {
    return Math.max(this.#highestId, 0);
  }

  reached(id: number, timeoutMs: number): Promise<void> | undefined {
    return this.reachedBy(this.user, id, timeoutMs);
  }

  protected dispatch(event: string, text: string, id: string | undefined): void {
    const typed = this.typed(event, text, 'SyncEvent');
    if (!typed) return;
    const { data, schema } = typed;
    // Without ids a stream cannot be resumed (Last-Event-ID); their order is the service's to keep, and a replay
    // is left for the harness to see as duplicate deliveries.
    if (!id || !/^\d{1,15}$/.test(id))
      return this.fail(
        new WireFormatViolation(
          `${this.what}: a ${event} event ${id ? `with the id "${this.redact.text(id.slice(0, 20))}"` : 'without an id'}; specs/openapi.yaml gives every event a whole-number id`,
        ),
      );
    // Ids increase along the user's stream, and a reopened stream starts after Last-Event-ID: an id at or below
    // one already taken is an event sent twice (WIRE-003), even a sync marker whose replay nobody would notice.
    const n = Number(id);
    if (n <= this.#highestId)
      return this.fail(
        new WireFormatViolation(
          `${this.what}: a ${event} event with the id ${n} after the id ${this.#highestId}; specs/openapi.yaml makes ids increase along a user's stream, and a stream reopened with Last-Event-ID sends only what came after it (WIRE-003: an event replayed)`,
          [],
          'WIRE-003',
        ),
      );
    this.#highestId = n;
    const problems = this.doc.problems(schema, data);
    if (problems.length)
      return this.fail(
        new WireFormatViolation(
          `${this.what}: an ${event} event that is not a ${schema} (specs/openapi.yaml)`,
          problems.map((p) => this.redact.text(p)),
        ),
      );
    // Whoever is woken resumes after this turn: the delivery below is in the buffer by then.
    this.wake(this.user, n);
    if (schema === 'SyncEvent') return;
    const d = data as Delivery;
    if (d.to !== this.user) return this.fail(new WireFormatViolation(`${this.what}: a delivery addressed to ${d.to}`));
    if (d.text !== undefined) d.text = this.redact.text(d.text);
    this.#buffer.push(d);
    if (this.#buffer.length > MAX_BUFFERED)
      this.fail(new Error(`${this.what}: over ${MAX_BUFFERED} deliveries were never drained`));
  }
}
