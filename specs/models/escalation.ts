/**
 * Conversations of more than two (F9, F17): a group chat, a group call or a meeting that includes a Skype user is
 * refused. One machine per world; nothing about it changes over time.
 */
import { setup } from 'xstate';
import { rule, type Decision } from './rule.js';

export type EscalationDecision = Decision<{ error: 'unsupported-group' }>;
export interface EscalationContext {
  decision: EscalationDecision | null;
}
export type EscalationEvent = { type: 'GROUP_CHAT' } | { type: 'MEETING' };

const M = 'escalation';
type C = EscalationContext;
type E = EscalationEvent;
const refused = { error: 'unsupported-group' as const };

export const escalationMachine = setup({ types: {} as { context: C; events: E } }).createMachine({
  id: M,
  context: { decision: null },
  initial: 'oneOnOneOnly',
  states: {
    oneOnOneOnly: {
      on: {
        GROUP_CHAT: rule<C, E, object>(M, 'group-chat-refused', ['CHAT-003'], refused),
        MEETING: rule<C, E, object>(M, 'meeting-refused', ['CALL-006'], refused),
      },
    },
  },
});
