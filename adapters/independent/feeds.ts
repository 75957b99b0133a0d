/**
 * Each user's event log, a projection of the world's log: every `delivered` fact becomes an `event: delivery`
 * on its recipient's feed, every `sync-marked` an `event: sync` on the feeds of the users it names. A feed numbers
 * its events 1, 2, 3… (its own ids, WIRE-003) and keeps the last FEED_KEEP for resuming with Last-Event-ID. Two
 * views read a feed (document 0.4.0): the user's own streams (`live`, here) and the world's streams
 * (world-stream.ts), which `Feeds` hands every event to, with its place in the order the world emitted them.
 */
import type { ServerResponse } from 'node:http';
import type { LogEntry } from './events.js';
import type { FeedEvent, WorldView } from './feed-event.js';
import { NO_DEFECTS, type Switches } from './faults/memory.js';
import { endsWithWorld, otherWorldsViews, worldSyncData } from './faults/world-stream.js';

/** openapi.yaml: "The service keeps the last 10 000 events of each user for resuming." */
export const FEED_KEEP = 10_000;
const KEEP_ALIVE_MS = 15_000;
export const SLOW_READER_CUT = 1024 * 1024;

export class Feed {
  readonly events: FeedEvent[] = [];
  nextId = 1;
  /** The highest id any stream of this user has been sent: a stream opened without Last-Event-ID starts after it. */
  sentUpTo = 0;
  /** Whether this user has ever opened a stream (sync markers go to those users only). */
  opened = false;
  readonly live = new Set<ServerResponse>();

  constructor(
    readonly defects: Switches = NO_DEFECTS,
    readonly user = '',
    readonly hub?: Feeds,
  ) {}

  /** The id of the last event emitted to this user's log (0: none yet): what the event cursor says of this user. */
  get lastId(): number {
    return this.nextId - 1;
  }

  push(name: FeedEvent['name'], data: object): void {
    const text = JSON.stringify(data);
    const worldData =
      name === 'sync' ? worldSyncData(this.defects, JSON.stringify({ ...data, to: this.user }), text) : text;
    const e: FeedEvent = { id: this.nextId++, seq: this.hub?.nextSeq() ?? 0, name, data: text, worldData };
    // events-lost-while-disconnected: what is emitted while a user who had a stream has none is kept for nobody.
    if (!(this.defects.has('events-lost-while-disconnected') && this.opened && this.live.size === 0))
      this.events.push(e);
    if (this.events.length > FEED_KEEP) this.events.splice(0, this.events.length - FEED_KEEP);
    for (const res of this.live) this.write(res, e);
    this.hub?.toViews(this.user, e);
  }

  /** A view wrote `id` of this log to a client: it counts as sent, as if a stream of this user had been open. */
  sent(id: number): void {
    if (id > this.sentUpTo) this.sentUpTo = id;
  }

  write(res: ServerResponse, e: FeedEvent): void {
    // A reader that stopped reading would make this service hold its backlog without bound: past SLOW_READER_CUT
    // unread bytes the stream is cut, and its user resumes with Last-Event-ID (nothing is lost: the feed keeps it).
    if (res.writableLength > SLOW_READER_CUT) return void res.destroy();
    res.write(`id: ${e.id}\nevent: ${e.name}\ndata: ${e.data}\n\n`);
    this.sent(e.id);
  }

  /** Attach a stream: first what it missed (after `lastEventId`, or after what earlier streams were sent), then live. */
  attach(res: ServerResponse, lastEventId: number | undefined): void {
    this.opened = true;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    res.write(': stream open\n\n');
    const after =
      lastEventId === undefined
        ? this.sentUpTo
        : lastEventId - (this.defects.has('reconnect-replays-last-event') ? 1 : 0);
    for (const e of this.events) if (e.id > after) this.write(res, e);
    this.live.add(res);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    keepAlive.unref();
    res.on('close', () => {
      clearInterval(keepAlive);
      this.live.delete(res);
    });
  }

  end(): void {
    for (const res of this.live) res.end();
    this.live.clear();
  }
}

export class Feeds {
  readonly #byUser = new Map<string, Feed>();
  readonly views = new Set<WorldView>();
  #seq = 0;
  constructor(readonly defects: Switches = NO_DEFECTS) {}

  of(user: string): Feed {
    let f = this.#byUser.get(user);
    if (!f) this.#byUser.set(user, (f = new Feed(this.defects, user, this)));
    return f;
  }

  nextSeq(): number {
    return ++this.#seq;
  }

  toViews(user: string, e: FeedEvent): void {
    for (const v of this.views) v.take(user, e);
    for (const v of otherWorldsViews(this.defects, this.views)) v.take(user, e);
  }

  /** Users who have opened a stream: the ones a sync marker is written for. */
  openedBy(): string[] {
    return [...this.#byUser.entries()].filter(([, f]) => f.opened).map(([u]) => u);
  }

  /** Each of `users` who has had an event, with the id of their last one, in the order given (the event cursor). */
  cursor(users: Iterable<string>): [string, number][] {
    const out: [string, number][] = [];
    for (const u of users) {
      const f = this.#byUser.get(u);
      if (f && f.lastId > 0) out.push([u, f.lastId]);
    }
    return out;
  }

  project(entry: LogEntry): void {
    const e = entry.event;
    if (e.type === 'delivered')
      this.of(e.delivery.to).push('delivery', {
        ...e.delivery,
        deliveredAt: this.defects.has('delivered-at-in-seconds') ? Math.floor(entry.at / 1000) : entry.at,
      });
    else if (e.type === 'sync-marked') for (const u of e.users) this.of(u).push('sync', { marker: e.marker });
  }

  endAll(): void {
    for (const f of this.#byUser.values()) f.end();
    if (endsWithWorld(this.defects)) for (const v of this.views) v.end();
    this.views.clear();
  }
}
