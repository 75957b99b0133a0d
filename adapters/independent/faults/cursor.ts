/**
 * Faults of the event cursor (the `Interop-Event-Cursor` header, ../cursor.ts): what an implementer of the header
 * might get wrong. `cursorHeaders` answers the conformant header when every switch is off.
 */
import { cursorOf, EVENT_CURSOR, serialiseCursor, type Asker, type CursorEntries as Entries } from '../cursor.js';
import type { World } from '../world.js';
import { serviceMemoryOf, type Switches } from './memory.js';

/** What an answer's cursor is made from: the world, who asked, the cursor as the request arrived, the status. */
export interface CursorAnswer extends Asker {
  readonly status: number;
  readonly method: string | undefined;
}

/**
 * event-cursor-computed-on-arrival: the cursor as the request arrived, taken (as a middleware would) before the
 * handler runs; undefined when that switch is off, so the conformant service computes nothing early.
 */
export const cursorOnArrival = (d: Switches, world: World): Entries | undefined =>
  d.has('event-cursor-computed-on-arrival') ? cursorOf(world) : undefined;

function entries(d: Switches, a: CursorAnswer): Entries {
  let out = a.onArrival ?? cursorOf(a.world);
  // event-cursor-actor-only: the actor's own log only (the only feed the handler had at hand).
  if (d.has('event-cursor-actor-only')) out = out.filter(([u]) => u === a.actor);
  // event-cursor-service-wide: one table of cursors by user name for the whole service, every world writing to it.
  if (d.has('event-cursor-service-wide')) {
    const table = serviceMemoryOf(d).cursorByName;
    for (const [u, id] of out) table.set(u, id);
    out = [...table];
  }
  // event-cursor-one-behind: each id less one (a user whose cursor reaches 0 is left out).
  if (d.has('event-cursor-one-behind')) out = out.map(([u, id]): [string, number] => [u, id - 1]).filter(([, i]) => i);
  // event-cursor-next-id: the id the next event will get, for every user who has had one.
  if (d.has('event-cursor-next-id')) out = out.map(([u, id]) => [u, id + 1]);
  // event-cursor-world-sequence: the world's own log position for every user, not each user's stream id.
  if (d.has('event-cursor-world-sequence')) out = out.map(([u]) => [u, a.world.log.length]);
  return out;
}

function serialise(d: Switches, e: Entries, asker: string): string {
  // event-cursor-json: the map written as JSON, not as a structured-field Dictionary.
  if (d.has('event-cursor-json')) return JSON.stringify(Object.fromEntries(e.length ? e : [[asker, 0]]));
  // event-cursor-string-ids: each id as an sf-string ("3"), not an sf-integer.
  if (d.has('event-cursor-string-ids')) return serialiseCursor(e, asker).replace(/=(\d+)/g, '="$1"');
  return serialiseCursor(e, asker);
}

/**
 * event-cursor-on-unauthorized: a 401 under an existing world carries that world's cursor (the header is added
 * before the credential is checked), telling a stranger how many events each user has had.
 */
export const strangerCursor = (d: Switches, world: World | undefined): Record<string, string> =>
  d.has('event-cursor-on-unauthorized') && world
    ? { [EVENT_CURSOR]: serialiseCursor(cursorOf(world), world.state.users.keys().next().value!) }
    : {};

/** The header of one answer under a world. */
export function cursorHeaders(d: Switches, a: CursorAnswer): Record<string, string> {
  // event-cursor-missing-on-errors: set by the success path only, so a refusal carries none.
  if (d.has('event-cursor-missing-on-errors') && a.status >= 400) return {};
  // event-cursor-missing-on-reads: set by the middleware of the routes that change something, so a GET has none.
  if (d.has('event-cursor-missing-on-reads') && a.method === 'GET') return {};
  return { [EVENT_CURSOR]: serialise(d, entries(d, a), a.actor) };
}
