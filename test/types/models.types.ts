/**
 * The models' typing, checked by the compiler: `npx tsc --noEmit -p .` reads this file (it is never run). Each
 * `@ts-expect-error` line holds an event or a rule that must not compile. Should the typing regress (a model's
 * events widened to any, `rule()` returning an unchecked config again), that line compiles, and tsc fails on the
 * unused directive. The lines without the directive must compile: they show the typing is not simply `never`.
 */
import { setup, transition, type EventFromLogic, type SnapshotFrom } from 'xstate';
import type { ModelEvents } from '../../specs/models/index.js';
import { blockedListMachine, type BlockedListEvent } from '../../specs/models/blocked-list.js';
import { callMachine, type CallEvent } from '../../specs/models/call.js';
import { chatMachine, type ChatEvent } from '../../specs/models/chat.js';
import { escalationMachine, type EscalationEvent } from '../../specs/models/escalation.js';
import { relationshipMachine, type RelationshipEvent } from '../../specs/models/relationship.js';
import { rulesFor, type Decision } from '../../specs/models/rule.js';
import { searchMachine, type SearchEvent } from '../../specs/models/search.js';
import { securityMachine, type SecurityEvent } from '../../specs/models/security.js';
import { tenantPolicyMachine, type PolicyEvent, type TenantPolicyEvent } from '../../specs/models/tenant-policy.js';

// ── Each model's exported event type is exactly what its machine accepts (and `any` is not) ──────────────────
type IsAny<T> = 0 extends 1 & T ? true : false;
type Same<A, B> =
  IsAny<A> extends true
    ? false
    : IsAny<B> extends true
      ? false
      : [A] extends [B]
        ? [B] extends [A]
          ? true
          : false
        : false;
type Accepts<M extends Parameters<typeof transition>[0]> = EventFromLogic<M>;
export const eventTypesAreTheMachines: [
  Same<RelationshipEvent, Accepts<typeof relationshipMachine>>,
  Same<CallEvent, Accepts<typeof callMachine>>,
  Same<ChatEvent, Accepts<typeof chatMachine>>,
  Same<SearchEvent, Accepts<typeof searchMachine>>,
  Same<SecurityEvent, Accepts<typeof securityMachine>>,
  Same<EscalationEvent, Accepts<typeof escalationMachine>>,
  Same<BlockedListEvent, Accepts<typeof blockedListMachine>>,
  Same<TenantPolicyEvent, Accepts<typeof tenantPolicyMachine>>,
  Same<PolicyEvent, TenantPolicyEvent>,
  Same<ModelEvents['relationship'], RelationshipEvent>,
] = [true, true, true, true, true, true, true, true, true, true];
// @ts-expect-error the check above can fail: two different event types are not the same
export const sameCanFail: Same<CallEvent, ChatEvent> = true;

// ── Sending a model an event it does not take is a compile error ──────────────────────────────────────────────
declare const relationship: SnapshotFrom<typeof relationshipMachine>;
declare const call: SnapshotFrom<typeof callMachine>;
declare const policy: SnapshotFrom<typeof tenantPolicyMachine>;
declare const search: SnapshotFrom<typeof searchMachine>;
declare const blockedList: SnapshotFrom<typeof blockedListMachine>;
declare const chat: SnapshotFrom<typeof chatMachine>;
declare const escalation: SnapshotFrom<typeof escalationMachine>;
declare const security: SnapshotFrom<typeof securityMachine>;

export const sends = () => [
  transition(relationshipMachine, relationship, { type: 'CONTACT', from: 'teams', medium: 'message', text: 'hi' }),
  // @ts-expect-error a contact says whether it is a message or a call
  transition(relationshipMachine, relationship, { type: 'CONTACT', from: 'teams' }),
  // @ts-expect-error the relationship model has no such event
  transition(relationshipMachine, relationship, { type: 'HUG', by: 'teams' }),
  transition(relationshipMachine, relationship, { type: 'ACCEPT', by: 'skype' }),
  // @ts-expect-error only the Teams or the Skype side accepts
  transition(relationshipMachine, relationship, { type: 'ACCEPT', by: 'admin' }),
  transition(callMachine, call, { type: 'DIAL', by: 'skype', media: 'video', calleeForwards: false, onBehalf: false }),
  // @ts-expect-error a dial says whether the callee forwards and whether it is on someone's behalf
  transition(callMachine, call, { type: 'DIAL', by: 'skype', media: 'video' }),
  // @ts-expect-error a call is audio or video
  transition(callMachine, call, { type: 'DIAL_DROPPED', by: 'teams', media: 'hologram' }),
  transition(tenantPolicyMachine, policy, { type: 'AUTHORIZE', user: 'tara', use: 'chat' }),
  // @ts-expect-error the uses are search, chat and call
  transition(tenantPolicyMachine, policy, { type: 'AUTHORIZE', user: 'tara', use: 'fax' }),
  // @ts-expect-error the org switch is on or off
  transition(tenantPolicyMachine, policy, { type: 'SET_ORG_SWITCH', allowPublicUsers: 'yes' }),
  transition(searchMachine, search, { type: 'SEARCH', by: 'email', searcherAllowed: true, target: null }),
  // @ts-expect-error search is by email, Skype id or phone
  transition(searchMachine, search, { type: 'SEARCH', by: 'name', searcherAllowed: true, target: null }),
  transition(blockedListMachine, blockedList, { type: 'BLOCK_OTHER', by: 'tara', kind: 'number', value: '+1 555' }),
  // @ts-expect-error the list holds people and numbers
  transition(blockedListMachine, blockedList, { type: 'BLOCK_OTHER', by: 'tara', kind: 'email', value: 'x' }),
  transition(chatMachine, chat, { type: 'COMPOSE', rich: false, mentions: false, emoji: false, file: false }),
  // @ts-expect-error a composed message says whether it carries a file
  transition(chatMachine, chat, { type: 'COMPOSE', rich: false, mentions: false, emoji: false }),
  transition(escalationMachine, escalation, { type: 'MEETING' }),
  // @ts-expect-error the escalation model has no such event
  transition(escalationMachine, escalation, { type: 'WEBINAR' }),
  transition(securityMachine, security, { type: 'PROBE', attack: 'malformed-json' }),
  // @ts-expect-error an attack of the vocabulary's
  transition(securityMachine, security, { type: 'PROBE', attack: 'sql-injection' }),
];

// ── rule() is a transition xstate checks: a small model of the same shape as the real ones ───────────────────
type Event = { type: 'CONTACT'; from: 'teams' | 'skype'; text?: string } | { type: 'ACCEPT'; by: 'teams' | 'skype' };
type Context = { texts: string[]; decision: Decision<{ disposition: 'request' | 'deliver' }> | null };
const toy = setup({
  types: {} as { context: Context; events: Event },
  guards: { fromTeams: ({ event }) => event.type === 'CONTACT' && event.from === 'teams' },
});
const rule = rulesFor('toy', toy);

export const toyMachine = toy.createMachine({
  context: { texts: [], decision: null },
  initial: 'strangers',
  states: {
    strangers: {
      on: {
        CONTACT: [
          rule('CONTACT', 'from-teams', ['REQ-1'], { disposition: 'request' }, { guard: 'fromTeams', target: 'met' }),
          rule('CONTACT', 'from-skype', ['REQ-1'], { disposition: 'request' }, { guard: ({ event }) => !!event.text }),
        ],
        // @ts-expect-error a CONTACT rule is no transition for ACCEPT
        ACCEPT: rule('CONTACT', 'misplaced', ['REQ-1'], { disposition: 'deliver' }),
      },
    },
    met: {
      on: {
        // @ts-expect-error the guard names are the setup's
        ACCEPT: rule('ACCEPT', 'unknown-guard', ['REQ-1'], { disposition: 'deliver' }, { guard: 'fromSkype' }),
      },
    },
  },
});
// @ts-expect-error the payload is one of the model's decisions
rule('ACCEPT', 'wrong-payload', ['REQ-1'], { disposition: 'drop' });
// @ts-expect-error a payload computed from the event sees that event's fields only (ACCEPT has no text)
rule('ACCEPT', 'wrong-field', ['REQ-1'], ({ event }) => ({ disposition: event.text ? 'deliver' : 'request' }));
// @ts-expect-error an inline guard sees the transition's event only (ACCEPT has no `from`)
rule('ACCEPT', 'wrong-guard', ['REQ-1'], { disposition: 'deliver' }, { guard: ({ event }) => event.from === 'teams' });
// @ts-expect-error the model has no such event
rule('HUG', 'unknown-event', ['REQ-1'], { disposition: 'deliver' });
