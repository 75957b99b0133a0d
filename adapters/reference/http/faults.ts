/**
 * Variants of the HTTP service, for proving that the harness catches a service that misbehaves on the wire:
 * faults of the HTTP layer (each naming the requirements it breaks; one, `async-delivery`, breaks none: it is a
 * conformant service that delivers through a queue), and any fault of the in-process reference's catalogue
 * (faults.ts), applied to each world's service. They combine: `faults=async-delivery,block-not-enforced`. An id in
 * both catalogues means the HTTP one.
 */
import { FAULTS, faultsById, type Fault } from '../faults.js';
import { ASYNC_DELIVERY_MS, LATE_DELIVERY_MS } from './limits.js';

export const HTTP_FAULTS = {
  'late-delivery': { breaks: ['CHAT-006'], description: 'Every event reaches its user late (by `lateDeliveryMs`).' },
  'async-delivery': {
    breaks: [],
    description:
      'Every delivery is pushed to its event stream `asyncDeliveryMs` after the action was answered, as through a queue or a remote network (F13); sync markers are not held back and overtake it. Conformant: only a harness that settles sees the deliveries.',
  },
  'cross-user-read': { breaks: ['SEC-001'], description: "A user's token can read another user's chats." },
  'non-member-reads-chat': {
    breaks: ['SEC-001'],
    description:
      'A user who is not a member of a chat can read it by its id (`GET /chats/{id}`, its messages): membership is checked on sending only.',
  },
  'send-as-another-user': {
    breaks: ['SEC-002'],
    description: "A user's token can post a message in another user's name (`POST /users/{other}/chats/…/messages`).",
  },
  'tokens-valid-in-every-world': {
    breaks: ['SEC-003'],
    description: 'A token of one world is honoured in every other world, as the user of the same name.',
  },
  'malformed-json-repaired': {
    breaks: ['SEC-004'],
    description:
      'A body cut off mid-JSON is "repaired" (open strings and brackets closed) and acted on, instead of refused with 400.',
  },
  'oversized-body-accepted': {
    breaks: ['SEC-005'],
    description: 'The body limit is 1 MiB instead of 64 KiB: a 64 KiB + 1 byte message is accepted and delivered.',
  },
  'unknown-route-answered-ok': {
    breaks: ['SEC-006'],
    description:
      'A route that does not exist under a world is answered 200 with an empty object (a catch-all fallback) instead of 404.',
  },
  'deleted-world-tokens-still-work': {
    breaks: ['SEC-007'],
    description:
      '`DELETE /worlds/{id}` answers 204 and ends the event streams, but the world and its tokens stay usable.',
  },
  'blocked-contacts-leak-to-blocker': {
    breaks: ['BLOCK-001', 'BLOCK-005'],
    description:
      "A message or call from someone the recipient blocks reaches the recipient anyway, while the sender is answered as usual and the blocker's own contacts are still refused: the block leaks one way only.",
  },
  'blocked-sender-told': {
    breaks: ['BLOCK-003'],
    description: 'A blocked sender or caller is answered 403 recipient-unavailable, and so learns they are blocked.',
  },
  'events-replayed-on-reconnect': {
    breaks: ['WIRE-003'],
    description:
      "An event stream reopened with Last-Event-ID gets the user's whole history again: every earlier delivery is delivered twice.",
  },
  'events-lost-on-reconnect': {
    breaks: ['WIRE-003'],
    description:
      "A delivery made while a user's event stream is closed (between a drop and the reconnect) is never sent.",
  },
  'event-cursor-missing': {
    breaks: ['WIRE-001'],
    description: 'Answers under a world carry no `Interop-Event-Cursor` header (specs/openapi.yaml 0.3.0).',
  },
  'event-cursor-ahead': {
    breaks: ['WIRE-001'],
    description:
      'Every entry of the `Interop-Event-Cursor` is one above the last event emitted to that user: it counts an event that never comes, and a client waiting for it waits in vain.',
  },
  'event-cursor-stale': {
    breaks: ['WIRE-001'],
    description:
      "The `Interop-Event-Cursor` is read when the request arrives, before its own deliveries are emitted: it promises less than the document says. Mostly not observable: from outside it is a conformant service whose deliveries pass through a queue (`async-delivery`), and the runner's listening takes them. Only now and then, right after a midway reopen, a delivery the harness no longer waits for shows after the reopened stream's catch-up, and the step fails at WIRE-003 (not at WIRE-001).",
  },
  // The world stream (document 0.4.0): caught only by a client that reads it, so scored with the http adapter's
  // `events=world` (`events`); in its default `events=person` mode these variants are conformant services.
  'world-events-not-offered': {
    breaks: [],
    description:
      "`POST /worlds` offers no world stream (no `capabilities`), and `GET /worlds/{id}/interop/events` is 404. Conformant: the world stream is optional; `events=auto` reads the users' own streams, `events=world` refuses to run.",
  },
  'world-events-offered-not-served': {
    breaks: ['WIRE-001'],
    description:
      '`POST /worlds` offers the world stream (`capabilities: [world-events]`), but `GET /worlds/{id}/interop/events` answers 404: every scenario errors in `events=world`.',
    events: 'world',
  },
  'world-events-wrong-recipient': {
    breaks: ['WIRE-001'],
    description:
      "On the world stream a delivery names its sender in `to`, while its id moves the recipient's entry: the event contradicts its own id.",
    events: 'world',
  },
  'world-events-replayed-on-reconnect': {
    breaks: ['WIRE-003'],
    description:
      "A world stream reopened with Last-Event-ID ignores it and sends every user's log from the start again: every earlier event is sent twice.",
    events: 'world',
  },
  'world-events-lost-on-reconnect': {
    breaks: ['WIRE-003'],
    description:
      'A world stream reopened with Last-Event-ID sends no catch-up: what was emitted while it was down is never sent.',
    events: 'world',
  },
  'world-events-own-numbering': {
    breaks: ['WIRE-001'],
    description:
      "The world stream's ids number the world's events in one sequence instead of giving each user's own id: its entries run ahead of the `Interop-Event-Cursor` and of the users' own streams.",
    events: 'world',
  },
} as const satisfies Record<string, { breaks: readonly string[]; description: string; events?: 'world' }>;

export type HttpFaultId = keyof typeof HTTP_FAULTS;

export interface ServiceFaults {
  readonly http: ReadonlySet<HttpFaultId>;
  /** Reference faults: each world's service is built with their layers. */
  readonly domain: readonly Fault[];
  readonly lateDeliveryMs: number;
  readonly asyncDeliveryMs: number;
}

/** How long the service holds every delivery back before it reaches the stream: the delay faults, summed. */
export const deliveryDelayMs = (f: ServiceFaults): number =>
  (f.http.has('late-delivery') ? f.lateDeliveryMs : 0) + (f.http.has('async-delivery') ? f.asyncDeliveryMs : 0);

const isHttpFault = (id: string): id is HttpFaultId => Object.hasOwn(HTTP_FAULTS, id);

/** Fault ids as a list or one comma-separated string; an unknown id throws, listing every known one. */
export function parseFaults(
  ids: readonly string[] | string | undefined,
  lateDeliveryMs = LATE_DELIVERY_MS,
  asyncDeliveryMs = ASYNC_DELIVERY_MS,
): ServiceFaults {
  const list = (typeof ids === 'string' ? ids.split(',') : (ids ?? [])).map((id) => id.trim()).filter(Boolean);
  const unknown = list.filter((id) => !isHttpFault(id) && !FAULTS.some((f) => f.id === id));
  if (unknown.length) {
    throw new Error(
      `unknown fault "${unknown[0]}"; HTTP faults: ${Object.keys(HTTP_FAULTS).join(', ')}; reference faults: ${FAULTS.map((f) => f.id).join(', ')}`,
    );
  }
  return {
    http: new Set(list.filter(isHttpFault)),
    domain: faultsById(list.filter((id) => !isHttpFault(id))),
    lateDeliveryMs,
    asyncDeliveryMs,
  };
}

export const NO_FAULTS: ServiceFaults = parseFaults([]);

/**
 * `malformed-json-repaired`: what a lenient parser makes of a truncated body — an open string closed, open
 * objects and arrays closed — or undefined when that does not parse either.
 */
export function repairJson(text: string): unknown {
  const open: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') open.push('}');
    else if (c === '[') open.push(']');
    else if (c === '}' || c === ']') open.pop();
  }
  try {
    return JSON.parse(text + (inString ? '"' : '') + open.reverse().join(''));
  } catch {
    return undefined;
  }
}
