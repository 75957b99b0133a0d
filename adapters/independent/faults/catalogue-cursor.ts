/**
 * The independent fault catalogue, part: the event cursor (openapi.yaml 0.3.0, `Interop-Event-Cursor`). What an
 * implementer of the header could get wrong, from the document alone: where it is due, what it counts, its form.
 * See catalogue.ts; the switches are in faults/cursor.ts.
 */
import type { CatalogueFault } from './types.js';

export const CURSOR_FAULTS: readonly CatalogueFault[] = [
  {
    id: 'event-cursor-missing-on-errors',
    description:
      'Refusals under a world (400, 403, 404, 409, 422…) carry no Interop-Event-Cursor: the header is added by the success path only, though the document wants it on 4xx answers to a valid token too.',
    classes: ['wire-format'],
    breaks: ['WIRE-001'],
  },
  {
    id: 'event-cursor-missing-on-reads',
    description:
      'Answers to GET (searches, chats and their messages, presence, a call, the blocked list) carry no Interop-Event-Cursor: the header is set by the middleware of the routes that change something, as if only an action could move a cursor.',
    classes: ['wire-format', 'stale-read'],
    breaks: ['WIRE-001'],
  },
  {
    id: 'event-cursor-missing-before-routing',
    description:
      'Answers refused before a route is found — no such route (404), a method the path does not take (405), a body over 64 KiB (413) — carry no Interop-Event-Cursor although the token is valid in the world: the header is added where the route checks the credential.',
    classes: ['wire-format', 'security'],
    breaks: ['WIRE-001'],
  },
  {
    id: 'event-cursor-on-unauthorized',
    description:
      "A 401 under an existing world (another world's token, a token of nobody) carries the world's cursor: the header is added before the credential is checked, so a stranger learns each user's event count and names.",
    classes: ['security', 'wire-format'],
    // Scored since the http adapter refuses a cursor on any 401 (WIRE-001): the document says a 401 never carries one.
    breaks: ['WIRE-001'],
  },
  {
    id: 'event-cursor-service-wide',
    description:
      'The cursor comes from one service-wide table keyed by user name: an answer names the users of every world that share or lack a name with this one, each with the last id any world gave a user of that name.',
    classes: ['leak-between-worlds', 'wire-format'],
    breaks: ['WIRE-001', 'WIRE-002'],
  },
  {
    id: 'event-cursor-actor-only',
    description:
      "The cursor names only the user who made the request (the only feed the handler had at hand): the recipients of the request's own deliveries are left out, which the document reads as 0 — below what earlier answers said of them.",
    classes: ['wire-format', 'delayed-event'],
    // Scored since the http adapter reads a user left out after an entry above 0 as going down (WIRE-001).
    breaks: ['WIRE-001'],
  },
  {
    id: 'event-cursor-one-behind',
    description:
      "Every entry of the cursor is one less than the id of the user's last event (an off-by-one between 'next id' and 'last id'): the last delivery of each user is never counted.",
    classes: ['wire-format', 'delayed-event'],
    // Scored since the http adapter holds each answer's cursor to what the streams had shown before its request
    // was sent (an event shown then was emitted before the answer): one behind undercounts the last event shown.
    breaks: ['WIRE-001'],
  },
  {
    id: 'event-cursor-next-id',
    description:
      "Every entry of the cursor is the id the user's next event will get, one more than the last one emitted: a client waits for an event that does not exist.",
    classes: ['wire-format'],
    breaks: ['WIRE-001'],
  },
  {
    id: 'event-cursor-world-sequence',
    description:
      "Every user's entry is the world's own event sequence (the position in the world's log) instead of the id on that user's stream: ids of different users are unrelated, so the cursor runs ahead of every stream.",
    classes: ['wire-format'],
    breaks: ['WIRE-001'],
  },
  {
    id: 'event-cursor-json',
    description:
      'The cursor is written as a JSON object (`{"tara":3,"sam":1}`) instead of an RFC 8941 Dictionary (`tara=3, sam=1`).',
    classes: ['wire-format'],
    breaks: ['WIRE-001'],
  },
  {
    id: 'event-cursor-string-ids',
    description:
      'The cursor\'s values are RFC 8941 Strings (`tara="3"`), not Integers: the serializer was handed the ids as strings.',
    classes: ['wire-format'],
    breaks: ['WIRE-001'],
  },
  {
    id: 'event-cursor-computed-on-arrival',
    description:
      "The cursor is taken by a middleware when the request arrives, before the handler runs: an action's answer does not count the deliveries the action itself made, though the document says it must.",
    classes: ['wire-format', 'stale-read'],
    breaks: [],
    unscored:
      "Breaks WIRE-001 (the answer must count the deliveries the request itself caused), but no client can tell it from a conformant service whose deliveries are still in flight when it answers, which the document allows (counted once emitted): the cursor never goes down, never runs ahead, and is never below an id the client had seen before it asked. It only makes the harness stop waiting for that step's deliveries, and the settle window lays one that comes later at the step that caused it. Not observable over the wire.",
  },
];
