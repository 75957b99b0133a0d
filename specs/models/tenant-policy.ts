/**
 * Tenant policy (F24–F28, F19): may this Teams user communicate with Skype users, and how?
 *
 * One machine per tenant. An admin can change every setting during a scenario: the org switch, user policies, the
 * enterprise application, and the deployment prerequisites (public provider, SRV record, cloud), after which the
 * deployment is decided again (ADMIN-009). Order matters and is the spec:
 * deployment first, then the org switch (org off wins over any user policy, F25), then the user policy, then
 * what the use needs in particular (audio/video policy for calls, the enterprise app for chat).
 */
import { assign, setup, type ExtractEvent, type GuardArgs } from 'xstate';
import { type Cloud, type ErrorCode, type ExternalAccessPolicy, type SrvRecord, type Tenant } from '../protocol.js';
import { isRequiredSrv } from '../interop.js';
import { rulesFor, type Decision } from './rule.js';

export type Use = 'search' | 'chat' | 'call';

/** `vouches`: an allowing rule that is itself under test, so a failure after it is laid at its door too. */
export type PolicyDecision = Decision<{ allowed: true; vouches?: boolean } | { allowed: false; error: ErrorCode }>;

export interface TenantPolicyContext {
  tenant: Tenant;
  policies: Record<string, ExternalAccessPolicy>;
  /** The org switch was turned back on during the scenario. */
  restored: boolean;
  /** Deployment prerequisites an admin repaired during the scenario (unmet, then met): what the repair promised. */
  repaired: Prerequisite[];
  decision: PolicyDecision | Decision<{ allowed: true }> | null;
}

export type TenantPolicyEvent =
  | { type: 'AUTHORIZE'; user: string; use: Use }
  | { type: 'SET_ORG_SWITCH'; allowPublicUsers: boolean }
  | { type: 'SET_USER_POLICY'; user: string; policy: Partial<ExternalAccessPolicy> }
  | { type: 'SET_ENTERPRISE_APP'; enabled: boolean }
  /** `Set-CsTenantPublicProvider` (F26). */
  | { type: 'SET_PUBLIC_PROVIDER'; provider: string }
  /** The tenant's `_sipfederationtls._tcp` record (F27); `null` removes it. */
  | { type: 'SET_SIP_FEDERATION_SRV'; record: SrvRecord | null }
  /** The tenant moves to another cloud (F28). */
  | { type: 'SET_CLOUD'; cloud: Cloud };
/** The same events under the short name the other models' event types have (`CallEvent`, `ChatEvent`, …). */
export type PolicyEvent = TenantPolicyEvent;

/** The deployment prerequisites, each with the clause that needs it. */
export type Prerequisite = 'cloud' | 'public-provider' | 'sip-federation-srv';

const M = 'tenant-policy';
type C = TenantPolicyContext;
type E = TenantPolicyEvent;
type On<K extends E['type']> = ExtractEvent<E, K>;
/** The events that change a deployment prerequisite. */
type Redeploy = On<'SET_PUBLIC_PROVIDER' | 'SET_SIP_FEDERATION_SRV' | 'SET_CLOUD'>;

// The exact record ADMIN-007 requires is one definition, shared with the harness (specs/interop.ts).
const srvMatches = (t: Tenant) => isRequiredSrv(t.sipFederationSrv);

const refuse = (error: ErrorCode) => ({ allowed: false as const, error });
const MET: Readonly<Record<Prerequisite, (t: Tenant) => boolean>> = {
  cloud: (t) => t.cloud === 'commercial',
  'public-provider': (t) => t.publicProvider === 'WindowsLive',
  'sip-federation-srv': srvMatches,
};
/** A deployment change: the tenant after it, and which prerequisites it repaired (unmet before, met after). */
const redeploy = <X extends Redeploy>(key: Prerequisite, change: (t: Tenant, e: X) => Tenant) =>
  assign<C, X, undefined, E, never>(({ context, event }) => {
    const tenant = change(context.tenant, event);
    const met = MET[key](tenant);
    const repaired = met && (!MET[key](context.tenant) || context.repaired.includes(key));
    return { tenant, repaired: [...context.repaired.filter((k) => k !== key), ...(repaired ? [key] : [])] };
  });
const switchTo = assign<C, On<'SET_ORG_SWITCH'>, undefined, E, never>({
  tenant: ({ context, event }) => ({ ...context.tenant, allowPublicUsers: event.allowPublicUsers }),
});
const policyOf = (c: C, user: string): ExternalAccessPolicy =>
  c.policies[user] ?? { enablePublicCloudAccess: true, enablePublicCloudAudioVideoAccess: true };

// The guards of an AUTHORIZE transition: what the user's policy and the tenant allow this use.
type Authorize = GuardArgs<C, On<'AUTHORIZE'>>;
const userDenied = ({ context, event }: Authorize) => !policyOf(context, event.user).enablePublicCloudAccess;
const callWithoutAudioVideo = ({ context, event }: Authorize) =>
  event.use === 'call' && !policyOf(context, event.user).enablePublicCloudAudioVideoAccess;
const chatWithoutEnterpriseApp = ({ context, event }: Authorize) =>
  event.use === 'chat' && !context.tenant.skypeForBusinessOnlineApp;
const userAllows = ({ context, event }: Authorize) => policyOf(context, event.user).enablePublicCloudAccess;
// The guards of a SET_ORG_SWITCH transition.
const turnsOff = ({ event }: GuardArgs<C, On<'SET_ORG_SWITCH'>>) => !event.allowPublicUsers;
const turnsOn = ({ event }: GuardArgs<C, On<'SET_ORG_SWITCH'>>) => event.allowPublicUsers;

const tenantPolicy = setup({
  types: {} as { context: C; events: E; input: { tenant: Tenant; policies: Record<string, ExternalAccessPolicy> } },
  guards: {
    unsupportedCloud: ({ context }) => context.tenant.cloud !== 'commercial',
    wrongProvider: ({ context }) => context.tenant.publicProvider !== 'WindowsLive',
    missingSrv: ({ context }) => !srvMatches(context.tenant),
    orgSwitchOn: ({ context }) => context.tenant.allowPublicUsers,
    restored: ({ context }) => context.restored,
    cloudRepaired: ({ context }) => context.repaired.includes('cloud'),
    providerRepaired: ({ context }) => context.repaired.includes('public-provider'),
    srvRepaired: ({ context }) => context.repaired.includes('sip-federation-srv'),
  },
});
const rule = rulesFor(M, tenantPolicy);

export const tenantPolicyMachine = tenantPolicy.createMachine({
  id: M,
  context: ({ input }) => ({
    tenant: input.tenant,
    policies: input.policies,
    restored: false,
    repaired: [],
    decision: null,
  }),
  initial: 'deployment',
  // Admins may change settings whatever the deployment; only a supported tenant acts on them.
  on: {
    SET_USER_POLICY: rule(
      'SET_USER_POLICY',
      'user-policy-set',
      ['ADMIN-003', 'ADMIN-004'],
      { allowed: true },
      {
        actions: assign({
          policies: ({ context, event }) => ({
            ...context.policies,
            [event.user]: { ...policyOf(context, event.user), ...event.policy },
          }),
        }),
      },
    ),
    SET_ENTERPRISE_APP: rule(
      'SET_ENTERPRISE_APP',
      'enterprise-app-set',
      ['CHAT-008'],
      { allowed: true },
      {
        actions: assign({
          tenant: ({ context, event }) => ({ ...context.tenant, skypeForBusinessOnlineApp: event.enabled }),
        }),
      },
    ),
    SET_ORG_SWITCH: rule(
      'SET_ORG_SWITCH',
      'org-switch-set-without-interop',
      ['ADMIN-001'],
      { allowed: true },
      { actions: switchTo },
    ),
    // A prerequisite changed: the deployment is decided again from the tenant as it is now (ADMIN-009). The
    // relationships are other models': conversations, pending requests and blocks are kept whatever this decides.
    SET_PUBLIC_PROVIDER: rule(
      'SET_PUBLIC_PROVIDER',
      'public-provider-set',
      ['ADMIN-006', 'ADMIN-009'],
      { allowed: true },
      {
        target: '.deployment',
        actions: redeploy('public-provider', (t, e) => ({ ...t, publicProvider: e.provider })),
      },
    ),
    SET_SIP_FEDERATION_SRV: rule(
      'SET_SIP_FEDERATION_SRV',
      'sip-federation-srv-set',
      ['ADMIN-007', 'ADMIN-009'],
      { allowed: true },
      {
        target: '.deployment',
        actions: redeploy('sip-federation-srv', (t, e) => ({ ...t, sipFederationSrv: e.record && { ...e.record } })),
      },
    ),
    SET_CLOUD: rule(
      'SET_CLOUD',
      'cloud-set',
      ['ADMIN-008', 'ADMIN-009'],
      { allowed: true },
      {
        target: '.deployment',
        actions: redeploy('cloud', (t, e) => ({ ...t, cloud: e.cloud })),
      },
    ),
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
      on: { AUTHORIZE: rule('AUTHORIZE', 'cloud-without-interop', ['ADMIN-008'], refuse('interop-unavailable')) },
    },
    wrongProvider: {
      on: {
        AUTHORIZE: rule('AUTHORIZE', 'public-provider-not-windows-live', ['ADMIN-006'], refuse('interop-unavailable')),
      },
    },
    missingSrv: {
      on: {
        AUTHORIZE: rule('AUTHORIZE', 'sip-federation-srv-missing', ['ADMIN-007'], refuse('interop-unavailable')),
      },
    },
    supported: {
      initial: 'orgOn',
      states: {
        orgOn: {
          on: {
            SET_ORG_SWITCH: [
              rule(
                'SET_ORG_SWITCH',
                'org-switch-turned-off',
                ['ADMIN-001'],
                { allowed: true },
                { guard: turnsOff, target: 'orgOff', actions: switchTo },
              ),
              rule('SET_ORG_SWITCH', 'org-switch-left-on', ['ADMIN-002'], { allowed: true }),
            ],
            AUTHORIZE: [
              rule('AUTHORIZE', 'user-policy-denies', ['ADMIN-003'], refuse('skype-access-disabled'), {
                guard: userDenied,
              }),
              rule('AUTHORIZE', 'audio-video-policy-denies', ['ADMIN-004'], refuse('audio-video-disabled'), {
                guard: callWithoutAudioVideo,
              }),
              rule('AUTHORIZE', 'enterprise-app-missing', ['CHAT-008'], refuse('chat-service-unavailable'), {
                guard: chatWithoutEnterpriseApp,
              }),
              // After an admin repaired a prerequisite, this very permission is what the repair promised (ADMIN-009).
              rule(
                'AUTHORIZE',
                'allowed-after-cloud-repaired',
                ['ADMIN-008', 'ADMIN-009'],
                { allowed: true, vouches: true },
                { guard: 'cloudRepaired' },
              ),
              rule(
                'AUTHORIZE',
                'allowed-after-public-provider-repaired',
                ['ADMIN-006', 'ADMIN-009'],
                { allowed: true, vouches: true },
                { guard: 'providerRepaired' },
              ),
              rule(
                'AUTHORIZE',
                'allowed-after-sip-federation-srv-repaired',
                ['ADMIN-007', 'ADMIN-009'],
                { allowed: true, vouches: true },
                { guard: 'srvRepaired' },
              ),
              // After an admin turned the switch back on, this very permission is what ADMIN-002 promises.
              rule(
                'AUTHORIZE',
                'allowed-after-switch-restored',
                ['ADMIN-002'],
                { allowed: true, vouches: true },
                { guard: 'restored' },
              ),
              rule('AUTHORIZE', 'allowed', ['ADMIN-002'], { allowed: true }),
            ],
          },
        },
        orgOff: {
          on: {
            SET_ORG_SWITCH: [
              rule(
                'SET_ORG_SWITCH',
                'org-switch-turned-on',
                ['ADMIN-002'],
                { allowed: true },
                { guard: turnsOn, target: 'orgOn', actions: [switchTo, assign({ restored: true })] },
              ),
              rule('SET_ORG_SWITCH', 'org-switch-left-off', ['ADMIN-001'], { allowed: true }),
            ],
            AUTHORIZE: [
              // F25: a user policy that allows Skype changes nothing while the org switch is off.
              rule('AUTHORIZE', 'org-switch-off-wins', ['ADMIN-005', 'ADMIN-001'], refuse('skype-access-disabled'), {
                guard: userAllows,
              }),
              rule('AUTHORIZE', 'org-switch-off', ['ADMIN-001'], refuse('skype-access-disabled')),
            ],
          },
        },
      },
    },
  },
});
