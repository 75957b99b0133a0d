/**
 * The world a mock serves, written as a scenario's `world:` is (defaults left out, `platform:` per user) or as a
 * resolved `World` (specs/protocol.ts). The defaults are the scenario schema's, filled in by
 * specs/world-defaults.ts as the harness's loader fills them (test/msw-client.test.ts holds the two to the same
 * worlds on every scenario); what differs is the errors: here a plain Error, there a located diagnostic.
 */
import type { Tenant, User, World } from '../../specs/protocol.js';
import { DEFAULT_TENANT, personWithDefaults, tenantWithDefaults, type RawUser } from '../../specs/world-defaults.js';

type RawTenant = Partial<Tenant>;
/** A scenario's `world:`: tenants (default: one, `contoso`) and users by name, each with its `platform`. */
export interface ScenarioWorld {
  tenants?: Record<string, RawTenant>;
  users: Record<string, RawUser>;
}

const isResolved = (w: ScenarioWorld | World): w is World =>
  Object.values(w.users ?? {}).every((u) => typeof (u as { kind?: unknown }).kind === 'string');

/** `world` with every default applied; a user naming no tenant of a world of several is an Error. */
export function resolveWorld(world: ScenarioWorld | World): World {
  if (isResolved(world)) return world;
  const tenants: Record<string, Tenant> = Object.create(null);
  for (const [name, t] of Object.entries(world.tenants ?? { [DEFAULT_TENANT]: {} }))
    tenants[name] = tenantWithDefaults(t);
  const names = Object.keys(tenants);
  const tenantOf = (name: string, u: RawUser): string => {
    const t = (u.tenant as string | undefined) ?? (names.length === 1 ? names[0] : undefined);
    if (t === undefined || !Object.hasOwn(tenants, t))
      throw new Error(`world.users.${name}: ${t === undefined ? 'needs a tenant' : `unknown tenant "${t}"`}`);
    return t;
  };
  const users: Record<string, User> = Object.create(null);
  for (const [name, u] of Object.entries(world.users)) {
    if (u.platform === 'admin') users[name] = { kind: 'admin', name, tenant: tenantOf(name, u) };
    else if (u.platform === 'teams' || u.platform === 'skype')
      users[name] = personWithDefaults(name, u, u.platform === 'teams' ? tenantOf(name, u) : '');
    else throw new Error(`world.users.${name}: platform must be teams, skype or admin`);
  }
  return { tenants, users };
}
