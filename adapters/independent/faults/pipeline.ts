/**
 * The faults that live between a decision and the log: a world's `append` passes every batch of facts through
 * `beforeAppend` (which may alter, drop, duplicate, delay or add facts, as a faulty gateway or bridge would on the
 * way) and calls `afterApply` once each fact is folded in. With every switch off both are the identity: the
 * facts are appended exactly as the rules decided them.
 *
 * why-long: the faults of one path (the append), in the order a batch passes them; kept as the implementation's
 *   author wrote it (issue 14: written from the documents alone), not reshaped by the harness's maintainers.
 */
import type { Media, Person, SrvRecord } from '../../../specs/protocol.js';
import { REQUIRED_SRV } from '../../../specs/protocol.js';
import type { DeliveryFact, DomainEvent } from '../events.js';
import { surfaceOf } from '../gates.js';
import { pairKey, person, type WorldState } from '../projection.js';
import { memoryOf, on, serviceMemoryOf, sideKey, type Switches } from './memory.js';

/** What the pipeline needs of a world (world.ts's World). */
export interface Appendable {
  readonly state: WorldState;
  readonly defects: Switches;
  append(events: readonly DomainEvent[]): void;
}

const CALL_NOTICES = new Set(['call', 'call-answered', 'call-declined', 'call-ended', 'video-added', 'voicemail']);
/** Facts that already went through the pipeline once (a delayed delivery comes back through `append`). */
const passed = new WeakSet<object>();
/** deployment-repair-resets-relationships: whether the tenant lacked a prerequisite before this change. */
const unmetBefore = new WeakMap<object, boolean>();

const escapeHtml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The media a call rings with, as the faulty call stacks see it (the same for the call fact and its notice). */
function ringingMedia(s: WorldState, caller: Person | undefined, callee: Person | undefined, media: Media): Media {
  if (!caller || !callee) return media;
  const pair = pairKey(caller.name, callee.name);
  let m = media;
  if (on(s, 'second-call-keeps-first-media')) m = memoryOf(s).lastMedia.get(pair) ?? m;
  if (on(s, 'ios-skype-video-downgraded') && [caller, callee].some((p) => p.kind === 'skype' && p.client === 'ios'))
    m = 'audio';
  if (on(s, 'skype-video-call-rings-as-audio') && caller.kind === 'skype') m = 'audio';
  return m;
}

type Timed = { d: DeliveryFact; delayMs: number };

/** One delivery as the faulty bridge hands it over: altered, dropped, duplicated or held back. */
function shapeDelivery(s: WorldState, delivery: DeliveryFact, firstContact: boolean): Timed[] {
  const to = person(s, delivery.to);
  const from = person(s, delivery.from);
  if (!to || !from) return [{ d: delivery, delayMs: 0 }];
  const mem = memoryOf(s);
  const x: DeliveryFact = { ...delivery };
  if (to.kind === 'teams') {
    if (on(s, 'teamsonly-calls-routed-to-sfb') && to.mode === 'TeamsOnly' && CALL_NOTICES.has(x.kind))
      x.surface = 'skype-for-business';
    if (on(s, 'coexistence-mode-cached-per-tenant')) {
      const cached = mem.surfaceByTenant.get(to.tenant);
      if (cached) x.surface = cached;
      else mem.surfaceByTenant.set(to.tenant, x.surface);
    }
    if (on(s, 'external-flag-missing-in-islands') && x.kind === 'request' && to.mode === 'Islands') delete x.external;
    if (on(s, 'external-banner-on-every-message') && x.kind === 'message') x.external = true;
  }
  if (x.text !== undefined) {
    if (on(s, 'text-trimmed-toward-skype') && to.kind === 'skype') x.text = x.text.trim();
    if (on(s, 'text-nfc-normalised-toward-teams') && to.kind === 'teams') x.text = x.text.normalize('NFC');
    if (on(s, 'text-html-escaped-for-teams') && to.kind === 'teams') x.text = escapeHtml(x.text);
    if (on(s, 'text-truncated-at-1000-chars') && x.text.length > 1000) x.text = x.text.slice(0, 1000);
    if (on(s, 'request-text-unencrypted') && x.kind === 'request') x.encrypted = false;
    if (
      on(s, 'android-skype-transport-unencrypted') &&
      [to, from].some((p) => p.kind === 'skype' && p.client === 'android')
    )
      x.encrypted = false;
  }
  if (x.kind === 'call' && x.media) x.media = ringingMedia(s, from, to, x.media);
  if (on(s, 'decline-reported-as-ended') && x.kind === 'call-declined') x.kind = 'call-ended';
  if (on(s, 'video-added-sent-to-adder') && x.kind === 'video-added')
    Object.assign(x, { to: from.name, from: to.name, surface: surfaceOf(from) });
  // Lost on the way, without a word to anybody.
  if (on(s, 'answer-not-notified-to-skype-caller') && x.kind === 'call-answered' && to.kind === 'skype') return [];
  if (
    on(s, 'web-teams-messages-to-skype-dropped') &&
    x.kind === 'message' &&
    to.kind === 'skype' &&
    from.kind === 'teams' &&
    from.client === 'web'
  )
    return [];
  if (on(s, 'skype-to-islands-chat-dropped') && x.kind === 'message' && to.kind === 'teams' && to.mode === 'Islands')
    return [];
  let delayMs = 0;
  if (on(s, 'teams-to-skype-reordered-by-worker') && x.kind === 'message' && to.kind === 'skype') {
    // Two workers by the sender's message count: the even one is the slow one.
    const n = mem.sentToSkype.get(from.name) ?? 0;
    mem.sentToSkype.set(from.name, n + 1);
    if (n % 2 === 0) delayMs = 150;
  }
  if (on(s, 'first-message-after-accept-late') && x.kind === 'message') {
    const pair = pairKey(from.name, to.name);
    if (!mem.chatStarted.has(pair)) {
      mem.chatStarted.add(pair);
      delayMs = 2500;
    }
  }
  const out: Timed[] = [{ d: x, delayMs }];
  if (on(s, 'skype-to-teams-delivered-twice') && x.kind === 'message' && to.kind === 'teams')
    out.push({ d: { ...x }, delayMs });
  if (on(s, 'request-duplicated-on-first-contact') && x.kind === 'request' && firstContact)
    out.push({ d: { ...x }, delayMs });
  return out;
}

const srvOk = (r: SrvRecord | null) =>
  r !== null &&
  r.target === REQUIRED_SRV.target &&
  r.port === REQUIRED_SRV.port &&
  r.priority === REQUIRED_SRV.priority &&
  r.weight === REQUIRED_SRV.weight;
const prerequisitesMet = (t: { cloud: string; publicProvider: string; sipFederationSrv: SrvRecord | null }) =>
  t.cloud === 'commercial' && t.publicProvider === 'WindowsLive' && srvOk(t.sipFederationSrv);

/** The facts to append now for this batch (delayed deliveries are appended later, by timer). */
export function beforeAppend(w: Appendable, events: readonly DomainEvent[]): readonly DomainEvent[] {
  const s = w.state;
  const out: DomainEvent[] = [];
  const firstContact = events.some((e) => e.type === 'request-opened');
  for (const e of events) {
    if (passed.has(e)) {
      out.push(e);
      continue;
    }
    switch (e.type) {
      case 'delivered':
        for (const { d, delayMs } of shapeDelivery(s, e.delivery, firstContact)) {
          const fact: DomainEvent = { type: 'delivered', delivery: d };
          passed.add(fact);
          if (delayMs === 0) out.push(fact);
          else {
            const later = () => {
              try {
                w.append([fact]);
              } catch {
                // A world that is full (429) by then loses the late delivery, as a bridge's queue would.
              }
            };
            setTimeout(later, delayMs).unref();
          }
        }
        continue;
      case 'call-rang': {
        const media = ringingMedia(s, person(s, e.caller), person(s, e.callee), e.media);
        for (const k of [sideKey(e.caller, e.callee), sideKey(e.callee, e.caller)]) memoryOf(s).ghosts.delete(k);
        memoryOf(s).videoAddedBy.delete(pairKey(e.caller, e.callee));
        out.push(media === e.media ? e : { ...e, media });
        continue;
      }
      case 'call-ended': {
        const c = s.calls.get(pairKey(e.a, e.b));
        if (c) {
          memoryOf(s).lastMedia.set(pairKey(e.a, e.b), c.media);
          if (on(s, 'hang-up-state-stale-for-other-party') && !c.callerOnly)
            memoryOf(s).ghosts.set(sideKey(e.b, e.a), { ...c });
        }
        break;
      }
      case 'video-added':
        memoryOf(s).videoAddedBy.set(pairKey(e.by, e.other), e.by);
        break;
      case 'request-accepted':
        out.push(e);
        if (on(s, 'accept-replays-request-as-messages')) {
          const acceptor = person(s, e.by)!;
          for (const m of s.messages.get(pairKey(e.by, e.from)) ?? []) {
            if (m.inRequest && m.from === e.from)
              out.push({
                type: 'delivered',
                delivery: {
                  to: e.by,
                  from: e.from,
                  kind: 'message',
                  surface: surfaceOf(acceptor),
                  text: m.text,
                  encrypted: true,
                },
              });
          }
        }
        continue;
      case 'contact-blocked': {
        const r = s.relationships.get(pairKey(e.by, e.user));
        if (r && r.stage === 'pending' && r.recipient === e.by) memoryOf(s).decidedByBlock.add(pairKey(e.by, e.user));
        const order = memoryOf(s).blockOrder.get(e.by) ?? [];
        memoryOf(s).blockOrder.set(e.by, [...order.filter((u) => u !== e.user), e.user]);
        memoryOf(s).staleListed.get(e.by)?.delete(e.user);
        break;
      }
      case 'contact-unblocked': {
        out.push(e);
        if (on(s, 'unblocked-contact-stays-listed')) {
          const stale = memoryOf(s).staleListed.get(e.by) ?? new Set<string>();
          memoryOf(s).staleListed.set(e.by, stale.add(e.user));
        }
        if (on(s, 'held-messages-released-on-unblock')) {
          const blocker = person(s, e.by);
          for (const m of s.messages.get(pairKey(e.by, e.user)) ?? []) {
            if (m.reached || m.from !== e.user || m.to !== e.by || memoryOf(s).released.has(m.seq) || !blocker)
              continue;
            memoryOf(s).released.add(m.seq);
            out.push({
              type: 'delivered',
              delivery: {
                to: e.by,
                from: e.user,
                kind: 'message',
                surface: surfaceOf(blocker),
                text: m.text,
                encrypted: true,
              },
            });
          }
        }
        continue;
      }
      case 'world-created':
        if (on(s, 'search-index-shared-across-worlds')) {
          for (const u of Object.values(e.spec.users))
            if (u.kind !== 'admin') serviceMemoryOf(w.defects).directory.set(u.email.toLowerCase(), u);
        }
        break;
      case 'searchability-changed':
        if (on(s, 'searchable-again-not-reindexed') && !e.searchable) memoryOf(s).deindexed.add(e.user);
        break;
      case 'org-switch-changed':
        serviceMemoryOf(w.defects).orgSwitchByTenantName.set(e.tenant, e.allowPublicUsers);
        out.push(e);
        if (on(s, 'org-switch-update-resets-deployment')) {
          out.push({
            type: 'deployment-changed',
            tenant: e.tenant,
            publicProvider: 'WindowsLive',
            sipFederationSrv: { ...REQUIRED_SRV },
            cloud: 'commercial',
          });
          out.push({ type: 'enterprise-app-changed', tenant: e.tenant, enabled: true });
        }
        continue;
      case 'policy-changed': {
        const u = person(s, e.user);
        let change = e;
        if (on(s, 'policy-patch-resets-missing-fields'))
          change = { enablePublicCloudAccess: true, enablePublicCloudAudioVideoAccess: true, ...e };
        if (change.enablePublicCloudAccess === true) memoryOf(s).explicitlyAllowed.add(e.user);
        if (on(s, 'user-policy-applied-tenant-wide') && u?.kind === 'teams') {
          for (const other of s.users.values())
            if (other.kind === 'teams' && other.tenant === u.tenant) out.push({ ...change, user: other.name });
        } else out.push(change);
        continue;
      }
      case 'deployment-changed': {
        const t = s.tenants.get(e.tenant);
        const change = on(s, 'deployment-patch-clears-srv-when-omitted') ? { sipFederationSrv: null, ...e } : e;
        if (t) unmetBefore.set(change, !prerequisitesMet(t));
        out.push(change);
        continue;
      }
      case 'enterprise-app-changed':
        out.push(e);
        if (on(s, 'enterprise-app-patch-resets-org-switch'))
          out.push({ type: 'org-switch-changed', tenant: e.tenant, allowPublicUsers: true });
        continue;
      default:
        break;
    }
    out.push(e);
  }
  return out;
}

/** What some faults do once a fact is folded into the read model. */
export function afterApply(w: Appendable, e: DomainEvent): void {
  const s = w.state;
  if (e.type === 'contact-unblocked' && on(s, 'unblock-reopens-request')) {
    const pair = pairKey(e.by, e.user);
    const r = s.relationships.get(pair);
    if (r && memoryOf(s).decidedByBlock.delete(pair)) r.stage = 'pending';
  }
  if (
    e.type === 'deployment-changed' &&
    on(s, 'deployment-repair-resets-relationships') &&
    unmetBefore.get(e) === true
  ) {
    const t = s.tenants.get(e.tenant)!;
    if (!prerequisitesMet(t)) return;
    // Re-provisioning the federation forgets every relationship of the tenant's users with Skype users.
    const members = new Set(
      [...s.users.values()].filter((u) => u.kind === 'teams' && u.tenant === e.tenant).map((u) => u.name),
    );
    for (const [k, r] of s.relationships)
      if (members.has(r.initiator) || members.has(r.recipient)) s.relationships.delete(k);
    for (const [k, c] of s.calls) if (members.has(c.caller) || members.has(c.callee)) s.calls.delete(k);
    for (const [blocker, set] of s.blocks)
      for (const u of [...set])
        if ((members.has(blocker) && person(s, u)?.kind === 'skype') || members.has(u)) set.delete(u);
  }
}
