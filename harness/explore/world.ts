/**
 * The world `explore` plays in: small, so that random sequences reach interesting states often, and varied
 * enough that most behaviours of the protocol can be reached in it.
 *
 * - tara: Teams, TeamsOnly, no forwarding; tom is her delegate (so a delegated call can be tried).
 * - tom: Teams, Islands (when the adapter has `coexistence`), forwards calls to a phone, Mac client.
 * - sam: Skype, with a phone number.        sue: Skype, not searchable, Android client.
 * - ada: the admin of contoso (the one tenant, all defaults: deployment prerequisites are not explored).
 *
 * It is kept in the short form a scenario file uses, so a finding's file shows it exactly as it was run.
 */
import { stringify } from 'yaml';
import type { Capability } from '../../adapters/adapter.js';
import type { World } from '../../specs/protocol.js';
import { resolveWorld, type RawWorld } from '../world.js';
import { YamlSource } from '../yaml-source.js';

export interface ExploreWorld {
  /** As written in a scenario file. */
  raw: RawWorld;
  /** After defaults, as every adapter gets it. */
  world: World;
}

export function exploreWorld(capabilities: readonly Capability[]): ExploreWorld {
  const islands = capabilities.includes('coexistence');
  const raw: RawWorld = {
    tenants: { contoso: {} },
    users: {
      tara: { platform: 'teams', tenant: 'contoso', delegates: ['tom'] },
      tom: {
        platform: 'teams',
        tenant: 'contoso',
        ...(islands ? { mode: 'Islands' } : {}),
        forwarding: 'phone',
        client: 'mac',
      },
      sam: { platform: 'skype', phone: '+15550100' },
      sue: { platform: 'skype', searchable: false, client: 'android' },
      ada: { platform: 'admin', tenant: 'contoso' },
    },
  };
  const { world, problems } = resolveWorld(raw, new YamlSource('(explore world)', stringify({ world: raw })));
  if (problems.length)
    throw new Error(`the exploration world is invalid: ${problems.map((p) => p.message).join('; ')}`);
  return { raw, world };
}
