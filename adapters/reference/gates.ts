/**
 * The tenant checks every Teams ↔ Skype exchange passes, in order: the first that refuses decides. Each gate is
 * data: the service is built with the list it checks (assemble.ts), and a fault hands it a changed list.
 */
import { REQUIRED_SRV, type ErrorCode, type SrvRecord, type TeamsUser, type Tenant } from '../../specs/protocol.js';

/** What the Teams user is about to do. Search passes only the gates that apply to every use. */
export type Use = 'chat' | 'call' | 'search';

export type GateId =
  | 'cloud'
  | 'public-provider'
  | 'sip-federation-srv'
  | 'org-switch'
  | 'user-policy'
  | 'audio-video-policy'
  | 'enterprise-app';

export interface Gate {
  readonly id: GateId;
  readonly requirement: string;
  readonly uses: readonly Use[];
  /** Error shown to a Teams actor; a Skype actor is told `recipient-unavailable`. */
  readonly error: ErrorCode;
  refuses(tenant: Tenant, user: TeamsUser): boolean;
}

const EVERY_USE: readonly Use[] = ['chat', 'call', 'search'];

function isRequiredSrv(srv: SrvRecord | null): boolean {
  return (
    srv !== null &&
    srv.target === REQUIRED_SRV.target &&
    srv.port === REQUIRED_SRV.port &&
    srv.priority === REQUIRED_SRV.priority &&
    srv.weight === REQUIRED_SRV.weight
  );
}

const wrongCloud = (tenant: Tenant): boolean => tenant.cloud !== 'commercial';
const wrongProvider = (tenant: Tenant): boolean => tenant.publicProvider !== 'WindowsLive';
const wrongSrv = (tenant: Tenant): boolean => !isRequiredSrv(tenant.sipFederationSrv);

/** The deployment prerequisites (F26–F28): the gates that read the tenant alone, by id. */
const DEPLOYMENT = new Map<GateId, (tenant: Tenant) => boolean>([
  ['cloud', wrongCloud],
  ['public-provider', wrongProvider],
  ['sip-federation-srv', wrongSrv],
]);

/** Whether a deployment gate among `gates` refuses this tenant whoever its user (a fault asks this). */
export function deploymentRefuses(gates: readonly Gate[], tenant: Tenant): boolean {
  return gates.some((gate) => DEPLOYMENT.get(gate.id)?.(tenant) ?? false);
}

export const GATES: readonly Gate[] = [
  {
    id: 'cloud',
    requirement: 'ADMIN-008',
    uses: EVERY_USE,
    error: 'interop-unavailable',
    refuses: wrongCloud,
  },
  {
    id: 'public-provider',
    requirement: 'ADMIN-006',
    uses: EVERY_USE,
    error: 'interop-unavailable',
    refuses: wrongProvider,
  },
  {
    id: 'sip-federation-srv',
    requirement: 'ADMIN-007',
    uses: EVERY_USE,
    error: 'interop-unavailable',
    refuses: wrongSrv,
  },
  {
    id: 'org-switch',
    requirement: 'ADMIN-001',
    uses: EVERY_USE,
    error: 'skype-access-disabled',
    refuses: (tenant) => !tenant.allowPublicUsers,
  },
  {
    id: 'user-policy',
    requirement: 'ADMIN-003',
    uses: EVERY_USE,
    error: 'skype-access-disabled',
    refuses: (_tenant, user) => !user.policy.enablePublicCloudAccess,
  },
  {
    id: 'audio-video-policy',
    requirement: 'ADMIN-004',
    uses: ['call'],
    error: 'audio-video-disabled',
    refuses: (_tenant, user) => !user.policy.enablePublicCloudAudioVideoAccess,
  },
  {
    id: 'enterprise-app',
    requirement: 'CHAT-008',
    uses: ['chat'],
    error: 'chat-service-unavailable',
    refuses: (tenant) => !tenant.skypeForBusinessOnlineApp,
  },
];
