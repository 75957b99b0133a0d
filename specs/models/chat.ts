/**
 * What a chat across the interop may carry (F10, F14): plain text, no presence. One machine per
 * world: the rules depend on the message, not on history. Whether a message reaches anyone is the
 * relationship's business; this model only decides whether it may be sent at all.
 */
import { setup, type ExtractEvent, type GuardArgs } from 'xstate';
import type { ErrorCode } from '../protocol.js';
import { rulesFor, type Decision } from './rule.js';

export type ChatDecision = Decision<{ allowed: true } | { allowed: false; error: ErrorCode } | { presence: 'hidden' }>;

export interface ChatContext {
  decision: ChatDecision | null;
}

export type ChatEvent =
  { type: 'COMPOSE'; rich: boolean; mentions: boolean; emoji: boolean; file: boolean } | { type: 'PRESENCE' };

const M = 'chat';
type C = ChatContext;
type E = ChatEvent;
/** The guards of a COMPOSE transition: what the message holds besides plain text. */
type Holds = (args: GuardArgs<C, ExtractEvent<E, 'COMPOSE'>>) => boolean;
const rich: Holds = ({ event }) => event.rich;
const mentions: Holds = ({ event }) => event.mentions;
const emoji: Holds = ({ event }) => event.emoji;
const file: Holds = ({ event }) => event.file;
const unsupported = { allowed: false as const, error: 'unsupported-content' as const };

const chat = setup({ types: {} as { context: C; events: E } });
const rule = rulesFor(M, chat);

export const chatMachine = chat.createMachine({
  id: M,
  context: { decision: null },
  initial: 'textOnly',
  states: {
    textOnly: {
      on: {
        COMPOSE: [
          rule('COMPOSE', 'rich-text-refused', ['CHAT-004'], unsupported, { guard: rich }),
          rule('COMPOSE', 'mention-refused', ['CHAT-004'], unsupported, { guard: mentions }),
          rule('COMPOSE', 'emoji-refused', ['CHAT-004'], unsupported, { guard: emoji }),
          rule('COMPOSE', 'file-refused', ['CHAT-004'], unsupported, { guard: file }),
          rule('COMPOSE', 'plain-text-allowed', ['CHAT-004'], { allowed: true }),
        ],
        PRESENCE: rule('PRESENCE', 'presence-hidden', ['CHAT-007'], { presence: 'hidden' }),
      },
    },
  },
});
