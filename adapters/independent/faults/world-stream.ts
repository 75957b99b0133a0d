/**
 * Faults of the world stream (document 0.4.0, ../world-stream.ts; catalogue-world.ts): what a careless
 * implementer of one stream per world could get wrong — the offer, who may open it, how its ids are formed, how a
 * `Last-Event-ID` resumes it, in what order it catches up, which world's events it carries. `worldStreamFaults`
 * answers the conformant behaviour when every switch is off; one is made per stream, so that what a fault counts
 * per connection lives with that connection.
 */
import type { FeedEvent, WorldView } from '../feed-event.js';
import { refuseWith } from '../gates.js';
import { serviceMemoryOf, type Switches } from './memory.js';

type Serialise = (at: ReadonlyMap<string, number>) => string;
type Missed = { u: string; e: FeedEvent }[];

export interface WorldStreamFaults {
  /**
   * Each user's position from a `Last-Event-ID` (400 when it is not a world event id of this world); a user left
   * out is at 0. `lastIdOf` is the id of a user's last event.
   */
  resume(header: string, users: readonly string[], lastIdOf: (user: string) => number): Map<string, number>;
  /** The catch-up's order: the order the world emitted the events in. */
  catchUpOrder(missed: Missed): Missed;
  /** Whether this stream shows an event of `user` (a user of its world). */
  shows(user: string, at: ReadonlyMap<string, number>): boolean;
  /** The event's `data:` on this stream, live or in the catch-up. */
  data(e: FeedEvent, catchingUp: boolean): string;
  /** The event's `id:`, given this stream's positions after it. */
  id(user: string, e: FeedEvent, at: ReadonlyMap<string, number>, serialise: Serialise): string;
}

const MEMBER = /^([a-z][a-z0-9_-]*)=([0-9]{1,15})$/;

export function worldStreamFaults(d: Switches): WorldStreamFaults {
  /** world-stream-ids-per-connection: what this connection has shown of each user, from 0 at each opening. */
  const shown = new Map<string, number>();
  return {
    resume(header, users, lastIdOf) {
      // world-stream-resume-left-out-users-live-only: a user the header leaves out is taken as caught up.
      const leftOut = (u: string) => (d.has('world-stream-resume-left-out-users-live-only') ? lastIdOf(u) : 0);
      const at = new Map(users.map((u) => [u, leftOut(u)]));
      const members = header.trim().split(/[ \t]*,[ \t]*/);
      const parsed = members.map((m) => MEMBER.exec(m));
      const wrong = parsed.some((m) => !m) || parsed.some((m) => !at.has(m![1]!));
      // world-stream-bad-last-event-id-from-start: what it cannot read is read as no header at all.
      if (wrong && d.has('world-stream-bad-last-event-id-from-start')) return new Map(users.map((u) => [u, 0]));
      if (parsed.some((m) => !m)) refuseWith('bad-request', 'Last-Event-ID is not a world event id (user=id, …)');
      const stranger = parsed.find((m) => !at.has(m![1]!));
      if (stranger) refuseWith('bad-request', `Last-Event-ID names ${stranger[1]}, who is not in this world`);
      // world-stream-resume-first-member-for-all: the header read as one number (its first value), for everyone.
      if (d.has('world-stream-resume-first-member-for-all'))
        return new Map(users.map((u) => [u, Number(parsed[0]![2])]));
      for (const m of parsed) at.set(m![1]!, Number(m![2]));
      return at;
    },
    catchUpOrder(missed) {
      // world-stream-catch-up-by-user: each user's whole log in turn, in the world's order of users.
      if (d.has('world-stream-catch-up-by-user')) return missed;
      return [...missed].sort((a, b) => a.e.seq - b.e.seq);
    },
    shows: (user, at) => at.has(user),
    // world-stream-catch-up-without-to: the catch-up is rebuilt from each user's stored log, where the recipient is
    // implied by the log a delivery is in and was not kept.
    data: (e, catchingUp) =>
      catchingUp && e.name === 'delivery' && d.has('world-stream-catch-up-without-to')
        ? e.worldData.replace(/"to":"[^"]*",?/, '')
        : e.worldData,
    id(user, e, at, serialise) {
      // world-stream-ids-per-connection: each entry counts what this connection showed of that user.
      if (d.has('world-stream-ids-per-connection')) {
        shown.set(user, (shown.get(user) ?? 0) + 1);
        return serialise(new Map([...at.keys()].map((u) => [u, shown.get(u) ?? 0])));
      }
      // world-stream-id-names-recipient-only: only the recipient's entry, as the user's own stream would say it.
      if (d.has('world-stream-id-names-recipient-only')) return serialise(new Map([[user, e.id]]));
      return serialise(at);
    },
  };
}

/**
 * The faults of who may open the stream. Returns whether `token` opens it, `control` being this world's token.
 * world-stream-accepts-user-token: any token valid in the world (a user's too) opens it.
 * world-stream-control-token-any-world: any world's control token opens it (they are kept in one table).
 */
export function opensWorldStream(
  d: Switches,
  token: string,
  control: string,
  userOf: (token: string) => string | undefined,
): boolean {
  if (token === control) return true;
  if (d.has('world-stream-accepts-user-token') && userOf(token) !== undefined) return true;
  return d.has('world-stream-control-token-any-world') && serviceMemoryOf(d).tokens.has(`control:${token}`);
}

/** world-stream-control-token-any-world: every world's control token goes into one service-wide table. */
export function registerControlToken(d: Switches, token: string): void {
  if (d.has('world-stream-control-token-any-world')) serviceMemoryOf(d).tokens.set(`control:${token}`, '');
}

/** What `POST /worlds` says it offers: world-events-capability-repeated names it twice (each layer adds it). */
export const offered = (d: Switches, value: string): string[] =>
  d.has('world-events-capability-repeated') ? [value, value] : [value];

/** world-stream-offered-not-served: offered in `capabilities`, but the route stays behind a flag left off. */
export const served = (d: Switches): boolean => !d.has('world-stream-offered-not-served');

/** world-stream-sync-marker-without-to: a sync marker on the world stream is the user stream's, without `to`. */
export const worldSyncData = (d: Switches, data: string, text: string): string =>
  d.has('world-stream-sync-marker-without-to') ? text : data;

/** world-stream-not-counted-as-sent: what the world stream showed does not count as sent to its user. */
export const countsAsSent = (d: Switches): boolean => !d.has('world-stream-not-counted-as-sent');

/** world-stream-outlives-deleted-world: deleting a world ends its users' streams, not its world streams. */
export const endsWithWorld = (d: Switches): boolean => !d.has('world-stream-outlives-deleted-world');

/**
 * world-stream-same-names-across-worlds: world streams listen on one service-wide bus and keep the events whose
 * recipient has a user of that name in their world, so a world stream also carries another world's deliveries to
 * a user of the same name. Returns the other worlds' streams an event reaches, besides its own world's (`own`).
 */
export function otherWorldsViews(d: Switches, own: ReadonlySet<WorldView>): WorldView[] {
  if (!d.has('world-stream-same-names-across-worlds')) return [];
  return [...serviceMemoryOf(d).worldViews].filter((v) => !own.has(v));
}

/** world-stream-same-names-across-worlds: a stream joins the service-wide bus while it is open. */
export function joinBus(d: Switches, view: WorldView, res: { on(e: 'close', f: () => void): unknown }): void {
  if (!d.has('world-stream-same-names-across-worlds')) return;
  const bus = serviceMemoryOf(d).worldViews;
  bus.add(view);
  res.on('close', () => bus.delete(view));
}
