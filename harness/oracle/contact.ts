/**
 * A contact between a Teams user and a Skype user — a message or a call — checked in the interop's order
 * (specs/interop.ts, CONTACT_CHECKS): a delegate's call, the content, the Teams party's gates, the relationship;
 * then what reaches the other side.
 */
import {
  blockedCallShown,
  clientClauses,
  contactCheckOrder,
  relationshipRefusalShown,
  senderToldClauses,
  type ContactCheck,
} from '../../specs/interop.js';
import type { Medium, Side } from '../../specs/models/relationship.js';
import type { Action } from '../../specs/protocol.js';
import { pairOf, type Pair } from '../world-queries.js';
import { CHAT } from './composition.js';
import { callNotice, calleeOf, contactDelivery } from './deliveries.js';
import { gate } from './gates.js';
import { decided, error, NotAllowed, ok, type Decided, type Step } from './step.js';

/** The first check, in the interop's order, that refuses; `null` when all pass (the relationship comes last). */
function firstRefusal(checks: Partial<Record<ContactCheck, () => Decided | null>>): Decided | null {
  for (const check of contactCheckOrder(checks)) {
    const refused = checks[check]?.();
    if (refused) return refused;
  }
  return null;
}

/** The contact as the relationship model sees it, with whether the Skype user is hidden from search now. */
function contact(step: Step, pair: Pair, from: Side, medium: Medium, text?: string) {
  const unlisted = step.models.state().search.context.unlisted.includes(pair.skype.name);
  const event = {
    type: 'CONTACT',
    from,
    medium,
    ...(text !== undefined ? { text } : {}),
    ...(unlisted ? { unlisted } : {}),
  } as const;
  return step.models.relationship(pair, event, 'cannot contact');
}

const clientsOf = (pair: Pair) => clientClauses(pair.teams.client, pair.skype.client);

export function message(step: Step, actorName: string, action: Extract<Action, { kind: 'message' }>): Decided {
  const pair = pairOf(step.world, actorName, action.to);
  const side = pair.sideOf(actorName);
  const refused = firstRefusal({
    content: () => {
      const composed = step.models.fire(
        CHAT,
        {
          type: 'COMPOSE',
          rich: action.format === 'rich',
          mentions: (action.mentions?.length ?? 0) > 0,
          emoji: action.emoji !== undefined,
          file: action.file !== undefined,
        },
        'not allowed',
      );
      return 'allowed' in composed && !composed.allowed ? decided(error(composed.error), composed) : null;
    },
    'tenant-gates': () => gate(step, pair, side, 'chat'),
  });
  if (refused) {
    step.because('exercised', senderToldClauses());
    return refused;
  }
  const d = contact(step, pair, side, 'message', action.text);
  step.because('exercised', senderToldClauses(d.disposition));
  const shown = relationshipRefusalShown(d.disposition);
  if (shown) return decided(error(shown), d);
  if (d.disposition !== 'request' && d.disposition !== 'deliver') return decided(ok(), d);
  // After an unblock, a message that does not go through breaks what the unblock promised (BLOCK-002) as well.
  step.because('answers', [...clientsOf(pair), ...(d.disposition === 'deliver' ? (d.restores ?? []) : [])]);
  const kind = d.disposition === 'request' ? 'request' : 'message';
  return decided(ok(), d, [contactDelivery(pair, side, kind, { text: action.text })]);
}

export function call(step: Step, actorName: string, action: Extract<Action, { kind: 'call' }>): Decided {
  const principal = action.onBehalfOf ?? actorName;
  const boss = step.world.users[principal];
  if (action.onBehalfOf !== undefined && (boss?.kind !== 'teams' || !boss.delegates.includes(actorName)))
    throw new NotAllowed(`${actorName} is not a delegate of ${principal}`);
  const pair = pairOf(step.world, principal, action.to);
  const side = pair.sideOf(principal);
  const calleeForwards = pair.teams.forwarding !== 'none';
  const dial = (onBehalf: boolean) =>
    ({ type: 'DIAL', by: side, media: action.media, onBehalf, calleeForwards }) as const;
  const busy = `a call between ${pair.teams.name} and ${pair.skype.name} is already ringing or answered`;
  const refused = firstRefusal({
    // The call model refuses every call on someone's behalf (CALL-007).
    ...(action.onBehalfOf !== undefined
      ? {
          delegation: () => {
            const d = step.models.call(pair, dial(true), busy);
            return decided(error(d.error!), d);
          },
        }
      : {}),
    'tenant-gates': () => gate(step, pair, side, 'call'),
  });
  if (refused) return refused;
  const r = contact(step, pair, side, 'call');
  const shown = relationshipRefusalShown(r.disposition);
  if (shown) return decided(error(shown), r);
  if (r.disposition === 'drop') {
    // BLOCK-003: the blocked caller is shown what an unblocked call would have shown, voicemail included, and,
    // when it would have rung, a call that rings for the caller alone (call.blocked-call-seems-to-ring).
    const seen = blockedCallShown(side, calleeForwards);
    if (!seen.call) step.models.call(pair, { type: 'DIAL_DROPPED', by: side, media: action.media }, busy);
    return decided(ok(seen), r);
  }
  if (r.disposition === 'request')
    return decided(ok(), r, [contactDelivery(pair, side, 'request', { media: action.media })]);
  const d = step.models.call(pair, dial(false), busy);
  step.because('exercised', r.requirements);
  step.because('answers', [...clientsOf(pair), ...(r.restores ?? [])]);
  const notice = callNotice(calleeOf(pair, side), principal, d.notice!);
  return decided(ok(d.voicemail ? { call: 'voicemail' } : {}), d, [notice]);
}
