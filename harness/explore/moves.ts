/**
 * Every move (an actor and an action) worth trying in a world, in weighted groups. Only pairs of one Teams user
 * and one Skype user are built, so few moves are out of scope outright; many are still refused by the models in
 * a given state (accepting a request nobody sent), and the exploration retargets or drops those
 * (effective-scenario.ts).
 * Moves whose capability the adapter does not declare are left out, so nothing explored is ever skipped.
 */
import { CAPABILITY_OF_ACTION, type Capability } from '../../adapters/adapter.js';
import { MEDIA, type Action, type Person, type User, type World } from '../../specs/protocol.js';

export interface Move {
  actor: string;
  action: Action;
}

/** The field naming the one person a move is aimed at, for the kinds that have one. */
const COUNTERPART: Partial<Record<Action['kind'], string>> = {
  message: 'to',
  call: 'to',
  accept: 'from',
  'view-messages': 'from',
  answer: 'from',
  decline: 'from',
  block: 'user',
  unblock: 'user',
  'hang-up': 'with',
  'add-video': 'with',
  'call-state': 'with',
  'share-screen': 'with',
  'add-participant': 'with',
  presence: 'of',
};

/** Every (actor, counterpart) pair of one Teams and one Skype user, both ways round, in a fixed order. */
export function orderedPairs(world: World): [string, string][] {
  const people = Object.values(world.users).filter((u) => u.kind !== 'admin');
  return people.flatMap((a) =>
    people.filter((b) => b.kind !== a.kind).map((b) => [a.name, b.name] as [string, string]),
  );
}

/**
 * The same move made by `actor` towards `other`, when the move is aimed at one person (and is not a delegated
 * call); otherwise undefined. A third person named in the move (add-participant) is kept out of the pair.
 */
export function retarget(world: World, move: Move, actor: string, other: string): Move | undefined {
  const field = COUNTERPART[move.action.kind];
  if (!field || (move.action.kind === 'call' && move.action.onBehalfOf !== undefined)) return undefined;
  const action = { ...move.action, [field]: other } as Action;
  if (action.kind === 'add-participant' && (action.user === actor || action.user === other))
    action.user = Object.values(world.users).find(
      (u) => u.kind !== 'admin' && u.name !== actor && u.name !== other,
    )!.name;
  return { actor, action };
}

/** Where a move's own (actor, counterpart) pair stands in `orderedPairs`, or -1. */
export function pairIndex(pairs: [string, string][], move: Move): number {
  const field = COUNTERPART[move.action.kind];
  const other = field && (move.action as unknown as Record<string, unknown>)[field];
  return pairs.findIndex(([a, b]) => a === move.actor && b === other);
}

export interface MoveGroup {
  name: string;
  /** Relative frequency among the groups. */
  weight: number;
  moves: Move[];
}

const TEXTS = ['hi', 'are you there?'];

/**
 * Moves aimed at one person are retargeted to a pair where they mean something (effective-scenario.ts), so what a
 * group's weight decides is mostly how often its kind of move is tried. The weights favour what deep states need
 * (requests, accepting, calls and answering them) and keep the rest frequent enough to be tried in most runs.
 */
export function movesOf(world: World, capabilities: readonly Capability[]): MoveGroup[] {
  const users = Object.values(world.users);
  const teams = users.filter((u): u is Extract<Person, { kind: 'teams' }> => u.kind === 'teams');
  const skype = users.filter((u): u is Extract<Person, { kind: 'skype' }> => u.kind === 'skype');
  const admins = users.filter((u): u is Extract<User, { kind: 'admin' }> => u.kind === 'admin');
  const pairs = orderedPairs(world);
  const m = (actor: string, action: Action): Move => ({ actor, action });
  const each = (f: (a: string, b: string) => Action | Action[]) =>
    pairs.flatMap(([a, b]) => [f(a, b)].flat().map((action) => m(a, action)));
  const thirdOf = (a: string, b: string) => users.find((u) => u.kind !== 'admin' && u.name !== a && u.name !== b)!.name;

  const groups: MoveGroup[] = [
    { name: 'message', weight: 8, moves: each((_, to) => TEXTS.map((text) => ({ kind: 'message', to, text }))) },
    { name: 'call', weight: 6, moves: each((_, to) => MEDIA.map((media) => ({ kind: 'call', to, media }))) },
    { name: 'accept', weight: 6, moves: each((_, from) => ({ kind: 'accept', from })) },
    { name: 'view-messages', weight: 1, moves: each((_, from) => ({ kind: 'view-messages', from })) },
    { name: 'block', weight: 2, moves: each((_, user) => ({ kind: 'block', user })) },
    { name: 'unblock', weight: 2, moves: each((_, user) => ({ kind: 'unblock', user })) },
    // F22: a Teams colleague and a phone number on the blocked list.
    {
      name: 'other-blocks',
      weight: 1,
      moves: teams.flatMap((t) => [
        ...teams
          .filter((o) => o.name !== t.name)
          .flatMap((o) => (['block', 'unblock'] as const).map((kind) => m(t.name, { kind, user: o.name }))),
        ...(['block-number', 'unblock-number'] as const).map((kind) => m(t.name, { kind, phone: '+1 555 0100' })),
      ]),
    },
    // F20: a Teams user's privacy settings lay and lift the same block.
    {
      name: 'privacy-settings',
      weight: 1,
      moves: teams.flatMap((t) =>
        skype.flatMap((s) =>
          (['block', 'unblock'] as const).map((kind) => m(t.name, { kind, user: s.name, via: 'privacy-settings' })),
        ),
      ),
    },
    { name: 'answer', weight: 4, moves: each((_, from) => ({ kind: 'answer', from })) },
    { name: 'decline', weight: 1, moves: each((_, from) => ({ kind: 'decline', from })) },
    { name: 'hang-up', weight: 2, moves: each((_, w) => ({ kind: 'hang-up', with: w })) },
    { name: 'add-video', weight: 2, moves: each((_, w) => ({ kind: 'add-video', with: w })) },
    // Either party's view of the call, the blocked caller's included (BLOCK-003): the state a call's steps leave.
    { name: 'call-state', weight: 2, moves: each((_, w) => ({ kind: 'call-state', with: w })) },
    {
      name: 'add-participant',
      weight: 1,
      moves: each((a, w) => ({ kind: 'add-participant', with: w, user: thirdOf(a, w) })),
    },
    { name: 'share-screen', weight: 1, moves: each((_, w) => ({ kind: 'share-screen', with: w })) },
    { name: 'presence', weight: 1, moves: each((_, of) => ({ kind: 'presence', of })) },
    { name: 'blocked-contacts', weight: 1, moves: teams.map((t) => m(t.name, { kind: 'blocked-contacts' })) },
    {
      name: 'search',
      weight: 3,
      moves: [
        ...teams.flatMap((t) => [
          ...skype.map((s) => m(t.name, { kind: 'search', email: s.email })),
          // Nobody's address, with a Skype user's name before the @ (SEARCH-007).
          ...skype.map((s) => m(t.name, { kind: 'search', email: `${s.name}@${t.tenant}.example` })),
          ...skype.map((s) => m(t.name, { kind: 'search', skypeId: s.skypeId })),
          ...skype.filter((s) => s.phone).map((s) => m(t.name, { kind: 'search', phone: s.phone! })),
        ]),
        ...skype.flatMap((s) => teams.map((t) => m(s.name, { kind: 'search', email: t.email }))),
      ],
    },
    {
      name: 'set-searchable',
      weight: 1,
      moves: skype.flatMap((s) => [false, true].map((value) => m(s.name, { kind: 'set-searchable', value }))),
    },
    {
      name: 'unsupported-content',
      weight: 1,
      moves: [
        ...each((_, to) => [
          { kind: 'message', to, text: 'look', format: 'rich' },
          { kind: 'message', to, text: 'look', emoji: 'smile' },
        ]),
        ...teams.flatMap((t) =>
          skype.flatMap((s) => [
            m(t.name, { kind: 'message', to: s.name, text: 'look', mentions: [s.name] }),
            m(t.name, { kind: 'message', to: s.name, text: 'look', file: 'notes.txt' }),
          ]),
        ),
      ],
    },
    {
      name: 'group',
      weight: 1,
      moves: teams.flatMap((t) => [
        m(t.name, { kind: 'group-chat', with: skype.map((s) => s.name), text: 'all of us' }),
        m(t.name, { kind: 'meeting', with: [skype[0]!.name] }),
      ]),
    },
    // A delegate calling a Skype user on behalf of the Teams user they stand in for (CALL-007).
    {
      name: 'delegated-call',
      weight: 1,
      moves: teams.flatMap((boss) =>
        boss.delegates.flatMap((d) =>
          skype.map((s) => m(d, { kind: 'call', to: s.name, media: 'audio', onBehalfOf: boss.name })),
        ),
      ),
    },
    {
      name: 'org-switch',
      weight: 2,
      moves: admins.flatMap((a) =>
        [false, true].map((allowPublicUsers) => m(a.name, { kind: 'set-org-switch', allowPublicUsers })),
      ),
    },
    {
      name: 'enterprise-app',
      weight: 1,
      moves: admins.flatMap((a) => [false, true].map((enabled) => m(a.name, { kind: 'set-enterprise-app', enabled }))),
    },
    // The deployment broken and repaired mid-way (ADMIN-009).
    {
      name: 'deployment',
      weight: 1,
      moves: admins.flatMap((a) => [
        ...['None', 'WindowsLive'].map((provider) => m(a.name, { kind: 'set-public-provider', provider })),
        ...[null, { target: 'sipfed.online.lync.com', port: 5061, priority: 100, weight: 1 }].map((record) =>
          m(a.name, { kind: 'set-sip-federation-srv', record }),
        ),
        ...(['gcc', 'commercial'] as const).map((cloud) => m(a.name, { kind: 'set-cloud', cloud })),
      ]),
    },
    {
      name: 'user-policy',
      weight: 2,
      moves: admins.flatMap((a) =>
        teams
          .filter((t) => t.tenant === a.tenant)
          .flatMap((t) =>
            [false, true].flatMap((on) => [
              m(a.name, { kind: 'set-user-policy', user: t.name, enablePublicCloudAccess: on }),
              m(a.name, { kind: 'set-user-policy', user: t.name, enablePublicCloudAudioVideoAccess: on }),
            ]),
          ),
      ),
    },
  ];
  return groups
    .map((g) => ({ ...g, moves: g.moves.filter((mv) => capabilities.includes(CAPABILITY_OF_ACTION[mv.action.kind])) }))
    .filter((g) => g.moves.length > 0);
}
