/**
 * Server-Sent Events for one world: each user's deliveries as `event: delivery` with the server's time, sync
 * markers as `event: sync`, and a keep-alive comment now and then. Deliveries for a user with no open stream
 * wait (a bounded number) until one opens.
 */
import type { ServerResponse } from 'node:http';
import type { Delivery } from '../../../specs/protocol.js';

const KEEP_ALIVE_MS = 15_000;
/** Deliveries kept for a user who has no stream open; older ones are dropped beyond this. */
const MAX_WAITING = 10_000;

export class EventHub {
  readonly #streams = new Map<string, Set<ServerResponse>>();
  readonly #waiting = new Map<string, string[]>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #keepAlive: NodeJS.Timeout;
  #seq = 0;

  /** `lateMs`: hold every delivery back this long (the `late-delivery` fault). */
  constructor(private readonly lateMs = 0) {
    this.#keepAlive = setInterval(() => this.#broadcast(': keep-alive\n\n'), KEEP_ALIVE_MS).unref();
  }

  /** Make `res` an event stream of `user`'s, and send what was waiting for it. */
  open(user: string, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.write(': connected\n\n');
    const set = this.#streams.get(user) ?? new Set();
    set.add(res);
    this.#streams.set(user, set);
    res.on('close', () => set.delete(res));
    for (const frame of this.#waiting.get(user) ?? []) res.write(frame);
    this.#waiting.delete(user);
  }

  deliver(delivery: Delivery): void {
    const send = () => this.#send(delivery.to, this.#frame('delivery', { ...delivery, deliveredAt: Date.now() }));
    if (this.lateMs <= 0) return send();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      send();
    }, this.lateMs);
    this.#timers.add(timer);
  }

  /** A marker on every open stream, after everything sent so far (never held back). */
  sync(marker: string): void {
    const frame = this.#frame('sync', { marker });
    for (const set of this.#streams.values()) for (const res of set) res.write(frame);
  }

  /** End every stream and drop what was waiting or held back. */
  close(): void {
    clearInterval(this.#keepAlive);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const set of this.#streams.values()) for (const res of set) res.end();
    this.#streams.clear();
    this.#waiting.clear();
  }

  #frame(event: string, data: unknown): string {
    return `id: ${++this.#seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  }

  #send(user: string, frame: string): void {
    const set = this.#streams.get(user);
    if (set?.size) {
      for (const res of set) res.write(frame);
      return;
    }
    const waiting = this.#waiting.get(user) ?? [];
    waiting.push(frame);
    if (waiting.length > MAX_WAITING) waiting.shift();
    this.#waiting.set(user, waiting);
  }

  #broadcast(text: string): void {
    for (const set of this.#streams.values()) for (const res of set) res.write(text);
  }
}
