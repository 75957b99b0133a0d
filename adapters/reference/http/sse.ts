/**
 * Server-Sent Events for one world: each user's deliveries as `event: delivery` with the server's time, sync
 * markers as `event: sync`, and a keep-alive comment now and then. Every event carries an `id:` that increases
 * along the user's own log; a stream opened with `Last-Event-ID: N` gets exactly the user's events after N, then
 * the live ones (nothing replayed, nothing lost). Without the header, a stream gets what no stream of the user
 * has been sent yet. A user's log keeps the last MAX_LOG events.
 * The world stream (world-stream.ts, document 0.4.0) is a second view of the same logs: every event appended is
 * also written to the world's open world streams, and what they are sent counts as sent to its user.
 * Backpressure: each frame is encoded once and the same Buffer written to every stream; a stream whose unsent
 * bytes (`writableLength`) pass MAX_STREAM_BUFFER_BYTES — a reader that stopped reading — is cut, which releases
 * what it held; its user reconnects with Last-Event-ID and resumes from the log. What a stream is sent on opening
 * (the catch-up, frames of the log, not copies) is allowed on top, so that resuming far behind is not a drop.
 * Fan-out: outbox.ts, at most FANOUT_BYTES_PER_TICK a turn of the event loop.
 */
import type { ServerResponse } from 'node:http';
import type { Delivery } from '../../../specs/protocol.js';
import { MAX_STREAM_BUFFER_BYTES } from './limits.js';
import { push } from './outbox.js';
import { WorldStreams, type LoggedEvent, type WorldStreamFaults } from './world-stream.js';

export { FANOUT_BYTES_PER_TICK } from './outbox.js';

const KEEP_ALIVE_MS = 15_000;
/** Events kept per user for resuming; a client further behind than this has lost the older ones. */
export const MAX_LOG = 10_000;

export interface HubOptions {
  /** Emit every delivery this long after it was made (the `late-delivery` and `async-delivery` faults). */
  delayMs?: number;
  /** `events-replayed-on-reconnect`: ignore Last-Event-ID and send the user's whole log again. */
  replayOnReconnect?: boolean;
  /** `events-lost-on-reconnect`: a delivery emitted while a user who had a stream has none is dropped. */
  loseWhileClosed?: boolean;
  /** A stream whose unsent bytes pass this is cut (default MAX_STREAM_BUFFER_BYTES). */
  streamBufferBytes?: number;
  /** Every user of the world, in its order (the world stream's ids name them all). */
  users?: readonly string[];
  /** The world stream's faults (world-stream.ts). */
  world?: WorldStreamFaults & {
    /** `world-events-wrong-recipient`: on the world stream a delivery names its sender as its recipient. */
    wrongRecipient?: boolean;
  };
}

interface Entry extends LoggedEvent {
  readonly delivery: boolean;
  readonly frame: Buffer;
}

/** What every log of one world shares: the world streams, and the order of emission across users. */
interface Shared {
  readonly world: WorldStreams;
  seq: number;
  readonly wrongRecipient: boolean;
}

/** One user's events: the log, the streams open now, and how far any stream got. */
class UserLog {
  readonly entries: Entry[] = [];
  /** The open streams, each with the bytes it may hold unsent (the buffer, plus its catch-up). */
  readonly streams = new Map<ServerResponse, number>();
  next = 1;
  /** The highest id written to some stream of this user. */
  sentUpTo = 0;
  /** Deliveries after sentUpTo: held for the user until a stream takes them (MAX_QUEUED_DELIVERIES). */
  queued = 0;
  opened = false;

  constructor(
    readonly user: string,
    readonly drop: (res: ServerResponse) => void,
    readonly bufferBytes: number,
    readonly shared: Shared,
  ) {}

  append(event: string, data: Record<string, unknown>): void {
    const id = this.next++;
    const head = `id: ${id}\n`;
    const frame = Buffer.from(`${head}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const delivery = event === 'delivery';
    // The world stream's form: a delivery's data as is (its `to` names the recipient: one Buffer, two views), a
    // sync marker's with the user whose log it is in.
    const worldData = !delivery
      ? { ...data, to: this.user }
      : this.shared.wrongRecipient
        ? { ...data, to: data.from }
        : undefined;
    const tail = worldData
      ? Buffer.from(`event: ${event}\ndata: ${JSON.stringify(worldData)}\n\n`)
      : frame.subarray(head.length);
    const entry: Entry = { id, seq: ++this.shared.seq, user: this.user, delivery, frame, tail };
    this.entries.push(entry);
    // An unsent delivery shifted out here stays counted in `queued` (a refusal a little early) until a stream opens.
    if (this.entries.length > MAX_LOG) this.entries.shift();
    if (!this.streams.size && !this.shared.world.size) {
      if (entry.delivery) this.queued++;
      return;
    }
    for (const [res, limit] of this.streams) push(res, entry.frame, this.drop, limit);
    this.shared.world.emit(entry);
    this.sentUpTo = id;
    this.queued = 0;
  }

  /** Count every event as sent: a world stream has taken them (its catch-up). */
  taken(): void {
    this.sentUpTo = Math.max(this.sentUpTo, this.next - 1);
    this.queued = 0;
    this.opened = true;
  }

  /** Write every event after `after` to `res` (in order), count them as sent, and make `res` a live stream. */
  resume(res: ServerResponse, after: number): void {
    let catchUp = 0;
    for (const e of this.entries) {
      if (e.id <= after) continue;
      res.write(e.frame);
      catchUp += e.frame.length;
    }
    this.sentUpTo = Math.max(this.sentUpTo, this.next - 1);
    this.queued = 0;
    this.streams.set(res, this.bufferBytes + catchUp);
  }
}

/** The id a client last saw, from its `Last-Event-ID` header; anything else (absent, not ours) is undefined. */
export function lastEventId(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

export class EventHub {
  readonly #logs = new Map<string, UserLog>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #keepAlive: NodeJS.Timeout;
  readonly #shared: Shared;
  /** Streams cut for falling behind, since the hub began. */
  dropped = 0;

  constructor(private readonly o: HubOptions = {}) {
    this.#keepAlive = setInterval(() => this.#broadcast(': keep-alive\n\n'), KEEP_ALIVE_MS).unref();
    const world = new WorldStreams(o.users ?? [], o.streamBufferBytes ?? MAX_STREAM_BUFFER_BYTES, o.world ?? {}, () => {
      this.dropped++;
    });
    this.#shared = { world, seq: 0, wrongRecipient: o.world?.wrongRecipient ?? false };
  }

  #log(user: string): UserLog {
    let log = this.#logs.get(user);
    if (!log) {
      const streams = (log = new UserLog(
        user,
        (res) => {
          this.dropped++;
          streams.delete(res);
        },
        this.o.streamBufferBytes ?? MAX_STREAM_BUFFER_BYTES,
        this.#shared,
      )).streams;
      this.#logs.set(user, log);
    }
    return log;
  }

  /**
   * Make `res` a world stream (world-stream.ts): every user's events after `after`'s entries (from the start
   * without it), then the live ones. Opening it counts as every user opening a stream (for sync markers), and what
   * it is sent as sent to each user.
   */
  openWorld(res: ServerResponse, after: ReadonlyMap<string, number> | undefined): void {
    const users = this.o.users ?? [];
    this.#shared.world.open(res, after, (u) => this.#log(u).entries);
    for (const u of users) this.#log(u).taken();
  }

  /** The id of the last event emitted to `user`'s log (0: none yet), for the event cursor (cursor.ts). */
  lastId(user: string): number {
    const log = this.#logs.get(user);
    return log ? log.next - 1 : 0;
  }

  /** Deliveries held for `user` that no stream has taken yet. */
  queued(user: string): number {
    return this.#logs.get(user)?.queued ?? 0;
  }

  /** Make `res` an event stream of `user`'s, resuming after `after` (its Last-Event-ID) or where no stream got. */
  open(user: string, res: ServerResponse, after?: number): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    res.write(': connected\n\n');
    const log = this.#log(user);
    // Synchronously: nothing can be appended between the catch-up and joining the live streams.
    log.resume(res, this.o.replayOnReconnect ? 0 : (after ?? log.sentUpTo));
    log.opened = true;
    res.on('close', () => log.streams.delete(res));
    if (res.destroyed) log.streams.delete(res); // gone before it was served: 'close' has been and gone
  }

  deliver(delivery: Delivery): void {
    const emit = () => {
      const log = this.#log(delivery.to);
      if (this.o.loseWhileClosed && log.opened && !log.streams.size && !this.#shared.world.size) return;
      log.append('delivery', { ...delivery, deliveredAt: Date.now() });
    };
    const delay = this.o.delayMs ?? 0;
    if (delay <= 0) return emit();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      emit();
    }, delay);
    this.#timers.add(timer);
  }

  /**
   * A marker in the log of every user who has opened a stream, after every delivery emitted so far. Never held
   * back: a delivery still waiting (a fault's delay) comes after it. A user reconnecting gets it on resuming.
   */
  sync(marker: string): void {
    for (const log of this.#logs.values()) if (log.opened) log.append('sync', { marker });
  }

  /** End every stream and drop what was held back. */
  close(): void {
    clearInterval(this.#keepAlive);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const log of this.#logs.values()) {
      for (const res of log.streams.keys()) res.end();
      log.streams.clear();
    }
    this.#shared.world.close();
  }

  #broadcast(text: string): void {
    for (const log of this.#logs.values()) for (const [res, limit] of log.streams) push(res, text, log.drop, limit);
    this.#shared.world.broadcast(text);
  }
}
