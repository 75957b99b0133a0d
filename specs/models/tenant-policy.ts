/**
 * Tenant policy (F24–F28, F19): may this Teams user communicate with Skype users, and how?
 *
 * One machine per tenant. The deployment prerequisites are fixed by the world; the org switch, user policies and
 * the enterprise application can be changed by an admin during a scenario. Order matters and is the spec:
 * deployment first, then the org switch (org off wins over any user policy, F25), then the user policy, then
 * what the use needs in particular (audio/video policy for calls, the enterprise app for chat).
 */
import { assign, setup } from 'xstate';
import { REQUIRED_SRV, type ErrorCode, type ExternalAccessPolicy, type Tenant } from '../protocol.js';
import { rule, type Decision } from './rule.js';

export type Use = 'search' | 'chat' | 'call';

/** `vouches`: an allowing rule that is itself under test, so a failure after it is laid at its door too. */
export type PolicyDecision = Decision<{ allowed: true; vouches?: boolean } | { allowed: false; error: ErrorCode }>;

export interface TenantPolicyContext {
  tenant: Tenant;
  policies: Record<string, ExternalAccessPolicy>;
  /** The org switch was turned back on during the scenario. */
  restored: boolean;
  decision: PolicyDecision | Decision<{ allowed: true }> | null;
}

export type TenantPolicyEvent =
  | { type: 'AUTHORIZE'; user: string; use: Use }
  | { type: 'SET_ORG_SWITCH'; allowPublicUsers: boolean }
  | { type: 'SET_USER_POLICY'; user: string; policy: Partial<ExternalAccessPolicy> }
  | { type: 'SET_ENTERPRISE_APP'; enabled: boolean };

const M = 'tenant-policy';
type C = TenantPolicyContext;
type E = TenantPolicyEvent;
type Authorize = Extract<E, { type: 'AUTHORIZE' }>;

const srvMatches = (t: Tenant) =>
  t.sipFederationSrv !== null &&
  (Object.keys(REQUIRED_SRV) as (keyof typeof REQUIRED_SRV)[]).every((k) => t.sipFederationSrv?.[k] === REQUIRED_SRV[k]);

const refuse = (error: ErrorCode) => ({ allowed: false as const, error });
const policyOf = (c: C, user: string): ExternalAccessPolicy =>
  c.policies[user] ?? { enablePublicCloudAccess: true, enablePublicCloudAudioVideoAccess: true };

export const tenantPolicyMachine = setup({
  types: {} as { context: C; events: E; input: { tenant: Tenant; policies: Record<string, ExternalAccessPolicy> } },
  guards: {
    unsupportedCloud: ({ context }) => context.tenant.cloud !== 'commercial',
    wrongProvider: ({ context }) => context.tenant.publicProvider !== 'WindowsLive',
    missingSrv: ({ context }) => !srvMatches(context.tenant),
    orgSwitchOn: ({ context }) => context.tenant.allowPublicUsers,
    userDenied: ({ context, event }) =>
      !policyOf(context, (event as Authorize).user).enablePublicCloudAccess,
    callWithoutAudioVideo: ({ context, event }) =>
      (event as Authorize).use === 'call' &&
      !policyOf(context, (event as Authorize).user).enablePublicCloudAudioVideoAccess,
    chatWithoutEnterpriseApp: ({ context, event }) =>
      (event as Authorize).use === 'chat' && !context.tenant.skypeForBusinessOnlineApp,
    restored: ({ context }) => context.restored,
    turnsOff: ({ event }) => !(event as Extract<E, { type: 'SET_ORG_SWITCH' }>).allowPublicUsers,
    turnsOn: ({ event }) => (event as Extract<E, { type: 'SET_ORG_SWITCH' }>).allowPublicUsers,
    userAllows: ({ context, event }) =>
      policyOf(context, (event as Authorize).user).enablePublicCloudAccess,
  },
}).createMachine({
  id: M,
  context: ({ input }) => ({ tenant: input.tenant, policies: input.policies, restored: false, decision: null }),
  initial: 'deployment',
  // Admins may change settings whatever the deployment; only a supported tenant acts on them.
  on: {
    SET_USER_POLICY: rule<C, E, object>(M, 'user-policy-set', ['ADMIN-003', 'ADMIN-004'], { allowed: true }, {
      actions: assign({
        policies: ({ context, event }: { context: C; event: E }) => {
          const e = event as Extract<E, { type: 'SET_USER_POLICY' }>;
          return { ...context.policies, [e.user]: { ...policyOf(context, e.user), ...e.policy } };
        },
      }),
    }),
    SET_ENTERPRISE_APP: rule<C, E, object>(M, 'enterprise-app-set', ['CHAT-008'], { allowed: true }, {
      actions: assign({
        tenant: ({ context, event }: { context: C; event: E }) => ({
          ...context.tenant,
          skypeForBusinessOnlineApp: (event as Extract<E, { type: 'SET_ENTERPRISE_APP' }>).enabled,
        }),
      }),
    }),
    SET_ORG_SWITCH: rule<C, E, object>(M, 'org-switch-set-without-interop', ['ADMIN-001'], { allowed: true }, {
      actions: assign({
        tenant: ({ context, event }: { context: C; event: E }) => ({
          ...context.tenant,
          allowPublicUsers: (event as Extract<E, { type: 'SET_ORG_SWITCH' }>).allowPublicUsers,
        }),
      }),
    }),
  },
  states: {
    // Transient: the deployment decides once, from the world, whether interop exists at all.
    deployment: {
      always: [
        { guard: 'unsupportedCloud', target: 'unsupportedCloud' },
        { guard: 'wrongProvider', target: 'wrongProvider' },
        { guard: 'missingSrv', target: 'missingSrv' },
        { guard: 'orgSwitchOn', target: 'supported.orgOn' },
        { target: 'supported.orgOff' },
      ],
    },
    unsupportedCloud: {
      on: { AUTHORIZE: rule<C, E, object>(M, 'cloud-without-interop', ['ADMIN-008'], refuse('interop-unavailable')) },
    },
    wrongProvider: {
      on: { AUTHORIZE: rule<C, E, object>(M, 'public-provider-not-windows-live', ['ADMIN-006'], refuse('interop-unavailable')) },
    },
    missingSrv: {
      on: { AUTHORIZE: rule<C, E, object>(M, 'sip-federation-srv-missing', ['ADMIN-007'], refuse('interop-unavailable')) },
    },
    supported: {
      initial: 'orgOn',
      states: {
        orgOn: {
          on: {
            SET_ORG_SWITCH: [
              rule<C, E, object>(M, 'org-switch-turned-off', ['ADMIN-001'], { allowed: true }, { guard: 'turnsOff', target: 'orgOff' }),
              rule<C, E, object>(M, 'org-switch-left-on', ['ADMIN-002'], { allowed: true }),
            ],
            AUTHORIZE: [
              rule<C, E, object>(M, 'user-policy-denies', ['ADMIN-003'], refuse('skype-access-disabled'), { guard: 'userDenied' }),
              rule<C, E, object>(M, 'audio-video-policy-denies', ['ADMIN-004'], refuse('audio-video-disabled'), { guard: 'callWithoutAudioVideo' }),
              rule<C, E, object>(M, 'enterprise-app-missing', ['CHAT-008'], refuse('chat-service-unavailable'), { guard: 'chatWithoutEnterpriseApp' }),
              // After an admin turned the switch back on, this very permission is what ADMIN-002 promises.
              rule<C, E, object>(M, 'allowed-after-switch-restored', ['ADMIN-002'], { allowed: true, vouches: true }, { guard: 'restored' }),
              rule<C, E, object>(M, 'allowed', ['ADMIN-002'], { allowed: true }),
            ],
          },
        },
        orgOff: {
          on: {
            SET_ORG_SWITCH: [
              rule<C, E, object>(M, 'org-switch-turned-on', ['ADMIN-002'], { allowed: true }, { guard: 'turnsOn', target: 'orgOn', actions: assign({ restored: true }) }),
              rule<C, E, object>(M, 'org-switch-left-off', ['ADMIN-001'], { allowed: true }),
            ],
            AUTHORIZE: [
              // F25: a user policy that allows Skype changes nothing while the org switch is off.
              rule<C, E, object>(M, 'org-switch-off-wins', ['ADMIN-005', 'ADMIN-001'], refuse('skype-access-disabled'), { guard: 'userAllows' }),
              rule<C, E, object>(M, 'org-switch-off', ['ADMIN-001'], refuse('skype-access-disabled')),
            ],
          },
        },
      },
    },
  },
});
