/** The models, by name, and the rules each one has: the catalogue of what the oracle can decide. */
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { blockedListMachine, type BlockedListEvent } from './blocked-list.js';
import { callMachine, type CallEvent } from './call.js';
import { chatMachine, type ChatEvent } from './chat.js';
import { escalationMachine, type EscalationEvent } from './escalation.js';
import { relationshipMachine, type RelationshipEvent } from './relationship.js';
import { isRuleMeta, type RuleMeta } from './rule.js';
import { searchMachine, type SearchEvent } from './search.js';
import { securityMachine, type SecurityEvent } from './security.js';
import { tenantPolicyMachine, type TenantPolicyEvent } from './tenant-policy.js';

export const MODELS: { readonly [M in ModelName]: AnyStateMachine } = {
  'tenant-policy': tenantPolicyMachine,
  search: searchMachine,
  relationship: relationshipMachine,
  'blocked-list': blockedListMachine,
  chat: chatMachine,
  call: callMachine,
  escalation: escalationMachine,
  security: securityMachine,
};

/** The events of each model, by the model's name in `MODELS`: what its machine accepts, and nothing else. */
export interface ModelEvents {
  'tenant-policy': TenantPolicyEvent;
  search: SearchEvent;
  relationship: RelationshipEvent;
  'blocked-list': BlockedListEvent;
  chat: ChatEvent;
  call: CallEvent;
  escalation: EscalationEvent;
  security: SecurityEvent;
}
export type ModelName = keyof ModelEvents;
/** An event of any model: their types are told apart by `type` alone (no two models share an event type). */
export type ModelEvent = ModelEvents[ModelName];

export const isModelName = (name: string): name is ModelName => Object.hasOwn(MODELS, name);
/** Whether `event` is one of `model`'s events: its machine says which event types it takes. */
export const isEventOf = <M extends ModelName>(model: M, event: ModelEvent): event is ModelEvents[M] =>
  MODELS[model].events.includes(event.type);

export interface RuleInfo extends RuleMeta {
  /** The state the rule leaves from (`(root)` for a machine-wide rule). */
  state: string;
  event: string;
  /** The states it enters; empty for a rule that stays where it is. */
  targets: string[];
}

const pathOf = (node: AnyStateNode) => node.path.join('.') || '(root)';

/** Every rule of a machine, with the state it leaves from, the event it answers and where it goes. */
export function rulesOf(machine: AnyStateMachine): RuleInfo[] {
  const out: RuleInfo[] = [];
  const visit = (node: AnyStateNode) => {
    for (const [event, ts] of node.transitions)
      for (const t of ts)
        if (isRuleMeta(t.meta) && t.meta.rule)
          out.push({ ...t.meta, state: pathOf(node), event, targets: (t.target ?? []).map(pathOf) });
    Object.values(node.states).forEach(visit);
  };
  visit(machine.root);
  return out;
}

/** Every state of a machine, as dotted paths (`decided.teams.blocking`), compound states included. */
export function statesOf(machine: AnyStateMachine): string[] {
  const out: string[] = [];
  const visit = (node: AnyStateNode) => {
    if (node !== machine.root) out.push(pathOf(node));
    Object.values(node.states).forEach(visit);
  };
  visit(machine.root);
  return out;
}
