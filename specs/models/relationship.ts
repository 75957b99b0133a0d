/**
 * The relationship between one Teams user and one Skype user (F5–F7, F20–F23): who may reach whom.
 *
 * Strangers become a pending request on first contact, in either direction. Only the recipient decides: accept
 * connects them, block decides and blocks in one go. Once decided, each side can block and unblock at any time
 * (two parallel regions). A blocked sender is never told (F21): their contact is `dropped`, which looks, to them,
 * exactly like `deliver`. The blocker's own contact is refused (`refuse-blocker`): a block never acts as accepting.
 * A Teams user cannot make first contact with a Skype user hidden from search (F1, F4, F5).
 */
import { and, assign, setup, stateIn, type ExtractEvent } from 'xstate';
import { rulesFor, type Decision } from './rule.js';

export type Side = 'teams' | 'skype';
export type Medium = 'message' | 'call';

/**
 * - `request`: the contact reaches the recipient as (part of) a request.
 * - `deliver`: it reaches the recipient as conversation.
 * - `drop`: it reaches nobody, and the sender is shown success.
 * - `refuse`: the sender is shown `request-not-accepted`.
 * - `refuse-blocker`: the sender blocks the recipient, and is shown `contact-blocked` (BLOCK-006).
 * - `refuse-unlisted`: first contact with a Skype user who is hidden from search; `recipient-unavailable` (SEARCH-008).
 * - `recorded`: a decision (accept, block, …) took effect.
 */
export type Disposition = 'request' | 'deliver' | 'drop' | 'refuse' | 'refuse-blocker' | 'refuse-unlisted' | 'recorded';

/** `restores`: after an unblock, the unblock's own clauses, which a contact that fails to go through breaks too. */
export type RelationshipDecision = Decision<{
  disposition: Disposition;
  messages?: string[];
  blocked?: boolean;
  restores?: string[];
}>;

export interface RelationshipContext {
  /** The texts of the pending request, shown by "View messages" (F7). */
  requestTexts: string[];
  /** The Teams user chose "View messages": the request must still be undecided (REQ-006). */
  viewed: boolean;
  /** Which side's block was its answer to the request (REQ-005), until that side unblocks. */
  requestBlockedBy: Side | null;
  /** The sides that have unblocked the other at least once: contact flowing again is what their unblock promised. */
  unblocked: Side[];
  decision: RelationshipDecision | null;
}

export type RelationshipEvent =
  /** `unlisted`: the Skype user has chosen not to appear in search (F4) when the contact is made. */
  | { type: 'CONTACT'; from: Side; medium: Medium; text?: string; unlisted?: boolean }
  | { type: 'ACCEPT'; by: Side }
  | { type: 'BLOCK'; by: Side }
  | { type: 'UNBLOCK'; by: Side }
  | { type: 'VIEW'; by: Side }
  /** Is the Skype user on the Teams user's blocked contacts (F22)? A query: it changes nothing. */
  | { type: 'LIST_BLOCKED' };

const M = 'relationship';
type C = RelationshipContext;
type E = RelationshipEvent;

/** What an unblock promises, by side: the Teams user's (BLOCK-002), the Skype user's (BLOCK-005). */
const UNBLOCK_PROMISES: Record<Side, string> = { teams: 'BLOCK-002', skype: 'BLOCK-005' };
const unblockRequest = assign<C, ExtractEvent<E, 'UNBLOCK'>, undefined, E, never>({
  requestBlockedBy: ({ context, event }) => (context.requestBlockedBy === event.by ? null : context.requestBlockedBy),
});
const rememberUnblock = assign<C, ExtractEvent<E, 'UNBLOCK'>, undefined, E, never>({
  unblocked: ({ context, event }) =>
    context.unblocked.includes(event.by) ? context.unblocked : [...context.unblocked, event.by],
});
const keepText = assign<C, ExtractEvent<E, 'CONTACT'>, undefined, E, never>({
  requestTexts: ({ context, event }) =>
    event.text !== undefined ? [...context.requestTexts, event.text] : context.requestTexts,
});
const from =
  (side: Side) =>
  ({ event }: { event: E }) =>
    'from' in event && event.from === side;
const by =
  (side: Side) =>
  ({ event }: { event: E }) =>
    'by' in event && event.by === side;

const relationship = setup({
  types: {} as { context: C; events: E },
  guards: {
    fromTeams: from('teams'),
    fromSkype: from('skype'),
    byTeams: by('teams'),
    bySkype: by('skype'),
    isCall: ({ event }) => event.type === 'CONTACT' && event.medium === 'call',
    viewed: ({ context }) => context.viewed,
    teamsBlockedRequest: ({ context }) => context.requestBlockedBy === 'teams',
    skypeBlockedRequest: ({ context }) => context.requestBlockedBy === 'skype',
    toUnlisted: ({ event }) => event.type === 'CONTACT' && event.unlisted === true,
  },
});
const rule = rulesFor(M, relationship);
type Extra<K extends E['type']> = Parameters<typeof rule<K>>[4];
const r = <K extends E['type']>(
  event: K,
  name: string,
  requirements: string[],
  disposition: Disposition,
  extra: Extra<K> = {},
) => rule(event, name, requirements, { disposition }, extra);
/** A contact that goes through, after an unblock: what that unblock promised (`restores`) is kept too. */
const delivered = (name: string, requirements: string[], extra: Extra<'CONTACT'> = {}) =>
  rule(
    'CONTACT',
    name,
    requirements,
    ({ context }) => ({
      disposition: 'deliver',
      ...(context.unblocked.length ? { restores: context.unblocked.map((side) => UNBLOCK_PROMISES[side]) } : {}),
    }),
    extra,
  );

export const relationshipMachine = relationship.createMachine({
  id: M,
  context: { requestTexts: [], viewed: false, requestBlockedBy: null, unblocked: [], decision: null },
  initial: 'strangers',
  on: {
    LIST_BLOCKED: rule('LIST_BLOCKED', 'contact-not-blocked', ['BLOCK-004'], {
      disposition: 'recorded',
      blocked: false,
    }),
  },
  states: {
    strangers: {
      on: {
        CONTACT: [
          // F5: a Teams user starts from the search results, and F1/F4 leave a hidden Skype user out of them.
          r('CONTACT', 'teams-first-contact-to-unlisted-refused', ['SEARCH-008'], 'refuse-unlisted', {
            guard: and(['fromTeams', 'toUnlisted']),
          }),
          r('CONTACT', 'teams-first-contact-is-request', ['REQ-001'], 'request', {
            guard: 'fromTeams',
            target: 'awaitingSkype',
            actions: keepText,
          }),
          r('CONTACT', 'skype-first-contact-is-request', ['REQ-002'], 'request', {
            guard: 'fromSkype',
            target: 'awaitingTeams',
            actions: keepText,
          }),
        ],
      },
    },
    awaitingSkype: {
      on: {
        CONTACT: [
          r('CONTACT', 'teams-adds-to-request', ['REQ-007'], 'request', { guard: 'fromTeams', actions: keepText }),
          r('CONTACT', 'skype-replies-before-accepting', ['REQ-003'], 'refuse', { guard: 'fromSkype' }),
        ],
        ACCEPT: r('ACCEPT', 'skype-accepts', ['REQ-004'], 'recorded', { guard: 'bySkype', target: 'decided' }),
        BLOCK: r('BLOCK', 'skype-blocks-request', ['REQ-005', 'BLOCK-005'], 'recorded', {
          guard: 'bySkype',
          target: '#relationship.decided.skype.blocking',
          actions: assign({ requestBlockedBy: 'skype' }),
        }),
      },
    },
    awaitingTeams: {
      on: {
        CONTACT: [
          r('CONTACT', 'skype-adds-to-request', ['REQ-007'], 'request', { guard: 'fromSkype', actions: keepText }),
          r('CONTACT', 'teams-replies-after-viewing', ['REQ-003', 'REQ-006'], 'refuse', {
            guard: and(['fromTeams', 'viewed']),
          }),
          r('CONTACT', 'teams-replies-before-accepting', ['REQ-003'], 'refuse', { guard: 'fromTeams' }),
        ],
        VIEW: rule(
          'VIEW',
          'teams-views-request',
          ['REQ-006'],
          ({ context }) => ({ disposition: 'recorded', messages: context.requestTexts }),
          {
            guard: 'byTeams',
            actions: assign({ viewed: true }),
          },
        ),
        ACCEPT: r('ACCEPT', 'teams-accepts', ['REQ-004'], 'recorded', { guard: 'byTeams', target: 'decided' }),
        BLOCK: r('BLOCK', 'teams-blocks-request', ['REQ-005', 'BLOCK-001'], 'recorded', {
          guard: 'byTeams',
          target: '#relationship.decided.teams.blocking',
          actions: assign({ requestBlockedBy: 'teams' }),
        }),
      },
    },
    decided: {
      type: 'parallel',
      // Each region is one side's block on the other; a contact is dropped if the recipient's side blocks.
      states: {
        teams: {
          initial: 'open',
          states: {
            open: {
              on: {
                BLOCK: r('BLOCK', 'teams-blocks', ['BLOCK-001', 'BLOCK-004'], 'recorded', {
                  guard: 'byTeams',
                  target: 'blocking',
                }),
              },
            },
            blocking: {
              on: {
                UNBLOCK: r('UNBLOCK', 'teams-unblocks', ['BLOCK-002', 'BLOCK-004'], 'recorded', {
                  guard: 'byTeams',
                  target: 'open',
                  actions: [unblockRequest, rememberUnblock],
                }),
                LIST_BLOCKED: rule('LIST_BLOCKED', 'contact-blocked', ['BLOCK-004'], {
                  disposition: 'recorded',
                  blocked: true,
                }),
              },
            },
          },
        },
        skype: {
          initial: 'open',
          states: {
            open: {
              on: {
                BLOCK: r('BLOCK', 'skype-blocks', ['BLOCK-005'], 'recorded', { guard: 'bySkype', target: 'blocking' }),
              },
            },
            blocking: {
              on: {
                UNBLOCK: r('UNBLOCK', 'skype-unblocks', ['BLOCK-005'], 'recorded', {
                  guard: 'bySkype',
                  target: 'open',
                  actions: [unblockRequest, rememberUnblock],
                }),
              },
            },
          },
        },
      },
      on: {
        CONTACT: [
          // A block stops both directions (F7: "the conversation is blocked"): the blocker is told, the blocked is not.
          r('CONTACT', 'blocked-request-teams-blocker-refused', ['REQ-005', 'BLOCK-006'], 'refuse-blocker', {
            guard: and(['fromTeams', stateIn({ decided: { teams: 'blocking' } }), 'teamsBlockedRequest']),
          }),
          r('CONTACT', 'blocked-request-skype-blocker-refused', ['REQ-005', 'BLOCK-006'], 'refuse-blocker', {
            guard: and(['fromSkype', stateIn({ decided: { skype: 'blocking' } }), 'skypeBlockedRequest']),
          }),
          r('CONTACT', 'teams-blocker-refused', ['BLOCK-006'], 'refuse-blocker', {
            guard: and(['fromTeams', stateIn({ decided: { teams: 'blocking' } })]),
          }),
          r('CONTACT', 'skype-blocker-refused', ['BLOCK-006'], 'refuse-blocker', {
            guard: and(['fromSkype', stateIn({ decided: { skype: 'blocking' } })]),
          }),
          // A block that answered the request blocks "later messages and calls" too (F7): REQ-005 as well.
          r('CONTACT', 'blocked-request-skype-sender-dropped', ['REQ-005', 'BLOCK-001', 'BLOCK-003'], 'drop', {
            guard: and(['fromSkype', stateIn({ decided: { teams: 'blocking' } }), 'teamsBlockedRequest']),
          }),
          r('CONTACT', 'blocked-request-teams-sender-dropped', ['REQ-005', 'BLOCK-005', 'BLOCK-003'], 'drop', {
            guard: and(['fromTeams', stateIn({ decided: { skype: 'blocking' } }), 'skypeBlockedRequest']),
          }),
          r('CONTACT', 'blocked-skype-sender-dropped', ['BLOCK-001', 'BLOCK-003'], 'drop', {
            guard: and(['fromSkype', stateIn({ decided: { teams: 'blocking' } })]),
          }),
          r('CONTACT', 'blocked-teams-sender-dropped', ['BLOCK-005', 'BLOCK-003'], 'drop', {
            guard: and(['fromTeams', stateIn({ decided: { skype: 'blocking' } })]),
          }),
          delivered('connected-call-delivered', ['REQ-004'], { guard: 'isCall' }),
          delivered('connected-teams-message-delivered', ['REQ-004', 'CHAT-001'], { guard: 'fromTeams' }),
          delivered('connected-skype-message-delivered', ['REQ-004', 'CHAT-002']),
        ],
      },
    },
  },
});
