/**
 * What a scenario's `world:` leaves out, filled in: the defaults of specs/schemas/scenario.schema.json as code. They
 * are specification (a world that names no cloud is a commercial one), so both the harness's loader, which also
 * locates every wrong name in the file, and the msw mock, which takes a world from a user's test, fill them in here.
 */
import { REQUIRED_SRV, type Client, type Forwarding, type Tenant, type User } from './protocol.js';

/** The tenant a world gets when it names none. */
export const DEFAULT_TENANT = 'contoso';

/** A user as a scenario writes it: `platform` and whatever it sets. */
export type RawUser = Record<string, unknown> & { platform: 'teams' | 'skype' | 'admin' };

export function tenantWithDefaults(t: Partial<Tenant>): Tenant {
  return {
    allowPublicUsers: t.allowPublicUsers ?? true,
    cloud: t.cloud ?? 'commercial',
    publicProvider: t.publicProvider ?? 'WindowsLive',
    sipFederationSrv: t.sipFederationSrv === undefined ? { ...REQUIRED_SRV } : t.sipFederationSrv,
    skypeForBusinessOnlineApp: t.skypeForBusinessOnlineApp ?? true,
  };
}

/** A Teams or Skype user with its defaults; `tenant` is the Teams user's, already resolved by the caller. */
export function personWithDefaults(name: string, u: RawUser, tenant: string): User {
  if (u.platform === 'teams') {
    const policy = (u.policy ?? {}) as Record<string, boolean | undefined>;
    return {
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
  }
  return {
    kind: 'skype',
    name,
    email: (u.email as string | undefined) ?? `${name}@outlook.example`,
    skypeId: (u.skypeId as string | undefined) ?? `live:${name}`,
    phone: (u.phone as string | undefined) ?? null,
    searchable: (u.searchable as boolean | undefined) ?? true,
    client: (u.client as Client | undefined) ?? 'windows',
  };
}
