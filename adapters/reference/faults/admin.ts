import { forwardingTo } from '../api.js';
import { deploymentRefuses } from '../gates.js';
import type { Fault } from './kit.js';
import { OK, skipGate } from './kit.js';

export const ADMIN_FAULTS: readonly Fault[] = [
  {
    id: 'org-switch-ignored',
    breaks: ['ADMIN-001'],
    description: 'Turning the org switch "Users can communicate with Skype users" off has no effect.',
    layer: () => skipGate('org-switch'),
  },
  {
    id: 'org-switch-cannot-be-restored',
    breaks: ['ADMIN-002'],
    description: 'Once the org switch is turned off, turning it back on says ok but Skype communication stays off.',
    layer: () => ({
      service: (inner) => ({
        ...forwardingTo(inner),
        setOrgSwitch: (admin, allow) => (allow ? OK : inner.setOrgSwitch(admin, allow)),
      }),
    }),
  },
  {
    id: 'user-policy-ignored',
    breaks: ['ADMIN-003'],
    description:
      'A user whose external access policy denies Skype communication can still message and call Skype users.',
    layer: () => skipGate('user-policy'),
  },
  {
    id: 'audio-video-policy-ignored',
    breaks: ['ADMIN-004'],
    description: 'A user whose policy denies audio/video with Skype users can still call them.',
    layer: () => skipGate('audio-video-policy'),
  },
  {
    id: 'user-policy-overrides-org-switch',
    breaks: ['ADMIN-005'],
    description: 'A user whose admin explicitly allowed Skype access keeps it when the org switch is turned off.',
    layer: () => {
      const allowed = new Set<string>();
      return {
        service: (inner) => ({
          ...forwardingTo(inner),
          setUserPolicy: (admin, change) => {
            if (change.enablePublicCloudAccess === true) allowed.add(change.user);
            if (change.enablePublicCloudAccess === false) allowed.delete(change.user);
            return inner.setUserPolicy(admin, change);
          },
        }),
        gates: (gates) =>
          gates.map((gate) =>
            gate.id === 'org-switch'
              ? { ...gate, refuses: (tenant, user) => gate.refuses(tenant, user) && !allowed.has(user.name) }
              : gate,
          ),
      };
    },
  },
  {
    id: 'wrong-public-provider-ignored',
    breaks: ['ADMIN-006'],
    description: 'A tenant whose public provider is not WindowsLive can still reach Skype users.',
    layer: () => skipGate('public-provider'),
  },
  {
    id: 'sip-srv-not-checked',
    breaks: ['ADMIN-007'],
    description: 'A tenant without the sipfed.online.lync.com SRV record can still reach Skype users.',
    layer: () => skipGate('sip-federation-srv'),
  },
  {
    id: 'gcc-tenant-allowed',
    breaks: ['ADMIN-008'],
    description: 'A tenant in GCC, GCC High, DoD or a private cloud can still reach Skype users.',
    layer: () => skipGate('cloud'),
  },
  {
    id: 'deployment-changes-ignored',
    breaks: ['ADMIN-009', 'ADMIN-006', 'ADMIN-007', 'ADMIN-008'],
    description:
      "Changing the tenant's public provider, SRV record or cloud says ok, but the tenant keeps the deployment it was created with.",
    layer: () => ({ service: (inner) => ({ ...forwardingTo(inner), setDeployment: () => OK }) }),
  },
  {
    id: 'deployment-repair-not-applied',
    breaks: ['ADMIN-009'],
    description:
      'A public provider, SRV record or cloud that was wrong and is fixed mid-way says ok, but the tenant stays without interop.',
    layer: () => ({
      service: (inner, world) => ({
        ...forwardingTo(inner),
        setDeployment: (admin, change) => {
          const tenant = world.directory.tenant(world.directory.admin(admin).tenant);
          return deploymentRefuses(world.gates, tenant) ? OK : inner.setDeployment(admin, change);
        },
      }),
    }),
  },
  {
    id: 'deployment-change-forgets-conversations',
    breaks: ['ADMIN-009'],
    description:
      "After an admin changes the tenant's public provider, SRV record or cloud, its users' Skype conversations, requests and blocks start again from nothing.",
    layer: () => ({
      service: (inner, world) => ({
        ...forwardingTo(inner),
        setDeployment: (admin, change) => {
          const shown = inner.setDeployment(admin, change);
          const tenant = world.directory.admin(admin).tenant;
          for (const user of world.directory.persons())
            if (user.kind === 'teams' && user.tenant === tenant)
              for (const c of world.conversations.involving(user.name)) {
                c.standing = 'strangers';
                c.initiator = undefined;
                c.blockers.clear();
                c.log.length = 0;
              }
          return shown;
        },
      }),
    }),
  },
];
