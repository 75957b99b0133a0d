/**
 * A scenario's world as written (short, defaults left out) → the resolved `World` every adapter gets. Each
 * reference to a name is checked here and located in the source.
 */
import type { Tenant, User, World } from '../specs/protocol.js';
import { DEFAULT_TENANT, personWithDefaults, tenantWithDefaults, type RawUser } from '../specs/world-defaults.js';
import type { Diagnostic } from './diagnostics.js';
import type { YamlSource } from './yaml-source.js';

export { DEFAULT_TENANT };

type RawTenant = Partial<Tenant>;
export interface RawWorld {
  tenants?: Record<string, RawTenant>;
  users: Record<string, RawUser>;
}

export function resolveWorld(raw: RawWorld, src: YamlSource): { world: World; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const rawTenants = raw.tenants ?? { [DEFAULT_TENANT]: {} };
  // Without a prototype, a name such as "constructor" or "toString" is only ever a tenant or user the file declares.
  const tenants: Record<string, Tenant> = Object.create(null);
  for (const [name, t] of Object.entries(rawTenants)) {
    tenants[name] = tenantWithDefaults(t);
  }
  const tenantNames = Object.keys(tenants);
  const tenantOf = (name: string, u: RawUser): string => {
    const t = u.tenant as string | undefined;
    if (t !== undefined) {
      if (!Object.hasOwn(tenants, t))
        problems.push(
          src.locate(
            ['world', 'users', name, 'tenant'],
            `unknown tenant "${t}"; the world has: ${tenantNames.join(', ')}`,
          ),
        );
      return t;
    }
    if (tenantNames.length > 1)
      problems.push(
        src.locate(['world', 'users', name], `${name} needs a "tenant": the world has ${tenantNames.join(', ')}`),
      );
    return tenantNames[0]!;
  };

  const users: Record<string, User> = Object.create(null);
  for (const [name, u] of Object.entries(raw.users)) {
    if (u.platform === 'admin') users[name] = { kind: 'admin', name, tenant: tenantOf(name, u) };
    else users[name] = personWithDefaults(name, u, u.platform === 'teams' ? tenantOf(name, u) : '');
  }

  const emails = new Map<string, string>();
  for (const u of Object.values(users)) {
    if (u.kind === 'admin') continue;
    const key = u.email.toLowerCase();
    const other = emails.get(key);
    if (other)
      problems.push(
        src.locate(
          ['world', 'users', u.name],
          `${u.name} has the same email as ${other} (${u.email}); emails identify people in search`,
        ),
      );
    emails.set(key, u.name);
    if (u.kind === 'teams')
      u.delegates.forEach((d, i) => {
        const du = Object.hasOwn(users, d) ? users[d] : undefined;
        if (!du || (du as User).kind !== 'teams' || (du as { tenant?: string }).tenant !== u.tenant)
          problems.push(
            src.locate(
              ['world', 'users', u.name, 'delegates', i],
              `delegate "${d}" must be a Teams user of ${u.tenant}`,
            ),
          );
      });
  }
  return { world: { tenants, users }, problems };
}
