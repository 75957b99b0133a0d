/**
 * Requirement attribution, with one list: every requirement a step answers to, each with why. The Prediction's
 * two views (`requirements`: what the step exercises; `ruleRequirements`: what a wrong outcome or a missing
 * delivery breaks) are derived from it here and nowhere else.
 */
import type { Delivery } from '../../specs/protocol.js';
import { deliveryRequirements } from '../../specs/observed-fields.js';

/**
 * - `decides`: the deciding rule's own requirement;
 * - `vouched`: an allowing rule that is itself under test (a tenant repaired or restored, PolicyDecision.vouches),
 *   so a failure after it is laid at its door too;
 * - `answers`: besides the deciding rule's, a wrong outcome or a missing delivery breaks it (a gate that refused
 *   a search, the client rule, what an unblock promised);
 * - `exercised`: the step exercises it (a rule consulted on the way, a delivery's field, the sender who must be
 *   told), and a failure is laid there only by the field or the check that answers to it.
 */
export type Why = 'decides' | 'vouched' | 'answers' | 'exercised';

export interface Attribution {
  requirement: string;
  why: Why;
}

export const attribute = (why: Why, requirements: readonly string[]): Attribution[] =>
  requirements.map((requirement) => ({ requirement, why }));

/** The order of `ruleRequirements`: the rule's own first, as reports name them. */
const RULE_VIEW: readonly Why[] = ['decides', 'vouched', 'answers'];

/** The Prediction's two views of a step's attribution and its predicted deliveries (whose fields add theirs). */
export function views(list: readonly Attribution[], deliveries: readonly Delivery[]) {
  const all = [...list, ...deliveries.flatMap((d) => attribute('exercised', deliveryRequirements(d)))];
  const ruleRequirements = [
    ...new Set(RULE_VIEW.flatMap((why) => all.filter((a) => a.why === why).map((a) => a.requirement))),
  ];
  const requirements = [...new Set(all.map((a) => a.requirement))].sort();
  return { requirements, ruleRequirements };
}
