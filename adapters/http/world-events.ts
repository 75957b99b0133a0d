/**
 * The world stream (specs/openapi.yaml 0.4.0, `streamWorldEvents`; `--adapter-option events=world`): every user's
 * events of one world on one Server-Sent-Events stream, opened with the world's control token, each delivery laid
 * in the buffer of the recipient its `to` names. Each event's `id:` is an RFC 8941 Dictionary of every user's
 * position; the stream is reopened with the last one as `Last-Event-ID` and must then send exactly each user's
 * events after their entry. Read strictly, as a user's own stream is (events.ts), and more (WIRE-001 unless said):
 * an id that is not a Dictionary of this world's users; an event for a user not in the world; an id that moves
 * another user's entry than its recipient's (the event contradicts its own id); an entry that goes down; a
 * recipient's entry that does not go up (WIRE-003: an event replayed); two users' events in another order than
 * answers' cursors prove (world-order.ts). An entry the event cursor of a later answer does not reach is the
 * cursor's check (cursor.ts, `shownBefore`). `view(user)` gives each person the face of a user's own stream.
 */
import { WireFormatViolation } from '../adapter.js';
import type { Delivery } from '../../specs/protocol.js';
import type { HttpClient, Redactor } from './client.js';
import { EventConnection } from './event-connection.js';
import { parseCursor } from './cursor.js';
import type { EventView } from './events.js';
import type { ApiDocument } from './schema.js';
import { CountedOrder } from './world-order.js';

/** More undrained deliveries than this for one world: something is flooding the stream. */
const MAX_BUFFERED = 10_000;

export class WorldEvents extends EventConnection {
  readonly #buffers = new Map<string, Delivery[]>();
  /** Each user's position: the recipient entry of the last event shown for them (where the stream resumed them). */
  readonly #at = new Map<string, number>();
  #buffered = 0;
  /** Holds two users' events to the order answers' cursors prove (told every cursor: open-streams.ts). */
  readonly order = new CountedOrder((user) => this.lastId(user));
  readonly #users: ReadonlySet<string>;

  private constructor(
    client: HttpClient,
    private readonly doc: ApiDocument,
    path: string,
    token: string,
    users: readonly string[],
    redact: Redactor,
  ) {
    super(client, path, token, redact, 'the world stream', `harness: GET ${path.replace(/^\/worlds\/[^/]+/, '')}`);
    this.#users = new Set(users);
  }

  /** Open the world's stream; resolves when the service has answered 200 text/event-stream. */
  static async open(
    client: HttpClient,
    doc: ApiDocument,
    path: string,
    token: string,
    users: readonly string[],
    redact: Redactor,
    counted: readonly ReadonlyMap<string, number>[] = [],
  ): Promise<WorldEvents> {
    const events = new WorldEvents(client, doc, path, token, users, redact);
    for (const entries of counted) events.order.counted(entries); // cursors taken before it opened (world-probes.ts)
    await events.connect();
    return events;
  }

  /** Every user at 0: the reopen is then checked as any other. */
  protected fromStart(): string {
    return [...this.#users].map((u) => `${u}=0`).join(', ');
  }

  protected shown(user: string): number {
    return this.#at.get(user) ?? -1;
  }

  protected positions(): ReadonlyMap<string, number> {
    return new Map(this.#at);
  }

  drain(user: string): Delivery[] {
    if (this.problem) throw this.problem;
    const taken = this.#buffers.get(user)?.splice(0) ?? [];
    this.#buffered -= taken.length;
    return taken;
  }

  lastId(user: string): number {
    return this.#at.get(user) ?? 0;
  }

  reached(user: string, id: number, timeoutMs: number): Promise<void> | undefined {
    return this.reachedBy(user, id, timeoutMs);
  }

  #violation(why: string, requirement?: string): void {
    this.fail(new WireFormatViolation(this.redact.text(`${this.what}: ${why}`), [], requirement));
  }

  protected dispatch(event: string, text: string, id: string | undefined): void {
    const typed = this.typed(event, text, 'WorldSyncEvent');
    if (!typed) return;
    const { data, schema } = typed;
    const problems = this.doc.problems(schema, data);
    if (problems.length)
      return this.fail(
        new WireFormatViolation(
          `${this.what}: a ${event} event that is not a ${schema} (specs/openapi.yaml)`,
          problems.map((p) => this.redact.text(p)),
        ),
      );
    const to = (data as { to: string }).to;
    if (!this.#users.has(to)) return this.#violation(`a ${event} event for ${to}, who is no user of this world`);
    const entries = id === undefined ? 'it has none' : parseCursor(id, this.#users);
    if (typeof entries === 'string')
      return this.#violation(
        `a ${event} event for ${to} whose id ${id === undefined ? '' : `"${id.slice(0, 80)}" `}is not a Dictionary of this world's users (${entries}); specs/openapi.yaml 0.4.0 gives every world stream event every user's position`,
      );
    // Only the recipient's entry may move: another moving means the event is not the one its id says it is.
    for (const u of this.#users) {
      if (u === to) continue;
      const before = this.lastId(u);
      const now = entries.get(u) ?? 0;
      if (now > before)
        return this.#violation(
          `a ${event} event for ${to} whose id moves ${u}'s entry from ${before} to ${now} (an event moves its recipient's entry only)`,
        );
    }
    const before = this.lastId(to);
    const now = entries.get(to) ?? 0;
    if (now <= before)
      return this.#violation(
        `a ${event} event for ${to} with the id ${now} after the id ${before}; a world stream reopened with Last-Event-ID sends each user only what came after their entry (WIRE-003: an event replayed)`,
        'WIRE-003',
      );
    for (const u of this.#users) {
      const now = entries.get(u) ?? 0;
      if (u !== to && now < this.lastId(u))
        return this.#violation(
          `a ${event} event for ${to} whose id puts ${u}'s entry down from ${this.lastId(u)} to ${now} (left out means 0; an entry never goes down)`,
        );
    }
    const disorder = this.order.outOfOrder(event, to, now);
    if (disorder) return this.#violation(disorder);
    this.#at.set(to, now);
    this.wake(to, now);
    if (schema === 'WorldSyncEvent') return;
    const d = data as Delivery;
    if (d.text !== undefined) d.text = this.redact.text(d.text);
    let buffer = this.#buffers.get(to);
    if (!buffer) this.#buffers.set(to, (buffer = []));
    buffer.push(d);
    if (++this.#buffered > MAX_BUFFERED)
      this.fail(new Error(`${this.what}: over ${MAX_BUFFERED} deliveries were never drained`));
  }

  /** One person's face of the world stream, as a user's own stream shows it to the session. */
  view(user: string): EventView {
    // The opening this person last saw: the runner drops every person's stream, then reopens each, and the world
    // stream is reopened once for them all — by the first, or by whoever finds it not reopened since their last.
    let seen = this.opened;
    const world = this; // the getters below have the view as `this`
    return {
      user,
      drain: () => this.drain(user),
      get lastId() {
        return world.lastId(user);
      },
      reached: (id, timeoutMs) => this.reached(user, id, timeoutMs),
      get disconnected() {
        return world.disconnected;
      },
      disconnect: () => this.disconnect(),
      reconnect: async () => {
        if (this.disconnected || this.opened === seen) await this.reconnect();
        seen = this.opened;
      },
      close: (graceful) => this.close(graceful),
    };
  }
}
