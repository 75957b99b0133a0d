/** The independent fault catalogue, part: chat and calls between connected people. See catalogue.ts. */
import type { CatalogueFault } from './types.js';

export const CONVERSATION_FAULTS: readonly CatalogueFault[] = [
  // ── chat ──────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'teams-to-skype-reordered-by-worker',
    description:
      'Teams-to-Skype messages are spread over two delivery workers, one slower than the other: messages sent in quick succession reach the Skype user out of order. Skype-to-Teams messages go through one queue and keep their order.',
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
    description:
      'A Skype user can create a group chat with Teams users: the group check runs in the Teams client path only.',
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
    description:
      "Teams users see Skype users' presence (Available); Skype users rightly see Teams users' presence hidden.",
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
    description:
      'Video calls with Skype users on iOS ring as audio calls: the iOS call offer is built with audio only. Other clients get video.',
    classes: ['routing-by-client-type'],
    breaks: ['CHAT-010', 'CALL-002'],
  },

  // ── calls ─────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'answer-not-notified-to-skype-caller',
    description:
      "When a Teams user answers a Skype user's call, the Skype caller is never told it was answered; a Skype user answering a Teams caller is fine.",
    classes: ['one-direction', 'dropped-event'],
    breaks: ['CALL-001'],
  },
  {
    id: 'skype-video-call-rings-as-audio',
    description:
      "A Skype user's video call to a Teams user rings as an audio call (the media is lost in the protocol translation); Teams-to-Skype video is fine.",
    classes: ['one-direction', 'content-altered'],
    breaks: ['CALL-002'],
  },
  {
    id: 'video-added-sent-to-adder',
    description:
      'When one party adds video to an answered call, the "video added" notice goes back to the one who added it, not to the other party.',
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
    description:
      'A declined call is reported to the caller as "call ended", not "declined": the gateway maps both SIP outcomes to one notice.',
    classes: ['content-altered'],
    breaks: ['CALL-004'],
  },
  {
    id: 'hang-up-state-stale-for-other-party',
    description:
      "After one party hangs up (or the callee declines), the other party's call state still shows the call (ringing or connected) until the pair's next call.",
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
    description:
      'During a call with a Skype user, adding a Teams colleague is accepted (only Skype invitees are refused), making a group call with a Skype user.',
    classes: ['multi-step'],
    breaks: ['CALL-006'],
  },
  {
    id: 'meeting-refused-only-for-skype-organiser',
    description:
      'A Teams user can schedule a meeting with a Skype user; only meetings organised by a Skype user are refused.',
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
      'A delegate\'s call on behalf of a Teams user is checked against the tenant\'s gates before the delegation: a delegate whose tenant refuses Skype communication is told "interop unavailable" or "Skype access disabled" instead of "delegation unsupported".',
    classes: ['per-tenant'],
    breaks: ['CALL-007'],
  },
  {
    id: 'screen-share-refused-as-group',
    description:
      'Screen sharing with a Skype user is refused with the group error ("unsupported group"), the generic "not supported" of the call service, instead of the screen-sharing one.',
    classes: ['wire-format'],
    breaks: ['CALL-008'],
  },
  {
    id: 'screen-share-allowed-on-video-call',
    description:
      'Screen sharing is refused on audio calls but accepted during an answered video call with a Skype user.',
    classes: ['multi-step'],
    breaks: ['CALL-008'],
  },
  {
    id: 'first-call-to-forwarding-user-goes-to-voicemail',
    description:
      "A Skype user's first call to a Teams user who forwards calls goes to voicemail instead of becoming a request: the call service applies the callee's forwarding before looking at the relationship, so no request is opened and the Teams user only finds a voicemail from a stranger.",
    classes: ['routing-by-client-type', 'one-direction'],
    breaks: ['REQ-002', 'CALL-005'],
  },
];
