/**
 * The oracle: composes the models of `specs/models/` into a prediction for each step. Pure: it steps the machines
 * with xstate's `transition()` (no actors, no timers) and returns the next state with the prediction, or the
 * reason the models do not allow the step at all (an authoring error, reported before anything runs).
 */
import type { AnyStateMachine } from 'xstate';
import { initialTransition, transition } from 'xstate';
import type { Action, ActorOutcome, Delivery, ErrorCode, Person, TeamsUser, World } from '../specs/protocol.js';
import type { Prediction } from '../reports/results.js';
import { deliveryRequirements, SILENT_LOSS_REQUIREMENT } from '../specs/observed-fields.js';
import { blockedListMachine, type BlockedListDecision } from '../specs/models/blocked-list.js';
import { callMachine, goesToVoicemail, type CallDecision } from '../specs/models/call.js';
import { chatMachine, type ChatDecision } from '../specs/models/chat.js';
import { escalationMachine } from '../specs/models/escalation.js';
import { relationshipMachine, type RelationshipDecision, type Side } from '../specs/models/relationship.js';
import type { Decision } from '../specs/models/rule.js';
import { searchMachine, type QueryKind, type SearchDecision } from '../specs/models/search.js';
import { securityMachine, type SecurityDecision } from '../specs/models/security.js';
import { tenantPolicyMachine, type PolicyDecision, type Use } from '../specs/models/tenant-policy.js';
import { OutOfScope, pairOf, personsOf, type Pair } from './world-queries.js';

// Snapshots are opaque to the oracle: it only reads `context.decision` and asks `can()`.
type Snapshot = ReturnType<typeof initialTransition>[0] & { context: { decision: unknown }; can(e: object): boolean };

export interface ModelState {
  tenants: Readonly<Record<string, Snapshot>>;
  search: Snapshot;
  /** Other people and phone numbers Teams users block (F22). */
  blockedList: Snapshot;
  chat: Snapshot;
  escalation: Snapshot;
  security: Snapshot;
  relationships: Readonly<Record<string, Snapshot>>;
  calls: Readonly<Record<string, Snapshot>>;
}

export type OracleAnswer =
  { allowed: true; prediction: Prediction; next: ModelState } | { allowed: false; reason: string };

const NotAllowed = OutOfScope;

const start = (machine: AnyStateMachine, input?: unknown) => initialTransition(machine, input as never)[0] as Snapshot;

export function initialModelState(world: World): ModelState {
  const tenants: Record<string, Snapshot> = {};
  for (const [name, tenant] of Object.entries(world.tenants)) {
    const policies = Object.fromEntries(
      personsOf(world)
        .filter((u): u is TeamsUser => u.kind === 'teams' && u.tenant === name)
        .map((u) => [u.name, u.policy]),
    );
    tenants[name] = start(tenantPolicyMachine, { tenant, policies });
  }
  const unlisted = personsOf(world)
    .filter((u) => u.kind === 'skype' && !u.searchable)
    .map((u) => u.name);
  return {
    tenants,
    search: start(searchMachine, { unlisted }),
    blockedList: start(blockedListMachine),
    chat: start(chatMachine),
    escalation: start(escalationMachine),
    security: start(securityMachine),
    relationships: {},
    calls: {},
  };
}

/** One step of the models: `fire` returns the decision and keeps the next snapshot for `commit`. */
class Composition {
  readonly trace: string[] = [];
  /** Requirements of allowing rules that are themselves under test (see PolicyDecision.vouches). */
  readonly vouched: string[] = [];
  private next: ModelState;
  constructor(
    readonly world: World,
    state: ModelState,
  ) {
    this.next = {
      ...state,
      tenants: { ...state.tenants },
      relationships: { ...state.relationships },
      calls: { ...state.calls },
    };
  }

  fire<D extends Decision>(
    machine: AnyStateMachine,
    get: (s: ModelState) => Snapshot | undefined,
    put: (s: ModelState, v: Snapshot) => void,
    event: { type: string },
    explain: string,
    keep = true,
  ): D {
    const snapshot = get(this.next) ?? start(machine);
    if (!snapshot.can(event)) throw new NotAllowed(explain);
    const [after] = transition(machine, snapshot as never, event as never) as unknown as [Snapshot];
    if (keep) put(this.next, after);
    const decision = after.context.decision as D;
    this.trace.push(decision.rule);
    return decision;
  }

  authorize(user: TeamsUser, use: Use): PolicyDecision {
    const d = this.authorizeOnce(user, use);
    if (d.allowed && d.vouches) this.vouched.push(...d.requirements);
    return d;
  }
  private authorizeOnce(user: TeamsUser, use: Use): PolicyDecision {
    return this.fire<PolicyDecision>(
      tenantPolicyMachine,
      (s) => s.tenants[user.tenant],
      () => {},
      { type: 'AUTHORIZE', user: user.name, use } as never,
      `tenant ${user.tenant} cannot decide`,
      false,
    );
  }
  relationship(pair: Pair, event: object, explain: string): RelationshipDecision {
    return this.fire(
      relationshipMachine,
      (s) => s.relationships[pair.key],
      (s, v) => {
        (s.relationships as Record<string, Snapshot>)[pair.key] = v;
      },
      event as never,
      explain,
    );
  }
  call(pair: Pair, event: object, explain: string): CallDecision {
    return this.fire(
      callMachine,
      (s) => s.calls[pair.key],
      (s, v) => {
        (s.calls as Record<string, Snapshot>)[pair.key] = v;
      },
      event as never,
      explain,
    );
  }
  global(
    machine: AnyStateMachine,
    key: 'search' | 'chat' | 'escalation' | 'security' | 'blockedList',
    event: object,
    explain = 'not allowed',
  ): Decision {
    return this.fire(
      machine,
      (s) => s[key],
      (s, v) => {
        s[key] = v;
      },
      event as never,
      explain,
    );
  }
  tenant(name: string, event: object): Decision {
    return this.fire(
      tenantPolicyMachine,
      (s) => s.tenants[name],
      (s, v) => {
        (s.tenants as Record<string, Snapshot>)[name] = v;
      },
      event as never,
      `tenant ${name} cannot take ${JSON.stringify(event)}`,
    );
  }
  state(): ModelState {
    return this.next;
  }
}

const ok = (extra: Omit<Extract<ActorOutcome, { status: 'ok' }>, 'status'> = {}): ActorOutcome => ({
  status: 'ok',
  ...extra,
});
const error = (code: ErrorCode): ActorOutcome => ({ status: 'error', error: code });

function surfaceOf(p: Person): Delivery['surface'] {
  return p.kind === 'skype' ? 'skype' : p.mode === 'Islands' ? 'skype-for-business' : 'teams';
}

/** Predict one step. `world` is resolved; actors and names were checked by the loader. */
export function predict(world: World, state: ModelState, actorName: string, action: Action): OracleAnswer {
  const c = new Composition(world, state);
  try {
    const { outcome, deliveries, decision, extra, blame = [] } = decide(c, world, actorName, action);
    const ruleRequirements = [...new Set([...decision.requirements, ...c.vouched, ...blame])];
    const requirements = new Set([...ruleRequirements, ...extra]);
    for (const d of deliveries) deliveryRequirements(d).forEach((r) => requirements.add(r));
    return {
      allowed: true,
      prediction: {
        outcome,
        deliveries,
        rule: decision.rule,
        requirements: [...requirements].sort(),
        ruleRequirements,
        trace: c.trace,
      },
      next: c.state(),
    };
  } catch (e) {
    if (e instanceof NotAllowed) return { allowed: false, reason: e.message };
    throw e;
  }
}

interface Decided {
  outcome: ActorOutcome;
  deliveries: Delivery[];
  decision: Decision;
  /** Requirements the step exercises beyond its deciding rule's. */
  extra: string[];
  /** Requirements besides the deciding rule's that a wrong outcome or a missing delivery breaks. */
  blame?: string[];
}

const CLIENT_REQUIREMENT = 'CHAT-010';

function decide(c: Composition, world: World, actorName: string, action: Action): Decided {
  const actor = world.users[actorName]!;
  const done = (
    outcome: ActorOutcome,
    decision: Decision,
    deliveries: Delivery[] = [],
    extra: string[] = [],
  ): Decided => ({ outcome, deliveries, decision, extra });

  switch (action.kind) {
    case 'set-org-switch':
    case 'set-user-policy':
    case 'set-enterprise-app':
    case 'set-public-provider':
    case 'set-sip-federation-srv':
    case 'set-cloud': {
      if (actor.kind !== 'admin')
        throw new NotAllowed(`${actorName} is not an admin: only admins change tenant settings`);
      return done(ok(), c.tenant(actor.tenant, tenantEvent(action)));
    }
    case 'set-searchable': {
      if (actor.kind !== 'skype')
        throw new NotAllowed(`${actorName} is not a Skype user: only Skype users choose whether they appear in search`);
      return done(
        ok(),
        c.global(searchMachine, 'search', { type: 'SET_SEARCHABLE', user: actorName, value: action.value }),
      );
    }
    case 'search':
      return search(c, world, actor as Person, action);
    case 'group-chat':
    case 'meeting': {
      const decision = c.global(escalationMachine, 'escalation', {
        type: action.kind === 'meeting' ? 'MEETING' : 'GROUP_CHAT',
      });
      return done(error('unsupported-group'), decision);
    }
    case 'presence': {
      pairOf(world, actorName, action.of);
      return done(ok({ presence: 'hidden' }), c.global(chatMachine, 'chat', { type: 'PRESENCE' }));
    }
    case 'blocked-contacts':
      return blockedContacts(c, world, actorName);
    case 'block-number':
    case 'unblock-number': {
      if (actor.kind !== 'teams')
        throw new NotAllowed(
          `${actorName} is not a Teams user: the blocked phone numbers in scope are a Teams user's (F22)`,
        );
      const type = action.kind === 'block-number' ? 'BLOCK_OTHER' : 'UNBLOCK_OTHER';
      const why =
        action.kind === 'block-number'
          ? `${actorName} blocks ${action.phone} already`
          : `${actorName} does not block ${action.phone}`;
      return done(
        ok(),
        c.global(blockedListMachine, 'blockedList', { type, by: actorName, kind: 'number', value: action.phone }, why),
      );
    }
    case 'call-state':
      return callState(c, world, actorName, action);
    case 'probe': {
      if (actor.kind === 'admin')
        throw new NotAllowed(`${actorName} is an admin: probes are made with a person's credentials`);
      if (
        (action.attack === 'read-other-chats' || action.attack === 'act-as-other-user') &&
        (action.target === undefined || action.target === actorName)
      )
        throw new NotAllowed(`the ${action.attack} probe needs a target other than ${actorName}`);
      const d = c.global(securityMachine, 'security', { type: 'PROBE', attack: action.attack }) as SecurityDecision;
      return done(error(d.error), d);
    }
    case 'message':
      return message(c, world, actorName, action);
    case 'call':
      return call(c, world, actorName, action);
    case 'accept':
    case 'block':
    case 'unblock':
    case 'view-messages': {
      const other = action.kind === 'accept' || action.kind === 'view-messages' ? action.from : action.user;
      // A Teams user blocking another Teams user: only the blocked-contacts list is in scope (F22, BLOCK-007).
      if (
        (action.kind === 'block' || action.kind === 'unblock') &&
        actor.kind === 'teams' &&
        world.users[other]?.kind === 'teams'
      ) {
        if (other === actorName) throw new NotAllowed(`${actorName} cannot block themselves`);
        const why =
          action.kind === 'block' ? `${actorName} blocks ${other} already` : `${actorName} does not block ${other}`;
        return done(
          ok(),
          c.global(
            blockedListMachine,
            'blockedList',
            {
              type: action.kind === 'block' ? 'BLOCK_OTHER' : 'UNBLOCK_OTHER',
              by: actorName,
              kind: 'person',
              value: other,
            },
            why,
          ),
        );
      }
      const pair = pairOf(world, actorName, other);
      const type = { accept: 'ACCEPT', block: 'BLOCK', unblock: 'UNBLOCK', 'view-messages': 'VIEW' }[action.kind];
      // F20: the Teams user's privacy settings block and unblock exactly as the conversation does.
      if (
        (action.kind === 'block' || action.kind === 'unblock') &&
        action.via === 'privacy-settings' &&
        actor.kind !== 'teams'
      )
        throw new NotAllowed(
          `${actorName} is not a Teams user: blocking from privacy settings in scope is the Teams user's (F20)`,
        );
      // What a block does to a call already ringing or answered is not documented: out of scope (PROTOCOL.md).
      const call = c.state().calls[pair.key] as (Snapshot & { value: unknown }) | undefined;
      if (action.kind === 'block' && call && call.value !== 'idle')
        throw new NotAllowed(
          `${actorName} cannot block ${other} during their ringing or answered call: what a block does to a call in progress is out of scope`,
        );
      const d = c.relationship(
        pair,
        { type, by: pair.sideOf(actorName) },
        relationshipRefusal(action.kind, actorName, other),
      );
      return done(ok(d.messages ? { messages: d.messages } : {}), d);
    }
    default:
      return inCall(c, world, actorName, action);
  }
}

type AdminAction = Extract<
  Action,
  {
    kind:
      | 'set-org-switch'
      | 'set-user-policy'
      | 'set-enterprise-app'
      | 'set-public-provider'
      | 'set-sip-federation-srv'
      | 'set-cloud';
  }
>;

/** The tenant-policy event an admin action sends. */
function tenantEvent(a: AdminAction): object {
  switch (a.kind) {
    case 'set-org-switch':
      return { type: 'SET_ORG_SWITCH', allowPublicUsers: a.allowPublicUsers };
    case 'set-enterprise-app':
      return { type: 'SET_ENTERPRISE_APP', enabled: a.enabled };
    case 'set-user-policy':
      return { type: 'SET_USER_POLICY', user: a.user, policy: policyChange(a) };
    case 'set-public-provider':
      return { type: 'SET_PUBLIC_PROVIDER', provider: a.provider };
    case 'set-sip-federation-srv':
      return { type: 'SET_SIP_FEDERATION_SRV', record: a.record };
    case 'set-cloud':
      return { type: 'SET_CLOUD', cloud: a.cloud };
  }
}

function policyChange(a: Extract<Action, { kind: 'set-user-policy' }>) {
  const p: Record<string, boolean> = {};
  if (a.enablePublicCloudAccess !== undefined) p.enablePublicCloudAccess = a.enablePublicCloudAccess;
  if (a.enablePublicCloudAudioVideoAccess !== undefined)
    p.enablePublicCloudAudioVideoAccess = a.enablePublicCloudAudioVideoAccess;
  return p;
}

function relationshipRefusal(kind: string, actor: string, other: string): string {
  return {
    accept: `${actor} has no pending request from ${other} to accept`,
    'view-messages': `${actor} has no pending request from ${other} to view (only the Teams user views a Skype user's request)`,
    block: `${actor} cannot block ${other} now: blocking needs a request to answer or a decided conversation, and ${other} must not be blocked already`,
    unblock: `${actor} does not block ${other}`,
  }[kind]!;
}

function search(c: Composition, world: World, actor: Person, action: Extract<Action, { kind: 'search' }>): Decided {
  const by: QueryKind = action.email !== undefined ? 'email' : action.skypeId !== undefined ? 'skypeId' : 'phone';
  const target =
    by === 'email'
      ? (personsOf(world).find((u) => u.email.toLowerCase() === action.email!.toLowerCase()) ?? null)
      : null;
  if (target && target.kind === actor.kind)
    throw new NotAllowed(
      `${action.email} belongs to ${target.name}, a ${target.kind} user like ${actor.name}: only searches across the interop are in scope`,
    );
  const extra: string[] = [];
  const gate = (u: TeamsUser) => {
    const d = c.authorize(u, 'search');
    if (!d.allowed) extra.push(...d.requirements);
    return d.allowed;
  };
  const searcherAllowed = actor.kind === 'teams' ? gate(actor) : true;
  const reachable = target?.kind === 'teams' ? gate(target) : true;
  const event = {
    type: 'SEARCH',
    by,
    searcherAllowed,
    target: target && { name: target.name, kind: target.kind, reachable },
  };
  const d = c.global(searchMachine, 'search', event) as SearchDecision;
  // SEARCH-006's rules find nobody because a tenant gate refused: a wrong result breaks that gate's clause too
  // (ADMIN-006 for the wrong public provider, ADMIN-008 for GCC, …). Only one Teams user is gated per search.
  const blame = d.requirements.includes('SEARCH-006') ? extra : [];
  return { outcome: ok({ found: d.found }), deliveries: [], decision: d, extra: d.found.length ? [] : extra, blame };
}

function blockedContacts(c: Composition, world: World, actorName: string): Decided {
  const actor = world.users[actorName]!;
  if (actor.kind !== 'teams')
    throw new NotAllowed(
      `${actorName} is not a Teams user: the blocked-contacts list in scope is the Teams user's (F22)`,
    );
  const blocked: string[] = [];
  let decision: Decision | undefined;
  for (const skype of personsOf(world).filter((u) => u.kind === 'skype')) {
    const d = c.relationship(pairOf(world, actorName, skype.name), { type: 'LIST_BLOCKED' }, 'cannot list');
    if (d.blocked) blocked.push(skype.name);
    if (!decision || d.blocked) decision = d;
  }
  // F22: other blocked people beside them, by name, then blocked phone numbers (BLOCK-007).
  const others = c.global(blockedListMachine, 'blockedList', {
    type: 'LIST_OTHERS',
    by: actorName,
  }) as BlockedListDecision;
  const people = [...blocked, ...others.people!].sort();
  const listed = { outcome: ok({ blocked: [...people, ...others.numbers!] }), deliveries: [] };
  const hasOthers = others.people!.length > 0 || others.numbers!.length > 0;
  if (!blocked.length && hasOthers) return { ...listed, decision: others, extra: [] };
  // Both parts on the list: a wrong list breaks either clause.
  const both = hasOthers ? others.requirements : [];
  return {
    ...listed,
    decision: decision ?? { rule: 'relationship.contact-not-blocked', requirements: ['BLOCK-004'] },
    extra: both,
    blame: both,
  };
}

/** Gates of the Teams party (PROTOCOL.md: "Gates, in this order"). Returns the refusal, if any. */
function gate(c: Composition, pair: Pair, actorSide: Side, use: Use): Decided | null {
  const d = c.authorize(pair.teams, use);
  if (d.allowed) return null;
  return {
    outcome: error(actorSide === 'teams' ? d.error : 'recipient-unavailable'),
    deliveries: [],
    decision: d,
    extra: [],
  };
}

function clientRequirements(pair: Pair): string[] {
  return pair.teams.client !== 'windows' || pair.skype.client !== 'windows' ? [CLIENT_REQUIREMENT] : [];
}

function contactDelivery(pair: Pair, actorSide: Side, kind: 'request' | 'message', body: Partial<Delivery>): Delivery {
  const from = pair.bySide(actorSide);
  const to = pair.bySide(actorSide === 'teams' ? 'skype' : 'teams');
  return {
    to: to.name,
    from: from.name,
    kind,
    surface: surfaceOf(to),
    ...body,
    ...(kind === 'request' && to.kind === 'teams' ? { external: true } : {}),
  };
}

/** What the actor is told when the relationship refuses a contact. */
const REFUSAL = {
  refuse: 'request-not-accepted',
  'refuse-blocker': 'contact-blocked',
  'refuse-unlisted': 'recipient-unavailable',
} as const satisfies Record<string, ErrorCode>;

/** A contact for the relationship model, with whether the Skype user is hidden from search now (the search model's). */
function contactEvent(c: Composition, pair: Pair, from: Side, medium: 'message' | 'call', text?: string) {
  const unlisted = (c.state().search.context as unknown as { unlisted: string[] }).unlisted.includes(pair.skype.name);
  return { type: 'CONTACT', from, medium, ...(text !== undefined ? { text } : {}), ...(unlisted ? { unlisted } : {}) };
}

function message(
  c: Composition,
  world: World,
  actorName: string,
  action: Extract<Action, { kind: 'message' }>,
): Decided {
  const pair = pairOf(world, actorName, action.to);
  const side = pair.sideOf(actorName);
  const compose = c.global(chatMachine, 'chat', {
    type: 'COMPOSE',
    rich: action.format === 'rich',
    mentions: (action.mentions?.length ?? 0) > 0,
    emoji: action.emoji !== undefined,
    file: action.file !== undefined,
  }) as ChatDecision;
  if ('allowed' in compose && !compose.allowed)
    return { outcome: error(compose.error), deliveries: [], decision: compose, extra: [SILENT_LOSS_REQUIREMENT] };
  // CHAT-009: whatever the reason a message is not delivered (but a block), its sender must be told.
  const told = [SILENT_LOSS_REQUIREMENT];
  const refused = gate(c, pair, side, 'chat');
  if (refused) return { ...refused, extra: told };
  const d = c.relationship(pair, contactEvent(c, pair, side, 'message', action.text), 'cannot contact');
  const text = { text: action.text, encrypted: true };
  const clients = clientRequirements(pair);
  const extra = [...clients, ...told];
  switch (d.disposition) {
    case 'request':
      return {
        outcome: ok(),
        deliveries: [contactDelivery(pair, side, 'request', text)],
        decision: d,
        extra,
        blame: clients,
      };
    // After an unblock, a message that does not go through breaks what the unblock promised (BLOCK-002) as well.
    case 'deliver':
      return {
        outcome: ok(),
        deliveries: [contactDelivery(pair, side, 'message', text)],
        decision: d,
        extra: [...extra, ...(d.restores ?? [])],
        blame: [...clients, ...(d.restores ?? [])],
      };
    case 'refuse':
    case 'refuse-blocker':
    case 'refuse-unlisted':
      return { outcome: error(REFUSAL[d.disposition]), deliveries: [], decision: d, extra: told };
    default:
      return { outcome: ok(), deliveries: [], decision: d, extra: [] };
  }
}

function call(c: Composition, world: World, actorName: string, action: Extract<Action, { kind: 'call' }>): Decided {
  const principal = action.onBehalfOf ?? actorName;
  const boss = world.users[principal];
  if (action.onBehalfOf !== undefined && (boss?.kind !== 'teams' || !boss.delegates.includes(actorName)))
    throw new NotAllowed(`${actorName} is not a delegate of ${principal}`);
  const pair = pairOf(world, principal, action.to);
  const side = pair.sideOf(principal);
  const dial = (onBehalf: boolean) => ({
    type: 'DIAL',
    by: side,
    media: action.media,
    onBehalf,
    calleeForwards: pair.teams.forwarding !== 'none',
  });
  const busy = `a call between ${pair.teams.name} and ${pair.skype.name} is already ringing or answered`;
  if (action.onBehalfOf !== undefined) {
    const d = c.call(pair, dial(true), busy);
    return { outcome: error(d.error!), deliveries: [], decision: d, extra: [] };
  }
  const refused = gate(c, pair, side, 'call');
  if (refused) return refused;
  const r = c.relationship(pair, contactEvent(c, pair, side, 'call'), 'cannot contact');
  if (r.disposition in REFUSAL)
    return { outcome: error(REFUSAL[r.disposition as keyof typeof REFUSAL]), deliveries: [], decision: r, extra: [] };
  // BLOCK-003: the blocked caller is shown what an unblocked call would have shown, voicemail included.
  const silent = ok(goesToVoicemail(side, pair.teams.forwarding !== 'none') ? { call: 'voicemail' } : {});
  // …and, when it would have rung, a call that rings for the caller alone (call.blocked-call-seems-to-ring).
  if (r.disposition === 'drop' && silent.status === 'ok' && !silent.call)
    c.call(pair, { type: 'DIAL_DROPPED', by: side, media: action.media }, busy);
  if (r.disposition === 'drop') return { outcome: silent, deliveries: [], decision: r, extra: [] };
  if (r.disposition === 'request')
    return {
      outcome: ok(),
      deliveries: [contactDelivery(pair, side, 'request', { media: action.media })],
      decision: r,
      extra: [],
    };
  const d = c.call(pair, dial(false), busy);
  const callee = pair.bySide(side === 'teams' ? 'skype' : 'teams');
  const delivery: Delivery = {
    to: callee.name,
    from: principal,
    kind: d.notice!.kind,
    surface: surfaceOf(callee),
    ...(d.notice!.media ? { media: d.notice!.media } : {}),
  };
  const restores = r.restores ?? [];
  return {
    outcome: ok(d.voicemail ? { call: 'voicemail' } : {}),
    deliveries: [delivery],
    decision: d,
    extra: [...r.requirements, ...clientRequirements(pair), ...restores],
    blame: [...clientRequirements(pair), ...restores],
  };
}

type InCallAction = Extract<
  Action,
  { kind: 'answer' | 'decline' | 'hang-up' | 'add-video' | 'add-participant' | 'share-screen' }
>;

function inCall(c: Composition, world: World, actorName: string, action: InCallAction): Decided {
  const other = 'from' in action ? action.from : action.with;
  const pair = pairOf(world, actorName, other);
  const type = {
    answer: 'ANSWER',
    decline: 'DECLINE',
    'hang-up': 'HANG_UP',
    'add-video': 'ADD_VIDEO',
    'add-participant': 'ADD_PARTICIPANT',
    'share-screen': 'SHARE_SCREEN',
  }[action.kind];
  const explain = {
    answer: `no call from ${other} is ringing for ${actorName}`,
    decline: `no call from ${other} is ringing for ${actorName}`,
    'hang-up': `${actorName} has no call with ${other} to hang up`,
    'add-video': `${actorName} has no answered audio call with ${other}`,
    'add-participant': `${actorName} has no answered call with ${other}`,
    'share-screen': 'not allowed',
  }[action.kind];
  const d = c.call(pair, { type, by: pair.sideOf(actorName) }, explain);
  if (d.error) return { outcome: error(d.error), deliveries: [], decision: d, extra: [] };
  const to = world.users[other] as Person;
  // A dropped call's caller hangs up: nobody else knew of it (notice null).
  const deliveries: Delivery[] = d.notice
    ? [{ to: other, from: actorName, kind: d.notice.kind, surface: surfaceOf(to) }]
    : [];
  return { outcome: ok(), deliveries, decision: d, extra: [] };
}

/** `call-state`: what the actor sees of their call with the other person now (the call model; a query). */
function callState(
  c: Composition,
  world: World,
  actorName: string,
  action: Extract<Action, { kind: 'call-state' }>,
): Decided {
  const pair = pairOf(world, actorName, action.with);
  const d = c.call(
    pair,
    { type: 'SHOW_STATE', by: pair.sideOf(actorName) },
    `${actorName} cannot see a call with ${action.with}`,
  );
  return { outcome: ok({ callState: d.shown! }), deliveries: [], decision: d, extra: [] };
}
