/** Small questions about a resolved world that the oracle and the loader both ask. */
import type { Person, SkypeUser, TeamsUser, World } from '../specs/protocol.js';
import type { Side } from '../specs/models/relationship.js';

/** A step the models do not cover: the scenario is wrong, not the system under test. */
export class OutOfScope extends Error {}

export function personsOf(world: World): Person[] {
  return Object.values(world.users).filter((u): u is Person => u.kind !== 'admin');
}

/** One Teams user and one Skype user: the only kind of conversation the interop has. */
export interface Pair {
  key: string;
  teams: TeamsUser;
  skype: SkypeUser;
  sideOf(name: string): Side;
  bySide(side: Side): Person;
}

export function pairOf(world: World, a: string, b: string): Pair {
  // Own names only: a world built as a plain object must not find "constructor" on its prototype.
  const ua = Object.hasOwn(world.users, a) ? world.users[a] : undefined;
  const ub = Object.hasOwn(world.users, b) ? world.users[b] : undefined;
  if (!ua || !ub) throw new OutOfScope(`unknown user ${!ua ? a : b}`);
  const teams = [ua, ub].find((u): u is TeamsUser => u.kind === 'teams');
  const skype = [ua, ub].find((u): u is SkypeUser => u.kind === 'skype');
  if (!teams || !skype)
    throw new OutOfScope(
      `${a} (${ua.kind}) and ${b} (${ub.kind}) are not a Teams user and a Skype user: only Teams ↔ Skype conversations are in scope`,
    );
  return {
    key: `${teams.name}|${skype.name}`,
    teams,
    skype,
    sideOf: (name) => (name === teams.name ? 'teams' : 'skype'),
    bySide: (side) => (side === 'teams' ? teams : skype),
  };
}
