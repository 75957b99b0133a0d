/**
 * The routes a person uses that Microsoft Graph lacks, in the interop extension namespace
 * (`/worlds/{worldId}/interop/me/…`): search, settings, calls, requests, blocking. Each one reads the projection,
 * asks rules.ts for a decision and appends its facts; the answer is shaped as openapi.yaml gives it. The Graph
 * routes (chats, presence, meetings) are in routes-graph.ts.
 *
 * why-long: one handler per extension route of the API document, each independent of the others; kept as the
 *   implementation's author wrote it (issue 14: written from the documents alone), not reshaped by the harness's
 *   maintainers.
 */
import type { Person } from '../../specs/protocol.js';
import { closedGate, passGates, refuseWith } from './gates.js';
import { me, personNamed, type Ctx, type Route } from './http.js';
import { chatMessage, collection } from './graph.js';
import { pairKey, person, type WorldState } from './projection.js';
import {
  blockedListOf,
  delegationAllowed,
  emailMatches,
  foreignMatches,
  inSearch,
  legacySearch,
  screenShareAllowed,
  searchGatesApply,
} from './faults/hooks.js';
import { memoryOf, on, sideKey } from './faults/memory.js';
import * as rules from './rules.js';

const W = '/worlds/{worldId}/interop';
const identity = (name: string) => ({ id: name, displayName: name });

/** The other person of an exchange: exists, is a person, and is on the other platform. */
function counterpart(ctx: Ctx, actor: Person, name: string): Person {
  const other = personNamed(ctx, name);
  rules.requireAcross(actor, other);
  return other;
}

function search(ctx: Ctx) {
  const actor = me(ctx);
  const q = ctx.url.searchParams;
  const given = (['email', 'skypeId', 'phone'] as const).filter((k) => q.has(k));
  if (given.length !== 1) refuseWith('bad-request', 'search by exactly one of email, skypeId, phone');
  // F3: Skype IDs and phone numbers find nobody (SEARCH-003, SEARCH-004).
  const s = ctx.world!.state;
  if (given[0] !== 'email' && on(s, 'unsupported-search-refused'))
    refuseWith('bad-request', 'only email search is supported');
  if (given[0] !== 'email')
    return {
      status: 200,
      body: {
        value: legacySearch(s, actor, given[0]!, q.get(given[0]!)!).map((p) => ({
          ...identity(p.name),
          platform: p.kind,
        })),
      },
    };
  const email = q.get('email')!;
  const found: Person[] = [];
  for (const u of s.users.values()) {
    if (u.kind === 'admin' || u.kind === actor.kind || !emailMatches(s, actor, u, email)) continue;
    const teams = actor.kind === 'teams' ? actor : u;
    if (teams.kind !== 'teams') continue;
    // SEARCH-006: a Teams user behind gates 1–5 finds nobody and is found by nobody.
    const gate = searchGatesApply(s, actor) ? closedGate(s, teams, 'search') : undefined;
    if (gate !== undefined) continue;
    if (u.kind === 'skype' && !inSearch(s, u, email)) continue; // F4, SEARCH-005
    found.push(u);
  }
  if (found.length === 0) found.push(...foreignMatches(s, actor, email));
  return { status: 200, body: { value: found.map((p) => ({ ...identity(p.name), platform: p.kind })) } };
}

function blockedList(ctx: Ctx) {
  const actor = me(ctx);
  const s = ctx.world!.state;
  const { people, numbers } = blockedListOf(s, actor.name);
  return { status: 200, body: { value: people.map(identity), phoneNumbers: numbers } };
}

function block(ctx: Ctx) {
  const actor = me(ctx);
  const other = personNamed(ctx, ctx.params.userId!);
  if (other.name === actor.name) refuseWith('bad-request', 'nobody blocks themselves');
  // Where the block was laid, for the faults that keep the two screens apart (faults/memory.ts).
  memoryOf(ctx.world!.state).blockVia.set(sideKey(actor.name, other.name), viaOf(ctx));
  ctx.world!.append([{ type: 'contact-blocked', by: actor.name, user: other.name }]);
  return { status: 200, body: identity(other.name) };
}

function unblock(ctx: Ctx) {
  const actor = me(ctx);
  const other = personNamed(ctx, ctx.params.userId!);
  const s = ctx.world!.state;
  // unblock-from-other-place-ignored: each screen lifts only the blocks it laid.
  if (
    on(s, 'unblock-from-other-place-ignored') &&
    (memoryOf(s).blockVia.get(sideKey(actor.name, other.name)) ?? viaOf(ctx)) !== viaOf(ctx)
  )
    return { status: 204 };
  ctx.world!.append([{ type: 'contact-unblocked', by: actor.name, user: other.name }]);
  if (on(s, 'unblock-answers-200-with-body')) return { status: 200, body: identity(other.name) };
  return { status: 204 };
}

const viaOf = (ctx: Ctx) =>
  ctx.url.pathname.includes('/settings/privacy/') ? ('privacy-settings' as const) : ('conversation' as const);

const PHONE = /^[+0-9][0-9 ()-]*$/;
function phoneParam(ctx: Ctx): string {
  const p = ctx.params.phoneNumber!;
  if (p.length > 32 || !PHONE.test(p)) refuseWith('bad-request', 'not a phone number');
  return p;
}

/** A call-control route: the call with {callId}, acted on by the actor. */
function callControl(
  decide: (s: WorldState, actor: Person, other: Person) => rules.Decision,
  state: 'established' | 'terminated' | 'from-status',
) {
  return (ctx: Ctx) => {
    const actor = me(ctx);
    const other = counterpart(ctx, actor, ctx.params.callId!);
    const w = ctx.world!;
    w.append(decide(w.state, actor, other).events);
    const now = rules.callStatus(w.state, actor, other);
    const shown =
      state === 'from-status'
        ? now.state === 'none'
          ? 'terminated'
          : now.state === 'ringing'
            ? 'establishing'
            : 'established'
        : state;
    return { status: 200, body: { id: other.name, state: shown } };
  };
}

const unsupported = (code: 'unsupported-group' | 'unsupported-screen-share', what: string) => () =>
  refuseWith(code, `${what} is not supported across the interop`);

export const PEOPLE_ROUTES: readonly Route[] = [
  { method: 'GET', path: `${W}/me/people`, auth: 'user', handle: search },
  {
    method: 'PATCH',
    path: `${W}/me/settings`,
    auth: 'user',
    operation: 'updateMySettings',
    handle: (ctx) => {
      const actor = me(ctx);
      if (actor.kind !== 'skype') refuseWith('denied', 'only a Skype user chooses whether they appear in search');
      ctx.world!.append([{ type: 'searchability-changed', user: actor.name, searchable: ctx.body.searchable }]);
      return { status: 200, body: { searchable: ctx.body.searchable } };
    },
  },
  {
    method: 'POST',
    path: `${W}/me/calls`,
    auth: 'user',
    operation: 'createCall',
    handle: (ctx) => {
      const actor = me(ctx);
      // F18, CALL-007: no calls on someone's behalf; checked before the tenant (it needs none).
      if (ctx.body.onBehalfOf !== undefined && !delegationAllowed(ctx.world!.state, actor, ctx.body.onBehalfOf)) {
        // delegation-checked-after-gates: the tenant's gates answer first.
        if (on(ctx.world!.state, 'delegation-checked-after-gates'))
          passGates(ctx.world!.state, actor, counterpart(ctx, actor, ctx.body.target), 'call');
        refuseWith('delegation-unsupported', 'a delegate cannot call a Skype user on behalf of a Teams user');
      }
      const other = counterpart(ctx, actor, ctx.body.target);
      const media = (ctx.body.requestedModalities as string[]).includes('video') ? 'video' : 'audio';
      const w = ctx.world!;
      const d = rules.placeCall(w.state, actor, other, media);
      w.append(d.events);
      const body =
        d.reply === 'voicemail'
          ? { id: other.name, state: 'redirected', redirectedTo: 'voicemail' }
          : { id: other.name, state: 'establishing' };
      return { status: 201, body };
    },
  },
  {
    method: 'GET',
    path: `${W}/me/calls/{callId}`,
    auth: 'user',
    handle: (ctx) => {
      const actor = me(ctx);
      return {
        status: 200,
        body: rules.callStatus(ctx.world!.state, actor, counterpart(ctx, actor, ctx.params.callId!)),
      };
    },
  },
  {
    method: 'POST',
    path: `${W}/me/calls/{callId}/answer`,
    auth: 'user',
    handle: callControl(rules.answerCall, 'established'),
  },
  {
    method: 'POST',
    path: `${W}/me/calls/{callId}/decline`,
    auth: 'user',
    handle: callControl(rules.declineCall, 'terminated'),
  },
  {
    method: 'POST',
    path: `${W}/me/calls/{callId}/hangUp`,
    auth: 'user',
    handle: callControl(rules.hangUp, 'terminated'),
  },
  {
    method: 'POST',
    path: `${W}/me/calls/{callId}/addVideo`,
    auth: 'user',
    handle: callControl(rules.addVideo, 'from-status'),
  },
  {
    method: 'POST',
    path: `${W}/me/calls/{callId}/shareScreen`,
    auth: 'user',
    handle: (ctx) =>
      screenShareAllowed(ctx.world!.state, me(ctx).name, ctx.params.callId!)
        ? { status: 200, body: { id: ctx.params.callId, state: 'established' } }
        : unsupported(
            on(ctx.world!.state, 'screen-share-refused-as-group') ? 'unsupported-group' : 'unsupported-screen-share',
            'screen sharing',
          )(),
  },
  {
    method: 'POST',
    path: `${W}/me/calls/{callId}/participants`,
    auth: 'user',
    operation: 'addParticipant',
    handle: (ctx) => (
      me(ctx),
      on(ctx.world!.state, 'teams-colleague-added-to-skype-call') &&
      person(ctx.world!.state, ctx.body.userId)?.kind === 'teams'
        ? { status: 201, body: { id: ctx.body.userId, userId: ctx.body.userId } }
        : unsupported('unsupported-group', 'adding a participant')()
    ),
  },
  {
    method: 'POST',
    path: `${W}/me/requests/{requestId}/accept`,
    auth: 'user',
    handle: (ctx) => {
      const actor = me(ctx);
      const from = counterpart(ctx, actor, ctx.params.requestId!);
      ctx.world!.append(rules.accept(ctx.world!.state, actor, from).events);
      return { status: 200, body: { id: from.name, state: 'accepted' } };
    },
  },
  {
    method: 'GET',
    path: `${W}/me/requests/{requestId}/messages`,
    auth: 'user',
    handle: (ctx) => {
      const actor = me(ctx);
      const from = counterpart(ctx, actor, ctx.params.requestId!);
      const w = ctx.world!;
      const value = rules.requestMessages(w.state, actor, from).map((m) => chatMessage(w.state, m, actor.name));
      // view-messages-accepts-request: the read marker is taken for consent.
      if (
        on(w.state, 'view-messages-accepts-request') &&
        w.state.relationships.get(pairKey(actor.name, from.name))?.stage === 'pending'
      )
        w.append([{ type: 'request-accepted', by: actor.name, from: from.name }]);
      return { status: 200, body: collection('chatMessages', value) };
    },
  },
  { method: 'GET', path: `${W}/me/blockedContacts`, auth: 'user', handle: blockedList },
  { method: 'POST', path: `${W}/me/blockedContacts/{userId}`, auth: 'user', handle: block },
  { method: 'DELETE', path: `${W}/me/blockedContacts/{userId}`, auth: 'user', handle: unblock },
  // F20: privacy settings lay and lift the very same block as the conversation.
  { method: 'POST', path: `${W}/me/settings/privacy/blockedContacts/{userId}`, auth: 'user', handle: block },
  { method: 'DELETE', path: `${W}/me/settings/privacy/blockedContacts/{userId}`, auth: 'user', handle: unblock },
  {
    method: 'POST',
    path: `${W}/me/blockedNumbers/{phoneNumber}`,
    auth: 'user',
    handle: (ctx) => {
      const phone = phoneParam(ctx);
      ctx.world!.append([{ type: 'number-blocked', by: me(ctx).name, phone }]);
      return { status: 200, body: { phoneNumber: phone } };
    },
  },
  {
    method: 'DELETE',
    path: `${W}/me/blockedNumbers/{phoneNumber}`,
    auth: 'user',
    handle: (ctx) => {
      const phone = phoneParam(ctx);
      ctx.world!.append([{ type: 'number-unblocked', by: me(ctx).name, phone }]);
      return { status: 204 };
    },
  },
];
