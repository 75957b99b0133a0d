/**
 * The events, with their payloads, that the generator may feed each model, and the worlds a model may start
 * from. Only events some scenario step can cause are listed (a Skype user never searches with
 * `searcherAllowed: false`; a delegated call is always a Teams user's), so that every path through them can be
 * written as a scenario. `to-scenario.ts` turns each of these events back into steps.
 */
import {
  ATTACKS,
  MEDIA,
  REQUIRED_SRV,
  type ExternalAccessPolicy,
  type Forwarding,
  type Tenant,
} from '../../specs/protocol.js';
import type { BlockedListEvent } from '../../specs/models/blocked-list.js';
import type { CallEvent } from '../../specs/models/call.js';
import type { ChatEvent } from '../../specs/models/chat.js';
import type { EscalationEvent } from '../../specs/models/escalation.js';
import type { ModelEvent, ModelEvents, ModelName } from '../../specs/models/index.js';
import type { RelationshipEvent } from '../../specs/models/relationship.js';
import type { SearchEvent } from '../../specs/models/search.js';
import type { SecurityEvent } from '../../specs/models/security.js';
import type { TenantPolicyEvent } from '../../specs/models/tenant-policy.js';

/** The people of every generated world, and who they are. */
export const CAST = {
  /** A Teams user of the home tenant: the Teams side of every conversation. */
  teams: 'tara',
  /** A Skype user: the Skype side of every conversation. */
  skype: 'sam',
  /** An admin of the home tenant. */
  admin: 'ada',
  /** A Teams colleague of tara's: a third person, and her delegate when a path needs one. */
  colleague: 'dan',
  /** A Teams user of another tenant whose org switch is off: someone without interop. */
  outsider: 'tom',
} as const;

export const HOME_TENANT = 'contoso';
export const OUTSIDER_TENANT = 'fabrikam';

export const EMAIL: Readonly<Record<string, string>> = {
  tara: 'tara@contoso.example',
  dan: 'dan@contoso.example',
  tom: 'tom@fabrikam.example',
  sam: 'sam@outlook.example',
  /** Nobody's. */
  nobody: 'nobody@outlook.example',
};

/** How a starting world differs from the default one (tara, sam, default tenant). */
export interface WorldVariant {
  /** What differs, for a reader; empty for the default world. */
  label: string;
  tenant?: Partial<Tenant>;
  taraPolicy?: Partial<ExternalAccessPolicy>;
  taraForwarding?: Forwarding;
  samSearchable?: boolean;
}

export interface ModelStart<E extends ModelEvent = ModelEvent> {
  variant: WorldVariant;
  /** The model's `input` in that world. */
  input?: unknown;
  /** Every event that may be sent in that world, payloads included. */
  events: readonly E[];
}

export interface ModelAlphabet<E extends ModelEvent = ModelEvent> {
  starts: readonly ModelStart<E>[];
  /**
   * The part of the context that decides later transitions. Graph nodes are told apart by it (with the state
   * and the last rule taken), so it must take finitely many values.
   */
  context?: (context: Record<string, unknown>) => unknown;
}

const SIDES = ['teams', 'skype'] as const;
const DEFAULT_WORLD: WorldVariant = { label: '' };

const defaultTenant = (): Tenant => ({
  allowPublicUsers: true,
  cloud: 'commercial',
  publicProvider: 'WindowsLive',
  sipFederationSrv: { ...REQUIRED_SRV },
  skypeForBusinessOnlineApp: true,
});
const defaultPolicy = (): ExternalAccessPolicy => ({
  enablePublicCloudAccess: true,
  enablePublicCloudAudioVideoAccess: true,
});

// ── tenant-policy: tara's tenant decides; ada changes its settings ───────────────────────────────────────────
const TENANT_VARIANTS: readonly WorldVariant[] = [
  DEFAULT_WORLD,
  { label: 'contoso is in the gcc cloud', tenant: { cloud: 'gcc' } },
  { label: "contoso's public provider is not WindowsLive", tenant: { publicProvider: 'None' } },
  { label: 'contoso has no SIP federation SRV record', tenant: { sipFederationSrv: null } },
  { label: "contoso's org switch is off", tenant: { allowPublicUsers: false } },
  { label: "tara's policy denies Skype access", taraPolicy: { enablePublicCloudAccess: false } },
  { label: "tara's policy denies audio/video", taraPolicy: { enablePublicCloudAudioVideoAccess: false } },
  { label: 'contoso lacks the Skype for Business Online enterprise app', tenant: { skypeForBusinessOnlineApp: false } },
];

const TENANT_EVENTS: readonly TenantPolicyEvent[] = [
  ...(['chat', 'call', 'search'] as const).map((use) => ({ type: 'AUTHORIZE' as const, user: CAST.teams, use })),
  ...[false, true].map((allowPublicUsers) => ({ type: 'SET_ORG_SWITCH' as const, allowPublicUsers })),
  ...(['enablePublicCloudAccess', 'enablePublicCloudAudioVideoAccess'] as const).flatMap((k) =>
    [false, true].map((v) => ({ type: 'SET_USER_POLICY' as const, user: CAST.teams, policy: { [k]: v } })),
  ),
  ...[false, true].map((enabled) => ({ type: 'SET_ENTERPRISE_APP' as const, enabled })),
];

/**
 * The deployment prerequisites, broken and repaired (ADMIN-009), from a start of their own with only the
 * authorizations beside them: mixed with every other setting the graph would grow a hundredfold for no rule more.
 */
const DEPLOYMENT_EVENTS: readonly TenantPolicyEvent[] = [
  ...['None', 'WindowsLive'].map((provider) => ({ type: 'SET_PUBLIC_PROVIDER' as const, provider })),
  ...[null, { ...REQUIRED_SRV }].map((record) => ({ type: 'SET_SIP_FEDERATION_SRV' as const, record })),
  ...(['gcc', 'commercial'] as const).map((cloud) => ({ type: 'SET_CLOUD' as const, cloud })),
];

// ── search: the targets are sam (Skype), tara (a reachable Teams user) and tom (an unreachable one) ──────────
const SEARCH_EVENTS: readonly SearchEvent[] = [
  { type: 'SEARCH', by: 'phone', searcherAllowed: true, target: null },
  { type: 'SEARCH', by: 'skypeId', searcherAllowed: true, target: null },
  { type: 'SEARCH', by: 'email', searcherAllowed: true, target: null },
  { type: 'SEARCH', by: 'email', searcherAllowed: true, target: { name: CAST.skype, kind: 'skype', reachable: true } },
  { type: 'SEARCH', by: 'email', searcherAllowed: false, target: { name: CAST.skype, kind: 'skype', reachable: true } },
  { type: 'SEARCH', by: 'email', searcherAllowed: true, target: { name: CAST.teams, kind: 'teams', reachable: true } },
  {
    type: 'SEARCH',
    by: 'email',
    searcherAllowed: true,
    target: { name: CAST.outsider, kind: 'teams', reachable: false },
  },
  ...[false, true].map((value) => ({ type: 'SET_SEARCHABLE' as const, user: CAST.skype, value })),
];

// ── relationship: tara and sam, either side acting ────────────────────────────────────────────────────────────
const RELATIONSHIP_EVENTS: readonly RelationshipEvent[] = [
  ...SIDES.flatMap((from): RelationshipEvent[] => [
    { type: 'CONTACT', from, medium: 'message', text: `a message from ${from}` },
    { type: 'CONTACT', from, medium: 'call' },
  ]),
  // tara writing while sam is hidden from search (SEARCH-008); the steps hide sam first.
  { type: 'CONTACT', from: 'teams', medium: 'message', text: 'a message from teams', unlisted: true },
  ...(['ACCEPT', 'BLOCK', 'UNBLOCK', 'VIEW'] as const).flatMap((type) => SIDES.map((by) => ({ type, by }))),
  { type: 'LIST_BLOCKED' },
];

// ── blocked-list: tara blocks her colleague dan and a phone number (F22) ──────────────────────────────────────
const OTHERS = [
  { kind: 'person', value: CAST.colleague },
  { kind: 'number', value: '+1 555 0100' },
] as const;
const BLOCKED_LIST_EVENTS: readonly BlockedListEvent[] = [
  ...(['BLOCK_OTHER', 'UNBLOCK_OTHER'] as const).flatMap((type) => OTHERS.map((o) => ({ type, by: CAST.teams, ...o }))),
  { type: 'LIST_OTHERS', by: CAST.teams },
];

// ── call: whether tara forwards her calls is the world's, so it is one start each ────────────────────────────
const callEvents = (calleeForwards: boolean): CallEvent[] => [
  ...SIDES.flatMap((by) =>
    MEDIA.map((media) => ({
      type: 'DIAL' as const,
      by,
      media,
      calleeForwards,
      onBehalf: false,
    })),
  ),
  // A blocked caller's call: the oracle sends it only where an unblocked call would ring (not to voicemail).
  ...SIDES.filter((by) => !(calleeForwards && by === 'skype')).flatMap((by) =>
    MEDIA.map((media) => ({ type: 'DIAL_DROPPED' as const, by, media })),
  ),
  { type: 'DIAL', by: 'teams', media: 'audio', calleeForwards, onBehalf: true },
  ...(['ANSWER', 'DECLINE', 'HANG_UP', 'ADD_VIDEO', 'ADD_PARTICIPANT', 'SHARE_SCREEN', 'SHOW_STATE'] as const).flatMap(
    (type) => SIDES.map((by) => ({ type, by })),
  ),
];

const PLAIN = { type: 'COMPOSE', rich: false, mentions: false, emoji: false, file: false } as const;
const CHAT_EVENTS: readonly ChatEvent[] = [
  PLAIN,
  ...(['rich', 'mentions', 'emoji', 'file'] as const).map((k) => ({ ...PLAIN, [k]: true })),
  { type: 'PRESENCE' },
];
const ESCALATION_EVENTS: readonly EscalationEvent[] = [{ type: 'GROUP_CHAT' }, { type: 'MEETING' }];
const SECURITY_EVENTS: readonly SecurityEvent[] = ATTACKS.map((attack) => ({ type: 'PROBE', attack }));

/** Each model's alphabet holds that model's events only (the compiler checks each against the model's type). */
export const ALPHABETS: { readonly [M in ModelName]: ModelAlphabet<ModelEvents[M]> } = {
  'tenant-policy': {
    starts: [
      ...TENANT_VARIANTS.map((variant) => ({
        variant,
        input: {
          tenant: { ...defaultTenant(), ...variant.tenant },
          policies: { [CAST.teams]: { ...defaultPolicy(), ...variant.taraPolicy } },
        },
        events: TENANT_EVENTS,
      })),
      {
        variant: { label: "ada changes contoso's deployment" },
        input: { tenant: defaultTenant(), policies: { [CAST.teams]: defaultPolicy() } },
        events: [...TENANT_EVENTS.filter((e) => e.type === 'AUTHORIZE'), ...DEPLOYMENT_EVENTS],
      },
    ],
  },
  search: {
    starts: [
      { variant: DEFAULT_WORLD, input: { unlisted: [] }, events: SEARCH_EVENTS },
      {
        variant: { label: 'sam is not searchable', samSearchable: false },
        input: { unlisted: [CAST.skype] },
        events: SEARCH_EVENTS,
      },
    ],
  },
  relationship: {
    starts: [{ variant: DEFAULT_WORLD, events: RELATIONSHIP_EVENTS }],
    // The request's texts only grow and decide nothing.
    context: ({ requestTexts: _texts, ...rest }) => rest,
  },
  'blocked-list': {
    starts: [{ variant: DEFAULT_WORLD, events: BLOCKED_LIST_EVENTS }],
  },
  chat: {
    starts: [{ variant: DEFAULT_WORLD, events: CHAT_EVENTS }],
  },
  call: {
    starts: [
      { variant: DEFAULT_WORLD, events: callEvents(false) },
      { variant: { label: 'tara forwards her calls', taraForwarding: 'user' }, events: callEvents(true) },
    ],
  },
  escalation: {
    starts: [{ variant: DEFAULT_WORLD, events: ESCALATION_EVENTS }],
  },
  security: {
    starts: [{ variant: DEFAULT_WORLD, events: SECURITY_EVENTS }],
  },
};
