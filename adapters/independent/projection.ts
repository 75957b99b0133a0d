/**
 * The read model of one world: a fold over its log. `apply` is the only code that changes it, one fact at a time,
 * so that what every route reads is exactly what the log says happened (replay the log, get the same state).
 */
import type { Media, Person, Tenant, User, World as WorldSpec } from '../../specs/protocol.js';
import type { DomainEvent } from './events.js';

/** What a tenant gate is asked about (gates.ts): here, so that the faults' hooks need not import the gates. */
export type Exchange = 'message' | 'call' | 'search';

/** The relationship of one Teams and one Skype user (PROTOCOL.md "The relationship …"). */
export interface Relationship {
  initiator: string;
  recipient: string;
  /** `pending` until the recipient accepts or blocks; `decided` from then on, whatever blocks come and go. */
  stage: 'pending' | 'decided';
}

export interface CallRecord {
  caller: string;
  callee: string;
  media: Media;
  stage: 'ringing' | 'connected';
  /** Rings for the caller alone: the callee blocks the caller (BLOCK-003). */
  callerOnly: boolean;
}

export interface StoredMessage {
  seq: number;
  at: number;
  from: string;
  to: string;
  text: string;
  reached: boolean;
  inRequest: boolean;
}

/** A one-on-one chat (openapi Chat): one per pair, one id for both members. */
export interface ChatRecord {
  id: string;
  members: readonly [string, string];
  /** Who created it: listed for them from the start, for the other member once a message reaches them. */
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface WorldState {
  tenants: Map<string, Tenant>;
  users: Map<string, User>;
  relationships: Map<string, Relationship>;
  /** blocker → the people they block. */
  blocks: Map<string, Set<string>>;
  /** blocker → phone numbers, as typed. */
  blockedNumbers: Map<string, Set<string>>;
  calls: Map<string, CallRecord>;
  /** pair key → every text written between the pair, in order. */
  messages: Map<string, StoredMessage[]>;
  /** chat id → the chat; and pair key → the pair's chat id. */
  chats: Map<string, ChatRecord>;
  chatOfPair: Map<string, string>;
}

/** One key per unordered pair: a pair has one chat, one relationship, at most one call. */
export const pairKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

export function emptyState(): WorldState {
  return {
    tenants: new Map(),
    users: new Map(),
    relationships: new Map(),
    blocks: new Map(),
    blockedNumbers: new Map(),
    calls: new Map(),
    messages: new Map(),
    chats: new Map(),
    chatOfPair: new Map(),
  };
}

const setOf = <T>(m: Map<string, Set<T>>, k: string): Set<T> => {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  return s;
};

function cloneSpec(spec: WorldSpec, s: WorldState): void {
  for (const [name, t] of Object.entries(spec.tenants))
    s.tenants.set(name, { ...t, sipFederationSrv: t.sipFederationSrv ? { ...t.sipFederationSrv } : null });
  for (const [name, u] of Object.entries(spec.users)) {
    // Copies: a world's later changes must never reach back into the spec another world was made from (WIRE-002).
    const copy: User = u.kind === 'teams' ? { ...u, policy: { ...u.policy }, delegates: [...u.delegates] } : { ...u };
    s.users.set(name, copy);
  }
}

export function apply(s: WorldState, e: DomainEvent, seq: number, at: number): void {
  switch (e.type) {
    case 'world-created':
      cloneSpec(e.spec, s);
      return;
    case 'searchability-changed': {
      const u = s.users.get(e.user);
      if (u?.kind === 'skype') u.searchable = e.searchable;
      return;
    }
    case 'org-switch-changed':
      s.tenants.get(e.tenant)!.allowPublicUsers = e.allowPublicUsers;
      return;
    case 'policy-changed': {
      const u = s.users.get(e.user);
      if (u?.kind !== 'teams') return;
      // A partial update: only the fields the admin named change.
      if (e.enablePublicCloudAccess !== undefined) u.policy.enablePublicCloudAccess = e.enablePublicCloudAccess;
      if (e.enablePublicCloudAudioVideoAccess !== undefined)
        u.policy.enablePublicCloudAudioVideoAccess = e.enablePublicCloudAudioVideoAccess;
      return;
    }
    case 'enterprise-app-changed':
      s.tenants.get(e.tenant)!.skypeForBusinessOnlineApp = e.enabled;
      return;
    case 'deployment-changed': {
      const t = s.tenants.get(e.tenant)!;
      if (e.publicProvider !== undefined) t.publicProvider = e.publicProvider;
      if (e.sipFederationSrv !== undefined) t.sipFederationSrv = e.sipFederationSrv ? { ...e.sipFederationSrv } : null;
      if (e.cloud !== undefined) t.cloud = e.cloud;
      return;
    }
    case 'chat-created':
      s.chats.set(e.id, { id: e.id, members: [e.by, e.other], createdBy: e.by, createdAt: at, updatedAt: at });
      if (!s.chatOfPair.has(pairKey(e.by, e.other))) s.chatOfPair.set(pairKey(e.by, e.other), e.id);
      return;
    case 'request-opened':
      s.relationships.set(pairKey(e.from, e.to), { initiator: e.from, recipient: e.to, stage: 'pending' });
      return;
    case 'message-written': {
      const k = pairKey(e.from, e.to);
      let list = s.messages.get(k);
      if (!list) s.messages.set(k, (list = []));
      list.push({ seq, at, from: e.from, to: e.to, text: e.text, reached: e.reached, inRequest: e.inRequest });
      const chat = s.chats.get(s.chatOfPair.get(k) ?? '');
      if (chat) chat.updatedAt = at;
      return;
    }
    case 'request-accepted': {
      const r = s.relationships.get(pairKey(e.by, e.from));
      if (r) r.stage = 'decided';
      return;
    }
    case 'contact-blocked': {
      setOf(s.blocks, e.by).add(e.user);
      const r = s.relationships.get(pairKey(e.by, e.user));
      if (r && r.stage === 'pending' && r.recipient === e.by) r.stage = 'decided';
      return;
    }
    case 'contact-unblocked':
      s.blocks.get(e.by)?.delete(e.user);
      return;
    case 'number-blocked':
      setOf(s.blockedNumbers, e.by).add(e.phone);
      return;
    case 'number-unblocked':
      s.blockedNumbers.get(e.by)?.delete(e.phone);
      return;
    case 'call-rang':
      s.calls.set(pairKey(e.caller, e.callee), {
        caller: e.caller,
        callee: e.callee,
        media: e.media,
        stage: 'ringing',
        callerOnly: e.callerOnly,
      });
      return;
    case 'call-answered': {
      const c = s.calls.get(pairKey(e.by, e.caller));
      if (c) c.stage = 'connected';
      return;
    }
    case 'call-ended':
      s.calls.delete(pairKey(e.a, e.b));
      return;
    case 'video-added': {
      const c = s.calls.get(pairKey(e.by, e.other));
      if (c) c.media = 'video';
      return;
    }
    case 'delivered':
    case 'sync-marked':
      // Stream facts: projected by feeds.ts, not part of the read model.
      return;
  }
}

export const blocks = (s: WorldState, blocker: string, other: string): boolean =>
  s.blocks.get(blocker)?.has(other) ?? false;

export function person(s: WorldState, name: string): Person | undefined {
  const u = s.users.get(name);
  return u && u.kind !== 'admin' ? u : undefined;
}
