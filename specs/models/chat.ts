/**
 * What a chat across the interop may carry (F10, F14): plain text, no presence. One machine per
 * world: the rules depend on the message, not on history. Whether a message reaches anyone is the
 * relationship's business; this model only decides whether it may be sent at all.
 */
import { setup } from 'xstate';
import type { ErrorCode } from '../protocol.js';
import { rule, type Decision } from './rule.js';

export type ChatDecision = Decision<{ allowed: true } | { allowed: false; error: ErrorCode } | { presence: 'hidden' }>;

export interface ChatContext {
  decision: ChatDecision | null;
}

export type ChatEvent =
  { type: 'COMPOSE'; rich: boolean; mentions: boolean; emoji: boolean; file: boolean } | { type: 'PRESENCE' };

const M = 'chat';
type C = ChatContext;
type E = ChatEvent;
type Compose = Extract<E, { type: 'COMPOSE' }>;
const c = (e: E) => e as Compose;
const unsupported = { allowed: false as const, error: 'unsupported-content' as const };

export const chatMachine = setup({
  types: {} as { context: C; events: E },
  guards: {
    rich: ({ event }) => c(event).rich,
    mentions: ({ event }) => c(event).mentions,
    emoji: ({ event }) => c(event).emoji,
    file: ({ event }) => c(event).file,
  },
}).createMachine({
  id: M,
  context: { decision: null },
  initial: 'textOnly',
  states: {
    textOnly: {
      on: {
        COMPOSE: [
          rule<C, E, object>(M, 'rich-text-refused', ['CHAT-004'], unsupported, { guard: 'rich' }),
          rule<C, E, object>(M, 'mention-refused', ['CHAT-004'], unsupported, { guard: 'mentions' }),
          rule<C, E, object>(M, 'emoji-refused', ['CHAT-004'], unsupported, { guard: 'emoji' }),
          rule<C, E, object>(M, 'file-refused', ['CHAT-004'], unsupported, { guard: 'file' }),
          rule<C, E, object>(M, 'plain-text-allowed', ['CHAT-004'], { allowed: true }),
        ],
        PRESENCE: rule<C, E, object>(M, 'presence-hidden', ['CHAT-007'], { presence: 'hidden' }),
      },
    },
  },
});
