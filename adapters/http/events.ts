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
import type { Dispatcher } from 'undici';
import { WireFormatViolation } from '../adapter.js';
import type { Delivery } from '../../specs/protocol.js';
import { transportCause, type HttpClient, type Redactor } from './client.js';
import type { ApiDocument } from './schema.js';
import { readSse } from './sse-reader.js';

/** More undrained deliveries than this for one user: something is flooding the stream. */
const MAX_BUFFERED = 10_000;

/**
 * Why a stream is dropped, one error for every drop: `abort()` without a reason makes a new DOMException whose stack
 * node's stream destroy reads, and under source maps (tsx) that reading cost a quarter of a second per run of the
 * suite (a drop per person per scenario). Its stack is taken once, here; nothing reports it (a dropped connection is
 * no longer current).
 */
const DROPPED = new Error('the harness dropped this event stream');
void DROPPED.stack;

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

export class UserEvents implements EventView {
  readonly #buffer: Delivery[] = [];
  /** Who waits for which event id (`reached()`), woken when the stream shows it or fails. */
  #waiters: { id: number; wake: () => void }[] = [];
  #abort = new AbortController();
  /** Which connection is current: a reader of an older one neither dispatches nor reports anything. */
  #connection = 0;
  /** The `id:` of the last event taken from the stream (sent back as Last-Event-ID on reconnecting). */
  #lastEventId: string | undefined;
  /** The highest event id dispatched so far, on any connection: the next one must be above it. */
  #highestId = -1;
  /** Dropped by `disconnect()` and not reopened yet: nothing can come through. */
  #disconnected = false;
  #problem: Error | undefined;
  #closed = false;

  private constructor(
    readonly user: string,
    private readonly client: HttpClient,
    private readonly doc: ApiDocument,
    private readonly path: string,
    private readonly token: string,
    private readonly redact: Redactor,
    private readonly what: string,
  ) {}

  /** Open `user`'s stream; resolves when the service has answered 200 text/event-stream. */
  static async open(
    client: HttpClient,
    doc: ApiDocument,
    path: string,
    user: string,
    token: string,
    redact: Redactor,
  ): Promise<UserEvents> {
    const events = new UserEvents(user, client, doc, path, token, redact, `${user}'s event stream`);
    await events.#connect();
    return events;
  }

  async #connect(): Promise<void> {
    const connection = ++this.#connection;
    // A reopened stream always says where it was, `0` when it had taken nothing: without the header the service
    // resumes after what it last *sent*, and a delivery sent to the dropped connection before the service saw it go
    // (a loaded machine) would be neither seen nor sent again — lost to the harness, and a cursor never reached.
    const resume = this.#lastEventId ?? (connection > 1 ? '0' : undefined);
    const headers: Record<string, string> = resume !== undefined ? { 'last-event-id': resume } : {};
    const res = await this.client.stream(
      this.path,
      this.token,
      this.#abort.signal,
      { what: this.what, redact: this.redact },
      headers,
    );
    const type = String(res.headers['content-type'] ?? '');
    if (res.statusCode !== 200 || !type.startsWith('text/event-stream')) {
      const text = await res.body.text().catch(() => '');
      throw new Error(
        this.redact.text(
          `${this.what}: the service answered ${res.statusCode} ${type || 'without a content-type'} instead of an event stream${text ? `: ${text.slice(0, 120)}` : ''}`,
        ),
      );
    }
    void this.#read(res.body, this.client.o.timeoutMs, connection);
  }

  /**
   * Drop the connection and open a new one that resumes after the last event taken. What the old connection
   * had not handed over yet is left to the new one (the service sends everything after Last-Event-ID).
   */
  async reconnect(): Promise<void> {
    if (this.#problem) throw this.#problem;
    if (this.#closed) throw new Error(`${this.what} is closed`);
    this.#drop();
    try {
      await this.#connect();
      this.#disconnected = false;
    } catch (e) {
      this.#fail(e as Error);
      throw e;
    }
  }

  /** Drop the connection and open none: what is delivered now must reach the user on `reconnect()`. */
  disconnect(): void {
    if (this.#closed || this.#disconnected) return;
    this.#drop();
    this.#disconnected = true;
  }

  /** Whether `disconnect()` left the stream closed (nothing can come through it now). */
  get disconnected(): boolean {
    return this.#disconnected;
  }

  #drop(): void {
    this.#connection++;
    this.#abort.abort(DROPPED);
    this.#abort = new AbortController();
  }

  /** What has arrived since the last call, oldest first; throws what went wrong with the stream, if anything did. */
  drain(): Delivery[] {
    if (this.#problem) throw this.#problem;
    return this.#buffer.splice(0);
  }

  /** The highest event id this stream has shown (0: none yet). */
  get lastId(): number {
    return Math.max(this.#highestId, 0);
  }

  /**
   * Undefined when the stream has shown an event with an id at or above `id` already (the common case, no promise
   * made); else a promise that resolves when it does, and rejects with what went wrong with the stream, or after
   * `timeoutMs` with an error naming the user, the cursor and the last id seen — never a hang.
   */
  reached(id: number, timeoutMs: number): Promise<void> | undefined {
    if (this.#problem) return Promise.reject(this.#problem);
    if (id <= 0 || this.#highestId >= id) return undefined;
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        id,
        wake: () => {
          clearTimeout(timer);
          if (this.#problem) reject(this.#problem);
          else resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(
          this.#problem ??
            new Error(
              `${this.what}: the event cursor of the last answer promised ${this.user}'s events up to the id ${id}, but the stream had shown only up to ${this.#highestId < 0 ? 'none' : this.#highestId} after ${timeoutMs} ms`,
            ),
        );
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /**
   * Stop observing: nothing is reported from now on. With `graceful`, the connection is left for the service to end
   * (deleting the world ends its streams): a response read to its end leaves its connection in the pool for the next
   * request, where an aborted one is destroyed. `close()` without it (or again) cuts it.
   */
  close(graceful = false): void {
    this.#closed = true;
    if (!graceful) this.#abort.abort(DROPPED);
  }

  #fail(problem: Error): void {
    if (this.#closed || this.#problem) return;
    this.#problem = problem;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.wake();
  }

  /** Wake whoever waits for an id up to `n` (the others wait on). */
  #wakeUpTo(n: number): void {
    const woken = this.#waiters.filter((w) => w.id <= n);
    if (!woken.length) return;
    this.#waiters = this.#waiters.filter((w) => w.id > n);
    for (const w of woken) w.wake();
  }

  async #read(body: Dispatcher.ResponseData['body'], timeoutMs: number, connection: number): Promise<void> {
    const current = () => connection === this.#connection;
    try {
      await readSse(
        body,
        current,
        ({ event, data, id }) => {
          if (id !== undefined) this.#lastEventId = id;
          if (data !== undefined) this.#dispatch(event, data, id);
        },
        () => this.#problem !== undefined,
      );
      if (current())
        this.#fail(new Error(`${this.what} ended while the world was open: deliveries can no longer be observed`));
    } catch (e) {
      if (current()) this.#fail(new Error(this.redact.text(`${this.what} broke: ${transportCause(e, timeoutMs)}`)));
    }
  }

  #dispatch(event: string, text: string, id: string | undefined): void {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return this.#fail(
        new Error(this.redact.text(`${this.what}: an event's data is not JSON: ${JSON.stringify(text.slice(0, 120))}`)),
      );
    }
    const schema = event === 'delivery' ? 'DeliveryEvent' : event === 'sync' ? 'SyncEvent' : undefined;
    if (!schema)
      return this.#fail(
        new WireFormatViolation(
          `${this.what}: an event of type "${this.redact.text(event)}", which specs/openapi.yaml does not document`,
        ),
      );
    // Without ids a stream cannot be resumed (Last-Event-ID); their order is the service's to keep, and a replay
    // is left for the harness to see as duplicate deliveries.
    if (!id || !/^\d{1,15}$/.test(id))
      return this.#fail(
        new WireFormatViolation(
          `${this.what}: a ${event} event ${id ? `with the id "${this.redact.text(id.slice(0, 20))}"` : 'without an id'}; specs/openapi.yaml gives every event a whole-number id`,
        ),
      );
    // Ids increase along the user's stream, and a reopened stream starts after Last-Event-ID: an id at or below
    // one already taken is an event sent twice (WIRE-003), even a sync marker whose replay nobody would notice.
    const n = Number(id);
    if (n <= this.#highestId)
      return this.#fail(
        new WireFormatViolation(
          `${this.what}: a ${event} event with the id ${n} after the id ${this.#highestId}; specs/openapi.yaml makes ids increase along a user's stream, and a stream reopened with Last-Event-ID sends only what came after it (WIRE-003: an event replayed)`,
          [],
          'WIRE-003',
        ),
      );
    this.#highestId = n;
    const problems = this.doc.problems(schema, data);
    if (problems.length)
      return this.#fail(
        new WireFormatViolation(
          `${this.what}: an ${event} event that is not a ${schema} (specs/openapi.yaml)`,
          problems.map((p) => this.redact.text(p)),
        ),
      );
    // Whoever is woken resumes after this turn: the delivery below is in the buffer by then.
    if (this.#waiters.length) this.#wakeUpTo(n);
    if (schema === 'SyncEvent') return;
    const d = data as Delivery;
    if (d.to !== this.user) return this.#fail(new WireFormatViolation(`${this.what}: a delivery addressed to ${d.to}`));
    if (d.text !== undefined) d.text = this.redact.text(d.text);
    this.#buffer.push(d);
    if (this.#buffer.length > MAX_BUFFERED)
      this.#fail(new Error(`${this.what}: over ${MAX_BUFFERED} deliveries were never drained`));
  }
}
