/** `search`: who the query matches, whether each side passes its tenant's gates, and what the search model finds. */
import type { QueryKind } from '../../specs/models/search.js';
import type { Action, TeamsUser, User } from '../../specs/protocol.js';
import { personsOf } from '../world-queries.js';
import { authorize } from './gates.js';
import { NotAllowed, ok, type Decided, type Step } from './step.js';
import { SEARCH } from './composition.js';

export function search(step: Step, actor: User, action: Extract<Action, { kind: 'search' }>): Decided {
  const by: QueryKind = action.email !== undefined ? 'email' : action.skypeId !== undefined ? 'skypeId' : 'phone';
  const email = action.email?.toLowerCase();
  const target =
    email === undefined ? null : (personsOf(step.world).find((u) => u.email.toLowerCase() === email) ?? null);
  if (target && target.kind === actor.kind)
    throw new NotAllowed(
      `${action.email} belongs to ${target.name}, a ${target.kind} user like ${actor.name}: only searches across the interop are in scope`,
    );
  const refusedBy: string[] = [];
  const passes = (u: TeamsUser) => {
    const d = authorize(step, u, 'search');
    if (!d.allowed) refusedBy.push(...d.requirements);
    return d.allowed;
  };
  const searcherAllowed = actor.kind === 'teams' ? passes(actor) : true;
  const reachable = target?.kind === 'teams' ? passes(target) : true;
  const d = step.models.fire(
    SEARCH,
    { type: 'SEARCH', by, searcherAllowed, target: target && { name: target.name, kind: target.kind, reachable } },
    'not allowed',
  );
  // SEARCH-006's rules find nobody because a tenant gate refused: a wrong result breaks that gate's clause too
  // (ADMIN-006 for the wrong public provider, ADMIN-008 for GCC, …). Only one Teams user is gated per search.
  if (d.requirements.includes('SEARCH-006')) step.because('answers', refusedBy);
  else if (!d.found.length) step.because('exercised', refusedBy);
  return { outcome: ok({ found: d.found }), deliveries: [], decision: d };
}
