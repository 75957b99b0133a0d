/**
 * Every move (an actor and an action) worth trying in a world, in weighted groups. Only pairs of one Teams user
 * and one Skype user are built, so few moves are out of scope outright; many are still refused by the models in
 * a given state (accepting a request nobody sent), and the exploration drops those (effective-scenario.ts).
 * Moves whose capability the adapter does not declare are left out, so nothing explored is ever skipped.
 */
import { CAPABILITY_OF_ACTION, type Capability } from '../../adapters/adapter.js';
import type { Action, Person, World } from '../../specs/protocol.js';

export interface Move {
  actor: string;
  action: Action;
}

export interface MoveGroup {
  name: string;
  /** Relative frequency among the groups. */
  weight: number;
  moves: Move[];
}

const TEXTS = ['hi', 'are you there?'];
const MEDIA = ['audio', 'video'] as const;

export function movesOf(world: World, capabilities: readonly Capability[]): MoveGroup[] {
  const users = Object.values(world.users);
  const teams = users.filter((u): u is Extract<Person, { kind: 'teams' }> => u.kind === 'teams');
  const skype = users.filter((u): u is Extract<Person, { kind: 'skype' }> => u.kind === 'skype');
  const admins = users.filter((u) => u.kind === 'admin');
  const pairs = teams.flatMap((t) => skype.flatMap((s) => [[t.name, s.name], [s.name, t.name]] as const));
  const m = (actor: string, action: Action): Move => ({ actor, action });

  const groups: MoveGroup[] = [
    {
      name: 'contact', weight: 6,
      moves: pairs.flatMap(([a, b]) => [
        ...TEXTS.map((text) => m(a, { kind: 'message', to: b, text })),
        ...MEDIA.map((media) => m(a, { kind: 'call', to: b, media })),
      ]),
    },
    {
      name: 'relationship', weight: 5,
      moves: pairs.flatMap(([a, b]) => [
        m(a, { kind: 'accept', from: b }),
        m(a, { kind: 'block', user: b }),
        m(a, { kind: 'unblock', user: b }),
        ...(world.users[a]!.kind === 'teams' ? [m(a, { kind: 'view-messages', from: b })] : []),
      ]),
    },
    {
      name: 'in-call', weight: 4,
      moves: pairs.flatMap(([a, b]) => [
        m(a, { kind: 'answer', from: b }),
        m(a, { kind: 'decline', from: b }),
        m(a, { kind: 'hang-up', with: b }),
        m(a, { kind: 'add-video', with: b }),
      ]),
    },
    {
      name: 'query', weight: 3,
      moves: [
        ...teams.map((t) => m(t.name, { kind: 'blocked-contacts' })),
        ...pairs.map(([a, b]) => m(a, { kind: 'presence', of: b })),
      ],
    },
    {
      name: 'search', weight: 3,
      moves: [
        ...teams.flatMap((t) => [
          ...skype.map((s) => m(t.name, { kind: 'search', email: s.email })),
          // Nobody's address, with a Skype user's name before the @ (SEARCH-007).
          ...skype.map((s) => m(t.name, { kind: 'search', email: `${s.name}@${t.tenant}.example` })),
          ...skype.map((s) => m(t.name, { kind: 'search', skypeId: s.skypeId })),
          ...skype.filter((s) => s.phone).map((s) => m(t.name, { kind: 'search', phone: s.phone! })),
        ]),
        ...skype.flatMap((s) => teams.map((t) => m(s.name, { kind: 'search', email: t.email }))),
        ...skype.flatMap((s) => [true, false].map((value) => m(s.name, { kind: 'set-searchable', value }))),
      ],
    },
    {
      name: 'admin', weight: 2,
      moves: admins.flatMap((a) => [
        ...[true, false].map((allowPublicUsers) => m(a.name, { kind: 'set-org-switch', allowPublicUsers })),
        ...[true, false].map((enabled) => m(a.name, { kind: 'set-enterprise-app', enabled })),
        ...teams.filter((t) => t.tenant === (a as { tenant: string }).tenant).flatMap((t) =>
          [true, false].flatMap((on) => [
            m(a.name, { kind: 'set-user-policy', user: t.name, enablePublicCloudAccess: on }),
            m(a.name, { kind: 'set-user-policy', user: t.name, enablePublicCloudAudioVideoAccess: on }),
          ])),
      ]),
    },
    {
      name: 'unsupported', weight: 1,
      moves: [
        ...pairs.flatMap(([a, b]) => [
          m(a, { kind: 'message', to: b, text: 'look', format: 'rich' }),
          m(a, { kind: 'message', to: b, text: 'look', emoji: 'smile' }),
          m(a, { kind: 'share-screen', with: b }),
          ...users.filter((u) => u.kind === 'skype' && u.name !== b && u.name !== a).slice(0, 1)
            .map((u) => m(a, { kind: 'add-participant', with: b, user: u.name })),
        ]),
        ...teams.flatMap((t) => [
          m(t.name, { kind: 'message', to: skype[0]!.name, text: 'look', mentions: [skype[0]!.name] }),
          m(t.name, { kind: 'message', to: skype[0]!.name, text: 'look', file: 'notes.txt' }),
          m(t.name, { kind: 'group-chat', with: skype.map((s) => s.name), text: 'all of us' }),
          m(t.name, { kind: 'meeting', with: [skype[0]!.name] }),
        ]),
        // A delegate calling a Skype user on behalf of the Teams user they stand in for (CALL-007).
        ...teams.flatMap((boss) => boss.delegates.flatMap((d) => skype.map((s) => m(d, { kind: 'call', to: s.name, media: 'audio', onBehalfOf: boss.name })))),
      ],
    },
  ];
  return groups
    .map((g) => ({ ...g, moves: g.moves.filter((mv) => capabilities.includes(CAPABILITY_OF_ACTION[mv.action.kind])) }))
    .filter((g) => g.moves.length > 0);
}
