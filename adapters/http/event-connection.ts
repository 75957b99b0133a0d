/**
 * What a user's own stream (events.ts) and the world stream (world-events.ts) share: one Server-Sent-Events
 * connection at a time, read in the background; `disconnect()` drops it and leaves it closed, `reconnect()` opens a
 * new one with `Last-Event-ID` (the `id:` of the last event taken); `reached()` waits until the stream has shown a
 * user's event id at or above an answer's event cursor; a stream that breaks or ends while the world is open fails
 * every waiter and every later call. What an event means, and what is wrong with one, is each stream's own
 * (`dispatch`).
 */
import type { Dispatcher } from 'undici';
import { WireFormatViolation } from '../adapter.js';
import { transportCause, type HttpClient, type Redactor } from './client.js';
import { readSse } from './sse-reader.js';

/**
 * Why a stream is dropped, one error for every drop: `abort()` without a reason makes a new DOMException whose stack
 * node's stream destroy reads, and under source maps (tsx) that reading cost a quarter of a second per run of the
 * suite (a drop per person per scenario). Its stack is taken once, here; nothing reports it (a dropped connection is
 * no longer current).
 */
const DROPPED = new Error('the harness dropped this event stream');
void DROPPED.stack;

export abstract class EventConnection {
  /** Who waits for which user's event id (`reached()`), woken when the stream shows it or fails. */
  #waiters: { user: string; id: number; wake: () => void }[] = [];
  #abort = new AbortController();
  /** Which connection is current: a reader of an older one neither dispatches nor reports anything. */
  #connection = 0;
  /** The `id:` of the last event taken from the stream (sent back as Last-Event-ID on reconnecting). */
  #lastEventId: string | undefined;
  /** Dropped by `disconnect()` and not reopened yet: nothing can come through. */
  #disconnected = false;
  /** How many times the stream has been opened (answered 200 text/event-stream). */
  #opened = 0;
  #problem: Error | undefined;
  #closed = false;

  protected constructor(
    protected readonly client: HttpClient,
    private readonly path: string,
    private readonly token: string,
    protected readonly redact: Redactor,
    /** The stream, in messages (`alice's event stream`). */
    readonly what: string,
    /** The request, in the transport's messages. */
    private readonly request: string,
  ) {}

  /** What a reopened stream that took nothing sends as Last-Event-ID: it says so, and the reopen is checked. */
  protected abstract fromStart(): string;
  /** Take one event off the stream (its `data:` text), or `fail()` the stream with what is wrong with it. */
  protected abstract dispatch(event: string, data: string, id: string | undefined): void;
  /** The highest id shown for `user`, or -1 when none yet. */
  protected abstract shown(user: string): number;

  protected get opened(): number {
    return this.#opened;
  }

  /** Open a connection; resolves when the service has answered 200 text/event-stream. */
  protected async connect(): Promise<void> {
    const connection = ++this.#connection;
    // A reopened stream always says where it was, even when it had taken nothing: without the header the service
    // resumes after what it last *sent*, and a delivery sent to the dropped connection before the service saw it go
    // (a loaded machine) would be neither seen nor sent again — lost to the harness, and a cursor never reached.
    const resume = this.#lastEventId ?? (connection > 1 ? this.fromStart() : undefined);
    const res = await this.client.stream(
      this.path,
      this.token,
      this.#abort.signal,
      { what: this.request, redact: this.redact },
      resume !== undefined ? { 'last-event-id': resume } : {},
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
    this.#opened++;
    void this.#read(res.body, connection);
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
      await this.connect();
      this.#disconnected = false;
    } catch (e) {
      this.fail(e as Error);
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

  /**
   * Stop observing: nothing is reported from now on. With `graceful`, the connection is left for the service to end
   * (deleting the world ends its streams): a response read to its end leaves its connection in the pool for the next
   * request, where an aborted one is destroyed. `close()` without it (or again) cuts it.
   */
  close(graceful = false): void {
    this.#closed = true;
    if (!graceful) this.#abort.abort(DROPPED);
  }

  /** What went wrong with the stream, thrown by the next call. */
  protected get problem(): Error | undefined {
    return this.#problem;
  }

  protected fail(problem: Error): void {
    if (this.#closed || this.#problem) return;
    this.#problem = problem;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.wake();
  }

  /**
   * Undefined when the stream has shown an event of `user` with an id at or above `id` already (the common case, no
   * promise made); else a promise that resolves when it does, and rejects with what went wrong with the stream, or
   * after `timeoutMs` with an error naming the user, the cursor and the last id seen — never a hang.
   */
  protected reachedBy(user: string, id: number, timeoutMs: number): Promise<void> | undefined {
    if (this.#problem) return Promise.reject(this.#problem);
    if (id <= 0 || this.shown(user) >= id) return undefined;
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        user,
        id,
        wake: () => {
          clearTimeout(timer);
          if (this.#problem) reject(this.#problem);
          else resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        const shown = this.shown(user);
        reject(
          this.#problem ??
            new Error(
              `${this.what}: the event cursor of the last answer promised ${user}'s events up to the id ${id}, but the stream had shown only up to ${shown < 0 ? 'none' : shown} after ${timeoutMs} ms`,
            ),
        );
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /**
   * An event's data read as JSON and the schema its type names (`delivery`, or `sync` as `syncSchema`); undefined
   * once the stream is failed for data that is not JSON or a type the document does not have.
   */
  protected typed<S extends string>(
    event: string,
    text: string,
    syncSchema: S,
  ): { data: unknown; schema: 'DeliveryEvent' | S } | undefined {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      this.fail(
        new Error(this.redact.text(`${this.what}: an event's data is not JSON: ${JSON.stringify(text.slice(0, 120))}`)),
      );
      return undefined;
    }
    const schema = event === 'delivery' ? 'DeliveryEvent' : event === 'sync' ? syncSchema : undefined;
    if (!schema) {
      this.fail(
        new WireFormatViolation(
          this.redact.text(`${this.what}: an event of type "${event}", which specs/openapi.yaml does not document`),
        ),
      );
      return undefined;
    }
    return { data, schema };
  }

  /** Wake whoever waits for an id of `user` up to `n` (the others wait on). */
  protected wake(user: string, n: number): void {
    if (!this.#waiters.length) return;
    const woken = this.#waiters.filter((w) => w.user === user && w.id <= n);
    if (!woken.length) return;
    this.#waiters = this.#waiters.filter((w) => !woken.includes(w));
    for (const w of woken) w.wake();
  }

  async #read(body: Dispatcher.ResponseData['body'], connection: number): Promise<void> {
    const current = () => connection === this.#connection;
    try {
      await readSse(
        body,
        current,
        ({ event, data, id }) => {
          if (id !== undefined) this.#lastEventId = id;
          if (data !== undefined) this.dispatch(event, data, id);
        },
        () => this.#problem !== undefined,
      );
      if (current())
        this.fail(new Error(`${this.what} ended while the world was open: deliveries can no longer be observed`));
    } catch (e) {
      if (current())
        this.fail(new Error(this.redact.text(`${this.what} broke: ${transportCause(e, this.client.o.timeoutMs)}`)));
    }
  }
}
