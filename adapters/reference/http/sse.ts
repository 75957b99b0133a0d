/**
 * Server-Sent Events for one world: each user's deliveries as `event: delivery` with the server's time, sync
 * markers as `event: sync`, and a keep-alive comment now and then. Every event carries an `id:` that increases
 * along the user's own log; a stream opened with `Last-Event-ID: N` gets exactly the user's events after N, then
 * the live ones (nothing replayed, nothing lost). Without the header, a stream gets what no stream of the user
 * has been sent yet. A user's log keeps the last MAX_LOG events.
 * Backpressure: each frame is encoded once and the same Buffer written to every stream; a stream whose unsent
 * bytes (`writableLength`) pass MAX_STREAM_BUFFER_BYTES — a reader that stopped reading — is cut, which releases
 * what it held; its user reconnects with Last-Event-ID and resumes from the log. What a stream is sent on opening
 * (the catch-up, frames of the log, not copies) is allowed on top, so that resuming far behind is not a drop.
 * Fan-out: at most FANOUT_BYTES_PER_TICK are written to streams in one turn of the event loop; the rest waits, in
 * order, for the next turns — so that a frame for 500 streams never blocks the service for all of them at once.
 */
import type { ServerResponse } from 'node:http';
import type { Delivery } from '../../../specs/protocol.js';
import { MAX_STREAM_BUFFER_BYTES } from './limits.js';

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
}

interface Entry {
  readonly id: number;
  readonly delivery: boolean;
  readonly frame: Buffer;
}

/** Bytes written to event streams in one turn of the event loop, before the rest waits for the next turn. */
export const FANOUT_BYTES_PER_TICK = 1024 * 1024;

/** Write `chunk` to `res`, or cut `res` when its reader has fallen `limit` bytes behind. */
function write(
  res: ServerResponse,
  chunk: Buffer | string,
  onDrop: (res: ServerResponse) => void,
  limit: number,
): void {
  if (res.destroyed || res.writableEnded) return;
  res.write(chunk);
  if (res.writableLength > limit) {
    onDrop(res);
    res.destroy();
  }
}

interface Pending {
  res: ServerResponse;
  chunk: Buffer | string;
  onDrop: (res: ServerResponse) => void;
  limit: number;
}

/**
 * The process's writes to event streams, FANOUT_BYTES_PER_TICK a turn: written at once while the turn has room
 * and nothing waits, else queued in order (frames are shared Buffers: the queue holds references, not copies).
 */
const outbox = new (class {
  #queue: Pending[] = [];
  #head = 0;
  #spent = 0;
  #turn = false;

  push(p: Pending): void {
    const size = typeof p.chunk === 'string' ? p.chunk.length : p.chunk.length;
    if (this.#head === this.#queue.length && this.#spent + size <= FANOUT_BYTES_PER_TICK) {
      this.#spent += size;
      write(p.res, p.chunk, p.onDrop, p.limit);
    } else this.#queue.push(p);
    this.#nextTurn();
  }

  #nextTurn(): void {
    if (this.#turn) return;
    this.#turn = true;
    setImmediate(() => {
      this.#turn = false;
      this.#spent = 0;
      while (this.#head < this.#queue.length && this.#spent < FANOUT_BYTES_PER_TICK) {
        const p = this.#queue[this.#head++]!;
        this.#spent += p.chunk.length;
        write(p.res, p.chunk, p.onDrop, p.limit);
      }
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      }
      if (this.#spent > 0 || this.#queue.length) this.#nextTurn();
    });
  }
})();

const push = (
  res: ServerResponse,
  chunk: Buffer | string,
  onDrop: (res: ServerResponse) => void,
  limit: number,
): void => outbox.push({ res, chunk, onDrop, limit });

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
    readonly drop: (res: ServerResponse) => void,
    readonly bufferBytes: number,
  ) {}

  append(event: string, data: unknown): void {
    const id = this.next++;
    const entry = {
      id,
      delivery: event === 'delivery',
      frame: Buffer.from(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    };
    this.entries.push(entry);
    // An unsent delivery shifted out here stays counted in `queued` (a refusal a little early) until a stream opens.
    if (this.entries.length > MAX_LOG) this.entries.shift();
    if (!this.streams.size) {
      if (entry.delivery) this.queued++;
      return;
    }
    for (const [res, limit] of this.streams) push(res, entry.frame, this.drop, limit);
    this.sentUpTo = id;
    this.queued = 0;
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
  /** Streams cut for falling behind, since the hub began. */
  dropped = 0;

  constructor(private readonly o: HubOptions = {}) {
    this.#keepAlive = setInterval(() => this.#broadcast(': keep-alive\n\n'), KEEP_ALIVE_MS).unref();
  }

  #log(user: string): UserLog {
    let log = this.#logs.get(user);
    if (!log) {
      const streams = (log = new UserLog((res) => {
        this.dropped++;
        streams.delete(res);
      }, this.o.streamBufferBytes ?? MAX_STREAM_BUFFER_BYTES)).streams;
      this.#logs.set(user, log);
    }
    return log;
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
      if (this.o.loseWhileClosed && log.opened && !log.streams.size) return;
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
  }

  #broadcast(text: string): void {
    for (const log of this.#logs.values()) for (const [res, limit] of log.streams) push(res, text, log.drop, limit);
  }
}
