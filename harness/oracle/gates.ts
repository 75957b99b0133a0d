/** The Teams party's tenant gates (PROTOCOL.md, "Gates, in this order"), asked of the tenant-policy model. */
import { gateRefusalShown } from '../../specs/interop.js';
import type { Side } from '../../specs/models/relationship.js';
import type { PolicyDecision, Use } from '../../specs/models/tenant-policy.js';
import type { TeamsUser } from '../../specs/protocol.js';
import type { Pair } from '../world-queries.js';
import { decided, error, type Decided, type Step } from './step.js';

/** May this Teams user do this across the interop? A question: the tenant's model is left as it was. */
export function authorize(step: Step, user: TeamsUser, use: Use): PolicyDecision {
  const d = step.models.tenant(
    user.tenant,
    { type: 'AUTHORIZE', user: user.name, use },
    `tenant ${user.tenant} cannot decide`,
    false,
  );
  if (!d.allowed) return d;
  if ('vouches' in d && d.vouches) step.because('vouched', d.requirements);
  return d;
}

/** The refusal of a contact at the Teams party's gates, as its actor is told it; `null` when they pass. */
export function gate(step: Step, pair: Pair, actor: Side, use: Use): Decided | null {
  const d = authorize(step, pair.teams, use);
  return d.allowed ? null : decided(error(gateRefusalShown(actor, d.error)), d);
}
