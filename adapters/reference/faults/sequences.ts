/**
 * Faults that only a longer sequence shows: the second turn of a toggle (block → unblock → block again, hide →
 * show → hide again, switch off → on → off), more than four deliveries to one person, more than four messages in
 * one request. Every scenario that stops after the first turn passes against them.
 */
import { forwardingTo } from '../api.js';
import type { Fault } from './kit.js';
import { conversationBetween, lose, OK } from './kit.js';

/** How many deliveries, or messages of a request, the faults below keep: the cap a user would stumble on. */
export const SMALL_CAP = 4;

const turn = (actor: string, other: string): string => JSON.stringify([actor, other]);

export const SEQUENCE_FAULTS: readonly Fault[] = [
  {
    id: 'second-block-ignored',
    breaks: ['BLOCK-001', 'BLOCK-004', 'BLOCK-005'],
    description:
      'Blocking someone again after unblocking them says ok but does nothing: their messages and calls arrive again.',
    layer: () => {
      const unblocked = new Set<string>();
      return {
        service: (inner) => ({
          ...forwardingTo(inner),
          unblock: (actor, user) => {
            unblocked.add(turn(actor, user));
            return inner.unblock(actor, user);
          },
          block: (actor, user) => (unblocked.has(turn(actor, user)) ? OK : inner.block(actor, user)),
        }),
      };
    },
  },
  {
    id: 'only-first-unblock-restores',
    breaks: ['BLOCK-002', 'BLOCK-004'],
    description:
      'Only the first unblock works: after blocking a Skype user a second time, unblocking says ok but they stay blocked and listed.',
    layer: () => {
      const unblocks = new Map<string, number>();
      return {
        service: (inner) => ({
          ...forwardingTo(inner),
          unblock: (actor, user) => {
            const n = (unblocks.get(turn(actor, user)) ?? 0) + 1;
            unblocks.set(turn(actor, user), n);
            return n === 1 ? inner.unblock(actor, user) : OK;
          },
        }),
      };
    },
  },
  {
    id: 'one-unblock-lifts-both-blocks',
    breaks: ['BLOCK-001', 'BLOCK-005'],
    description: "When both people block each other, one side's unblock lifts the other side's block too.",
    layer: () => ({
      service: (inner, world) => ({
        ...forwardingTo(inner),
        unblock: (actor, user) => {
          const shown = inner.unblock(actor, user);
          conversationBetween(world, actor, user).blockers.clear();
          return shown;
        },
      }),
    }),
  },
  {
    id: 'inbox-full-after-four-deliveries',
    breaks: ['CHAT-001', 'CHAT-002', 'CHAT-009'],
    description: `A user's inbox takes only ${SMALL_CAP} deliveries: from the fifth on, messages and calls to them are lost, though the senders see them sent.`,
    layer: () => {
      const received = new Map<string, number>();
      return lose((e) => {
        const count = (received.get(e.to) ?? 0) + 1;
        received.set(e.to, count);
        return count > SMALL_CAP;
      });
    },
  },
  {
    id: 'view-messages-shows-last-four',
    breaks: ['REQ-006'],
    description: `"View messages" shows only the last ${SMALL_CAP} messages of a request; earlier ones are missing.`,
    layer: () => ({
      service: (inner) => ({
        ...forwardingTo(inner),
        viewMessages: (actor, from) => {
          const shown = inner.viewMessages(actor, from);
          return shown.status === 'ok' && shown.messages
            ? { ...shown, messages: shown.messages.slice(-SMALL_CAP) }
            : shown;
        },
      }),
    }),
  },
  {
    id: 'org-switch-second-turn-off-ignored',
    breaks: ['ADMIN-001'],
    description:
      'Turning the org switch off a second time, after turning it back on, says ok but Skype communication stays on.',
    layer: () => {
      const offs = new Set<string>();
      return {
        service: (inner) => ({
          ...forwardingTo(inner),
          setOrgSwitch: (admin, allow) => {
            if (allow) return inner.setOrgSwitch(admin, allow);
            if (offs.has(admin)) return OK;
            offs.add(admin);
            return inner.setOrgSwitch(admin, allow);
          },
        }),
      };
    },
  },
  {
    id: 'hiding-from-search-works-once',
    breaks: ['SEARCH-005'],
    description: 'A Skype user who hides from search, shows again and hides once more is still found by Teams users.',
    layer: () => {
      const hid = new Set<string>();
      return {
        service: (inner) => ({
          ...forwardingTo(inner),
          setSearchable: (actor, value) => {
            if (value) return inner.setSearchable(actor, value);
            if (hid.has(actor)) return OK;
            hid.add(actor);
            return inner.setSearchable(actor, value);
          },
        }),
      };
    },
  },
];
