/**
 * The event cursor (openapi.yaml 0.3.0, components.headers.InteropEventCursor): an answer to a user of an existing
 * world whose token is valid in it, under Graph's namespace or the extension (2xx and 4xx; not a 401, not the event
 * stream, not the control plane), says in `Interop-Event-Cursor` the id of the last event emitted to each user's log
 * when the answer is sent, so that a client waits only for the streams that are behind instead of asking for a sync
 * marker after each step. Deliveries here are appended with the action that causes them (world.ts), so an action's
 * answer already counts every delivery it made.
 */
import type { Registry, World } from './world.js';

export const EVENT_CURSOR = 'interop-event-cursor';

export type CursorEntries = [string, number][];

/** Whom an answer carrying the cursor goes to, and (a fault's) the cursor as the request arrived. */
export interface Asker {
  readonly world: World;
  readonly actor: string;
  readonly onArrival?: CursorEntries | undefined;
}

/** Each user of the world who has had an event, with their last event's id, in the world's order of users. */
export const cursorOf = (world: World): CursorEntries => world.feeds.cursor(world.state.users.keys());

/**
 * An RFC 8941 Dictionary of Integers: `tara=3, sam=1`. A user id (`^[a-z][a-z0-9_-]*$`) is already an sf-key and an
 * event id (at most 15 digits) an sf-integer, so nothing needs escaping. Users without events are left out (the
 * document: "meaning 0"), but the field is never empty, since RFC 8941 would send an empty Dictionary as no field at
 * all: with no event yet in the world, the asker is named `=0`.
 */
export function serialiseCursor(entries: readonly (readonly [string, number])[], asker: string): string {
  return entries.length ? entries.map(([user, id]) => `${user}=${id}`).join(', ') : `${asker}=0`;
}

/** Graph's namespace and the interop extension of one world: the paths whose answers carry the cursor. */
const UNDER_A_WORLD = /^\/worlds\/([^/]+)\/(?:v1\.0|interop)(?:\/|$)/;

/** The existing world whose Graph namespace or extension the path is under, if any. */
export function worldIn(registry: Registry, pathname: string): World | undefined {
  const id = UNDER_A_WORLD.exec(pathname)?.[1];
  return id === undefined ? undefined : registry.get(id);
}

/**
 * The asker of a request refused before its route checked the credential (no such route, a method the path does
 * not take, a body too large): a user whose bearer token is valid in the existing world the path names, else nobody.
 */
export function askerOf(registry: Registry, pathname: string, token: string | undefined): Asker | undefined {
  const world = worldIn(registry, pathname);
  const actor = world && token !== undefined ? world.userOf(token) : undefined;
  return world && actor !== undefined ? { world, actor } : undefined;
}
