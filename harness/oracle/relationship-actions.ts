/**
 * The actions that decide or read a relationship (accept, block, unblock, view-messages), the blocked-contacts
 * list, and what a Teams user blocks beyond Skype users (other people and phone numbers, F22).
 */
import type { Decision } from '../../specs/models/rule.js';
import type { Action } from '../../specs/protocol.js';
import { pairOf, personsOf } from '../world-queries.js';
import { BLOCKED_LIST } from './composition.js';
import { decided, NotAllowed, ok, type Decided, type Step } from './step.js';

type RelationshipAction = Extract<Action, { kind: 'accept' | 'block' | 'unblock' | 'view-messages' }>;
const EVENT = { accept: 'ACCEPT', block: 'BLOCK', unblock: 'UNBLOCK', 'view-messages': 'VIEW' } as const;

export function relationshipAction(step: Step, actorName: string, action: RelationshipAction): Decided {
  const { world } = step;
  const actor = world.users[actorName]!;
  const other = action.kind === 'accept' || action.kind === 'view-messages' ? action.from : action.user;
  const blocking = action.kind === 'block' || action.kind === 'unblock';
  // A Teams user blocking another Teams user: only the blocked-contacts list is in scope (F22, BLOCK-007).
  if (blocking && actor.kind === 'teams' && world.users[other]?.kind === 'teams') {
    if (other === actorName) throw new NotAllowed(`${actorName} cannot block themselves`);
    const listed = action.kind === 'block' ? 'BLOCK_OTHER' : 'UNBLOCK_OTHER';
    const why =
      action.kind === 'block' ? `${actorName} blocks ${other} already` : `${actorName} does not block ${other}`;
    const event = { type: listed, by: actorName, kind: 'person', value: other } as const;
    return decided(ok(), step.models.fire(BLOCKED_LIST, event, why));
  }
  const pair = pairOf(world, actorName, other);
  // F20: the Teams user's privacy settings block and unblock exactly as the conversation does.
  if (blocking && action.via === 'privacy-settings' && actor.kind !== 'teams')
    throw new NotAllowed(
      `${actorName} is not a Teams user: blocking from privacy settings in scope is the Teams user's (F20)`,
    );
  // What a block does to a call already ringing or answered is not documented: out of scope (PROTOCOL.md).
  const call = step.models.state().calls[pair.key];
  if (action.kind === 'block' && call && call.value !== 'idle')
    throw new NotAllowed(
      `${actorName} cannot block ${other} during their ringing or answered call: what a block does to a call in progress is out of scope`,
    );
  const d = step.models.relationship(
    pair,
    { type: EVENT[action.kind], by: pair.sideOf(actorName) },
    refusal(action.kind, actorName, other),
  );
  return decided(ok(d.messages ? { messages: d.messages } : {}), d);
}

function refusal(kind: RelationshipAction['kind'], actor: string, other: string): string {
  return {
    accept: `${actor} has no pending request from ${other} to accept`,
    'view-messages': `${actor} has no pending request from ${other} to view (only the Teams user views a Skype user's request)`,
    block: `${actor} cannot block ${other} now: blocking needs a request to answer or a decided conversation, and ${other} must not be blocked already`,
    unblock: `${actor} does not block ${other}`,
  }[kind];
}

/** A Teams user blocks or unblocks a phone number: only its place on the blocked-contacts list (F22). */
export function numberAction(
  step: Step,
  actorName: string,
  action: Extract<Action, { kind: 'block-number' | 'unblock-number' }>,
): Decided {
  if (step.world.users[actorName]!.kind !== 'teams')
    throw new NotAllowed(
      `${actorName} is not a Teams user: the blocked phone numbers in scope are a Teams user's (F22)`,
    );
  const type = action.kind === 'block-number' ? 'BLOCK_OTHER' : 'UNBLOCK_OTHER';
  const why =
    action.kind === 'block-number'
      ? `${actorName} blocks ${action.phone} already`
      : `${actorName} does not block ${action.phone}`;
  return decided(
    ok(),
    step.models.fire(BLOCKED_LIST, { type, by: actorName, kind: 'number', value: action.phone }, why),
  );
}

/** F22: the Skype users a Teams user blocks, the other people beside them, by name, then phone numbers. */
export function blockedContacts(step: Step, actorName: string): Decided {
  const { world } = step;
  if (world.users[actorName]!.kind !== 'teams')
    throw new NotAllowed(
      `${actorName} is not a Teams user: the blocked-contacts list in scope is the Teams user's (F22)`,
    );
  const blocked: string[] = [];
  let decision: Decision | undefined;
  for (const skype of personsOf(world).filter((u) => u.kind === 'skype')) {
    const d = step.models.relationship(pairOf(world, actorName, skype.name), { type: 'LIST_BLOCKED' }, 'cannot list');
    if (d.blocked) blocked.push(skype.name);
    if (!decision || d.blocked) decision = d;
  }
  // F22: other blocked people beside them, by name, then blocked phone numbers (BLOCK-007).
  const others = step.models.fire(BLOCKED_LIST, { type: 'LIST_OTHERS', by: actorName }, 'not allowed');
  const people = others.people ?? [];
  const numbers = others.numbers ?? [];
  const outcome = ok({ blocked: [...[...blocked, ...people].sort(), ...numbers] });
  const hasOthers = people.length > 0 || numbers.length > 0;
  if (!blocked.length && hasOthers) return decided(outcome, others);
  // Both parts on the list: a wrong list breaks either clause.
  if (hasOthers) step.because('answers', others.requirements);
  return decided(outcome, decision ?? { rule: 'relationship.contact-not-blocked', requirements: ['BLOCK-004'] });
}
