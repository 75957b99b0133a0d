/**
 * Conversations of more than two (F9, F17): a group chat, a group call or a meeting that includes a Skype user is
 * refused. One machine per world; nothing about it changes over time.
 */
import { setup } from 'xstate';
import { rulesFor, type Decision } from './rule.js';

export type EscalationDecision = Decision<{ error: 'unsupported-group' }>;
export interface EscalationContext {
  decision: EscalationDecision | null;
}
export type EscalationEvent = { type: 'GROUP_CHAT' } | { type: 'MEETING' };

const M = 'escalation';
type C = EscalationContext;
type E = EscalationEvent;
const refused = { error: 'unsupported-group' as const };

const escalation = setup({ types: {} as { context: C; events: E } });
const rule = rulesFor(M, escalation);

export const escalationMachine = escalation.createMachine({
  id: M,
  context: { decision: null },
  initial: 'oneOnOneOnly',
  states: {
    oneOnOneOnly: {
      on: {
        GROUP_CHAT: rule('GROUP_CHAT', 'group-chat-refused', ['CHAT-003'], refused),
        MEETING: rule('MEETING', 'meeting-refused', ['CALL-006'], refused),
      },
    },
  },
});
