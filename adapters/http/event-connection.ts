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
import { CURSOR_SOURCE, type EventCursor } from './cursor.js';
import { readSse } from './sse-reader.js';

/**
 * Why a stream is dropped, one error for every drop: `abort()` without a reason makes a new DOMException whose stack
 * node's stream destroy reads, and under source maps (tsx) that reading cost a quarter of a second per run of the
 * suite (a drop per person per scenario). Its stack is taken once, here; nothing reports it (a dropped connection is
 * no longer current).
 */
const DROPPED = new Error('the harness dropped this event stream');
void DROPPED.stack;

/** What the stream was when last dropped: who was behind their cursor entry, and each user's position. */
interface Drop {
  behind: ReadonlySet<string>;
  shown: ReadonlyMap<string, number>;
}

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
  /** The answers' cursor, when the session has one (open-streams.ts): a position never reached is judged by it. */
  #cursor: Pick<EventCursor, 'entries' | 'raisedBy'> | undefined;
  /**
   * At the last reopen: the Last-Event-ID sent, every user's cursor entry (what the reopened stream owes), and who
   * was behind their entry already when the stream was dropped (a shortfall older than the reopen is not its own).
   */
  #reopened: { from: string | undefined; owed: ReadonlyMap<string, number>; drop: Drop } | undefined;
  #lastDrop: Drop = { behind: new Set(), shown: new Map() };

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

  /** Judge a position never reached by the answers' `cursor`: which answer promised it, what a reopen owed. */
  countedBy(cursor: Pick<EventCursor, 'entries' | 'raisedBy'>): void {
    this.#cursor = cursor;
  }

  /** What a reopened stream that took nothing sends as Last-Event-ID: it says so, and the reopen is checked. */
  protected abstract fromStart(): string;
  /** Take one event off the stream (its `data:` text), or `fail()` the stream with what is wrong with it. */
  protected abstract dispatch(event: string, data: string, id: string | undefined): void;
  /** The highest id shown for `user`, or -1 when none yet. */
  protected abstract shown(user: string): number;
  /** The highest id shown for every user shown anything so far. */
  protected abstract positions(): ReadonlyMap<string, number>;

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
    if (connection > 1)
      this.#reopened = { from: resume, owed: this.#cursor?.entries() ?? new Map(), drop: this.#lastDrop };
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
      const message = this.redact.text(
        `${this.what}: the service answered ${res.statusCode} ${type || 'without a content-type'} instead of an event stream${text ? `: ${text.slice(0, 120)}` : ''}`,
      );
      // The harness asks with the world's own token for a stream the world has (or offered): anything but the stream
      // breaks the document (WIRE-001). A 5xx stays the system's trouble, an error, as for every other request.
      throw res.statusCode >= 500 ? new Error(message) : new WireFormatViolation(message);
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
    if (!this.#disconnected) this.#noteBehind();
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
    this.#noteBehind();
    this.#drop();
    this.#disconnected = true;
  }

  /** Who is behind their cursor entry as the stream is dropped, and where each user's stream was. */
  #noteBehind(): void {
    const behind = new Set<string>();
    for (const [user, id] of this.#cursor?.entries() ?? []) if (id > 0 && this.shown(user) < id) behind.add(user);
    this.#lastDrop = { behind, shown: this.positions() };
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
   * after `timeoutMs` with a WireFormatViolation naming the user, the cursor and the last id seen — never a hang.
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
        reject(this.#problem ?? this.#neverReached(user, id, timeoutMs));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /**
   * The service's own answer promised `user`'s events up to `id` and the live stream never showed them: a finding
   * about the service, not an adapter error. The cursor counts only events emitted before its answer was sent, so
   * they were on their way. Events a reopened stream owed (counted before the reopen: the runner reopens right
   * after an action made while the streams were down), for a user whose stream had reached the cursor when it was
   * dropped and has shown nothing of theirs since, were lost on reconnect (WIRE-003); any other is a cursor counting
   * events the stream never shows (WIRE-001): a cursor one ahead must not read as a lost catch-up, whether no step
   * had waited for it before the drop or the catch-up brought every event there is but the one it counts.
   * Evidence: the stream, both positions, the answer.
   */
  #neverReached(user: string, id: number, timeoutMs: number): WireFormatViolation {
    const shown = this.shown(user);
    const promised = `${this.what}: the event cursor of the last answer promised ${user}'s events up to the id ${id}, but the stream had shown only up to ${shown < 0 ? 'none' : shown} after ${timeoutMs} ms`;
    const by = this.#cursor?.raisedBy(user);
    const evidence = by ? [`the cursor promising it: ${by}`] : [];
    const reopen = this.#reopened;
    if (
      reopen &&
      id <= (reopen.owed.get(user) ?? 0) &&
      !reopen.drop.behind.has(user) &&
      shown <= (reopen.drop.shown.get(user) ?? -1)
    )
      return new WireFormatViolation(
        this.redact.text(
          `${promised}: reopened with ${reopen.from === undefined ? 'no Last-Event-ID' : `Last-Event-ID ${JSON.stringify(reopen.from.slice(0, 120))}`}, it never sent ${user}'s events emitted before or while it was down (WIRE-003: events lost on reconnect)`,
        ),
        evidence,
        'WIRE-003',
      );
    return new WireFormatViolation(
      this.redact.text(
        `${promised}: the cursor counts events the stream never shows, where ${CURSOR_SOURCE} counts only events emitted before the answer was sent`,
      ),
      evidence,
    );
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
