import { refused } from '../core.js';
import type { Fault } from './kit.js';
import { around, kindOf, OK } from './kit.js';

export const BLOCK_FAULTS: readonly Fault[] = [
  {
    id: 'block-not-enforced',
    breaks: ['BLOCK-001'],
    description: "A Teams user's block does not stop the Skype user's messages and calls.",
    apply: (service) =>
      around(
        service,
        'isBlockedBy',
        (isBlockedBy) => (blocker, sender) => blocker.kind !== 'teams' && isBlockedBy(blocker, sender),
      ),
  },
  {
    id: 'unblock-not-restoring',
    breaks: ['BLOCK-002', 'BLOCK-004'],
    description: 'Unblocking says ok, but the Skype user stays blocked and on the blocked-contacts list.',
    apply: (service) => around(service, 'unblock', () => () => OK),
  },
  {
    id: 'blocked-sender-told',
    breaks: ['BLOCK-003'],
    description: 'A blocked sender gets an error, and so learns they are blocked.',
    apply: (service) => {
      service.blockedSenderOutcome = () => refused('recipient-unavailable');
    },
  },
  {
    id: 'blocked-caller-misses-voicemail',
    breaks: ['BLOCK-003'],
    description:
      'A blocked Skype caller is shown a plain "ok" where an unblocked one would be sent to voicemail, and so learns they are blocked.',
    apply: (service) => {
      service.blockedSenderOutcome = () => OK;
    },
  },
  {
    id: 'blocked-contacts-missing-skype-users',
    breaks: ['BLOCK-004'],
    description: "Blocked Skype users do not appear on the Teams user's blocked-contacts list.",
    apply: (service) =>
      around(service, 'blockedContacts', (list) => (actor) => {
        const shown = list(actor);
        return shown.status === 'ok' && shown.blocked
          ? { ...shown, blocked: shown.blocked.filter((name) => kindOf(service, name) !== 'skype') }
          : shown;
      }),
  },
  {
    id: 'skype-block-not-enforced',
    breaks: ['BLOCK-005'],
    description: "A Skype user's block does not stop the Teams user's messages and calls.",
    apply: (service) =>
      around(
        service,
        'isBlockedBy',
        (isBlockedBy) => (blocker, sender) => blocker.kind !== 'skype' && isBlockedBy(blocker, sender),
      ),
  },
  {
    id: 'blocked-contacts-keep-unblocked-users',
    breaks: ['BLOCK-004'],
    description: "A Skype user the Teams user unblocked stays on the Teams user's blocked-contacts list.",
    apply: (service) => {
      const everBlocked = new Map<string, Set<string>>();
      around(service, 'block', (block) => (actor, user) => {
        everBlocked.set(actor, (everBlocked.get(actor) ?? new Set()).add(user));
        return block(actor, user);
      });
      around(service, 'blockedContacts', (list) => (actor) => {
        const shown = list(actor);
        return shown.status === 'ok' && shown.blocked
          ? { ...shown, blocked: [...new Set([...shown.blocked, ...(everBlocked.get(actor) ?? [])])].sort() }
          : shown;
      });
    },
  },
  {
    id: 'teams-block-acts-as-accept',
    breaks: ['BLOCK-006', 'REQ-005'],
    description:
      'A Teams user who blocked a Skype user (or their request) can still write to and call them: the block acts as accepting.',
    apply: (service) =>
      around(service, 'routeContact', (route) => (conversation, sender) => {
        const decided = route(conversation, sender);
        return decided === 'blocking' && sender.kind === 'teams' ? 'connected' : decided;
      }),
  },
  {
    id: 'skype-block-acts-as-accept',
    breaks: ['BLOCK-006', 'REQ-005'],
    description:
      "A Skype user who blocked a Teams user's request (or the Teams user later) can still write to and call them: the block acts as accepting.",
    apply: (service) =>
      around(service, 'routeContact', (route) => (conversation, sender) => {
        const decided = route(conversation, sender);
        return decided === 'blocking' && sender.kind === 'skype' ? 'connected' : decided;
      }),
  },
  {
    id: 'blocked-contacts-in-block-order',
    breaks: ['BLOCK-004'],
    description: 'The blocked-contacts list shows the right people in the order they were blocked, not sorted by name.',
    apply: (service) => {
      const order = new Map<string, string[]>();
      around(service, 'block', (block) => (actor, user) => {
        order.set(actor, [...(order.get(actor) ?? []).filter((u) => u !== user), user]);
        return block(actor, user);
      });
      around(service, 'blockedContacts', (list) => (actor) => {
        const shown = list(actor);
        if (shown.status !== 'ok' || !shown.blocked) return shown;
        const rank = (name: string) => (order.get(actor) ?? []).indexOf(name);
        return { ...shown, blocked: [...shown.blocked].sort((a, b) => rank(a) - rank(b)) };
      });
    },
  },
  {
    id: 'privacy-settings-block-ignored',
    breaks: ['BLOCK-001'],
    description: "Blocking a Skype user from the Teams user's privacy settings says ok, but nothing is blocked.",
    apply: (service) =>
      around(
        service,
        'block',
        (block) => (actor, user, via) => (via === 'privacy-settings' ? OK : block(actor, user, via)),
      ),
  },
  {
    id: 'privacy-settings-unblock-ignored',
    breaks: ['BLOCK-002', 'BLOCK-004'],
    description: "Unblocking a Skype user from the Teams user's privacy settings says ok, but the block stays.",
    apply: (service) =>
      around(
        service,
        'unblock',
        (unblock) => (actor, user, via) => (via === 'privacy-settings' ? OK : unblock(actor, user, via)),
      ),
  },
  {
    id: 'blocked-numbers-missing',
    breaks: ['BLOCK-007'],
    description: "Blocked phone numbers do not appear on the Teams user's blocked-contacts list.",
    apply: (service) => {
      const { otherBlocks } = service;
      const list = otherBlocks.list.bind(otherBlocks);
      otherBlocks.list = (user, kind) => (kind === 'number' ? [] : list(user, kind));
    },
  },
  {
    id: 'blocked-colleagues-after-skype-users',
    breaks: ['BLOCK-007'],
    description: 'Other blocked Teams users are listed after the blocked Skype users instead of among them by name.',
    apply: (service) =>
      around(service, 'blockedContacts', (list) => (actor) => {
        const shown = list(actor);
        if (shown.status !== 'ok' || !shown.blocked) return shown;
        const rank = (name: string) => (!service.directory.has(name) ? 2 : kindOf(service, name) === 'skype' ? 0 : 1);
        return { ...shown, blocked: [...shown.blocked].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1)) };
      }),
  },
];
