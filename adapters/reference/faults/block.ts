import { forwardingTo } from '../api.js';
import { refused } from '../core.js';
import type { Fault, Layer } from './kit.js';
import { kindOf, OK } from './kit.js';

/** The blocks of people of `kind` stop nothing. */
const blocksOf = (kind: 'teams' | 'skype'): Layer => ({
  blocks: (inner) => ({
    isBlockedBy: (blocker, sender) => blocker.kind !== kind && inner.isBlockedBy(blocker, sender),
  }),
});

/** A contact from someone of `kind` to the person they block goes through, as if they had accepted. */
const blockActsAsAcceptFor = (kind: 'teams' | 'skype'): Layer => ({
  router: (inner) => ({
    route: (conversation, sender) => {
      const decided = inner.route(conversation, sender);
      return decided === 'blocking' && sender.kind === kind ? 'connected' : decided;
    },
  }),
});

export const BLOCK_FAULTS: readonly Fault[] = [
  {
    id: 'block-not-enforced',
    breaks: ['BLOCK-001'],
    description: "A Teams user's block does not stop the Skype user's messages and calls.",
    layer: () => blocksOf('teams'),
  },
  {
    id: 'unblock-not-restoring',
    breaks: ['BLOCK-002', 'BLOCK-004'],
    description: 'Unblocking says ok, but the Skype user stays blocked and on the blocked-contacts list.',
    layer: () => ({ service: (inner) => ({ ...forwardingTo(inner), unblock: () => OK }) }),
  },
  {
    id: 'blocked-sender-told',
    breaks: ['BLOCK-003'],
    description: 'A blocked sender gets an error, and so learns they are blocked.',
    layer: () => ({ blockedSender: () => ({ shown: () => refused('recipient-unavailable') }) }),
  },
  {
    id: 'blocked-caller-misses-voicemail',
    breaks: ['BLOCK-003'],
    description:
      'A blocked Skype caller is shown a plain "ok" where an unblocked one would be sent to voicemail, and so learns they are blocked.',
    layer: () => ({ blockedSender: () => ({ shown: () => OK }) }),
  },
  {
    id: 'blocked-contacts-missing-skype-users',
    breaks: ['BLOCK-004'],
    description: "Blocked Skype users do not appear on the Teams user's blocked-contacts list.",
    layer: () => ({
      service: (inner, world) => ({
        ...forwardingTo(inner),
        blockedContacts: (actor) => {
          const shown = inner.blockedContacts(actor);
          return shown.status === 'ok' && shown.blocked
            ? { ...shown, blocked: shown.blocked.filter((name) => kindOf(world, name) !== 'skype') }
            : shown;
        },
      }),
    }),
  },
  {
    id: 'skype-block-not-enforced',
    breaks: ['BLOCK-005'],
    description: "A Skype user's block does not stop the Teams user's messages and calls.",
    layer: () => blocksOf('skype'),
  },
  {
    id: 'blocked-contacts-keep-unblocked-users',
    breaks: ['BLOCK-004'],
    description: "A Skype user the Teams user unblocked stays on the Teams user's blocked-contacts list.",
    layer: () => {
      const everBlocked = new Map<string, Set<string>>();
      return {
        service: (inner) => ({
          ...forwardingTo(inner),
          block: (actor, user) => {
            everBlocked.set(actor, (everBlocked.get(actor) ?? new Set()).add(user));
            return inner.block(actor, user);
          },
          blockedContacts: (actor) => {
            const shown = inner.blockedContacts(actor);
            return shown.status === 'ok' && shown.blocked
              ? { ...shown, blocked: [...new Set([...shown.blocked, ...(everBlocked.get(actor) ?? [])])].sort() }
              : shown;
          },
        }),
      };
    },
  },
  {
    id: 'teams-block-acts-as-accept',
    breaks: ['BLOCK-006', 'REQ-005'],
    description:
      'A Teams user who blocked a Skype user (or their request) can still write to and call them: the block acts as accepting.',
    layer: () => blockActsAsAcceptFor('teams'),
  },
  {
    id: 'skype-block-acts-as-accept',
    breaks: ['BLOCK-006', 'REQ-005'],
    description:
      "A Skype user who blocked a Teams user's request (or the Teams user later) can still write to and call them: the block acts as accepting.",
    layer: () => blockActsAsAcceptFor('skype'),
  },
  {
    id: 'blocked-contacts-in-block-order',
    breaks: ['BLOCK-004'],
    description: 'The blocked-contacts list shows the right people in the order they were blocked, not sorted by name.',
    layer: () => {
      const order = new Map<string, string[]>();
      return {
        service: (inner) => ({
          ...forwardingTo(inner),
          block: (actor, user) => {
            order.set(actor, [...(order.get(actor) ?? []).filter((u) => u !== user), user]);
            return inner.block(actor, user);
          },
          blockedContacts: (actor) => {
            const shown = inner.blockedContacts(actor);
            if (shown.status !== 'ok' || !shown.blocked) return shown;
            const rank = (name: string) => (order.get(actor) ?? []).indexOf(name);
            return { ...shown, blocked: [...shown.blocked].sort((a, b) => rank(a) - rank(b)) };
          },
        }),
      };
    },
  },
  {
    id: 'privacy-settings-block-ignored',
    breaks: ['BLOCK-001'],
    description: "Blocking a Skype user from the Teams user's privacy settings says ok, but nothing is blocked.",
    layer: () => ({
      service: (inner) => ({
        ...forwardingTo(inner),
        block: (actor, user, via) => (via === 'privacy-settings' ? OK : inner.block(actor, user, via)),
      }),
    }),
  },
  {
    id: 'privacy-settings-unblock-ignored',
    breaks: ['BLOCK-002', 'BLOCK-004'],
    description: "Unblocking a Skype user from the Teams user's privacy settings says ok, but the block stays.",
    layer: () => ({
      service: (inner) => ({
        ...forwardingTo(inner),
        unblock: (actor, user, via) => (via === 'privacy-settings' ? OK : inner.unblock(actor, user, via)),
      }),
    }),
  },
  {
    id: 'blocked-numbers-missing',
    breaks: ['BLOCK-007'],
    description: "Blocked phone numbers do not appear on the Teams user's blocked-contacts list.",
    layer: () => ({
      otherBlocks: (inner) => ({
        add: (user, kind, value) => inner.add(user, kind, value),
        remove: (user, kind, value) => inner.remove(user, kind, value),
        list: (user, kind) => (kind === 'number' ? [] : inner.list(user, kind)),
      }),
    }),
  },
  {
    id: 'blocked-colleagues-after-skype-users',
    breaks: ['BLOCK-007'],
    description: 'Other blocked Teams users are listed after the blocked Skype users instead of among them by name.',
    layer: () => ({
      service: (inner, world) => ({
        ...forwardingTo(inner),
        blockedContacts: (actor) => {
          const shown = inner.blockedContacts(actor);
          if (shown.status !== 'ok' || !shown.blocked) return shown;
          const rank = (name: string) => (!world.directory.has(name) ? 2 : kindOf(world, name) === 'skype' ? 0 : 1);
          return { ...shown, blocked: [...shown.blocked].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1)) };
        },
      }),
    }),
  },
];
