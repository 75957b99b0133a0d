/**
 * The independent fault catalogue, part: one event stream per world (openapi.yaml 0.4.0, `streamWorldEvents`).
 * What a careless implementer of that part could get wrong, from the document alone: the offer, who may open it,
 * the form of its ids, resuming from a `Last-Event-ID`, the order of its catch-up, which world's events it
 * carries. Each is scored through the world stream (`adapterOptions: events=world`): read the default way, each
 * user's own stream, every one of them is a conformant service. See catalogue.ts; the switches are in
 * faults/world-stream.ts.
 */
import type { CatalogueFault } from './types.js';

const WORLD = { events: 'world' } as const;

export const WORLD_STREAM_FAULTS: readonly CatalogueFault[] = [
  {
    id: 'world-stream-offered-not-served',
    description:
      'POST /worlds answers capabilities: ["world-events"], but GET /worlds/{id}/interop/events is 404: the offer is written by the world factory, the route sits behind a feature flag left off in this deployment.',
    classes: ['wire-format'],
    breaks: ['WIRE-001'],
    adapterOptions: WORLD,
  },
  {
    id: 'world-events-capability-repeated',
    description:
      'capabilities names world-events twice (["world-events","world-events"]): the service layer and the world factory each add it, and the document says each value at most once (uniqueItems).',
    classes: ['wire-format', 'duplicated-event'],
    breaks: ['WIRE-001'],
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-catch-up-by-user',
    description:
      "On resuming, the world stream sends each user's missed events user by user (every one of the first user's, then the second's…) instead of in the order the service emitted them: a reply written after a message can come before it.",
    classes: ['reordered-event', 'reconnect'],
    breaks: ['WIRE-001'],
    // Caught by 2 of 163 (WIRE-001): the deleted-world probe, in world mode, alternates deliveries between two users
    // of a world of its own and opens its world stream afresh; answers' cursors prove their order (world-order.ts).
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-resume-left-out-users-live-only',
    description:
      "A user a Last-Event-ID leaves out (left out means 0) is taken as caught up: the resumed stream sends that user live events only, so what reached them while no stream was open is lost — a user's first deliveries, made while the client reconnected.",
    classes: ['reconnect', 'dropped-event'],
    breaks: ['WIRE-003'],
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-resume-first-member-for-all',
    description:
      "The world stream reads Last-Event-ID as one number, its first member's value, and resumes every user from it (the parser of the user's own stream, reused): users behind it lose events, users ahead of it get events again.",
    classes: ['reconnect', 'replayed-event', 'dropped-event'],
    breaks: ['WIRE-003'],
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-ids-per-connection',
    description:
      "Each entry of a world stream's id counts the events this connection has shown of that user, from 0 at each opening, not the id the event has on the user's own stream: a fresh stream agrees with the users' own ids, a resumed one starts again from 1.",
    classes: ['wire-format', 'reconnect'],
    breaks: ['WIRE-001', 'WIRE-003'],
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-id-names-recipient-only',
    description:
      "A world stream event's id names only its recipient (sam=4), the id the user's own stream gives it: the other users, above 0 before, are left out, which the document reads as their position going down to 0.",
    classes: ['wire-format'],
    breaks: ['WIRE-001'],
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-accepts-user-token',
    description:
      "The world stream takes any token valid in the world, a user's too (the check of the user routes, reused): any user reads every other user's deliveries, private chats included.",
    classes: ['security'],
    breaks: ['SEC-001'],
    // Caught by 3 of 163 (SEC-001): the read-other-chats probe, in world mode, opens the world stream with the
    // actor's token (world-probes.ts).
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-control-token-any-world',
    description:
      "The world stream checks the control token against one service-wide table of control tokens: another world's control token opens this world's stream and reads its users' deliveries.",
    classes: ['security', 'leak-between-worlds'],
    breaks: ['SEC-003'],
    // Caught by 2 of 163 (SEC-003): the reach-other-world probe, in world mode, opens each world's stream with the
    // other's control token.
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-same-names-across-worlds',
    description:
      "World streams listen on one service-wide bus and keep the events whose recipient's name is a user of their world: a world stream also carries another open world's deliveries to a user of the same name.",
    classes: ['leak-between-worlds', 'duplicated-event'],
    breaks: ['WIRE-002'],
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-outlives-deleted-world',
    description:
      "Deleting a world ends its users' own streams but not its world streams: they stay open on keep-alives, holding a connection for a world that is gone.",
    classes: ['security'],
    breaks: ['SEC-007'],
    // Caught by 2 of 163 (SEC-007): the deleted-world probe, in world mode, opens that world's stream before the
    // DELETE and expects it ended within the request timeout.
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-bad-last-event-id-from-start',
    description:
      'A Last-Event-ID the world stream cannot read (not a Dictionary, or naming a user not in the world) is taken as no header, and every log is sent from the start, instead of a 400: a client that sent a wrong id gets every event again.',
    classes: ['wire-format', 'replayed-event'],
    breaks: ['SEC-004'],
    // Caught by 2 of 163 (SEC-004): the malformed-json probe, in world mode, opens the world stream with
    // Last-Event-ID 7 and with one naming a user not in the world, each owed 400.
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-catch-up-without-to',
    description:
      "Deliveries a resumed world stream catches up on carry no to: the catch-up is rebuilt from each user's stored log, where the recipient is implied by the log and was not kept; live deliveries name it. A client cannot tell whose a missed delivery is.",
    classes: ['wire-format', 'reconnect'],
    breaks: ['WIRE-001'],
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-sync-marker-without-to',
    description:
      "A sync marker on the world stream carries only its marker ({marker}), the user's own stream's data, without to: a client cannot tell whose log it is in.",
    classes: ['wire-format'],
    breaks: [],
    unscored:
      'Breaks WIRE-001 (a WorldSyncEvent requires to), but sync markers exist only when POST /worlds/{id}/sync is called, which is deprecated and which the harness no longer calls (the event cursor replaced it): no run has a marker to read. Not observable while sync stays unused; calling it once in a scenario through the world stream would show it.',
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-not-counted-as-sent',
    description:
      "What the world stream shows does not count as sent to its user: a user's own stream opened later without Last-Event-ID sends every event the world stream already showed, again.",
    classes: ['replayed-event'],
    breaks: ['WIRE-003'],
    // Caught by 2 of 163 (WIRE-003): the read-other-chats probe, in world mode, opens the actor's own stream
    // without Last-Event-ID and reads it for 100 ms: nothing the world stream showed may come again.
    adapterOptions: WORLD,
  },
];
