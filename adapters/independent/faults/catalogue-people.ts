/** The independent fault catalogue, part: search for people and the requests that start a conversation. See catalogue.ts. */
import type { CatalogueFault } from './types.js';

export const DISCOVERY_AND_REQUEST_FAULTS: readonly CatalogueFault[] = [
  // ── search ────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'search-email-case-sensitive-for-teams-targets',
    description:
      'A Skype user who types a Teams user\'s address in another letter case ("Tara@Contoso.example" for tara@contoso.example) finds nobody: the Teams directory compares the address exactly as typed with the one provisioned. Teams users searching Skype users are unaffected.',
    classes: ['one-direction', 'content-altered'],
    breaks: ['SEARCH-002'],
  },
  {
    id: 'search-matches-local-part-only',
    description:
      'The directory is keyed by the part of the address before the "@": searching "sam@other.example" finds the Skype user sam@outlook.example, and two people of the same name in different domains are both found for either address.',
    classes: ['leak-between-tenants', 'content-altered'],
    breaks: ['SEARCH-007', 'SEARCH-001', 'SEARCH-002'],
  },
  {
    id: 'skype-id-search-on-web-client',
    description:
      'Teams users on the web client still call the legacy Skype directory, which answers a Skype ID search: typing a Skype ID there finds the Skype user, while desktop and mobile clients rightly find nobody.',
    classes: ['routing-by-client-type'],
    breaks: ['SEARCH-003', 'CHAT-010'],
  },
  {
    id: 'phone-search-normalised-and-matched',
    description:
      'A search by phone number strips spaces, dashes and brackets and matches the Skype user who registered that number, although phone search is not supported: "+44 20 7946 0000" finds the Skype user of +442079460000.',
    classes: ['content-altered'],
    breaks: ['SEARCH-004'],
  },
  {
    id: 'unsupported-search-refused',
    description:
      'A search by Skype ID or by phone number is refused with 400 "bad request" (the API validates that only email search exists) instead of finding nobody as the clients show it.',
    classes: ['wire-format'],
    breaks: ['SEARCH-003', 'SEARCH-004'],
  },
  {
    id: 'searchable-again-not-reindexed',
    description:
      'A Skype user who hides from search and later appears again stays invisible: hiding removes them from the search index, appearing again only flips the profile flag. Teams users neither find them nor may make first contact with them.',
    classes: ['after-undo', 'stale-read'],
    breaks: ['SEARCH-005', 'SEARCH-008'],
  },
  {
    id: 'search-ignores-user-policy',
    description:
      'A Teams user whose external access policy denies Skype communication (EnablePublicCloudAccess off) still finds Skype users by email: the search service checks the org switch and the deployment, not the user policy.',
    classes: ['per-tenant'],
    breaks: ['SEARCH-006', 'ADMIN-003'],
  },
  {
    id: 'skype-search-ignores-teams-tenant-gates',
    description:
      'Skype users still find Teams users whose tenant turned Skype communication off or runs in an unsupported cloud: the search checks the gates of the searcher only, and a Skype searcher has no tenant.',
    classes: ['one-direction', 'per-tenant'],
    breaks: ['SEARCH-006', 'ADMIN-001', 'ADMIN-008'],
  },
  {
    id: 'hidden-skype-user-found-by-other-case',
    description:
      'A Skype user who chose not to appear in search is still found when the address is typed in another letter case: the "hidden" filter sits on the exact-match index only, and the case-insensitive fallback lookup skips it.',
    classes: ['multi-step'],
    breaks: ['SEARCH-005', 'SEARCH-001'],
  },
  {
    id: 'search-index-shared-across-worlds',
    description:
      "The email directory is one service-wide index: an address that belongs to nobody in this world finds the person of another world (another organisation's tenant or another account) who has it.",
    classes: ['leak-between-worlds'],
    breaks: ['SEARCH-007', 'WIRE-002'],
  },
  {
    id: 'hidden-skype-user-reachable-by-call',
    description:
      'A Teams user cannot message a Skype user who hides from search, as intended, but a first call to them goes through and reaches them as a request: the "not in search" check was added to the chat path only.',
    classes: ['multi-step'],
    breaks: ['SEARCH-008'],
  },

  // ── requests ──────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'teams-first-call-rings-directly',
    description:
      "A Teams user's first call to a Skype user rings on the Skype side as an ordinary call instead of arriving as a request to accept: the calling stack never consults the relationship, only the chat service does.",
    classes: ['one-direction'],
    breaks: ['REQ-001', 'CALL-001'],
  },
  {
    id: 'external-flag-missing-in-islands',
    description:
      'A Skype user\'s request reaches a Teams user in Islands mode without the "external" marking: the Skype for Business path builds its own notification and never sets it, so the user cannot tell it comes from outside.',
    classes: ['routing-by-client-type'],
    breaks: ['REQ-002', 'REQ-009'],
  },
  {
    id: 'external-banner-on-every-message',
    description:
      'After a Teams user accepts a Skype user, every later message from that Skype user still carries the "external" marking of a request: the flag is copied from the thread, not set per request.',
    classes: ['content-altered', 'multi-step'],
    breaks: ['REQ-002', 'CHAT-002'],
  },
  {
    id: 'skype-recipient-can-reply-before-accepting',
    description:
      "A Skype user who received a Teams user's request can answer it without accepting: the not-accepted check exists only for Teams recipients, so the reply is delivered as an ordinary message.",
    classes: ['one-direction'],
    breaks: ['REQ-003'],
  },
  {
    id: 'request-duplicated-on-first-contact',
    description:
      'A first contact reaches its recipient as two identical requests: creating the conversation thread and posting its first message each raise a notification.',
    classes: ['duplicated-event', 'multi-step'],
    breaks: ['REQ-001', 'REQ-002'],
  },
  {
    id: 'view-messages-shows-all-senders',
    description:
      '"View messages" on one Skype user\'s request lists the texts of every undecided request the Teams user has, from all senders: the query filters by recipient, not by conversation. It shows only with a second pending request.',
    classes: ['second-conversation', 'leak-between-tenants'],
    breaks: ['REQ-006'],
  },
  {
    id: 'accept-connects-only-acceptor',
    description:
      "After a Teams user accepts a Skype user's request, the Teams user's messages flow as chat but the Skype user's further messages still arrive as requests: the acceptance is recorded on the acceptor's side of the pair only (F12, one-way chat).",
    classes: ['one-direction', 'multi-step'],
    breaks: ['REQ-004', 'CHAT-002'],
  },
  {
    id: 'accept-replays-request-as-messages',
    description:
      'Accepting a request materialises the conversation by re-sending every message of the request to the recipient as chat messages: the recipient sees each text twice, once as the request and once as a message.',
    classes: ['replayed-event', 'duplicated-event'],
    breaks: ['REQ-004'],
  },
  {
    id: 'unblock-reopens-request',
    description:
      'A Teams user who blocked a request and later unblocks the Skype user is back at an undecided request: the Skype user\'s messages arrive as requests again and the Teams user\'s reply is refused "request not accepted".',
    classes: ['after-undo', 'multi-step'],
    breaks: ['BLOCK-002', 'REQ-005'],
  },
  {
    id: 'view-messages-newest-first',
    description:
      '"View messages" on a request of several messages lists them newest first, the order of the notification feed, not the order they were sent.',
    classes: ['reordered-event'],
    breaks: ['REQ-006'],
  },
  {
    id: 'view-messages-accepts-request',
    description:
      'Choosing "View messages" marks the request as read and the read marker is taken for consent: the request is accepted, and the Skype user\'s later messages arrive as chat and the Teams user may reply.',
    classes: ['multi-step'],
    breaks: ['REQ-006', 'REQ-003'],
  },
  {
    id: 'request-keeps-first-three-messages',
    description:
      'An anti-spam quota keeps only the first three messages of an undecided request: the initiator\'s fourth and later messages are answered as sent but reach nobody, and "View messages" shows three.',
    classes: ['quota', 'dropped-event'],
    breaks: ['REQ-007', 'REQ-006', 'CHAT-009'],
  },
  {
    id: 'initiator-call-while-pending-refused',
    description:
      'While a request is undecided, its initiator\'s call is refused "request not accepted": the calling service checks that the pair is connected, not who started the request.',
    classes: ['multi-step'],
    breaks: ['REQ-007'],
  },
  {
    id: 'teamsonly-calls-routed-to-sfb',
    description:
      'Calls from Skype users to TeamsOnly users, and their call notices, are routed to Skype for Business as in the old hybrid set-up: chat lands in Teams, calls do not.',
    classes: ['routing-by-client-type'],
    breaks: ['REQ-008', 'CALL-001'],
  },
  {
    id: 'coexistence-mode-cached-per-tenant',
    description:
      'The gateway caches the coexistence mode per tenant, from the first user it routes: in a tenant with both TeamsOnly and Islands users, everyone gets Skype traffic where the first recipient did.',
    classes: ['leak-between-tenants', 'per-tenant', 'stale-read'],
    breaks: ['REQ-008', 'REQ-009'],
  },
  {
    id: 'relationship-keyed-by-teams-user',
    description:
      "Once a Teams user has accepted one Skype user, a second Skype user's first message reaches them as an ordinary message, not a request, and they may answer without accepting: the consent is stored per Teams user, not per pair.",
    classes: ['second-conversation', 'leak-between-tenants'],
    breaks: ['REQ-002', 'REQ-003'],
  },
];
