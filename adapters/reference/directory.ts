/**
 * Who exists in one world: users by scenario name and tenants with their (mutable) settings. The directory owns
 * copies, so admin actions and `set-searchable` never touch the world the harness passed in.
 */
import type { Admin, Person, SkypeUser, TeamsUser, Tenant, User, World } from '../../specs/protocol.js';
import { outOfScope } from './scope.js';

/** The two parties of every conversation, call and decision: one Teams user and one Skype user. */
export interface Pair {
  readonly teams: TeamsUser;
  readonly skype: SkypeUser;
}

export class Directory {
  readonly #users = new Map<string, User>();
  readonly #tenants = new Map<string, Tenant>();

  constructor(world: World) {
    for (const [name, tenant] of Object.entries(world.tenants)) this.#tenants.set(name, structuredClone(tenant));
    for (const [name, user] of Object.entries(world.users)) this.#users.set(name, { ...structuredClone(user), name });
  }

  has(name: string): boolean {
    return this.#users.has(name);
  }

  user(name: string): User {
    const user = this.#users.get(name);
    if (!user) throw new Error(`unknown user "${name}" (known: ${[...this.#users.keys()].join(', ')})`);
    return user;
  }

  /** A Teams or Skype user: admins take part in no conversation. */
  person(name: string): Person {
    const user = this.user(name);
    if (user.kind === 'admin') outOfScope(`${name} is an admin; admins only change tenant settings`);
    return user;
  }

  admin(name: string): Admin {
    const user = this.user(name);
    if (user.kind !== 'admin') outOfScope(`${name} is not an admin`);
    return user;
  }

  teams(name: string): TeamsUser {
    const user = this.person(name);
    if (user.kind !== 'teams') outOfScope(`${name} is not a Teams user`);
    return user;
  }

  persons(): Person[] {
    return [...this.#users.values()].filter((user): user is Person => user.kind !== 'admin');
  }

  tenant(name: string): Tenant {
    const tenant = this.#tenants.get(name);
    if (!tenant) throw new Error(`unknown tenant "${name}"`);
    return tenant;
  }

  /** The Teams and the Skype side of two people; anything else is outside Teams ↔ Skype interop. */
  pair(a: Person, b: Person): Pair {
    if (a.kind === 'teams' && b.kind === 'skype') return { teams: a, skype: b };
    if (a.kind === 'skype' && b.kind === 'teams') return { teams: b, skype: a };
    return outOfScope(`${a.name} and ${b.name} are both ${a.kind} users; only Teams ↔ Skype is in scope`);
  }
}
