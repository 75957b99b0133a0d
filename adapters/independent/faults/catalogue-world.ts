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
    breaks: [],
    unscored:
      "Breaks WIRE-001 (the document: across users, the catch-up comes in the order the service emitted the events), but caught by 0 of 163 scenarios through the world stream: the http adapter holds each user's own order only, as the document tells a client to rely on. Observable all the same wherever the answers order two users' events: an event of user X counted by an answer's cursor was emitted before an event of user Y that the same cursor did not count, so a stream showing Y's before X's is out of order. A check holding the world stream to that order (WIRE-001) would catch it in every scenario whose midway reopen misses events of two users.",
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
    breaks: [],
    unscored:
      "Breaks SEC-001 (a user's token reads every user's deliveries), but caught by 0 of 163 scenarios through the world stream: the harness opens the world stream with the control token only, and its security probes open users' own streams with wrong tokens, never the world stream with a user's. A probe opening GET /worlds/{id}/interop/events with a user's token of the world (expecting 401, as the document says) would catch it in every scenario that runs the probes.",
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-control-token-any-world',
    description:
      "The world stream checks the control token against one service-wide table of control tokens: another world's control token opens this world's stream and reads its users' deliveries.",
    classes: ['security', 'leak-between-worlds'],
    breaks: [],
    unscored:
      "Breaks SEC-003 and WIRE-002 (one world's control token reads another world's deliveries), but caught by 0 of 163 scenarios through the world stream: no probe opens a world stream with another world's control token. A probe doing so while two worlds are open (security/other-world-unreachable, expecting 401) would catch it.",
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
    breaks: [],
    unscored:
      "Breaks the document (deleting a world ends every open stream of it), but caught by 0 of 163 scenarios through the world stream: nothing more is emitted to a deleted world, so the open stream carries only keep-alives, and the harness closes its own stream when the scenario ends. A check that the adapter's world stream ends once the world is deleted (security/deleted-world-token-refused, WIRE-001) would catch it; nothing leaks meanwhile.",
    adapterOptions: WORLD,
  },
  {
    id: 'world-stream-bad-last-event-id-from-start',
    description:
      'A Last-Event-ID the world stream cannot read (not a Dictionary, or naming a user not in the world) is taken as no header, and every log is sent from the start, instead of a 400: a client that sent a wrong id gets every event again.',
    classes: ['wire-format', 'replayed-event'],
    breaks: [],
    unscored:
      'Breaks WIRE-001 (a malformed Last-Event-ID, or one naming a user not in the world, is 400), but caught by 0 of 163 scenarios through the world stream: the harness only ever sends back an id the stream gave it. A probe opening the world stream with Last-Event-ID: 7 and with one naming a user not in the world, expecting 400, would catch it.',
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
    breaks: [],
    unscored:
      "Breaks WIRE-003 for a client that reads a user through both views (a user's own stream opened without Last-Event-ID after the world stream showed that user's events gets them again), but the harness reads one view per run: with events=world it opens no user's own stream with a valid token. A check opening a user's own stream without Last-Event-ID after the world stream showed that user's events, expecting none of them again, would catch it.",
    adapterOptions: WORLD,
  },
];
