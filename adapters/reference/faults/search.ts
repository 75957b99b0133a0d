import type { ActionOf } from '../core.js';
import type { Person } from '../../../specs/protocol.js';
import type { Fault, Layer } from './kit.js';

const localPart = (email: string): string => email.trim().toLowerCase().split('@')[0] ?? '';

/** Search matches what `change` makes of the service's own match. */
const matching = (change: (matches: boolean, c: Person, query: ActionOf<'search'>) => boolean): Layer => ({
  search: (inner) => ({
    matches: (c, query) => change(inner.matches(c, query), c, query),
    listed: (user) => inner.listed(user),
  }),
});

export const SEARCH_FAULTS: readonly Fault[] = [
  {
    id: 'teams-user-cannot-find-skype-user',
    breaks: ['SEARCH-001'],
    description: "A Teams user who searches for a Skype user's email address finds nobody.",
    layer: () => matching((matches, c) => c.kind !== 'skype' && matches),
  },
  {
    id: 'skype-user-cannot-find-teams-user',
    breaks: ['SEARCH-002'],
    description: "A Skype user who searches for a Teams user's email address finds nobody.",
    layer: () => matching((matches, c) => c.kind !== 'teams' && matches),
  },
  {
    id: 'skype-id-search-finds-user',
    breaks: ['SEARCH-003'],
    description: 'A search by Skype ID finds the Skype user with that ID.',
    layer: () =>
      matching(
        (matches, c, query) =>
          matches || (c.kind === 'skype' && query.skypeId !== undefined && c.skypeId === query.skypeId),
      ),
  },
  {
    id: 'phone-search-finds-user',
    breaks: ['SEARCH-004'],
    description: 'A search by phone number finds the Skype user with that number.',
    layer: () =>
      matching((matches, c, query) => matches || (c.kind === 'skype' && c.phone !== null && c.phone === query.phone)),
  },
  {
    id: 'search-opt-out-ignored',
    breaks: ['SEARCH-005'],
    description: 'A Skype user who chose not to appear in search is still found by Teams users.',
    layer: () => ({ search: (inner) => ({ matches: (c, query) => inner.matches(c, query), listed: () => true }) }),
  },
  {
    id: 'disabled-user-still-searchable',
    breaks: ['SEARCH-006'],
    description: 'A Teams user who may not communicate with Skype users still finds them and is found by them.',
    // No gate applies to search any more; chat and calls pass the same gates as before.
    layer: () => ({
      gates: (gates) => gates.map((gate) => ({ ...gate, uses: gate.uses.filter((use) => use !== 'search') })),
    }),
  },
  {
    id: 'search-matches-local-part',
    breaks: ['SEARCH-007'],
    description: 'An email address that belongs to nobody finds whoever has the same name before the @.',
    layer: () =>
      matching(
        (matches, c, query) => matches || (query.email !== undefined && localPart(c.email) === localPart(query.email)),
      ),
  },
  {
    id: 'email-search-case-sensitive',
    breaks: ['SEARCH-001', 'SEARCH-002'],
    description:
      'A search finds someone only when the email address is typed in exactly the letter case it was registered with.',
    layer: () => matching((matches, c, query) => matches && query.email === c.email),
  },
  {
    id: 'hidden-skype-user-contactable-first',
    breaks: ['SEARCH-008'],
    description:
      'A Teams user can start a chat or call with a Skype user who is hidden from search, by writing to their address.',
    layer: () => ({
      router: (inner) => ({
        route: (conversation, sender) => {
          const decided = inner.route(conversation, sender);
          return decided === 'undiscoverable' ? 'request' : decided;
        },
      }),
    }),
  },
];
