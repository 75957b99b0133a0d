/**
 * The `Interop-Event-Cursor` header (specs/openapi.yaml 0.3.0, components.headers.InteropEventCursor): on every
 * answer to a request under an existing world made with a token valid in it — not the event stream, not a 401,
 * not the 404 of an unknown world, not the control plane — each user's last event id, `alice=3, bob=7`, read when
 * the answer is sent, so that it counts the deliveries the request itself caused. The reference names every user
 * of the world, 0 included: an RFC 8941 Dictionary with no member would be no field at all.
 * Three faults break it on purpose (faults.ts): left out, read when the request arrived (behind its own
 * deliveries), one ahead of what was emitted.
 */
import type { HttpFaultId } from './faults.js';
import type { HostedWorld, WorldRegistry } from './worlds.js';

export const EVENT_CURSOR = 'interop-event-cursor';

type Head = { url: string; headers: Readonly<Record<string, string | string[] | undefined>> };

/** `/worlds/{id}/<anything but nothing or sync>`: the world id a user's request names, if it is one. */
function worldOf(url: string): string | undefined {
  const m = /^\/worlds\/([^/?#]+)\/([^?#]*)/.exec(url);
  if (!m || m[2] === '' || m[2] === 'sync' || m[2] === 'sync/') return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}

const bearer = (req: Head): string | undefined => {
  const value = req.headers.authorization;
  return /^Bearer\s+(\S+)\s*$/i.exec((Array.isArray(value) ? value[0] : value) ?? '')?.[1];
};

/** The cursor of `world` now (every user, in the world's order); `ahead`: one more than emitted, the fault. */
const cursorOf = (world: HostedWorld, ahead = 0): string =>
  world.users.map((u) => `${u}=${world.events.lastId(u) + ahead}`).join(', ');

/**
 * Called when a request arrives; the function it returns gives the headers to add to the answer with `status`
 * (read then, after the request was handled): the cursor, or nothing when none is due.
 */
export function eventCursor(
  worlds: WorldRegistry,
  req: Head,
  faults: ReadonlySet<HttpFaultId>,
): (status: number) => Record<string, string> {
  const none = () => ({});
  if (faults.has('event-cursor-missing')) return none;
  const id = worldOf(req.url);
  if (id === undefined) return none;
  // The fault: the cursor as it stood before this request's own deliveries were emitted.
  const stale = faults.has('event-cursor-stale') ? worlds.peek(id) : undefined;
  const early = stale && stale.userOf(bearer(req)) !== undefined ? cursorOf(stale) : undefined;
  return (status): Record<string, string> => {
    if (status === 401) return {};
    const world = worlds.peek(id);
    if (!world || world.userOf(bearer(req)) === undefined) return {};
    return {
      [EVENT_CURSOR]: early ?? cursorOf(world, faults.has('event-cursor-ahead') ? 1 : 0),
    };
  };
}
