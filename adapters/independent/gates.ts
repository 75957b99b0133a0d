/**
 * The tenant gates of PROTOCOL.md ("Gates, in this order"), read from the world as it is now, and the refusals
 * every rule answers with. Kept apart from the rules so that the order of the gates is visible in one place.
 */
import { REQUIRED_SRV, type ErrorCode, type Person, type Surface, type TeamsUser } from '../../specs/protocol.js';
import {
  appGate,
  cloudRefused,
  deploymentChecked,
  gateLeak,
  orgSwitchRefuses,
  policyIgnored,
  srvRankIgnored,
} from './faults/hooks.js';
import type { Exchange, WorldState } from './projection.js';

/** Codes only the wire answers with (openapi.yaml "Errors": 405, 421, 429); no action's outcome carries them. */
export type WireCode = 'method-not-allowed' | 'misdirected-request' | 'too-many-requests';

/** A refusal: the documented status for the code (openapi.yaml "Errors") and a message for people. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | WireCode,
    message: string,
    /** Extra answer headers (Allow, Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const refuse = (
  status: number,
  code: ErrorCode | WireCode,
  message: string,
  headers: Record<string, string> = {},
): never => {
  throw new Refusal(status, code, message, headers);
};

/** Statuses by code, as openapi.yaml's error table gives them. */
const STATUS: Record<ErrorCode, number> = {
  'bad-request': 400,
  denied: 403,
  'not-found': 404,
  'interop-unavailable': 403,
  'skype-access-disabled': 403,
  'audio-video-disabled': 403,
  'chat-service-unavailable': 403,
  'recipient-unavailable': 403,
  'request-not-accepted': 409,
  'contact-blocked': 409,
  'payload-too-large': 413,
  'unsupported-content': 422,
  'unsupported-group': 422,
  'unsupported-screen-share': 422,
  'delegation-unsupported': 422,
};

export const refuseWith = (code: ErrorCode, message: string): never => refuse(STATUS[code], code, message);

/**
 * The first gate that refuses this Teams user for this exchange, or undefined when all pass. Search passes
 * gates 1–5 only; a message also needs the enterprise app (7), a call audio/video access (6).
 */
export function closedGate(s: WorldState, teams: TeamsUser, exchange: Exchange, other?: string): ErrorCode | undefined {
  const t = s.tenants.get(teams.tenant);
  if (!t) return 'interop-unavailable';
  const deployment = other === undefined || deploymentChecked(s, teams.name, other);
  if (deployment && cloudRefused(s, t.cloud)) return 'interop-unavailable';
  if (deployment && t.publicProvider !== 'WindowsLive') return 'interop-unavailable';
  const srv = t.sipFederationSrv;
  const srvOk =
    srv !== null &&
    srv.target === REQUIRED_SRV.target &&
    srv.port === REQUIRED_SRV.port &&
    (srvRankIgnored(s) || (srv.priority === REQUIRED_SRV.priority && srv.weight === REQUIRED_SRV.weight));
  if (deployment && !srvOk) return 'interop-unavailable';
  if (orgSwitchRefuses(s, teams.tenant, t.allowPublicUsers, teams, exchange)) return 'skype-access-disabled';
  if (!teams.policy.enablePublicCloudAccess && !policyIgnored(s, exchange)) return 'skype-access-disabled';
  if (exchange === 'call' && !teams.policy.enablePublicCloudAudioVideoAccess) return 'audio-video-disabled';
  return appGate(s, teams, t.skypeForBusinessOnlineApp, exchange);
}

/**
 * Check the Teams side of an exchange between `actor` and `other`: a Teams actor is told which gate refused;
 * a Skype actor is told only that the recipient is unavailable.
 */
export function passGates(s: WorldState, actor: Person, other: Person, exchange: Exchange): 'silent' | undefined {
  const teams = actor.kind === 'teams' ? actor : other.kind === 'teams' ? other : undefined;
  if (!teams) return;
  const closed = closedGate(s, teams, exchange, teams === actor ? other.name : actor.name);
  if (closed === undefined) return;
  // Faults that let a Skype sender through a closed gate, or swallow the refusal (faults/hooks.ts).
  const leak = gateLeak(s, actor, teams, closed, exchange);
  if (leak === 'pass') return;
  if (leak === 'silent') return 'silent';
  if (actor.kind === 'teams') refuseWith(closed, `${teams.name}'s tenant does not allow this (${closed})`);
  refuseWith('recipient-unavailable', `${other.name} cannot be reached`);
}

/** Where the recipient sees it (F8, REQ-008, REQ-009). */
export const surfaceOf = (p: Person): Surface =>
  p.kind === 'skype' ? 'skype' : p.mode === 'Islands' ? 'skype-for-business' : 'teams';
