/**
 * Search across the interop (F1–F4): by email only, Skype users may opt out, and tenant policy can hide a Teams
 * user from the interop entirely (SEARCH-006). One machine per world; the oracle tells it who the query matches
 * and whether each side passes its tenant's gates.
 */
import { assign, setup } from 'xstate';
import { rule, type Decision } from './rule.js';

export type QueryKind = 'email' | 'skypeId' | 'phone';

export interface SearchTarget {
  name: string;
  kind: 'teams' | 'skype';
  /** For a Teams target: whether their tenant lets them be reached by Skype users. */
  reachable: boolean;
}

export type SearchDecision = Decision<{ found: string[] }>;

export interface SearchContext {
  /** Skype users who chose not to appear in search (F4). */
  unlisted: string[];
  decision: SearchDecision | null;
}

export type SearchEvent =
  | { type: 'SEARCH'; by: QueryKind; searcherAllowed: boolean; target: SearchTarget | null }
  | { type: 'SET_SEARCHABLE'; user: string; value: boolean };

const M = 'search';
type C = SearchContext;
type E = SearchEvent;
type Search = Extract<E, { type: 'SEARCH' }>;
const q = (e: E) => e as Search;
const none = { found: [] as string[] };
const target = ({ event }: { event: E }) => ({ found: [q(event).target!.name] });

export const searchMachine = setup({
  types: {} as { context: C; events: E; input: { unlisted: string[] } },
  guards: {
    byPhone: ({ event }) => q(event).by === 'phone',
    bySkypeId: ({ event }) => q(event).by === 'skypeId',
    nobody: ({ event }) => q(event).target === null,
    searcherDenied: ({ event }) => !q(event).searcherAllowed,
    unlistedSkypeUser: ({ context, event }) =>
      q(event).target?.kind === 'skype' && context.unlisted.includes(q(event).target!.name),
    unreachableTeamsUser: ({ event }) => q(event).target?.kind === 'teams' && !q(event).target!.reachable,
    skypeTarget: ({ event }) => q(event).target?.kind === 'skype',
  },
}).createMachine({
  id: M,
  context: ({ input }) => ({ unlisted: input.unlisted, decision: null }),
  initial: 'ready',
  states: {
    ready: {
      on: {
        SEARCH: [
          rule<C, E, object>(M, 'phone-number-not-supported', ['SEARCH-004'], none, { guard: 'byPhone' }),
          rule<C, E, object>(M, 'skype-id-not-supported', ['SEARCH-003'], none, { guard: 'bySkypeId' }),
          rule<C, E, object>(M, 'email-of-nobody', ['SEARCH-007'], none, { guard: 'nobody' }),
          rule<C, E, object>(M, 'searcher-without-interop', ['SEARCH-006'], none, { guard: 'searcherDenied' }),
          rule<C, E, object>(M, 'skype-user-opted-out', ['SEARCH-005'], none, { guard: 'unlistedSkypeUser' }),
          rule<C, E, object>(M, 'teams-user-without-interop', ['SEARCH-006'], none, { guard: 'unreachableTeamsUser' }),
          rule<C, E, object>(M, 'skype-user-found-by-email', ['SEARCH-001'], target, { guard: 'skypeTarget' }),
          rule<C, E, object>(M, 'teams-user-found-by-email', ['SEARCH-002'], target),
        ],
        SET_SEARCHABLE: rule<C, E, object>(M, 'searchability-set', ['SEARCH-005'], none, {
          actions: assign({
            unlisted: ({ context, event }: { context: C; event: E }) => {
              const e = event as Extract<E, { type: 'SET_SEARCHABLE' }>;
              const others = context.unlisted.filter((u) => u !== e.user);
              return e.value ? others : [...others, e.user];
            },
          }),
        }),
      },
    },
  },
});
