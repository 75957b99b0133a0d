/**
 * One event stream per world (openapi.yaml 0.4.0, `streamWorldEvents`; optional, offered here): every user's log
 * of the world on one stream, opened with the world's control token. It is a second view of the same per-user
 * logs (feeds.ts): the same events, the same `data:` (a sync marker also says whose log it is in), the same
 * per-user ids. Each event's `id:` is this stream's position in every log after the event, as an RFC 8941
 * Dictionary, so that a client sending the last `id:` back as `Last-Event-ID` resumes every user at once.
 */
import type { ServerResponse } from 'node:http';
import type { FeedEvent, WorldView } from './feed-event.js';
import { SLOW_READER_CUT, type Feeds } from './feeds.js';
import type { Switches } from './faults/memory.js';
import { countsAsSent, joinBus, worldStreamFaults, type WorldStreamFaults } from './faults/world-stream.js';

/** What `POST /worlds` answers in `capabilities`: this service offers every world its stream. */
export const WORLD_EVENTS = 'world-events';
const KEEP_ALIVE_MS = 15_000;

/**
 * `tara=3, sam=1`: each user's position, in the world's order of users. A user still at 0 is left out (the
 * document: "left out means 0"); once above 0 a user never goes back to 0, so is never left out again.
 */
export const serialiseWorldEventId = (at: ReadonlyMap<string, number>): string =>
  [...at]
    .filter(([, id]) => id > 0)
    .map(([u, id]) => `${u}=${id}`)
    .join(', ');

class WorldStream implements WorldView {
  readonly #keepAlive: NodeJS.Timeout;

  constructor(
    readonly res: ServerResponse,
    readonly feeds: Feeds,
    /** Each user's position on this stream: their last id shown, or where it resumed them from. */
    readonly at: Map<string, number>,
    readonly faults: WorldStreamFaults,
    readonly defects: Switches,
  ) {
    this.#keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.#keepAlive.unref();
    res.on('close', () => {
      clearInterval(this.#keepAlive);
      feeds.views.delete(this);
    });
  }

  /** Show one event of `user`'s log: live, or (`catchingUp`) from the log on opening. */
  take(user: string, e: FeedEvent, catchingUp = false): void {
    if (!this.faults.shows(user, this.at)) return;
    // A reader that stopped reading is cut past SLOW_READER_CUT unread bytes; it resumes with Last-Event-ID.
    if (this.res.writableLength > SLOW_READER_CUT) return void this.res.destroy();
    if (e.id > (this.at.get(user) ?? 0)) this.at.set(user, e.id);
    const id = this.faults.id(user, e, this.at, serialiseWorldEventId);
    this.res.write(`id: ${id}\nevent: ${e.name}\ndata: ${this.faults.data(e, catchingUp)}\n\n`);
    if (countsAsSent(this.defects)) this.feeds.of(user).sent(e.id);
  }

  end(): void {
    this.res.end();
  }
}

/**
 * Open a world stream on `res`: every user counts as having opened a stream (for sync markers); first each user's
 * events after their position (`lastEventId`, or from the start of the log), in the order the world emitted them,
 * then the live ones. Synchronous, so no event is emitted between the catch-up and the live part.
 */
export function openWorldStream(
  res: ServerResponse,
  feeds: Feeds,
  users: readonly string[],
  lastEventId: string | undefined,
  defects: Switches,
): void {
  const faults = worldStreamFaults(defects);
  const at =
    lastEventId === undefined
      ? new Map(users.map((u) => [u, 0]))
      : faults.resume(lastEventId, users, (u) => feeds.of(u).lastId);
  for (const u of users) feeds.of(u).opened = true;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
  });
  res.write(': stream open\n\n');
  const stream = new WorldStream(res, feeds, at, faults, defects);
  const from = new Map(at);
  const missed = users.flatMap((u) =>
    feeds
      .of(u)
      .events.filter((e) => e.id > from.get(u)!)
      .map((e) => ({ u, e })),
  );
  for (const { u, e } of faults.catchUpOrder(missed)) stream.take(u, e, true);
  feeds.views.add(stream);
  joinBus(defects, stream, res);
}
