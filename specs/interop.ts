/**
 * The interop's protocol decisions that are not statecharts: what the models' decisions become once they meet a
 * world — on which client a delivery is shown, which deliveries carry the external flag and encryption, what an
 * actor is told when a tenant gate or the relationship refuses, what a blocked caller sees, the order in which a
 * contact is checked, and which clauses a step answers to besides its rule's (the client rule, the sender who
 * must be told). Each is a small pure function carrying the requirement ids it implements (`requirements`), so
 * that the catalogue's mapping (test/requirement-mapping.test.ts) can see it.
 *
 * Why a module and not the models: none of these has a state. They are functions of the world (a person's
 * client or mode, a tenant's record) or of a model's decision (a disposition, a gate's error) — a statechart
 * would be one state with a transition per case, and it would have to be told the world on every event. The
 * models decide what happens between people over time; this module says how that is shown. Written from
 * PROTOCOL.md and the facts, as the models are; the harness applies it (harness/oracle/), the reference
 * implementation keeps its own copies (it is written without the spec's code).
 */
import type { Client, DeliveryKind, ErrorCode, Person, SrvRecord, Surface, Tenant } from './protocol.js';
import { REQUIRED_SRV } from './protocol.js';
import type { Disposition, Side } from './models/relationship.js';
import { SILENT_LOSS_REQUIREMENT } from './observed-fields.js';

/** What a decision is and which clauses it implements. */
export interface InteropDecision {
  readonly id: string;
  readonly requirements: readonly string[];
}

const decision = <F extends (...args: never[]) => unknown>(id: string, requirements: readonly string[], f: F) =>
  Object.assign(f, { id, requirements });

/** F8: a TeamsOnly user gets Skype users' traffic in Teams, an Islands user in Skype for Business. */
export const surfaceOf = decision('surface', ['REQ-008', 'REQ-009'], (p: Person): Surface =>
  p.kind === 'skype' ? 'skype' : p.mode === 'Islands' ? 'skype-for-business' : 'teams',
);

/** F6: a request shown to a Teams user is marked as coming from an external (Skype) user; nothing else is. */
export const markedExternal = decision(
  'external-flag',
  ['REQ-002'],
  (kind: DeliveryKind, recipient: Person): boolean => kind === 'request' && recipient.kind === 'teams',
);

/** F11: every text between a Teams and a Skype user travels and is stored encrypted. */
export const carriedText = decision('encryption', ['CHAT-005'], (text: string) => ({ text, encrypted: true }));

/**
 * The order a contact is checked in, the first that refuses deciding (PROTOCOL.md, "Gates, in this order"): a
 * delegate's call (CALL-007, decided-here: before the gates), the content (CHAT-004: a refused message starts no
 * request), the Teams party's tenant gates, and only then the relationship — so a tenant's refusal is told even
 * to someone who also blocks, or owes an answer.
 */
export const CONTACT_CHECKS = ['delegation', 'content', 'tenant-gates', 'relationship'] as const;
export type ContactCheck = (typeof CONTACT_CHECKS)[number];
export const contactCheckOrder = decision(
  'contact-check-order',
  ['CALL-007', 'CHAT-004', 'ADMIN-001', 'ADMIN-003', 'ADMIN-004', 'ADMIN-006', 'ADMIN-007', 'ADMIN-008', 'CHAT-008'],
  /** `checks`: those a contact has (a message has no delegation), each keyed by its name. */
  (checks: Partial<Record<ContactCheck, unknown>>): ContactCheck[] =>
    CONTACT_CHECKS.filter((c) => checks[c] !== undefined),
);

/**
 * What the actor is told when the Teams party's tenant refuses a contact: the Teams user their gate's error; a
 * Skype user `recipient-unavailable`, whichever gate it was ("Skype users cannot reach them").
 */
export const gateRefusalShown = decision(
  'gate-refusal-shown',
  ['ADMIN-001', 'ADMIN-003', 'ADMIN-004', 'ADMIN-006', 'ADMIN-007', 'ADMIN-008', 'CHAT-008'],
  (actor: Side, gateError: ErrorCode): ErrorCode => (actor === 'teams' ? gateError : 'recipient-unavailable'),
);

const REFUSALS = {
  refuse: 'request-not-accepted',
  'refuse-blocker': 'contact-blocked',
  'refuse-unlisted': 'recipient-unavailable',
} as const satisfies Partial<Record<Disposition, ErrorCode>>;

/** What the actor is told when the relationship refuses a contact (`null`: it does not refuse). */
export const relationshipRefusalShown = decision(
  'relationship-refusal-shown',
  ['REQ-003', 'BLOCK-006', 'SEARCH-008'],
  (d: Disposition): ErrorCode | null => (d in REFUSALS ? REFUSALS[d as keyof typeof REFUSALS] : null),
);

/**
 * Whether a call from `by` would go to voicemail: a Skype caller, a Teams callee who forwards (F16). Here, not in the
 * call model that uses it too, so that what imports the interop decisions does not load the models (and xstate).
 */
export const goesToVoicemail = (by: Side, calleeForwards: boolean): boolean => by === 'skype' && calleeForwards;

/**
 * F21, BLOCK-003: a blocked caller is shown what an unblocked call would have shown — voicemail when the callee
 * forwards and the caller is the Skype user (F16, CALL-005), else a call that rings (for the caller alone).
 */
export const blockedCallShown = decision(
  'blocked-call-shown',
  ['BLOCK-003', 'CALL-005'],
  (caller: Side, calleeForwards: boolean): { call?: 'voicemail' } =>
    goesToVoicemail(caller, calleeForwards) ? { call: 'voicemail' } : {},
);

/**
 * F29: chat and calls work the same from every client, on both sides. A conversation step with a client other
 * than Windows on either side exercises CHAT-010, and a wrong outcome or a missing delivery there breaks it.
 */
export const clientClauses = decision('client', ['CHAT-010'], (teams: Client, skype: Client): string[] =>
  teams !== 'windows' || skype !== 'windows' ? ['CHAT-010'] : [],
);

/**
 * F30, F12: a message that is not delivered is refused with an error to its sender — unless the recipient blocks
 * the sender (`drop`, F21). Every other message step answers to CHAT-009: told ok, it must arrive.
 */
export const senderToldClauses = decision(
  'sender-told',
  [SILENT_LOSS_REQUIREMENT],
  /** `d`: the relationship's disposition; none when the message was refused before the relationship was asked. */
  (d?: Disposition): string[] => (d === 'drop' || d === 'recorded' ? [] : [SILENT_LOSS_REQUIREMENT]),
);

/** F27: the `_sipfederationtls._tcp` record interop needs, exactly; any other value leaves it unmet. */
export const isRequiredSrv = decision(
  'sip-federation-srv',
  ['ADMIN-007'],
  (r: SrvRecord | null): boolean =>
    r !== null && (Object.keys(REQUIRED_SRV) as (keyof SrvRecord)[]).every((k) => r[k] === REQUIRED_SRV[k]),
);

/** F26–F28: a tenant with interop deployed — commercial cloud, the WindowsLive provider, the SRV record. */
export const deploymentMet = decision(
  'deployment',
  ['ADMIN-006', 'ADMIN-007', 'ADMIN-008'],
  (t: Tenant): boolean =>
    t.cloud === 'commercial' && t.publicProvider === 'WindowsLive' && isRequiredSrv(t.sipFederationSrv),
);

/** Every decision of this module, for the catalogue's mapping. */
export const INTEROP_DECISIONS: readonly InteropDecision[] = [
  surfaceOf,
  markedExternal,
  carriedText,
  contactCheckOrder,
  gateRefusalShown,
  relationshipRefusalShown,
  blockedCallShown,
  clientClauses,
  senderToldClauses,
  isRequiredSrv,
  deploymentMet,
];
