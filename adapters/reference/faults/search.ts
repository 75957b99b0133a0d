import type { Fault } from './kit.js';
import { around } from './kit.js';

const localPart = (email: string): string => email.trim().toLowerCase().split('@')[0] ?? '';

export const SEARCH_FAULTS: readonly Fault[] = [
  {
    id: 'teams-user-cannot-find-skype-user',
    breaks: ['SEARCH-001'],
    description: "A Teams user who searches for a Skype user's email address finds nobody.",
    apply: (service) =>
      around(service, 'matchesSearch', (matches) => (c, query) => c.kind !== 'skype' && matches(c, query)),
  },
  {
    id: 'skype-user-cannot-find-teams-user',
    breaks: ['SEARCH-002'],
    description: "A Skype user who searches for a Teams user's email address finds nobody.",
    apply: (service) =>
      around(service, 'matchesSearch', (matches) => (c, query) => c.kind !== 'teams' && matches(c, query)),
  },
  {
    id: 'skype-id-search-finds-user',
    breaks: ['SEARCH-003'],
    description: 'A search by Skype ID finds the Skype user with that ID.',
    apply: (service) =>
      around(
        service,
        'matchesSearch',
        (matches) => (c, query) =>
          matches(c, query) || (c.kind === 'skype' && query.skypeId !== undefined && c.skypeId === query.skypeId),
      ),
  },
  {
    id: 'phone-search-finds-user',
    breaks: ['SEARCH-004'],
    description: 'A search by phone number finds the Skype user with that number.',
    apply: (service) =>
      around(
        service,
        'matchesSearch',
        (matches) => (c, query) =>
          matches(c, query) || (c.kind === 'skype' && c.phone !== null && c.phone === query.phone),
      ),
  },
  {
    id: 'search-opt-out-ignored',
    breaks: ['SEARCH-005'],
    description: 'A Skype user who chose not to appear in search is still found by Teams users.',
    apply: (service) => {
      service.appearsInSearch = () => true;
    },
  },
  {
    id: 'disabled-user-still-searchable',
    breaks: ['SEARCH-006'],
    description: 'A Teams user who may not communicate with Skype users still finds them and is found by them.',
    apply: (service) =>
      around(service, 'refusal', (refusal) => (teams, use) => (use === 'search' ? undefined : refusal(teams, use))),
  },
  {
    id: 'search-matches-local-part',
    breaks: ['SEARCH-007'],
    description: 'An email address that belongs to nobody finds whoever has the same name before the @.',
    apply: (service) =>
      around(
        service,
        'matchesSearch',
        (matches) => (c, query) =>
          matches(c, query) || (query.email !== undefined && localPart(c.email) === localPart(query.email)),
      ),
  },
  {
    id: 'email-search-case-sensitive',
    breaks: ['SEARCH-001', 'SEARCH-002'],
    description:
      'A search finds someone only when the email address is typed in exactly the letter case it was registered with.',
    apply: (service) =>
      around(service, 'matchesSearch', (matches) => (c, query) => matches(c, query) && query.email === c.email),
  },
  {
    id: 'hidden-skype-user-contactable-first',
    breaks: ['SEARCH-008'],
    description:
      'A Teams user can start a chat or call with a Skype user who is hidden from search, by writing to their address.',
    apply: (service) =>
      around(service, 'routeContact', (route) => (conversation, sender) => {
        const decided = route(conversation, sender);
        return decided === 'undiscoverable' ? 'request' : decided;
      }),
  },
];
