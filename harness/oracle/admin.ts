/** An admin's change to their tenant's settings: one event of the tenant-policy model. */
import type { EventFromLogic } from 'xstate';
import type { tenantPolicyMachine } from '../../specs/models/tenant-policy.js';
import type { Action } from '../../specs/protocol.js';

export type AdminAction = Extract<
  Action,
  {
    kind:
      | 'set-org-switch'
      | 'set-user-policy'
      | 'set-enterprise-app'
      | 'set-public-provider'
      | 'set-sip-federation-srv'
      | 'set-cloud';
  }
>;

/** The tenant-policy event an admin action sends. */
export function tenantEvent(a: AdminAction): EventFromLogic<typeof tenantPolicyMachine> {
  switch (a.kind) {
    case 'set-org-switch':
      return { type: 'SET_ORG_SWITCH', allowPublicUsers: a.allowPublicUsers };
    case 'set-enterprise-app':
      return { type: 'SET_ENTERPRISE_APP', enabled: a.enabled };
    case 'set-user-policy':
      return { type: 'SET_USER_POLICY', user: a.user, policy: policyChange(a) };
    case 'set-public-provider':
      return { type: 'SET_PUBLIC_PROVIDER', provider: a.provider };
    case 'set-sip-federation-srv':
      return { type: 'SET_SIP_FEDERATION_SRV', record: a.record };
    case 'set-cloud':
      return { type: 'SET_CLOUD', cloud: a.cloud };
  }
}

/** Only the fields the admin changed: the others keep their value (a one-field change resets nothing). */
function policyChange(a: Extract<Action, { kind: 'set-user-policy' }>) {
  const p: { enablePublicCloudAccess?: boolean; enablePublicCloudAudioVideoAccess?: boolean } = {};
  if (a.enablePublicCloudAccess !== undefined) p.enablePublicCloudAccess = a.enablePublicCloudAccess;
  if (a.enablePublicCloudAudioVideoAccess !== undefined)
    p.enablePublicCloudAudioVideoAccess = a.enablePublicCloudAudioVideoAccess;
  return p;
}
