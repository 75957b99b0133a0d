/**
 * The composition of the machines: one snapshot per model instance (a tenant's policy, a pair's relationship and
 * call, the world's search, chat, escalation, security and blocked list), stepped with xstate's pure
 * `transition()` — no actors, no timers. `fire` asks a model to take one event and returns what it decided; the
 * step's snapshots become the next state only as a whole (`state()`), once the step is allowed. Each machine is
 * started and stepped through stepping.ts (one reused inert scope per machine, not a throwaway one per call).
 */
import {
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type ContextFrom,
  type EventFromLogic,
  type SnapshotFrom,
} from 'xstate';
import type { TeamsUser, World } from '../../specs/protocol.js';
import { blockedListMachine } from '../../specs/models/blocked-list.js';
import { callMachine } from '../../specs/models/call.js';
import { chatMachine } from '../../specs/models/chat.js';
import { escalationMachine } from '../../specs/models/escalation.js';
import { relationshipMachine } from '../../specs/models/relationship.js';
import type { RuleMeta } from '../../specs/models/rule.js';
import { searchMachine } from '../../specs/models/search.js';
import { securityMachine } from '../../specs/models/security.js';
import { tenantPolicyMachine } from '../../specs/models/tenant-policy.js';
import { OutOfScope, personsOf, type Pair } from '../world-queries.js';
import { currentStepping } from './stepping.js';

export interface ModelState {
  tenants: Readonly<Record<string, SnapshotFrom<typeof tenantPolicyMachine>>>;
  search: SnapshotFrom<typeof searchMachine>;
  /** Other people and phone numbers Teams users block (F22). */
  blockedList: SnapshotFrom<typeof blockedListMachine>;
  chat: SnapshotFrom<typeof chatMachine>;
  escalation: SnapshotFrom<typeof escalationMachine>;
  security: SnapshotFrom<typeof securityMachine>;
  relationships: Readonly<Record<string, SnapshotFrom<typeof relationshipMachine>>>;
  calls: Readonly<Record<string, SnapshotFrom<typeof callMachine>>>;
}

/** What a model decided on its last event (rule.ts records it in the context). */
export type DecisionOf<M extends AnyStateMachine> = NonNullable<ContextFrom<M>['decision']>;

export function initialModelState(world: World): ModelState {
  const { start } = currentStepping();
  const tenants: Record<string, SnapshotFrom<typeof tenantPolicyMachine>> = {};
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

/** One model instance inside the state: its machine, and where its snapshot is kept. */
interface Slot<M extends AnyStateMachine> {
  machine: M;
  /** Its snapshot now (a pair's relationship and call start fresh the first time the pair is in a step). */
  get(s: ModelState): SnapshotFrom<M>;
  put(s: ModelState, v: SnapshotFrom<M>): void;
}

export const SEARCH: Slot<typeof searchMachine> = {
  machine: searchMachine,
  get: (s) => s.search,
  put: (s, v) => (s.search = v),
};
export const CHAT: Slot<typeof chatMachine> = { machine: chatMachine, get: (s) => s.chat, put: (s, v) => (s.chat = v) };
export const ESCALATION: Slot<typeof escalationMachine> = {
  machine: escalationMachine,
  get: (s) => s.escalation,
  put: (s, v) => (s.escalation = v),
};
export const SECURITY: Slot<typeof securityMachine> = {
  machine: securityMachine,
  get: (s) => s.security,
  put: (s, v) => (s.security = v),
};
export const BLOCKED_LIST: Slot<typeof blockedListMachine> = {
  machine: blockedListMachine,
  get: (s) => s.blockedList,
  put: (s, v) => (s.blockedList = v),
};
const tenantSlot = (name: string): Slot<typeof tenantPolicyMachine> => ({
  machine: tenantPolicyMachine,
  get: (s) => s.tenants[name],
  put: (s, v) => (s.tenants = { ...s.tenants, [name]: v }),
});
const relationshipSlot = (pair: Pair): Slot<typeof relationshipMachine> => ({
  machine: relationshipMachine,
  get: (s) => s.relationships[pair.key] ?? currentStepping().start(relationshipMachine),
  put: (s, v) => (s.relationships = { ...s.relationships, [pair.key]: v }),
});
const callSlot = (pair: Pair): Slot<typeof callMachine> => ({
  machine: callMachine,
  get: (s) => s.calls[pair.key] ?? currentStepping().start(callMachine),
  put: (s, v) => (s.calls = { ...s.calls, [pair.key]: v }),
});

/** One step of the models: each `fire` decides and keeps the next snapshot; `state()` is the step's result. */
export class Composition {
  /** Every rule the models consulted, in order. */
  readonly trace: string[] = [];
  private readonly next: ModelState;
  constructor(state: ModelState) {
    this.next = { ...state };
  }

  /** `keep: false`: a question (a tenant's AUTHORIZE) that must leave the model as it was. */
  fire<M extends AnyStateMachine>(slot: Slot<M>, event: EventFromLogic<M>, explain: string, keep = true) {
    const from = slot.get(this.next);
    const snapshot: AnyMachineSnapshot = from;
    if (!snapshot.can(event)) throw new OutOfScope(explain);
    const after = currentStepping().next(slot.machine, from, event);
    if (keep) slot.put(this.next, after);
    const machineSnapshot: AnyMachineSnapshot = after;
    const decision: DecisionOf<M> = machineSnapshot.context.decision;
    const meta: RuleMeta = machineSnapshot.context.decision;
    this.trace.push(meta.rule);
    return decision;
  }
  tenant(name: string, event: EventFromLogic<typeof tenantPolicyMachine>, explain: string, keep = true) {
    return this.fire(tenantSlot(name), event, explain, keep);
  }
  relationship(pair: Pair, event: EventFromLogic<typeof relationshipMachine>, explain: string) {
    return this.fire(relationshipSlot(pair), event, explain);
  }
  call(pair: Pair, event: EventFromLogic<typeof callMachine>, explain: string) {
    return this.fire(callSlot(pair), event, explain);
  }
  state(): ModelState {
    return this.next;
  }
}
