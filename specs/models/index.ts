/** The models, by name, and the rules each one has: the catalogue of what the oracle can decide. */
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { blockedListMachine } from './blocked-list.js';
import { callMachine } from './call.js';
import { chatMachine } from './chat.js';
import { escalationMachine } from './escalation.js';
import { relationshipMachine } from './relationship.js';
import type { RuleMeta } from './rule.js';
import { searchMachine } from './search.js';
import { securityMachine } from './security.js';
import { tenantPolicyMachine } from './tenant-policy.js';

export const MODELS: Readonly<Record<string, AnyStateMachine>> = {
  'tenant-policy': tenantPolicyMachine,
  search: searchMachine,
  relationship: relationshipMachine,
  'blocked-list': blockedListMachine,
  chat: chatMachine,
  call: callMachine,
  escalation: escalationMachine,
  security: securityMachine,
};

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
      for (const t of ts) {
        const meta = t.meta as RuleMeta | undefined;
        if (meta?.rule) out.push({ ...meta, state: pathOf(node), event, targets: (t.target ?? []).map(pathOf) });
      }
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
