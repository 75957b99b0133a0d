/**
 * Search across the interop (F1–F4): by email only, Skype users may opt out, and tenant policy can hide a Teams
 * user from the interop entirely (SEARCH-006). One machine per world; the oracle tells it who the query matches
 * and whether each side passes its tenant's gates.
 */
import { assign, setup, type ExtractEvent, type GuardArgs } from 'xstate';
import { rulesFor, type Decision } from './rule.js';

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
type Search = GuardArgs<C, ExtractEvent<E, 'SEARCH'>>;
const none: { found: string[] } = { found: [] };
/** The query's target, found (a query that matches nobody is answered by `email-of-nobody`, before). */
const target = ({ event }: Search) => ({ found: event.target ? [event.target.name] : [] });

// The guards of a SEARCH transition, in the order its rules ask them.
const byPhone = ({ event }: Search) => event.by === 'phone';
const bySkypeId = ({ event }: Search) => event.by === 'skypeId';
const nobody = ({ event }: Search) => event.target === null;
const searcherDenied = ({ event }: Search) => !event.searcherAllowed;
const unlistedSkypeUser = ({ context, event }: Search) =>
  event.target?.kind === 'skype' && context.unlisted.includes(event.target.name);
const unreachableTeamsUser = ({ event }: Search) => event.target?.kind === 'teams' && !event.target.reachable;
const skypeTarget = ({ event }: Search) => event.target?.kind === 'skype';

const search = setup({ types: {} as { context: C; events: E; input: { unlisted: string[] } } });
const rule = rulesFor(M, search);

export const searchMachine = search.createMachine({
  id: M,
  context: ({ input }) => ({ unlisted: input.unlisted, decision: null }),
  initial: 'ready',
  states: {
    ready: {
      on: {
        SEARCH: [
          rule('SEARCH', 'phone-number-not-supported', ['SEARCH-004'], none, { guard: byPhone }),
          rule('SEARCH', 'skype-id-not-supported', ['SEARCH-003'], none, { guard: bySkypeId }),
          rule('SEARCH', 'email-of-nobody', ['SEARCH-007'], none, { guard: nobody }),
          rule('SEARCH', 'searcher-without-interop', ['SEARCH-006'], none, { guard: searcherDenied }),
          rule('SEARCH', 'skype-user-opted-out', ['SEARCH-005'], none, { guard: unlistedSkypeUser }),
          rule('SEARCH', 'teams-user-without-interop', ['SEARCH-006'], none, { guard: unreachableTeamsUser }),
          rule('SEARCH', 'skype-user-found-by-email', ['SEARCH-001'], target, { guard: skypeTarget }),
          rule('SEARCH', 'teams-user-found-by-email', ['SEARCH-002'], target),
        ],
        SET_SEARCHABLE: rule('SET_SEARCHABLE', 'searchability-set', ['SEARCH-005'], none, {
          actions: assign({
            unlisted: ({ context, event }) => {
              const others = context.unlisted.filter((u) => u !== event.user);
              return event.value ? others : [...others, event.user];
            },
          }),
        }),
      },
    },
  },
});
