/**
 * The open-ended fault catalogue of the independent implementation (issue 14, item 2): defects a gateway, bridge
 * or service team could ship, each written as the bug report a customer or a tester would file. They were chosen
 * from the documents (facts.md, the announcement and its comments, PROTOCOL.md, openapi.yaml, requirements.yaml)
 * by someone who has not read the scenarios, so they were not picked to be caught. `breaks` is the author's
 * judgement from the documents, not what any run found. Every id is a switch in adapters/independent/ (off: the
 * conformant service).
 */
import type { CatalogueFault } from './types.js';

export const INDEPENDENT_FAULTS: readonly CatalogueFault[] = [
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
      'The directory is keyed by the part of the address before the "@": searching "sam@other.example" finds the Skype user sam@outlook.example, and of two people named alike in different domains the first provisioned one is found for both addresses.',
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
    description: '"View messages" on a request of several messages lists them newest first, the order of the notification feed, not the order they were sent.',
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
      "An anti-spam quota keeps only the first three messages of an undecided request: the initiator's fourth and later messages are answered as sent but reach nobody, and \"View messages\" shows three.",
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

  // ── chat ──────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'teams-to-skype-reordered-by-worker',
    description:
      "Teams-to-Skype messages are spread over two delivery workers, one slower than the other: messages sent in quick succession reach the Skype user out of order. Skype-to-Teams messages go through one queue and keep their order.",
    classes: ['reordered-event', 'one-direction', 'delayed-event'],
    breaks: ['CHAT-001'],
  },
  {
    id: 'web-teams-messages-to-skype-dropped',
    description:
      'Messages a Teams user sends from the web client to a connected Skype user are shown as sent and never arrive; calls work, and desktop and mobile clients are fine (the one-way chat of F12).',
    classes: ['routing-by-client-type', 'dropped-event', 'one-direction'],
    breaks: ['CHAT-001', 'CHAT-009', 'CHAT-010'],
  },
  {
    id: 'skype-to-teams-delivered-twice',
    description:
      "Every Skype user's message reaches the connected Teams user twice: the bridge retries when the Teams side acknowledges late and does not deduplicate.",
    classes: ['duplicated-event', 'one-direction'],
    breaks: ['CHAT-002'],
  },
  {
    id: 'skype-to-islands-chat-dropped',
    description:
      "A connected Skype user's messages to a Teams user in Islands mode are accepted and lost: the Skype for Business route carries requests and calls but its chat leg is not bridged. No error is shown.",
    classes: ['dropped-event', 'routing-by-client-type', 'one-direction'],
    breaks: ['CHAT-002', 'CHAT-009', 'REQ-009'],
  },
  {
    id: 'group-chat-allowed-with-one-skype-member',
    description:
      'A group chat is refused only when it includes two or more Skype users: a Teams user may create a group with colleagues and a single Skype user (the check counts external members with ">= 2").',
    classes: ['quota'],
    breaks: ['CHAT-003'],
  },
  {
    id: 'group-chat-check-skipped-for-skype-creator',
    description: 'A Skype user can create a group chat with Teams users: the group check runs in the Teams client path only.',
    classes: ['one-direction'],
    breaks: ['CHAT-003'],
  },
  {
    id: 'mentions-stripped-not-refused',
    description:
      'A message with @mentions is not refused: the bridge strips the mentions and delivers the text, so the sender believes the mention went through.',
    classes: ['content-altered'],
    breaks: ['CHAT-004'],
  },
  {
    id: 'text-trimmed-toward-skype',
    description:
      'Teams-to-Skype messages lose leading and trailing spaces and line breaks (the Skype message builder trims), so indented or blank-line-ended text arrives altered. Skype-to-Teams is untouched.',
    classes: ['content-altered', 'one-direction'],
    breaks: ['CHAT-001'],
  },
  {
    id: 'text-nfc-normalised-toward-teams',
    description:
      'Skype-to-Teams messages are Unicode-normalised (NFC) on the way: a name typed with combining accents arrives as different code points than were sent.',
    classes: ['content-altered', 'one-direction'],
    breaks: ['CHAT-002'],
  },
  {
    id: 'text-truncated-at-1000-chars',
    description:
      'Messages longer than 1000 characters are cut at 1000 by the bridge (a limit of the old SMS-era gateway) in both directions, with no error to the sender.',
    classes: ['content-altered', 'quota'],
    breaks: ['CHAT-001', 'CHAT-002'],
  },
  {
    id: 'text-html-escaped-for-teams',
    description:
      'Skype-to-Teams messages are HTML-escaped because Teams stores chat as HTML: "Q&A <today>" arrives as "Q&amp;A &lt;today&gt;".',
    classes: ['content-altered', 'one-direction'],
    breaks: ['CHAT-002', 'CHAT-004'],
  },
  {
    id: 'request-text-unencrypted',
    description:
      'The text of a request travels and is stored unencrypted: requests go through a separate notification queue that was never moved to the encrypted store. Chat after accepting is encrypted.',
    classes: ['content-altered'],
    breaks: ['CHAT-005', 'REQ-001'],
  },
  {
    id: 'android-skype-transport-unencrypted',
    description:
      'Messages to and from Skype users on Android use a legacy transport without encryption; every other client is encrypted.',
    classes: ['routing-by-client-type'],
    breaks: ['CHAT-005', 'CHAT-010'],
  },
  {
    id: 'first-message-after-accept-late',
    description:
      'The first chat message of a newly accepted conversation waits for the chat thread to be provisioned and arrives about 2.5 s late (beyond F13\'s "a bit delayed"); later messages are prompt.',
    classes: ['delayed-event', 'multi-step'],
    breaks: ['CHAT-006'],
  },
  {
    id: 'presence-visible-once-connected',
    description:
      "Once two users are connected, each sees the other's presence (Available), because accepting adds the Skype user to the Teams user's contacts, whose presence is shared.",
    classes: ['multi-step'],
    breaks: ['CHAT-007'],
  },
  {
    id: 'skype-presence-shown-to-teams',
    description: "Teams users see Skype users' presence (Available); Skype users rightly see Teams users' presence hidden.",
    classes: ['one-direction'],
    breaks: ['CHAT-007'],
  },
  {
    id: 'enterprise-app-off-refuses-calls',
    description:
      'With the "Skype for Business Online" enterprise application disabled, calls with Skype users are refused too ("chat service unavailable"), although F19 says calls keep working.',
    classes: ['per-tenant'],
    breaks: ['CHAT-008', 'CALL-001'],
  },
  {
    id: 'enterprise-app-checked-for-teams-sender-only',
    description:
      "With the enterprise application disabled, a Teams user's messages are refused as they should be, but Skype users' messages to them still go through: the check runs on the Teams sender's side only.",
    classes: ['one-direction', 'per-tenant'],
    breaks: ['CHAT-008'],
  },
  {
    id: 'enterprise-app-reenable-cached',
    description:
      'After the admin enables the enterprise application again, chat keeps failing for Teams users who were refused while it was off: the refusal is cached per user. F19 says chat works at once.',
    classes: ['after-undo', 'stale-read'],
    breaks: ['CHAT-008'],
  },
  {
    id: 'gate-refusal-silent-for-skype-sender',
    description:
      "When a Skype user's message is refused by the Teams user's tenant (org switch, user policy, deployment), the Skype user is shown it as sent and it reaches nobody: the refusal is logged on the Teams side and never told to the sender.",
    classes: ['one-direction', 'dropped-event'],
    breaks: ['CHAT-009', 'ADMIN-001', 'ADMIN-003'],
  },
  {
    id: 'ios-skype-video-downgraded',
    description: 'Video calls with Skype users on iOS ring as audio calls: the iOS call offer is built with audio only. Other clients get video.',
    classes: ['routing-by-client-type'],
    breaks: ['CHAT-010', 'CALL-002'],
  },

  // ── calls ─────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'answer-not-notified-to-skype-caller',
    description: 'When a Teams user answers a Skype user\'s call, the Skype caller is never told it was answered; a Skype user answering a Teams caller is fine.',
    classes: ['one-direction', 'dropped-event'],
    breaks: ['CALL-001'],
  },
  {
    id: 'skype-video-call-rings-as-audio',
    description: "A Skype user's video call to a Teams user rings as an audio call (the media is lost in the protocol translation); Teams-to-Skype video is fine.",
    classes: ['one-direction', 'content-altered'],
    breaks: ['CALL-002'],
  },
  {
    id: 'video-added-sent-to-adder',
    description: "When one party adds video to an answered call, the \"video added\" notice goes back to the one who added it, not to the other party.",
    classes: ['multi-step'],
    breaks: ['CALL-003'],
  },
  {
    id: 'add-video-not-seen-by-other-party',
    description:
      "After one party adds video, only their own view of the call shows video: the other party's call state stays audio (each side keeps its own copy of the call).",
    classes: ['stale-read', 'multi-step'],
    breaks: ['CALL-003'],
  },
  {
    id: 'decline-reported-as-ended',
    description: 'A declined call is reported to the caller as "call ended", not "declined": the gateway maps both SIP outcomes to one notice.',
    classes: ['content-altered'],
    breaks: ['CALL-004'],
  },
  {
    id: 'hang-up-state-stale-for-other-party',
    description: "After one party hangs up, the other party's call state still shows the call (ringing or connected) until they hang up too.",
    classes: ['stale-read'],
    breaks: ['CALL-004'],
  },
  {
    id: 'second-call-keeps-first-media',
    description:
      "A pair's second call reuses the first call's media: after a video call (or video added to an audio call), the next audio call rings as video, and after an audio call a video call rings as audio.",
    classes: ['second-conversation', 'stale-read'],
    breaks: ['CALL-001', 'CALL-002'],
  },
  {
    id: 'voicemail-only-for-phone-forwarding',
    description:
      "A Skype user's call to a Teams user who forwards calls goes to voicemail only when the forwarding target is a phone number; forwarding to a colleague or a delegate makes it ring the Teams user.",
    classes: ['routing-by-client-type'],
    breaks: ['CALL-005'],
  },
  {
    id: 'caller-forwarding-applied',
    description:
      "The forwarding check looks at the wrong side: a Teams user who forwards their calls gets voicemail when they call a Skype user, while a Skype user's call to them rings.",
    classes: ['one-direction'],
    breaks: ['CALL-005', 'CALL-001'],
  },
  {
    id: 'teams-colleague-added-to-skype-call',
    description: 'During a call with a Skype user, adding a Teams colleague is accepted (only Skype invitees are refused), making a group call with a Skype user.',
    classes: ['multi-step'],
    breaks: ['CALL-006'],
  },
  {
    id: 'meeting-refused-only-for-skype-organiser',
    description: 'A Teams user can schedule a meeting with a Skype user; only meetings organised by a Skype user are refused.',
    classes: ['one-direction'],
    breaks: ['CALL-006'],
  },
  {
    id: 'delegate-call-allowed-for-listed-delegate',
    description:
      "A delegate's call to a Skype user on behalf of a Teams user goes through when the delegate is on that user's delegate list: the service checks the delegation, not whether the interop supports it.",
    classes: ['security'],
    breaks: ['CALL-007'],
  },
  {
    id: 'delegation-checked-after-gates',
    description:
      "A delegate's call on behalf of a Teams user is checked against the tenant's gates before the delegation: a delegate whose tenant refuses Skype communication is told \"interop unavailable\" or \"Skype access disabled\" instead of \"delegation unsupported\".",
    classes: ['per-tenant'],
    breaks: ['CALL-007'],
  },
  {
    id: 'screen-share-refused-as-group',
    description: 'Screen sharing with a Skype user is refused with the group error ("unsupported group"), the generic "not supported" of the call service, instead of the screen-sharing one.',
    classes: ['wire-format'],
    breaks: ['CALL-008'],
  },
  {
    id: 'screen-share-allowed-on-video-call',
    description: 'Screen sharing is refused on audio calls but accepted during an answered video call with a Skype user.',
    classes: ['multi-step'],
    breaks: ['CALL-008'],
  },

  // ── blocking ──────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'privacy-settings-block-not-enforced',
    description:
      'A block laid from privacy settings puts the Skype user on the blocked-contacts list but is not enforced: their messages and calls still reach the Teams user. A block from the conversation works.',
    classes: ['multi-step'],
    breaks: ['BLOCK-001'],
  },
  {
    id: 'unblock-from-other-place-ignored',
    description:
      'A block laid in the conversation cannot be lifted from privacy settings (or the other way round): the two screens keep separate block lists, and unblocking from the other one answers OK and changes nothing.',
    classes: ['after-undo'],
    breaks: ['BLOCK-002'],
  },
  {
    id: 'held-messages-released-on-unblock',
    description:
      'Messages a blocked Skype user sent while blocked are held, not dropped, and all reach the Teams user when they unblock: the blocker reads what was sent while blocked.',
    classes: ['after-undo', 'replayed-event', 'delayed-event'],
    breaks: ['BLOCK-003', 'BLOCK-001'],
  },
  {
    id: 'blocked-caller-sent-to-voicemail',
    description:
      'A call to someone who blocks the caller goes to voicemail instead of ringing for the caller as an unblocked call would: a Skype user learns they are blocked when every call goes to voicemail.',
    classes: ['multi-step'],
    breaks: ['BLOCK-003'],
  },
  {
    id: 'blocked-list-in-block-order',
    description: 'The blocked-contacts list shows people in the order they were blocked, not sorted by name.',
    classes: ['reordered-event'],
    breaks: ['BLOCK-004'],
  },
  {
    id: 'unblocked-contact-stays-listed',
    description: 'A Skype user who was unblocked stays on the blocked-contacts list (the list is a cache refreshed at sign-in), although they can chat again.',
    classes: ['stale-read', 'after-undo'],
    breaks: ['BLOCK-004'],
  },
  {
    id: 'skype-block-stops-messages-only',
    description: "A Skype user who blocks a Teams user's request stops the Teams user's messages, but the Teams user's calls still ring on Skype.",
    classes: ['one-direction'],
    breaks: ['BLOCK-005'],
  },
  {
    id: 'skype-block-tells-teams-sender',
    description:
      'A Teams user whose request a Skype user blocked is told so: their next message or call is refused "contact blocked", instead of being answered as sent.',
    classes: ['one-direction', 'wire-format'],
    breaks: ['BLOCK-005', 'BLOCK-003'],
  },
  {
    id: 'blocker-messages-still-delivered',
    description: 'A user who blocks someone can still message them and the message is delivered: the block filters incoming traffic only.',
    classes: ['one-direction'],
    breaks: ['BLOCK-006'],
  },
  {
    id: 'blocker-message-lifts-block',
    description:
      'A Teams user who blocked a request and then writes to that Skype user silently unblocks and accepts them: the message goes through and the Skype user can write back.',
    classes: ['multi-step', 'after-undo'],
    breaks: ['BLOCK-006', 'REQ-005'],
  },
  {
    id: 'blocked-numbers-normalised',
    description: 'Blocked phone numbers are listed as digits only ("+44 20 7946 0000" shows as "442079460000") and sorted on that form, not as the user typed them.',
    classes: ['content-altered'],
    breaks: ['BLOCK-007'],
  },
  {
    id: 'teams-colleague-blocks-missing-from-list',
    description:
      'Blocked Teams colleagues are missing from the blocked-contacts list: the list is built from the external (Skype) contacts and the phone numbers only.',
    classes: ['routing-by-client-type'],
    breaks: ['BLOCK-007'],
  },

  // ── administration ────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'org-switch-off-blocks-outbound-only',
    description:
      "With the org switch off, the tenant's users cannot message or call Skype users, but Skype users' messages and calls still reach them.",
    classes: ['one-direction'],
    breaks: ['ADMIN-001'],
  },
  {
    id: 'org-switch-keyed-by-tenant-name',
    description:
      'The org switch is stored by tenant name in a service-wide table: turning it off in one world turns it off for every tenant of that name in every other world open at the time.',
    classes: ['leak-between-worlds', 'per-tenant'],
    breaks: ['WIRE-002', 'ADMIN-001', 'ADMIN-002'],
  },
  {
    id: 'org-switch-back-on-not-restoring',
    description:
      'After the org switch is turned off and on again, users who tried to reach Skype users while it was off stay refused: their refusal is cached per user. Users who did not try are fine.',
    classes: ['after-undo', 'stale-read'],
    breaks: ['ADMIN-002'],
  },
  {
    id: 'org-switch-update-resets-deployment',
    description:
      "Changing the org switch writes the whole tenant configuration back with defaults: the public provider, the SRV record, the cloud and the enterprise application return to their default values, so a tenant that lacked a prerequisite suddenly has interop.",
    classes: ['partial-update'],
    breaks: ['ADMIN-006', 'ADMIN-007', 'ADMIN-008', 'CHAT-008'],
  },
  {
    id: 'user-policy-applied-tenant-wide',
    description:
      "Changing one user's external access policy changes it for every Teams user of the tenant: the policy is stored under the tenant's global policy instead of a per-user instance.",
    classes: ['leak-between-tenants', 'per-tenant'],
    breaks: ['ADMIN-003', 'ADMIN-004'],
  },
  {
    id: 'av-policy-checked-for-caller-only',
    description:
      'A Teams user whose policy denies audio/video with Skype users cannot call them, but Skype users\' calls to that user still ring.',
    classes: ['one-direction'],
    breaks: ['ADMIN-004'],
  },
  {
    id: 'policy-patch-resets-missing-fields',
    description:
      "Updating one field of a user's external access policy resets the other one to its default (on): denying audio/video and then re-allowing Skype access gives the user audio/video back.",
    classes: ['partial-update'],
    breaks: ['ADMIN-004', 'ADMIN-003'],
  },
  {
    id: 'explicit-user-allow-overrides-org-switch',
    description:
      'A user whose policy an admin explicitly set to allow Skype access keeps it when the org switch is turned off: the user-level check returns early when a policy was set.',
    classes: ['multi-step', 'per-tenant'],
    breaks: ['ADMIN-005'],
  },
  {
    id: 'org-switch-off-spares-islands-users',
    description:
      'With the org switch off, users whose coexistence (upgrade) policy keeps them in Islands mode can still message and call Skype users: their Skype traffic goes through Skype for Business, where the switch is not enforced. The user-level policy wins over the org switch.',
    classes: ['routing-by-client-type', 'per-tenant'],
    breaks: ['ADMIN-005', 'ADMIN-001'],
  },
  {
    id: 'srv-priority-and-weight-ignored',
    description: 'The SRV prerequisite is checked on target and port only: a record with the wrong priority or weight passes.',
    classes: ['per-tenant'],
    breaks: ['ADMIN-007'],
  },
  {
    id: 'only-gcc-high-and-dod-refused',
    description: 'Interop is refused for GCC High and DoD tenants only; GCC and private-cloud tenants get it although F28 excludes them.',
    classes: ['per-tenant'],
    breaks: ['ADMIN-008'],
  },
  {
    id: 'deployment-repair-resets-relationships',
    description:
      'Repairing a prerequisite (provider, SRV record or cloud back to what is needed) re-provisions the tenant\'s federation: pending requests, connected conversations and blocks with Skype users are gone, and everyone starts as strangers.',
    classes: ['after-undo', 'multi-step'],
    breaks: ['ADMIN-009'],
  },
  {
    id: 'deployment-gates-on-first-contact-only',
    description:
      'The deployment prerequisites (provider, SRV record, cloud) are checked when a conversation starts only: a conversation already connected or a request already pending keeps working after a prerequisite is removed.',
    classes: ['multi-step', 'stale-read'],
    breaks: ['ADMIN-009', 'ADMIN-006', 'ADMIN-008'],
  },

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
    description: "A Teams user's token can send as a colleague of the same tenant through /users/{id}/chats/{chatId}/messages (a delegation shortcut left on).",
    classes: ['security', 'per-tenant'],
    breaks: ['SEC-002'],
  },
  {
    id: 'chat-member-sends-as-other-member',
    description:
      "A user can post as the other member of their chat through /users/{otherId}/chats/{ownId}/messages: the send-as check asks whether the caller is a member of the chat, not whether they are the user named in the path.",
    classes: ['security'],
    breaks: ['SEC-002'],
  },
  {
    id: 'event-stream-token-any-world',
    description:
      "The event-stream handler resolves tokens in a service-wide table: a token of one world opens, in another world, the event stream of the user of the same name and receives their deliveries. Other routes check the world.",
    classes: ['security', 'leak-between-worlds'],
    breaks: ['SEC-003', 'SEC-001', 'WIRE-002'],
  },
  {
    id: 'token-table-global',
    description:
      "Tokens are looked up in one service-wide table and the world in the path is not compared: a token of one world acts, in another world, as the user of the same name.",
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
    description: 'The body limit is enforced from the Content-Length header only: a chunked body of any size is read and accepted.',
    classes: ['quota', 'wire-format'],
    breaks: ['SEC-005'],
  },
  {
    id: 'unknown-me-route-answers-empty-list',
    description: 'Any unknown route under /worlds/{id}/me/ is answered 200 with an empty list by a catch-all handler, instead of 404.',
    classes: ['wire-format'],
    breaks: ['SEC-006'],
  },
  {
    id: 'unknown-route-answered-405',
    description: 'A route that does not exist is answered 405 Method Not Allowed (with no Allow header) instead of 404: the router reports any miss as a method mismatch.',
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
    description: "Deleting a world leaves its users' open event streams running, and a stream can still be reopened with a token of the deleted world.",
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
    description: 'Chat messages carry createdDateTime in server-local time without a time zone ("2026-11-30 02:31:05"), not an RFC 3339 date-time.',
    classes: ['clock', 'wire-format'],
    breaks: ['WIRE-001'],
  },
  {
    id: 'delivered-at-in-seconds',
    description: "Deliveries are stamped with deliveredAt in seconds since the epoch (a Unix timestamp), not milliseconds: every delivery claims to have arrived in January 1970.",
    classes: ['clock', 'wire-format'],
    breaks: ['CHAT-006', 'WIRE-001'],
  },
  {
    id: 'server-clock-ahead',
    description: "The service's clock runs five minutes ahead (time sync off): every deliveredAt claims the delivery arrived minutes after it was sent.",
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
    description: 'A stream reopened with Last-Event-ID N starts at N instead of after it: the last event received before the reconnect is delivered again.',
    classes: ['replayed-event', 'reconnect'],
    breaks: ['WIRE-003'],
  },
  {
    id: 'events-lost-while-disconnected',
    description: 'Deliveries made while a user has no stream open are written to no one: a stream reopened with Last-Event-ID gets only live events.',
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
];
