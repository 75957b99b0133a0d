/**
 * One event stream per world (specs/openapi.yaml 0.4.0, `streamWorldEvents`): every user's events of the world on
 * one Server-Sent-Events stream, a second view of the same per-user logs the users' own streams read (sse.ts). Each
 * event's `id:` is the stream's whole position — an RFC 8941 Dictionary naming every user of the world with the
 * id of their last event shown here (the reference names every user, 0 included) — so that `Last-Event-ID` resumes
 * every user at once. Opened without it, the stream sends every user's log from the start; with it, each user's
 * events after their entry; in both, in the order the service emitted them (each entry's world-wide `seq`).
 * Four faults break it on purpose (faults.ts): a wrong recipient in the data, a resume that replays or that drops,
 * and ids numbered per world instead of per user.
 */
import type { ServerResponse } from 'node:http';
import { HttpError } from './limits.js';
import { push } from './outbox.js';

/** What the world stream needs of one entry of a user's log (sse.ts). */
export interface LoggedEvent {
  /** The id the event has on its user's own stream. */
  readonly id: number;
  /** Its place in the order the service emitted the world's events. */
  readonly seq: number;
  /** Whose log it is in: the recipient. */
  readonly user: string;
  /** `event: …\ndata: …\n\n`, the data in the world stream's form (a sync marker names its user). */
  readonly tail: Buffer;
}

export interface WorldStreamFaults {
  /** `world-events-replayed-on-reconnect`: Last-Event-ID is ignored, every log is sent from the start again. */
  replay?: boolean;
  /** `world-events-lost-on-reconnect`: a resumed stream gets no catch-up, only the live events. */
  loseOnResume?: boolean;
  /** `world-events-own-numbering`: ids number the world's events in one sequence, not each user's own. */
  worldNumbering?: boolean;
}

/** A world stream's `Last-Event-ID`: absent → undefined; a Dictionary of this world's users → its entries. */
export function worldLastEventId(
  header: string | string[] | undefined,
  users: ReadonlySet<string>,
): Map<string, number> | undefined {
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (value === undefined) return undefined;
  const entries = new Map<string, number>();
  for (const member of value.split(',')) {
    const m = /^[ \t]*([a-z][a-z0-9_-]*)=([0-9]{1,15})[ \t]*$/.exec(member);
    if (!m) throw new HttpError(400, 'bad-request', 'Last-Event-ID must be user=id members separated by commas');
    if (!users.has(m[1]!)) throw new HttpError(400, 'bad-request', 'Last-Event-ID names a user not in this world');
    entries.set(m[1]!, Number(m[2]));
  }
  return entries;
}

interface Open {
  readonly limit: number;
  /** Each user's position on this stream: the id of their last event shown, or where it resumed them from. */
  readonly at: Map<string, number>;
}

export class WorldStreams {
  readonly #open = new Map<ServerResponse, Open>();
  readonly #drop = (res: ServerResponse) => {
    this.onDrop();
    this.#open.delete(res);
  };

  constructor(
    /** Every user of the world, in its order: each id names them all. */
    readonly users: readonly string[],
    readonly bufferBytes: number,
    readonly faults: WorldStreamFaults,
    readonly onDrop: () => void,
  ) {}

  get size(): number {
    return this.#open.size;
  }

  #number(e: LoggedEvent): number {
    return this.faults.worldNumbering ? e.seq : e.id;
  }

  #idLine(at: ReadonlyMap<string, number>): string {
    return `id: ${this.users.map((u) => `${u}=${at.get(u) ?? 0}`).join(', ')}\n`;
  }

  /**
   * Make `res` a world stream: the catch-up (every user's events after `after`'s entry, all of them without it),
   * in emission order, then the live ones. `logs` gives each user's log as kept.
   */
  open(
    res: ServerResponse,
    after: ReadonlyMap<string, number> | undefined,
    logs: (user: string) => readonly LoggedEvent[],
  ): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    res.write(': connected\n\n');
    const from = this.faults.replay ? new Map<string, number>() : new Map(after ?? []);
    const at = new Map(from);
    const catchUp =
      after && this.faults.loseOnResume
        ? []
        : this.users.flatMap((u) => logs(u).filter((e) => this.#number(e) > (from.get(u) ?? 0)));
    catchUp.sort((a, b) => a.seq - b.seq);
    let bytes = 0;
    for (const e of catchUp) {
      at.set(e.user, this.#number(e));
      const line = this.#idLine(at);
      res.write(line);
      res.write(e.tail);
      bytes += line.length + e.tail.length;
    }
    // Synchronously with the catch-up: nothing can be emitted between it and joining the live streams.
    this.#open.set(res, { limit: this.bufferBytes + bytes, at });
    res.on('close', () => this.#open.delete(res));
    if (res.destroyed) this.#open.delete(res); // gone before it was served: 'close' has been and gone
  }

  /** A live event, to every open world stream. */
  emit(e: LoggedEvent): void {
    for (const [res, o] of this.#open) {
      o.at.set(e.user, this.#number(e));
      push(res, this.#idLine(o.at), this.#drop, o.limit);
      push(res, e.tail, this.#drop, o.limit);
    }
  }

  /** A comment (keep-alive) to every open world stream. */
  broadcast(text: string): void {
    for (const [res, o] of this.#open) push(res, text, this.#drop, o.limit);
  }

  close(): void {
    for (const res of this.#open.keys()) res.end();
    this.#open.clear();
  }
}
