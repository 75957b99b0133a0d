/**
 * Faults that only a longer sequence shows: the second turn of a toggle (block → unblock → block again, hide →
 * show → hide again, switch off → on → off), more than four deliveries to one person, more than four messages in
 * one request. Every scenario that stops after the first turn passes against them.
 */
import type { Fault } from './kit.js';
import { around, conversationBetween, lose, OK } from './kit.js';

/** How many deliveries, or messages of a request, the faults below keep: the cap a user would stumble on. */
export const SMALL_CAP = 4;

const turn = (actor: string, other: string): string => JSON.stringify([actor, other]);

export const SEQUENCE_FAULTS: readonly Fault[] = [
  {
    id: 'second-block-ignored',
    breaks: ['BLOCK-001', 'BLOCK-004', 'BLOCK-005'],
    description:
      'Blocking someone again after unblocking them says ok but does nothing: their messages and calls arrive again.',
    apply: (service) => {
      const unblocked = new Set<string>();
      around(service, 'unblock', (unblock) => (actor, user) => {
        unblocked.add(turn(actor, user));
        return unblock(actor, user);
      });
      around(
        service,
        'block',
        (block) => (actor, user) => (unblocked.has(turn(actor, user)) ? OK : block(actor, user)),
      );
    },
  },
  {
    id: 'only-first-unblock-restores',
    breaks: ['BLOCK-002', 'BLOCK-004'],
    description:
      'Only the first unblock works: after blocking a Skype user a second time, unblocking says ok but they stay blocked and listed.',
    apply: (service) => {
      const unblocks = new Map<string, number>();
      around(service, 'unblock', (unblock) => (actor, user) => {
        const n = (unblocks.get(turn(actor, user)) ?? 0) + 1;
        unblocks.set(turn(actor, user), n);
        return n === 1 ? unblock(actor, user) : OK;
      });
    },
  },
  {
    id: 'one-unblock-lifts-both-blocks',
    breaks: ['BLOCK-001', 'BLOCK-005'],
    description: "When both people block each other, one side's unblock lifts the other side's block too.",
    apply: (service) =>
      around(service, 'unblock', (unblock) => (actor, user) => {
        const shown = unblock(actor, user);
        conversationBetween(service, actor, user).blockers.clear();
        return shown;
      }),
  },
  {
    id: 'inbox-full-after-four-deliveries',
    breaks: ['CHAT-001', 'CHAT-002', 'CHAT-009'],
    description: `A user's inbox takes only ${SMALL_CAP} deliveries: from the fifth on, messages and calls to them are lost, though the senders see them sent.`,
    apply: (service) => {
      const received = new Map<string, number>();
      lose(service, (e) => {
        received.set(e.to, (received.get(e.to) ?? 0) + 1);
        return received.get(e.to)! > SMALL_CAP;
      });
    },
  },
  {
    id: 'view-messages-shows-last-four',
    breaks: ['REQ-006'],
    description: `"View messages" shows only the last ${SMALL_CAP} messages of a request; earlier ones are missing.`,
    apply: (service) =>
      around(service, 'viewMessages', (view) => (actor, from) => {
        const shown = view(actor, from);
        return shown.status === 'ok' && shown.messages
          ? { ...shown, messages: shown.messages.slice(-SMALL_CAP) }
          : shown;
      }),
  },
  {
    id: 'org-switch-second-turn-off-ignored',
    breaks: ['ADMIN-001'],
    description:
      'Turning the org switch off a second time, after turning it back on, says ok but Skype communication stays on.',
    apply: (service) => {
      const offs = new Set<string>();
      around(service, 'setOrgSwitch', (set) => (admin, allow) => {
        if (allow) return set(admin, allow);
        if (offs.has(admin)) return OK;
        offs.add(admin);
        return set(admin, allow);
      });
    },
  },
  {
    id: 'hiding-from-search-works-once',
    breaks: ['SEARCH-005'],
    description: 'A Skype user who hides from search, shows again and hides once more is still found by Teams users.',
    apply: (service) => {
      const hid = new Set<string>();
      around(service, 'setSearchable', (set) => (actor, value) => {
        if (value) return set(actor, value);
        if (hid.has(actor)) return OK;
        hid.add(actor);
        return set(actor, value);
      });
    },
  },
];
