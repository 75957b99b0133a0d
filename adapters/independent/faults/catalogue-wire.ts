/** The independent fault catalogue, part: security and the wire (tokens, worlds, bodies, routes, event streams, clocks). See catalogue.ts. */
import type { CatalogueFault } from './types.js';

export const WIRE_FAULTS: readonly CatalogueFault[] = [
  // ── security and the wire ────────────────────────────────────────────────────────────────────────────────
  {
    id: 'chat-member-reads-other-members-chats',
    description:
      "A user's token can read another user's chat messages through /users/{id}/chats/{chatId}/messages when the reader is the other member of that chat: the check is chat membership, not identity — and then any chat of that user is served.",
    classes: ['security'],
    breaks: ['SEC-001'],
  },
  {
    id: 'send-as-colleague-allowed',
    description:
      "A Teams user's token can send as a colleague of the same tenant through /users/{id}/chats/{chatId}/messages (a delegation shortcut left on).",
    classes: ['security', 'per-tenant'],
    breaks: ['SEC-002'],
  },
  {
    id: 'chat-member-sends-as-other-member',
    description:
      'A user can post as the other member of their chat through /v1.0/users/{otherId}/chats/{chatId}/messages: the send-as check asks whether the caller is a member of the chat, not whether they are the user named in the path.',
    classes: ['security'],
    breaks: ['SEC-002'],
  },
  {
    id: 'event-stream-token-any-world',
    description:
      'The event-stream handler resolves tokens in a service-wide table: a token of one world opens, in another world, the event stream of the user of the same name and receives their deliveries. Other routes check the world.',
    classes: ['security', 'leak-between-worlds'],
    breaks: ['SEC-003', 'SEC-001', 'WIRE-002'],
  },
  {
    id: 'token-table-global',
    description:
      'Tokens are looked up in one service-wide table and the world in the path is not compared: a token of one world acts, in another world, as the user of the same name.',
    classes: ['security', 'leak-between-worlds'],
    breaks: ['SEC-003', 'WIRE-002'],
  },
  {
    id: 'malformed-json-crashes-handler',
    description: 'A body that is not valid JSON makes the handler fail with 500 instead of a 400 with a JSON error.',
    classes: ['wire-format'],
    breaks: ['SEC-004'],
  },
  {
    id: 'trailing-garbage-json-accepted',
    description:
      'A lenient body parser reads the first JSON value and ignores what follows, so `{"body":…}}garbage` is accepted as a message instead of being refused 400.',
    classes: ['wire-format', 'content-altered'],
    breaks: ['SEC-004'],
  },
  {
    id: 'body-limit-counts-characters',
    description:
      'The 64 KiB body limit counts characters of the decoded text, not bytes: a body of 40 000 three-byte characters (120 KB) is accepted.',
    classes: ['quota'],
    breaks: ['SEC-005'],
  },
  {
    id: 'body-limit-only-with-content-length',
    description:
      'The body limit is enforced from the Content-Length header only: a chunked body of any size is read and accepted.',
    classes: ['quota', 'wire-format'],
    breaks: ['SEC-005'],
  },
  {
    id: 'unknown-me-route-answers-empty-list',
    description:
      'Any unknown route under /worlds/{id}/v1.0/me/ or /worlds/{id}/interop/me/ is answered 200 with an empty list by a catch-all handler, instead of 404.',
    classes: ['wire-format'],
    breaks: ['SEC-006'],
  },
  {
    id: 'unknown-route-answered-405',
    description:
      'A route that does not exist is answered 405 Method Not Allowed (with no Allow header) instead of 404: the router reports any miss as a method mismatch.',
    classes: ['wire-format'],
    breaks: ['SEC-006', 'WIRE-001'],
  },
  {
    id: 'deleted-world-tokens-cached',
    description:
      "Deleting a world does not invalidate its tokens at once: a token cache keeps them valid for 30 s, during which the deleted world's chats can still be read and written.",
    classes: ['stale-read', 'clock', 'security'],
    breaks: ['SEC-007'],
  },
  {
    id: 'deleted-world-streams-stay-open',
    description:
      "Deleting a world leaves its users' open event streams running, and a stream can still be reopened with a token of the deleted world.",
    classes: ['reconnect', 'security'],
    breaks: ['SEC-007'],
  },
  {
    id: 'unblock-answers-200-with-body',
    description: 'Unblocking answers 200 with the unblocked contact as body instead of the documented 204 without one.',
    classes: ['wire-format'],
    breaks: ['WIRE-001'],
  },
  {
    id: 'created-date-time-without-zone',
    description:
      'Chat messages carry createdDateTime in server-local time without a time zone ("2026-11-30 02:31:05"), not an RFC 3339 date-time.',
    classes: ['clock', 'wire-format'],
    breaks: ['WIRE-001'],
  },
  {
    id: 'delivered-at-in-seconds',
    description:
      'Deliveries are stamped with deliveredAt in seconds since the epoch (a Unix timestamp), not milliseconds: every delivery claims to have arrived in January 1970.',
    classes: ['clock', 'wire-format'],
    breaks: ['CHAT-006', 'WIRE-001'],
  },
  {
    id: 'server-clock-ahead',
    description:
      "The service's clock runs five minutes ahead (time sync off): every deliveredAt claims the delivery arrived minutes after it was sent.",
    classes: ['clock'],
    breaks: ['CHAT-006'],
  },
  {
    id: 'deliveries-keyed-by-user-name',
    description:
      'Event streams are kept in a service-wide table keyed by user name: a user receives the deliveries of every user of the same name in other worlds open at the same time.',
    classes: ['leak-between-worlds', 'leak-between-tenants'],
    breaks: ['WIRE-002', 'SEC-001'],
  },
  {
    id: 'reconnect-replays-last-event',
    description:
      'A stream reopened with Last-Event-ID N starts at N instead of after it: the last event received before the reconnect is delivered again.',
    classes: ['replayed-event', 'reconnect'],
    breaks: ['WIRE-003'],
  },
  {
    id: 'events-lost-while-disconnected',
    description:
      'Deliveries made while a user has no stream open are written to no one: a stream reopened with Last-Event-ID gets only live events.',
    classes: ['dropped-event', 'reconnect'],
    breaks: ['WIRE-003', 'CHAT-001', 'CHAT-002'],
  },
  {
    id: 'history-sorted-by-seconds-timestamp',
    description:
      'Message histories and "View messages" are sorted by a creation time stored to the whole second, newest first among equal times: messages sent within the same second are listed in reverse order.',
    classes: ['clock', 'reordered-event'],
    breaks: ['REQ-006'],
  },
  // ── the Graph surface (issue 12): what a blind implementer of the Graph-shaped document could get wrong ──────
  {
    id: 'chat-id-per-side',
    description:
      "The member who did not create a chat gets an id of their own for it when they ask for it (createChat builds the id from the caller's and the other member's names, caller first): both ids reach the same chat, but the same chat has two ids, one per side.",
    classes: ['wire-format', 'one-direction'],
    breaks: ['WIRE-001'],
  },
  {
    id: 'message-id-per-side',
    description:
      'Each member\'s copy of a message is named by that member\'s mailbox ("sam:42" for Sam, "tara:42" for Tara): the sender\'s 201 and the recipient\'s history give the same message two ids.',
    classes: ['wire-format'],
    breaks: ['WIRE-001'],
  },
  {
    id: 'content-type-required',
    description:
      "Graph's minimal send body `{ body: { content } }` is refused 400: the message handler still requires `body.contentType`, as the old document did, although the document makes it optional (default text).",
    classes: ['wire-format'],
    breaks: ['WIRE-001', 'CHAT-001'],
  },
  {
    id: 'error-code-missing',
    description:
      'Refusals follow a Graph sample that carried only `message` and `innerError`: `error.code` is missing, so a client cannot tell "request not accepted" from "contact blocked" or a gate\'s refusal.',
    classes: ['wire-format'],
    breaks: ['WIRE-001', 'REQ-003', 'CHAT-003'],
  },
  {
    id: 'non-member-reads-chat',
    description:
      "Any user of the world who has a chat's id can read it (getChat and its messages), as its first member sees it: the chat routes check the token, not membership.",
    classes: ['security'],
    breaks: ['SEC-001'],
  },
  {
    id: 'non-member-posts-in-chat',
    description:
      "Any user of the world who has a chat's id can post in it: the message goes from them to the chat's first member, although they are not a member.",
    classes: ['security'],
    breaks: ['SEC-002'],
  },
  {
    id: 'presence-without-activity',
    description:
      "Another user's presence is answered with `availability` alone, as the old document had it: Graph's `activity`, which the document requires, is missing.",
    classes: ['wire-format'],
    breaks: ['WIRE-001', 'CHAT-007'],
  },
  {
    id: 'create-chat-refused-by-recipient-block',
    description:
      'Creating (or getting again) the one-on-one chat with someone who blocks the caller is refused 409 "contact blocked": the chat service checks the other member\'s block list before adding the caller, so a blocked sender learns it before writing a word.',
    classes: ['multi-step', 'security'],
    breaks: ['BLOCK-003'],
  },
];
