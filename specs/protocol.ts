/**
 * The protocol vocabulary: what a scenario's world is made of, the actions its people take, and what can be
 * observed of them. The models, the harness, every adapter and every report import these, and nothing here imports
 * them back.
 *
 * This file is the source of the vocabulary's closed sets: each is a runtime constant (`CLOUDS`, `ACTION_KINDS`,
 * `ERROR_CODES`, …) and its type is derived from it. The documents that repeat a set — the scenario, requirements
 * and report schemas, specs/openapi.yaml and specs/PROTOCOL.md — are checked against these constants, set by set
 * and in both directions, by test/vocabulary.test.ts: change a set here and that test names every copy to update.
 *
 * why-long: the vocabulary is one source by design (issue 8, item 4); split over files it would need a check of its
 * own to agree with itself.
 */

/** `A` and `B` are the same set of literals; `Assert<Same<…>>` fails to compile otherwise. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

/** Where a tenant's Microsoft 365 runs: interop exists only in the commercial cloud (F28). */
export const CLOUDS = ['commercial', 'gcc', 'gcc-high', 'dod', 'private'] as const;
export type Cloud = (typeof CLOUDS)[number];

export interface Tenant {
  /** "Users can communicate with Skype users" / `AllowPublicUsers` (F24). On unless a scenario says otherwise. */
  allowPublicUsers: boolean;
  cloud: Cloud;
  /** `Set-CsTenantPublicProvider`; interop needs `WindowsLive` (F26). */
  publicProvider: string;
  /** The `_sipfederationtls._tcp` SRV record (F27); `null` when the tenant has none. */
  sipFederationSrv: SrvRecord | null;
  /** The "Skype for Business Online" enterprise application in the tenant's Azure AD (F19). */
  skypeForBusinessOnlineApp: boolean;
}

export interface SrvRecord {
  target: string;
  port: number;
  priority: number;
  weight: number;
}

/** The record F27 asks for: any other value leaves the prerequisite unmet. */
export const REQUIRED_SRV: Readonly<SrvRecord> = Object.freeze({
  target: 'sipfed.online.lync.com',
  port: 5061,
  priority: 100,
  weight: 1,
});

/** The client a person runs (F29). */
export const CLIENTS = ['windows', 'mac', 'web', 'android', 'ios'] as const;
export type Client = (typeof CLIENTS)[number];

/** The external access policy of one Teams user (F25). */
export interface ExternalAccessPolicy {
  enablePublicCloudAccess: boolean;
  enablePublicCloudAudioVideoAccess: boolean;
}

/** Where a Teams user gets Skype users' chats and calls (F8): in Teams, or in Skype for Business. */
export const COEXISTENCE_MODES = ['TeamsOnly', 'Islands'] as const;
export type CoexistenceMode = (typeof COEXISTENCE_MODES)[number];
/** Where a Teams user's calls are forwarded (F16). */
export const FORWARDINGS = ['none', 'user', 'delegate', 'phone'] as const;
export type Forwarding = (typeof FORWARDINGS)[number];

export interface TeamsUser {
  kind: 'teams';
  name: string;
  tenant: string;
  email: string;
  mode: CoexistenceMode;
  client: Client;
  policy: ExternalAccessPolicy;
  /** Where this user's calls are forwarded (F16). */
  forwarding: Forwarding;
  /** Teams users allowed to call on this user's behalf (F18). */
  delegates: string[];
}

export interface SkypeUser {
  kind: 'skype';
  name: string;
  email: string;
  skypeId: string;
  phone: string | null;
  /** Whether the user appears in search (F4). */
  searchable: boolean;
  client: Client;
}

/** A tenant administrator: flips the tenant's switches, takes part in no conversation. */
export interface Admin {
  kind: 'admin';
  name: string;
  tenant: string;
}

export type Person = TeamsUser | SkypeUser;
export type User = Person | Admin;

/** What a scenario's user is (its `platform:`): a Teams user, a Skype user, or a tenant's admin. */
export const PLATFORMS = ['teams', 'skype', 'admin'] as const;
export type Platform = (typeof PLATFORMS)[number];
export type AssertPlatforms = Assert<Same<User['kind'], Platform>>;

/** A world after defaults are applied: every field present, names resolved. */
export interface World {
  tenants: Record<string, Tenant>;
  users: Record<string, User>;
}

export const MEDIA = ['audio', 'video'] as const;
export type Media = (typeof MEDIA)[number];

/** How a message's text is written: the interop carries plain text only (F10, CHAT-004). */
export const MESSAGE_FORMATS = ['plain', 'rich'] as const;
export type MessageFormat = (typeof MESSAGE_FORMATS)[number];

/**
 * Every action a scenario's step can take, by its keyword. `Action` below gives each its fields; the two must
 * name the same kinds (checked by the compiler: `AssertActionKinds`).
 */
export const ACTION_KINDS = [
  'search',
  'message',
  'group-chat',
  'call',
  'answer',
  'decline',
  'hang-up',
  'add-video',
  'add-participant',
  'share-screen',
  'meeting',
  'accept',
  'block',
  'unblock',
  'block-number',
  'unblock-number',
  'view-messages',
  'blocked-contacts',
  'presence',
  'call-state',
  'set-searchable',
  'set-org-switch',
  'set-user-policy',
  'set-enterprise-app',
  'set-public-provider',
  'set-sip-federation-srv',
  'set-cloud',
  'probe',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** One action of one actor. `kind` is the scenario's action keyword. */
export type Action =
  | { kind: 'search'; email?: string; skypeId?: string; phone?: string }
  | {
      kind: 'message';
      to: string;
      text: string;
      format?: MessageFormat;
      mentions?: string[];
      emoji?: string;
      file?: string;
    }
  | { kind: 'group-chat'; with: string[]; text: string }
  | { kind: 'call'; to: string; media: Media; onBehalfOf?: string }
  | { kind: 'answer'; from: string }
  | { kind: 'decline'; from: string }
  | { kind: 'hang-up'; with: string }
  | { kind: 'add-video'; with: string }
  | { kind: 'add-participant'; with: string; user: string }
  | { kind: 'share-screen'; with: string }
  | { kind: 'meeting'; with: string[] }
  | { kind: 'accept'; from: string }
  /** `via`: where the user does it (F20): in the conversation (the default) or, a Teams user, in privacy settings. */
  | { kind: 'block'; user: string; via?: BlockVia }
  | { kind: 'unblock'; user: string; via?: BlockVia }
  /** A Teams user blocks or unblocks a phone number (F22): only its place on the blocked-contacts list is in scope. */
  | { kind: 'block-number'; phone: string }
  | { kind: 'unblock-number'; phone: string }
  | { kind: 'view-messages'; from: string }
  | { kind: 'blocked-contacts' }
  | { kind: 'presence'; of: string }
  /** The actor's call with this person as the actor sees it now (a query: it changes nothing). */
  | { kind: 'call-state'; with: string }
  | { kind: 'set-searchable'; value: boolean }
  | { kind: 'set-org-switch'; allowPublicUsers: boolean }
  | {
      kind: 'set-user-policy';
      user: string;
      enablePublicCloudAccess?: boolean;
      enablePublicCloudAudioVideoAccess?: boolean;
    }
  | { kind: 'set-enterprise-app'; enabled: boolean }
  /** The tenant's deployment prerequisites, changed by its admin (F26–F28): public provider, SRV record, cloud. */
  | { kind: 'set-public-provider'; provider: string }
  | { kind: 'set-sip-federation-srv'; record: SrvRecord | null }
  | { kind: 'set-cloud'; cloud: Cloud }
  /** A hostile request over the wire (security scenarios; only networked adapters can make one). */
  | { kind: 'probe'; attack: Attack; target?: string };

/**
 * What a probe tries: read another user's chats, act as another user (send as them), reach another world with
 * this world's token, send malformed JSON, send a body over 64 KiB, call a route that does not exist, use a token
 * of a world that was deleted.
 */
export const ATTACKS = [
  'read-other-chats',
  'act-as-other-user',
  'reach-other-world',
  'malformed-json',
  'oversized-body',
  'unknown-route',
  'use-deleted-world-token',
] as const;
export type Attack = (typeof ATTACKS)[number];

/** Where a block is laid or lifted (F20): in the conversation (the default) or a Teams user's privacy settings. */
export const BLOCK_VIAS = ['conversation', 'privacy-settings'] as const;
export type BlockVia = (typeof BLOCK_VIAS)[number];

export type AssertActionKinds = Assert<Same<Action['kind'], ActionKind>>;

/**
 * The operations of specs/openapi.yaml that carry each action over HTTP (the `http` adapter's choice; `block` and
 * `unblock` take the privacy-settings one with `via: privacy-settings`). A probe tries these operations as someone
 * who may not (another user, another world, a deleted world), or sends what no operation accepts. The API's other
 * operations are the control plane (worlds, event streams, sync markers) and `getMyPresence` (one's own presence,
 * outside the interop). A message takes the chat's id from `createChat`. Keyed by every action kind, so a new
 * action does not compile without its entry.
 */
export const ACTION_OPERATIONS: { readonly [K in ActionKind]: readonly string[] } = {
  search: ['searchPeople'],
  message: ['createChat', 'sendChatMessage'],
  'group-chat': ['createChat'],
  call: ['createCall'],
  answer: ['answerCall'],
  decline: ['declineCall'],
  'hang-up': ['hangUpCall'],
  'add-video': ['addVideo'],
  'add-participant': ['addParticipant'],
  'share-screen': ['shareScreen'],
  meeting: ['createMeeting'],
  accept: ['acceptRequest'],
  block: ['blockContact', 'blockContactInPrivacySettings'],
  unblock: ['unblockContact', 'unblockContactInPrivacySettings'],
  'block-number': ['blockNumber'],
  'unblock-number': ['unblockNumber'],
  'view-messages': ['viewRequestMessages'],
  'blocked-contacts': ['listBlockedContacts'],
  presence: ['getPresence'],
  'call-state': ['getCall'],
  'set-searchable': ['updateMySettings'],
  'set-org-switch': ['updateFederationConfiguration'],
  'set-user-policy': ['updateExternalAccessPolicy'],
  'set-enterprise-app': ['updateSkypeForBusinessOnlineApp'],
  'set-public-provider': ['updateDeployment'],
  'set-sip-federation-srv': ['updateDeployment'],
  'set-cloud': ['updateDeployment'],
  probe: ['listMyChats', 'getChat', 'listChatMessages', 'listUserChats', 'listUserChatMessages', 'sendUserChatMessage'],
};

/**
 * Why an action was refused. The actor is told (F30: "refused with an error" is an observable outcome, unlike
 * "lost without a word"). A real system maps its own errors onto these in its adapter.
 */
export const ERROR_CODES = [
  'interop-unavailable',
  'skype-access-disabled',
  'audio-video-disabled',
  'chat-service-unavailable',
  'recipient-unavailable',
  'request-not-accepted',
  /** The actor blocks the person they wrote to or called: unblock to continue (BLOCK-006). */
  'contact-blocked',
  'unsupported-content',
  'unsupported-group',
  'unsupported-screen-share',
  'delegation-unsupported',
  // Answers to probes: the request was turned away (401/403/404, nothing leaked), was not valid JSON (400), was
  // too large (413), or asked for a route that does not exist (404).
  'denied',
  'bad-request',
  'payload-too-large',
  'not-found',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Codes an HTTP service may also put in an error body (specs/openapi.yaml's `ErrorCode`) that are never an actor's
 * outcome: a wrong method (405), a foreign `Host` (421), a quota reached (429, an error of the run, no verdict).
 */
export const WIRE_ERROR_CODES = ['method-not-allowed', 'misdirected-request', 'too-many-requests'] as const;
export type WireErrorCode = (typeof WIRE_ERROR_CODES)[number];

/** What the actor is told: done, or refused with an error code. */
export const OUTCOME_STATUSES = ['ok', 'error'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** Presence as the other side sees it; across the interop it is hidden (F14, CHAT-007). */
export const PRESENCES = ['hidden', 'shown'] as const;
export type Presence = (typeof PRESENCES)[number];

/** What the actor is shown in answer to an action. Query answers carry their data. */
export type ActorOutcome =
  | {
      status: 'ok';
      found?: string[];
      blocked?: string[];
      messages?: string[];
      presence?: Presence;
      /** Where a call went when it did not ring (F16). */
      call?: 'voicemail';
      /** The answer to `call-state`. */
      callState?: CallState;
    }
  | { status: 'error'; error: ErrorCode };
export type AssertOutcomeStatuses = Assert<Same<ActorOutcome['status'], OutcomeStatus>>;

/**
 * One person's call with another, as that person sees it now (F15): no call, ringing (either party's view), or
 * connected; `media` is present exactly when there is a call, and becomes `video` once video is added.
 */
export const CALL_STATES = ['none', 'ringing', 'connected'] as const;
export type CallStateKind = (typeof CALL_STATES)[number];
export interface CallState {
  state: CallStateKind;
  media?: Media;
}

/** Which client an event is shown in (F8: Islands users get Skype users' traffic in Skype for Business). */
export const SURFACES = ['teams', 'skype-for-business', 'skype'] as const;
export type Surface = (typeof SURFACES)[number];

/** What reaches a person: a request (first contact), a message, a ringing call, news of a call, a voicemail. */
export const DELIVERY_KINDS = [
  'request',
  'message',
  'call',
  'call-answered',
  'call-declined',
  'call-ended',
  'video-added',
  'voicemail',
] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

/** Something that reached a user because of another user's action. */
export interface Delivery {
  to: string;
  from: string;
  kind: DeliveryKind;
  surface: Surface;
  text?: string;
  media?: Media;
  /** Set on a request shown to a Teams user: it comes from an external (Skype) user (F6). */
  external?: boolean;
  /** Whether the message travelled and is stored encrypted (F11). */
  encrypted?: boolean;
  /** When it reached the recipient, ms since the epoch, by the system's own clock (e.g. an SSE event's timestamp). */
  deliveredAt?: number;
}

/** Everything observed of one step: the actor's outcome and what reached anyone else. */
export interface Observation {
  outcome: ActorOutcome;
  deliveries: Delivery[];
  /** When the harness saw each delivery, ms after the action was sent (its own clock), in the order of `deliveries`. */
  latenciesMs?: number[];
  /** The same by the system's own timestamps (`deliveredAt`), where it gave one: reported beside, never instead. */
  systemLatenciesMs?: (number | null)[];
}
