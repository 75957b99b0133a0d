import { forwardingTo } from '../api.js';
import { carried } from './call.js';
import type { Fault } from './kit.js';
import { kindOf, lose, OK } from './kit.js';

/** The delay of F13's "first messages can arrive late", beyond any sensible delivery deadline. */
export const LATE_FIRST_MESSAGE_MS = 3000;

export const CHAT_FAULTS: readonly Fault[] = [
  {
    id: 'teams-to-skype-messages-dropped',
    breaks: ['CHAT-001'],
    description:
      "Once connected, the Teams user's messages never reach the Skype user, though the Teams user sees them sent.",
    layer: () => lose((e, world) => e.kind === 'message' && kindOf(world, e.from) === 'teams'),
  },
  {
    id: 'skype-to-teams-messages-dropped',
    breaks: ['CHAT-002'],
    description:
      "Once connected, the Skype user's messages never reach the Teams user, though the Skype user sees them sent.",
    layer: () => lose((e, world) => e.kind === 'message' && kindOf(world, e.from) === 'skype'),
  },
  {
    id: 'group-chat-allowed',
    breaks: ['CHAT-003'],
    description: 'A group chat that includes a Skype user is accepted instead of refused.',
    layer: () => carried('group-chat'),
  },
  {
    id: 'rich-text-accepted',
    breaks: ['CHAT-004'],
    description: 'Messages with rich formatting, @mentions, emoji or a file are sent instead of refused.',
    layer: () => carried('message'),
  },
  {
    id: 'messages-stored-in-clear',
    breaks: ['CHAT-005'],
    description: 'Messages are stored and delivered unencrypted.',
    layer: () => ({
      sealer: (inner) => ({ seal: (text) => ({ cipher: 'none', text }), open: (stored) => inner.open(stored) }),
    }),
  },
  {
    id: 'first-message-late',
    breaks: ['CHAT-006'],
    description: `The first message of every conversation arrives ${LATE_FIRST_MESSAGE_MS / 1000} seconds late.`,
    lateByMs: LATE_FIRST_MESSAGE_MS,
    layer: () => {
      const started = new Set<string>();
      return {
        postbox: (inner, world) => ({
          deliver: (e) => {
            const conversation = JSON.stringify([e.from, e.to].sort());
            if (e.body === undefined || started.has(conversation)) return inner.deliver(e);
            started.add(conversation);
            world.later(LATE_FIRST_MESSAGE_MS, () => inner.deliver(e));
          },
        }),
      };
    },
  },
  {
    id: 'presence-shown',
    breaks: ['CHAT-007'],
    description: "Teams and Skype users see each other's presence.",
    layer: () => ({ presence: () => ({ of: () => 'shown' }) }),
  },
  {
    id: 'chat-fails-silently-without-enterprise-app',
    breaks: ['CHAT-008', 'CHAT-009'],
    description:
      "Without the Skype for Business Online enterprise app, Teams users' messages are lost without an error instead of refused.",
    layer: () => ({
      service: (inner) => ({
        ...forwardingTo(inner),
        // Only the enterprise-app gate refuses a Teams sender with chat-service-unavailable: the error is swallowed.
        sendMessage: (actor, message) => {
          const shown = inner.sendMessage(actor, message);
          return shown.status === 'error' && shown.error === 'chat-service-unavailable' ? OK : shown;
        },
      }),
    }),
  },
  {
    id: 'android-skype-messages-lost',
    breaks: ['CHAT-010'],
    description: 'Messages sent from the Skype Android app never arrive, though the sender sees them sent.',
    layer: () =>
      lose((e, world) => {
        const sender = world.directory.user(e.from);
        return e.body !== undefined && sender.kind === 'skype' && sender.client === 'android';
      }),
  },
];
