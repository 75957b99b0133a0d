/**
 * The world a mock serves, written as a scenario's `world:` is (defaults left out, `platform:` per user) or as a
 * resolved `World` (specs/protocol.ts). The defaults are the scenario schema's (specs/schemas/scenario.schema.json);
 * this copy exists because an adapter may not import the harness, whose loader resolves scenario files with
 * locations, and test/msw-client.test.ts holds it to the harness's on every scenario's world.
 */
import {
  REQUIRED_SRV,
  type Client,
  type Forwarding,
  type Tenant,
  type User,
  type World,
} from '../../specs/protocol.js';

type RawTenant = Partial<Tenant>;
type RawUser = Record<string, unknown> & { platform: 'teams' | 'skype' | 'admin' };
/** A scenario's `world:`: tenants (default: one, `contoso`) and users by name, each with its `platform`. */
export interface ScenarioWorld {
  tenants?: Record<string, RawTenant>;
  users: Record<string, RawUser>;
}

const DEFAULT_TENANT = 'contoso';

const isResolved = (w: ScenarioWorld | World): w is World =>
  Object.values(w.users ?? {}).every((u) => typeof (u as { kind?: unknown }).kind === 'string');

/** `world` with every default applied; a user naming no tenant of a world of several is an Error. */
export function resolveWorld(world: ScenarioWorld | World): World {
  if (isResolved(world)) return world;
  const tenants: Record<string, Tenant> = Object.create(null);
  for (const [name, t] of Object.entries(world.tenants ?? { [DEFAULT_TENANT]: {} }))
    tenants[name] = {
      allowPublicUsers: t.allowPublicUsers ?? true,
      cloud: t.cloud ?? 'commercial',
      publicProvider: t.publicProvider ?? 'WindowsLive',
      sipFederationSrv: t.sipFederationSrv === undefined ? { ...REQUIRED_SRV } : t.sipFederationSrv,
      skypeForBusinessOnlineApp: t.skypeForBusinessOnlineApp ?? true,
    };
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
    else if (u.platform === 'teams') {
      const tenant = tenantOf(name, u);
      const policy = (u.policy ?? {}) as Record<string, boolean | undefined>;
      users[name] = {
        kind: 'teams',
        name,
        tenant,
        email: (u.email as string | undefined) ?? `${name}@${tenant}.example`,
        mode: (u.mode as 'TeamsOnly' | 'Islands' | undefined) ?? 'TeamsOnly',
        client: (u.client as Client | undefined) ?? 'windows',
        policy: {
          enablePublicCloudAccess: policy.enablePublicCloudAccess ?? true,
          enablePublicCloudAudioVideoAccess: policy.enablePublicCloudAudioVideoAccess ?? true,
        },
        forwarding: (u.forwarding as Forwarding | undefined) ?? 'none',
        delegates: (u.delegates as string[] | undefined) ?? [],
      };
    } else if (u.platform === 'skype')
      users[name] = {
        kind: 'skype',
        name,
        email: (u.email as string | undefined) ?? `${name}@outlook.example`,
        skypeId: (u.skypeId as string | undefined) ?? `live:${name}`,
        phone: (u.phone as string | undefined) ?? null,
        searchable: (u.searchable as boolean | undefined) ?? true,
        client: (u.client as Client | undefined) ?? 'windows',
      };
    else throw new Error(`world.users.${name}: platform must be teams, skype or admin`);
  }
  return { tenants, users };
}
