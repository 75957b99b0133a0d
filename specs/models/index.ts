/** The models, by name, and the rules each one has: the catalogue of what the oracle can decide. */
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { callMachine } from './call.js';
import { chatMachine } from './chat.js';
import { escalationMachine } from './escalation.js';
import { relationshipMachine } from './relationship.js';
import type { RuleMeta } from './rule.js';
import { searchMachine } from './search.js';
import { tenantPolicyMachine } from './tenant-policy.js';

export const MODELS: Readonly<Record<string, AnyStateMachine>> = {
  'tenant-policy': tenantPolicyMachine,
  search: searchMachine,
  relationship: relationshipMachine,
  chat: chatMachine,
  call: callMachine,
  escalation: escalationMachine,
};

/** Every rule of a machine, with the state it leaves from and the event it answers. */
export function rulesOf(machine: AnyStateMachine): (RuleMeta & { state: string; event: string })[] {
  const out: (RuleMeta & { state: string; event: string })[] = [];
  const visit = (node: AnyStateNode) => {
    for (const [event, ts] of node.transitions) for (const t of ts) {
      const meta = t.meta as RuleMeta | undefined;
      if (meta?.rule) out.push({ ...meta, state: node.path.join('.') || '(root)', event });
    }
    Object.values(node.states).forEach(visit);
  };
  visit(machine.root);
  return out;
}
