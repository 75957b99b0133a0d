/** The per-action decisions: which models an action asks, in which order, and what the actor is told. */
import type { Action } from '../../specs/protocol.js';
import { pairOf } from '../world-queries.js';
import { tenantEvent } from './admin.js';
import { ESCALATION, SEARCH, CHAT, SECURITY } from './composition.js';
import { call, message } from './contact.js';
import { callState, inCall } from './in-call.js';
import { blockedContacts, numberAction, relationshipAction } from './relationship-actions.js';
import { search } from './search.js';
import { decided, error, NotAllowed, ok, type Decided, type Step } from './step.js';

export function decide(step: Step, actorName: string, action: Action): Decided {
  const actor = step.world.users[actorName]!;
  switch (action.kind) {
    case 'set-org-switch':
    case 'set-user-policy':
    case 'set-enterprise-app':
    case 'set-public-provider':
    case 'set-sip-federation-srv':
    case 'set-cloud': {
      if (actor.kind !== 'admin')
        throw new NotAllowed(`${actorName} is not an admin: only admins change tenant settings`);
      const event = tenantEvent(action);
      return decided(
        ok(),
        step.models.tenant(actor.tenant, event, `tenant ${actor.tenant} cannot take ${JSON.stringify(event)}`),
      );
    }
    case 'set-searchable': {
      if (actor.kind !== 'skype')
        throw new NotAllowed(`${actorName} is not a Skype user: only Skype users choose whether they appear in search`);
      const event = { type: 'SET_SEARCHABLE', user: actorName, value: action.value } as const;
      return decided(ok(), step.models.fire(SEARCH, event, 'not allowed'));
    }
    case 'search':
      return search(step, actor, action);
    case 'group-chat':
    case 'meeting': {
      const type = action.kind === 'meeting' ? 'MEETING' : 'GROUP_CHAT';
      return decided(error('unsupported-group'), step.models.fire(ESCALATION, { type }, 'not allowed'));
    }
    case 'presence':
      pairOf(step.world, actorName, action.of);
      return decided(ok({ presence: 'hidden' }), step.models.fire(CHAT, { type: 'PRESENCE' }, 'not allowed'));
    case 'blocked-contacts':
      return blockedContacts(step, actorName);
    case 'block-number':
    case 'unblock-number':
      return numberAction(step, actorName, action);
    case 'call-state':
      return callState(step, actorName, action);
    case 'probe': {
      if (actor.kind === 'admin')
        throw new NotAllowed(`${actorName} is an admin: probes are made with a person's credentials`);
      const needsTarget = action.attack === 'read-other-chats' || action.attack === 'act-as-other-user';
      if (needsTarget && (action.target === undefined || action.target === actorName))
        throw new NotAllowed(`the ${action.attack} probe needs a target other than ${actorName}`);
      const d = step.models.fire(SECURITY, { type: 'PROBE', attack: action.attack }, 'not allowed');
      return decided(error(d.error), d);
    }
    case 'message':
      return message(step, actorName, action);
    case 'call':
      return call(step, actorName, action);
    case 'accept':
    case 'block':
    case 'unblock':
    case 'view-messages':
      return relationshipAction(step, actorName, action);
    default:
      return inCall(step, actorName, action);
  }
}
