/**
 * Small predicates and helpers the implementation calls where a fault changes a decision (gates, search,
 * relationship, lists, the wire). Each names the catalogue fault it stands for; every one answers exactly the
 * conformant value when its fault is off, so a call site reads `faulty ? … : conformant` in one line.
 *
 * why-long: a flat list of small predicates, one per catalogue fault, each read alone; kept as the implementation's
 *   author wrote it (issue 14: written from the documents alone), not reshaped by the harness's maintainers.
 */
import type { Cloud, ErrorCode, Person, TeamsUser, User } from '../../../specs/protocol.js';
import {
  blocks,
  pairKey,
  person,
  type CallRecord,
  type ChatRecord,
  type Exchange,
  type StoredMessage,
  type WorldState,
} from '../projection.js';
import { defectsOf, memoryOf, on, serviceMemoryOf, sideKey, type Switches } from './memory.js';

// ── gates ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** Whether gates 1–3 (the deployment) are looked at for this exchange (deployment-gates-on-first-contact-only). */
export const deploymentChecked = (s: WorldState, a: string, b: string): boolean =>
  !(on(s, 'deployment-gates-on-first-contact-only') && s.relationships.has(pairKey(a, b)));

/** Gate 1, as the service reads the cloud (only-gcc-high-and-dod-refused). */
export const cloudRefused = (s: WorldState, cloud: Cloud): boolean =>
  cloud !== 'commercial' && !(on(s, 'only-gcc-high-and-dod-refused') && (cloud === 'gcc' || cloud === 'private'));

/** Gate 3's priority and weight comparison (srv-priority-and-weight-ignored). */
export const srvRankIgnored = (s: WorldState): boolean => on(s, 'srv-priority-and-weight-ignored');

/** Gate 4, the org switch, as the faulty service reads it; remembers who was refused. */
export function orgSwitchRefuses(
  s: WorldState,
  tenant: string,
  allowPublicUsers: boolean,
  teams: TeamsUser,
  exchange: Exchange,
): boolean {
  const mem = memoryOf(s);
  let allowed = allowPublicUsers;
  if (on(s, 'org-switch-keyed-by-tenant-name'))
    allowed = serviceMemoryOf(defectsOf(s)).orgSwitchByTenantName.get(tenant) ?? allowed;
  if (!allowed && on(s, 'explicit-user-allow-overrides-org-switch') && mem.explicitlyAllowed.has(teams.name))
    allowed = true;
  if (!allowed && on(s, 'org-switch-off-spares-islands-users') && teams.mode === 'Islands') allowed = true;
  if (!allowed) {
    if (on(s, 'org-switch-back-on-not-restoring') && exchange !== 'search') mem.refusedWhileSwitchOff.add(teams.name);
    return true;
  }
  return (
    on(s, 'org-switch-back-on-not-restoring') && exchange !== 'search' && mem.refusedWhileSwitchOff.has(teams.name)
  );
}

/** Gate 5 skipped for search (search-ignores-user-policy). */
export const policyIgnored = (s: WorldState, exchange: Exchange): boolean =>
  exchange === 'search' && on(s, 'search-ignores-user-policy');

/** Gate 7 (the enterprise application), as the faulty service applies it. */
export function appGate(
  s: WorldState,
  teams: TeamsUser,
  appEnabled: boolean,
  exchange: Exchange,
): ErrorCode | undefined {
  const mem = memoryOf(s);
  if (exchange === 'call' && !appEnabled && on(s, 'enterprise-app-off-refuses-calls'))
    return 'chat-service-unavailable';
  if (exchange !== 'message') return undefined;
  if (!appEnabled) {
    if (on(s, 'enterprise-app-reenable-cached')) mem.refusedWhileAppOff.add(teams.name);
    return 'chat-service-unavailable';
  }
  return on(s, 'enterprise-app-reenable-cached') && mem.refusedWhileAppOff.has(teams.name)
    ? 'chat-service-unavailable'
    : undefined;
}

/**
 * A gate refused `teams`: whether the faulty service lets the exchange through anyway (`pass`) or swallows it
 * without a word (`silent`), when a Skype user acts.
 */
export function gateLeak(
  s: WorldState,
  actor: Person,
  teams: TeamsUser,
  closed: ErrorCode,
  exchange: Exchange,
): 'pass' | 'silent' | undefined {
  if (actor.kind !== 'skype') return undefined;
  if (closed === 'chat-service-unavailable' && on(s, 'enterprise-app-checked-for-teams-sender-only')) return 'pass';
  if (closed === 'audio-video-disabled' && on(s, 'av-policy-checked-for-caller-only')) return 'pass';
  if (
    closed === 'skype-access-disabled' &&
    on(s, 'org-switch-off-blocks-outbound-only') &&
    s.tenants.get(teams.tenant)?.allowPublicUsers === false
  )
    return 'pass';
  if (exchange === 'message' && on(s, 'gate-refusal-silent-for-skype-sender')) return 'silent';
  return undefined;
}

// ── search and first contact ──────────────────────────────────────────────────────────────────────────────────

/**
 * Whether a Skype user shows in search now (searchable-again-not-reindexed keeps the hidden ones out;
 * hidden-skype-user-found-by-other-case lets them through when `typed` differs from their address in case).
 */
export function inSearch(s: WorldState, u: Person, typed?: string): boolean {
  if (typed !== undefined && u.kind === 'skype' && typed !== u.email && on(s, 'hidden-skype-user-found-by-other-case'))
    return true;
  return u.kind !== 'skype' || (u.searchable && !memoryOf(s).deindexed.has(u.name));
}

/** search-index-shared-across-worlds: who the service-wide index holds for an address nobody in this world has. */
export function foreignMatches(s: WorldState, searcher: Person, typed: string): Person[] {
  if (!on(s, 'search-index-shared-across-worlds')) return [];
  // Only an address this world has nobody for falls through to the shared index.
  if ([...s.users.values()].some((u) => u.kind !== 'admin' && u.email.toLowerCase() === typed.toLowerCase())) return [];
  const p = serviceMemoryOf(defectsOf(s)).directory.get(typed.toLowerCase());
  return p && p.kind !== searcher.kind ? [p] : [];
}

/** Whether a first contact by a Teams user checks that the Skype user shows in search (hidden-skype-user-reachable-by-call). */
export const firstContactChecksSearch = (s: WorldState, exchange: 'message' | 'call'): boolean =>
  !(exchange === 'call' && on(s, 'hidden-skype-user-reachable-by-call'));

/** How the directory compares a typed address with a user's (case and local-part faults). */
export function emailMatches(s: WorldState, searcher: Person, u: Person, typed: string): boolean {
  let a = typed.toLowerCase();
  let b = u.email.toLowerCase();
  if (on(s, 'search-email-case-sensitive-for-teams-targets') && searcher.kind === 'skype' && u.kind === 'teams')
    [a, b] = [typed, u.email];
  if (on(s, 'search-matches-local-part-only')) [a, b] = [a.split('@')[0]!, b.split('@')[0]!];
  return a === b;
}

/** Skype-ID and phone searches, which find nobody unless a directory fault answers them. */
export function legacySearch(s: WorldState, searcher: Person, by: 'skypeId' | 'phone', value: string): Person[] {
  const digits = (p: string) => p.replace(/[^0-9+]/g, '');
  const found: Person[] = [];
  for (const u of s.users.values()) {
    if (u.kind !== 'skype' || searcher.kind !== 'teams') continue;
    if (by === 'skypeId' && on(s, 'skype-id-search-on-web-client') && searcher.client === 'web' && u.skypeId === value)
      found.push(u);
    if (
      by === 'phone' &&
      on(s, 'phone-search-normalised-and-matched') &&
      u.phone !== null &&
      digits(u.phone) === digits(value)
    )
      found.push(u);
  }
  return found;
}

/** Whether a Skype searcher is held to the Teams user's gates (skype-search-ignores-teams-tenant-gates). */
export const searchGatesApply = (s: WorldState, searcher: Person): boolean =>
  !(searcher.kind === 'skype' && on(s, 'skype-search-ignores-teams-tenant-gates'));

// ── relationship ──────────────────────────────────────────────────────────────────────────────────────────────

/** A block as the delivery path enforces it (privacy-settings-block-not-enforced, block-applies-to-whole-email-domain). */
export function enforcedBlock(s: WorldState, blocker: string, other: string): boolean {
  if (blocks(s, blocker, other))
    return !(
      on(s, 'privacy-settings-block-not-enforced') &&
      memoryOf(s).blockVia.get(sideKey(blocker, other)) === 'privacy-settings'
    );
  const o = person(s, other);
  if (!on(s, 'block-applies-to-whole-email-domain') || o?.kind !== 'skype') return false;
  const domain = (email: string) => email.slice(email.indexOf('@') + 1).toLowerCase();
  return [...(s.blocks.get(blocker) ?? [])].some((u) => {
    const p = person(s, u);
    return p?.kind === 'skype' && domain(p.email) === domain(o.email);
  });
}

/** The messages "View messages" draws from (view-messages-shows-all-senders: every request the viewer has). */
export function requestPool(s: WorldState, viewer: string, from: string): StoredMessage[] {
  const ofPair = (s.messages.get(pairKey(viewer, from)) ?? []).filter((m) => m.inRequest && m.from === from);
  if (!on(s, 'view-messages-shows-all-senders')) return ofPair;
  const pending = [...s.relationships.values()].filter((r) => r.stage === 'pending' && r.recipient === viewer);
  return pending
    .flatMap((r) =>
      (s.messages.get(pairKey(viewer, r.initiator)) ?? []).filter((m) => m.inRequest && m.from === r.initiator),
    )
    .sort((a, b) => a.seq - b.seq);
}

/** relationship-keyed-by-teams-user: the Teams party has accepted some Skype user, so any pair counts as connected. */
export function consentedAnywhere(s: WorldState, actor: Person, other: Person): boolean {
  if (!on(s, 'relationship-keyed-by-teams-user')) return false;
  const teams = actor.kind === 'teams' ? actor.name : other.name;
  for (const r of s.relationships.values()) {
    if (
      r.stage === 'decided' &&
      (r.initiator === teams || r.recipient === teams) &&
      !memoryOf(s).decidedByBlock.has(pairKey(r.initiator, r.recipient))
    )
      return true;
  }
  return false;
}

/** The pending request's messages as "View messages" lists them (order faults). */
export function requestOrder(s: WorldState, list: StoredMessage[]): StoredMessage[] {
  if (on(s, 'view-messages-newest-first')) return [...list].reverse();
  return historyOrder(s, list);
}

/** A history as the faulty store sorts it (history-sorted-by-seconds-timestamp: whole seconds, newest first among equal). */
export const historyOrder = (s: WorldState, list: StoredMessage[]): StoredMessage[] =>
  on(s, 'history-sorted-by-seconds-timestamp')
    ? [...list].sort((x, y) => Math.floor(x.at / 1000) - Math.floor(y.at / 1000) || y.seq - x.seq)
    : list;

/** A message's createdDateTime (created-date-time-without-zone: local time, no offset). */
export function stamp(s: WorldState | undefined, at: number): string {
  if (!s || !on(s, 'created-date-time-without-zone')) return new Date(at).toISOString();
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The blocked-contacts list's people and numbers as the faulty list shows them. */
export function blockedListOf(s: WorldState, blocker: string): { people: string[]; numbers: string[] } {
  const mem = memoryOf(s);
  let people = [...(s.blocks.get(blocker) ?? [])].sort();
  let numbers = [...(s.blockedNumbers.get(blocker) ?? [])].sort();
  if (on(s, 'blocked-list-in-block-order'))
    people = (mem.blockOrder.get(blocker) ?? []).filter((u) => blocks(s, blocker, u));
  if (on(s, 'unblocked-contact-stays-listed'))
    people = [...people, ...[...(mem.staleListed.get(blocker) ?? [])].filter((u) => !people.includes(u))].sort();
  if (on(s, 'teams-colleague-blocks-missing-from-list')) people = people.filter((u) => person(s, u)?.kind !== 'teams');
  if (on(s, 'blocked-numbers-normalised')) numbers = numbers.map((n) => n.replace(/[^0-9]/g, '')).sort();
  return { people, numbers };
}

/** Whether presence shows across the interop (presence faults); false: hidden, as documented. */
export function presenceShown(s: WorldState, viewer: Person, of: Person): boolean {
  if (on(s, 'skype-presence-shown-to-teams') && viewer.kind === 'teams' && of.kind === 'skype') return true;
  const r = s.relationships.get(pairKey(viewer.name, of.name));
  return (
    on(s, 'presence-visible-once-connected') &&
    r?.stage === 'decided' &&
    !blocks(s, viewer.name, of.name) &&
    !blocks(s, of.name, viewer.name)
  );
}

// ── the wire ──────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * SEC-001/SEC-002 faults: whom a /users/{userId} route acts for when the token is someone else's (undefined:
 * refused, as documented). `chatMembers`: the members of the chat in the path, if it names one.
 */
export function actsForOther(
  s: WorldState,
  actor: Person,
  target: User,
  writing: boolean,
  chatMembers?: readonly string[],
): Person | undefined {
  if (target.kind === 'admin') return undefined;
  const member = chatMembers?.includes(actor.name) === true && chatMembers.includes(target.name);
  if (writing && on(s, 'chat-member-sends-as-other-member') && member) return target;
  if (
    !writing &&
    on(s, 'chat-member-reads-other-members-chats') &&
    s.relationships.has(pairKey(actor.name, target.name))
  )
    return target;
  if (
    writing &&
    on(s, 'send-as-colleague-allowed') &&
    actor.kind === 'teams' &&
    target.kind === 'teams' &&
    actor.tenant === target.tenant
  )
    return target;
  return undefined;
}

// ── chats (the Graph namespace) ───────────────────────────────────────────────────────────────────────────────

/** The chat an id names: the chat's own id, or an id a fault handed out for it (chat-id-per-side). */
export function resolveChat(s: WorldState, id: string): ChatRecord | undefined {
  const own = s.chats.get(id);
  if (own) return own;
  const alias = memoryOf(s).chatAliases.get(id);
  return alias === undefined ? undefined : s.chats.get(alias);
}

/**
 * The id `caller` is given for chat `c` (chat-id-per-side: whoever did not create it gets an id of their own,
 * made when they first ask, which names the same chat).
 */
export function aliasChat(s: WorldState, c: ChatRecord, caller: string): string {
  if (!on(s, 'chat-id-per-side') || caller === c.createdBy) return c.id;
  const mem = memoryOf(s);
  for (const [alias, id] of mem.chatAliases) if (id === c.id) return alias;
  const alias = `19:${caller}_${c.members.find((m) => m !== caller)}@unq.gbl.spaces`;
  mem.chatAliases.set(alias, c.id);
  return alias;
}

/** Whether a user who is not a member of a chat is let in (non-member-reads-chat, non-member-posts-in-chat). */
export const nonMemberAllowed = (s: WorldState, writing: boolean): boolean =>
  on(s, writing ? 'non-member-posts-in-chat' : 'non-member-reads-chat');

/** A message's id as `viewer` reads it (message-id-per-side: each member's mailbox names its copy itself). */
export const messageIdFor = (s: WorldState, m: StoredMessage, viewer: string): string =>
  on(s, 'message-id-per-side') ? `${viewer}:${m.seq}` : String(m.seq);

/** The service's clock offset (server-clock-ahead: five minutes fast). */
export const clockSkewMs = (d: Switches): number => (d.has('server-clock-ahead') ? 300_000 : 0);

// ── calls ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** delegate-call-allowed-for-listed-delegate: the delegation is checked instead of refused. */
export function delegationAllowed(s: WorldState, delegate: Person, onBehalfOf: string): boolean {
  const boss = person(s, onBehalfOf);
  return (
    on(s, 'delegate-call-allowed-for-listed-delegate') &&
    boss?.kind === 'teams' &&
    boss.delegates.includes(delegate.name)
  );
}

/** screen-share-allowed-on-video-call: the pair has an answered video call. */
export function screenShareAllowed(s: WorldState, a: string, b: string): boolean {
  const c = s.calls.get(pairKey(a, b));
  return (
    on(s, 'screen-share-allowed-on-video-call') &&
    c !== undefined &&
    !c.callerOnly &&
    c.stage === 'connected' &&
    c.media === 'video'
  );
}

/** The call as `viewer` sees it: a hung-up call's ghost, and video seen by its adder only (stale-read faults). */
export function callSeenBy(
  s: WorldState,
  viewer: string,
  other: string,
  c: CallRecord | undefined,
): CallRecord | undefined {
  const seen =
    c ?? (on(s, 'hang-up-state-stale-for-other-party') ? memoryOf(s).ghosts.get(sideKey(viewer, other)) : undefined);
  if (!seen || seen.media !== 'video' || !on(s, 'add-video-not-seen-by-other-party')) return seen;
  const adder = memoryOf(s).videoAddedBy.get(pairKey(viewer, other));
  return adder !== undefined && adder !== viewer ? { ...seen, media: 'audio' } : seen;
}
