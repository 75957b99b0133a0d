/**
 * The protocol vocabulary: what a scenario's world is made of, the actions its people take, and what can be
 * observed of them. Data types only — the models, the harness, every adapter and every report import these, and
 * nothing here imports them back.
 */

/** Where a tenant's Microsoft 365 runs: interop exists only in the commercial cloud (F28). */
export type Cloud = 'commercial' | 'gcc' | 'gcc-high' | 'dod' | 'private';

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

export type Client = 'windows' | 'mac' | 'web' | 'android' | 'ios';

/** The external access policy of one Teams user (F25). */
export interface ExternalAccessPolicy {
  enablePublicCloudAccess: boolean;
  enablePublicCloudAudioVideoAccess: boolean;
}

export type CoexistenceMode = 'TeamsOnly' | 'Islands';
export type Forwarding = 'none' | 'user' | 'delegate' | 'phone';

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

/** A world after defaults are applied: every field present, names resolved. */
export interface World {
  tenants: Record<string, Tenant>;
  users: Record<string, User>;
}

export type Media = 'audio' | 'video';

/** One action of one actor. `kind` is the scenario's action keyword. */
export type Action =
  | { kind: 'search'; email?: string; skypeId?: string; phone?: string }
  | {
      kind: 'message';
      to: string;
      text: string;
      format?: 'plain' | 'rich';
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
export type Attack =
  | 'read-other-chats'
  | 'act-as-other-user'
  | 'reach-other-world'
  | 'malformed-json'
  | 'oversized-body'
  | 'unknown-route'
  | 'use-deleted-world-token';
export const ATTACKS: readonly Attack[] = [
  'read-other-chats',
  'act-as-other-user',
  'reach-other-world',
  'malformed-json',
  'oversized-body',
  'unknown-route',
  'use-deleted-world-token',
];

export type BlockVia = 'conversation' | 'privacy-settings';

export type ActionKind = Action['kind'];

/**
 * Why an action was refused. The actor is told (F30: "refused with an error" is an observable outcome, unlike
 * "lost without a word"). A real system maps its own errors onto these in its adapter.
 */
export type ErrorCode =
  | 'interop-unavailable'
  | 'skype-access-disabled'
  | 'audio-video-disabled'
  | 'chat-service-unavailable'
  | 'recipient-unavailable'
  | 'request-not-accepted'
  /** The actor blocks the person they wrote to or called: unblock to continue (BLOCK-006). */
  | 'contact-blocked'
  | 'unsupported-content'
  | 'unsupported-group'
  | 'unsupported-screen-share'
  | 'delegation-unsupported'
  // Answers to probes: the request was turned away (401/403/404, nothing leaked), was not valid JSON (400), was
  // too large (413), or asked for a route that does not exist (404).
  | 'denied'
  | 'bad-request'
  | 'payload-too-large'
  | 'not-found';

export const ERROR_CODES: readonly ErrorCode[] = [
  'interop-unavailable',
  'skype-access-disabled',
  'audio-video-disabled',
  'chat-service-unavailable',
  'recipient-unavailable',
  'request-not-accepted',
  'contact-blocked',
  'unsupported-content',
  'unsupported-group',
  'unsupported-screen-share',
  'delegation-unsupported',
  'denied',
  'bad-request',
  'payload-too-large',
  'not-found',
];

/** What the actor is shown in answer to an action. Query answers carry their data. */
export type ActorOutcome =
  | {
      status: 'ok';
      found?: string[];
      blocked?: string[];
      messages?: string[];
      presence?: 'hidden' | 'shown';
      /** Where a call went when it did not ring (F16). */
      call?: 'voicemail';
      /** The answer to `call-state`. */
      callState?: CallState;
    }
  | { status: 'error'; error: ErrorCode };

/**
 * One person's call with another, as that person sees it now (F15): no call, ringing (either party's view), or
 * connected; `media` is present exactly when there is a call, and becomes `video` once video is added.
 */
export interface CallState {
  state: 'none' | 'ringing' | 'connected';
  media?: Media;
}

/** Which client an event is shown in (F8: Islands users get Skype users' traffic in Skype for Business). */
export type Surface = 'teams' | 'skype-for-business' | 'skype';

export type DeliveryKind =
  'request' | 'message' | 'call' | 'call-answered' | 'call-declined' | 'call-ended' | 'video-added' | 'voicemail';

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
