/**
 * The decisions of the conversation: given the world as projected now and one person's command, the facts to
 * append (or a Refusal). Nothing here changes state; the world appends what these return. Checks run in the
 * order of PROTOCOL.md: content and grouping first, then the tenant gates, then the relationship.
 *
 * why-long: the decisions in PROTOCOL.md's order of checks, read top to bottom; kept as the implementation's author
 *   wrote it (issue 14: written from the documents alone), not reshaped by the harness's maintainers.
 */
import type { Media, Person } from '../../specs/protocol.js';
import type { DeliveryFact, DomainEvent } from './events.js';
import { passGates, refuseWith, surfaceOf } from './gates.js';
import {
  callSeenBy,
  consentedAnywhere,
  enforcedBlock,
  firstContactChecksSearch,
  inSearch,
  requestOrder,
  requestPool,
} from './faults/hooks.js';
import { memoryOf, on } from './faults/memory.js';
import { pairKey, type WorldState } from './projection.js';

export interface Decision<R = undefined> {
  events: DomainEvent[];
  reply: R;
}

const deliver = (d: DeliveryFact): DomainEvent => ({ type: 'delivered', delivery: d });

/** The two people of an exchange must be one Teams and one Skype user: only those are in scope. */
export function requireAcross(actor: Person, other: Person): void {
  if (actor.kind === other.kind)
    refuseWith(
      'bad-request',
      `${actor.name} and ${other.name} are on the same platform: only Teams ↔ Skype is in scope`,
    );
}

/** A request delivery (REQ-001, REQ-002): marked external when it reaches the Teams user. */
function requestDelivery(from: Person, to: Person, content: { text: string } | { media: Media }): DeliveryFact {
  return {
    to: to.name,
    from: from.name,
    kind: 'request',
    surface: surfaceOf(to),
    ...content,
    ...(to.kind === 'teams' ? { external: true } : {}),
    ...('text' in content ? { encrypted: true } : {}),
  };
}

type Route = 'blocked-by-sender' | 'dropped' | 'first-contact' | 'more-request' | 'not-accepted' | 'connected';

/** Where an exchange from `actor` to `other` goes, after the gates (PROTOCOL.md, the relationship). */
function routeOf(s: WorldState, actor: Person, other: Person, exchange: 'message' | 'call' = 'message'): Route {
  if (enforcedBlock(s, actor.name, other.name) && !on(s, 'blocker-messages-still-delivered'))
    return 'blocked-by-sender';
  if (enforcedBlock(s, other.name, actor.name)) return 'dropped';
  const r = s.relationships.get(pairKey(actor.name, other.name));
  if (!r) {
    if (consentedAnywhere(s, actor, other)) return 'connected';
    // F5: a Teams user starts from the search results, which do not show a hidden Skype user (SEARCH-008).
    if (
      actor.kind === 'teams' &&
      other.kind === 'skype' &&
      !inSearch(s, other) &&
      firstContactChecksSearch(s, exchange)
    )
      refuseWith('recipient-unavailable', `${other.name} cannot be reached`);
    return 'first-contact';
  }
  if (r.stage === 'pending')
    return r.initiator === actor.name
      ? 'more-request'
      : actor.kind === 'skype' && on(s, 'skype-recipient-can-reply-before-accepting')
        ? 'connected'
        : 'not-accepted';
  if (
    on(s, 'accept-connects-only-acceptor') &&
    r.initiator === actor.name &&
    actor.kind === 'skype' &&
    !memoryOf(s).decidedByBlock.has(pairKey(actor.name, other.name))
  )
    return 'more-request';
  return 'connected';
}

/**
 * relationship-checked-before-gates: the faulty service routes first, and a route that ends the exchange (a block
 * either way, a request owed an answer) skips the gates. Undefined when the fault is off: gates first.
 */
function routeBeforeGates(
  s: WorldState,
  actor: Person,
  other: Person,
  exchange: 'message' | 'call',
): Route | undefined {
  if (!on(s, 'relationship-checked-before-gates')) return undefined;
  return routeOf(s, actor, other, exchange);
}
const endsBeforeGates = (route: Route | undefined) =>
  route === 'blocked-by-sender' || route === 'dropped' || route === 'not-accepted';

export function sendMessage(s: WorldState, actor: Person, other: Person, text: string): Decision {
  const early = routeBeforeGates(s, actor, other, 'message');
  // gate-refusal-silent-for-skype-sender: a refused Skype sender's message is swallowed like a blocked one.
  const silent = !endsBeforeGates(early) && passGates(s, actor, other, 'message') === 'silent';
  const route = silent ? 'dropped' : (early ?? routeOf(s, actor, other));
  const written = (reached: boolean, inRequest: boolean): DomainEvent => ({
    type: 'message-written',
    from: actor.name,
    to: other.name,
    text,
    reached,
    inRequest,
  });
  switch (route) {
    case 'blocked-by-sender':
      if (on(s, 'blocker-message-lifts-block')) {
        const message = deliver({
          to: other.name,
          from: actor.name,
          kind: 'message',
          surface: surfaceOf(other),
          text,
          encrypted: true,
        });
        return {
          events: [{ type: 'contact-unblocked', by: actor.name, user: other.name }, written(true, false), message],
          reply: undefined,
        };
      }
      return refuseWith('contact-blocked', `${actor.name} blocks ${other.name}: unblock to continue`);
    case 'not-accepted':
      return refuseWith('request-not-accepted', `accept ${other.name}'s request first`);
    case 'dropped':
      if (other.kind === 'skype' && !silent && on(s, 'skype-block-tells-teams-sender'))
        return refuseWith('contact-blocked', `${other.name} blocks ${actor.name}`);
      // F21: answered as if delivered; reaches nobody.
      return { events: [written(false, false)], reply: undefined };
    case 'first-contact':
      return {
        events: [
          { type: 'request-opened', from: actor.name, to: other.name },
          written(true, true),
          deliver(requestDelivery(actor, other, { text })),
        ],
        reply: undefined,
      };
    case 'more-request':
      if (
        on(s, 'request-keeps-first-three-messages') &&
        (s.messages.get(pairKey(actor.name, other.name)) ?? []).filter((m) => m.inRequest && m.from === actor.name)
          .length >= 3
      ) {
        return { events: [written(false, false)], reply: undefined };
      }
      return { events: [written(true, true), deliver(requestDelivery(actor, other, { text }))], reply: undefined };
    case 'connected':
      return {
        events: [
          written(true, false),
          deliver({
            to: other.name,
            from: actor.name,
            kind: 'message',
            surface: surfaceOf(other),
            text,
            encrypted: true,
          }),
        ],
        reply: undefined,
      };
  }
}

export type CallReply = 'ringing' | 'request' | 'voicemail';

/** F16: a Skype user's call to a Teams user who forwards calls goes to voicemail. */
const goesToVoicemail = (s: WorldState, caller: Person, callee: Person) =>
  on(s, 'caller-forwarding-applied')
    ? caller.kind === 'teams' && caller.forwarding !== 'none'
    : caller.kind === 'skype' &&
      callee.kind === 'teams' &&
      (on(s, 'voicemail-only-for-phone-forwarding') ? callee.forwarding === 'phone' : callee.forwarding !== 'none');

export function placeCall(s: WorldState, actor: Person, other: Person, media: Media): Decision<CallReply> {
  const early = routeBeforeGates(s, actor, other, 'call');
  if (!endsBeforeGates(early)) passGates(s, actor, other, 'call');
  const route = early ?? routeOf(s, actor, other, 'call');
  // The pair's next call replaces whatever call it had (one call per pair).
  const replaced: DomainEvent[] = s.calls.has(pairKey(actor.name, other.name))
    ? [{ type: 'call-ended', a: actor.name, b: other.name }]
    : [];
  const rings: DomainEvent[] = [
    { type: 'call-rang', caller: actor.name, callee: other.name, media, callerOnly: false },
    deliver({ to: other.name, from: actor.name, kind: 'call', surface: surfaceOf(other), media }),
  ];
  switch (route) {
    case 'blocked-by-sender':
      return refuseWith('contact-blocked', `${actor.name} blocks ${other.name}: unblock to continue`);
    case 'not-accepted':
      return refuseWith('request-not-accepted', `accept ${other.name}'s request first`);
    case 'first-contact':
      // first-call-to-forwarding-user-goes-to-voicemail: forwarding applied before the relationship; no request.
      if (goesToVoicemail(s, actor, other) && on(s, 'first-call-to-forwarding-user-goes-to-voicemail'))
        return {
          events: [deliver({ to: other.name, from: actor.name, kind: 'voicemail', surface: surfaceOf(other) })],
          reply: 'voicemail',
        };
      if (actor.kind === 'teams' && on(s, 'teams-first-call-rings-directly'))
        return { events: [{ type: 'request-opened', from: actor.name, to: other.name }, ...rings], reply: 'ringing' };
      return {
        events: [
          { type: 'request-opened', from: actor.name, to: other.name },
          deliver(requestDelivery(actor, other, { media })),
        ],
        reply: 'request',
      };
    case 'more-request':
      if (on(s, 'initiator-call-while-pending-refused'))
        return refuseWith('request-not-accepted', `${other.name} has not accepted yet`);
      return { events: [deliver(requestDelivery(actor, other, { media }))], reply: 'request' };
    case 'dropped':
      if (other.kind === 'skype' && on(s, 'skype-block-tells-teams-sender'))
        return refuseWith('contact-blocked', `${other.name} blocks ${actor.name}`);
      if (other.kind === 'skype' && on(s, 'skype-block-stops-messages-only'))
        return { events: [...replaced, ...rings], reply: 'ringing' };
      // BLOCK-003: the caller sees what an unblocked call would have shown; nobody else sees anything.
      if (goesToVoicemail(s, actor, other) || on(s, 'blocked-caller-sent-to-voicemail'))
        return { events: replaced, reply: 'voicemail' };
      return {
        events: [...replaced, { type: 'call-rang', caller: actor.name, callee: other.name, media, callerOnly: true }],
        reply: 'ringing',
      };
    case 'connected':
      if (goesToVoicemail(s, actor, other))
        return {
          events: [
            ...replaced,
            deliver({ to: other.name, from: actor.name, kind: 'voicemail', surface: surfaceOf(other) }),
          ],
          reply: 'voicemail',
        };
      return {
        events: [
          ...replaced,
          { type: 'call-rang', caller: actor.name, callee: other.name, media, callerOnly: false },
          deliver({ to: other.name, from: actor.name, kind: 'call', surface: surfaceOf(other), media }),
        ],
        reply: 'ringing',
      };
  }
}

/** The call the actor has with `other`, as the actor may act on it. */
function callWith(s: WorldState, actor: Person, other: Person) {
  const c = s.calls.get(pairKey(actor.name, other.name));
  // A call that rings for the caller alone does not exist for the callee.
  if (!c || (c.callerOnly && c.callee === actor.name)) return undefined;
  return c;
}

export function answerCall(s: WorldState, actor: Person, caller: Person): Decision {
  const c = callWith(s, actor, caller);
  if (!c || c.stage !== 'ringing' || c.callee !== actor.name)
    return refuseWith('bad-request', `no call from ${caller.name} is ringing for ${actor.name}`);
  return {
    events: [
      { type: 'call-answered', by: actor.name, caller: caller.name },
      deliver({ to: caller.name, from: actor.name, kind: 'call-answered', surface: surfaceOf(caller) }),
    ],
    reply: undefined,
  };
}

export function declineCall(s: WorldState, actor: Person, caller: Person): Decision {
  const c = callWith(s, actor, caller);
  if (!c || c.stage !== 'ringing' || c.callee !== actor.name)
    return refuseWith('bad-request', `no call from ${caller.name} is ringing for ${actor.name}`);
  return {
    events: [
      { type: 'call-ended', a: actor.name, b: caller.name },
      deliver({ to: caller.name, from: actor.name, kind: 'call-declined', surface: surfaceOf(caller) }),
    ],
    reply: undefined,
  };
}

export function hangUp(s: WorldState, actor: Person, other: Person): Decision {
  const c = callWith(s, actor, other);
  if (!c) return refuseWith('bad-request', `${actor.name} has no call with ${other.name}`);
  const ended: DomainEvent = { type: 'call-ended', a: actor.name, b: other.name };
  // A call ringing for the caller alone ends without a word to anybody (BLOCK-003).
  if (c.callerOnly) return { events: [ended], reply: undefined };
  return {
    events: [ended, deliver({ to: other.name, from: actor.name, kind: 'call-ended', surface: surfaceOf(other) })],
    reply: undefined,
  };
}

export function addVideo(s: WorldState, actor: Person, other: Person): Decision {
  const c = callWith(s, actor, other);
  // openapi addVideo: only an answered *audio* call gains video.
  if (!c || c.stage !== 'connected' || c.media !== 'audio')
    return refuseWith('bad-request', `${actor.name} has no answered audio call with ${other.name}`);
  return {
    events: [
      { type: 'video-added', by: actor.name, other: other.name },
      deliver({ to: other.name, from: actor.name, kind: 'video-added', surface: surfaceOf(other) }),
    ],
    reply: undefined,
  };
}

/** The call as the actor sees it now (`call-state`): none, ringing or established, with its media. */
export function callStatus(s: WorldState, actor: Person, other: Person) {
  const c = callSeenBy(s, actor.name, other.name, callWith(s, actor, other));
  if (!c) return { id: other.name, state: 'none' as const };
  return {
    id: other.name,
    state: c.stage === 'ringing' ? ('ringing' as const) : ('established' as const),
    activeModalities: c.media === 'video' ? ['audio', 'video'] : ['audio'],
  };
}

export function accept(s: WorldState, actor: Person, from: Person): Decision {
  const r = s.relationships.get(pairKey(actor.name, from.name));
  if (!r || r.stage !== 'pending' || r.recipient !== actor.name)
    return refuseWith('bad-request', `${actor.name} has no pending request from ${from.name}`);
  return { events: [{ type: 'request-accepted', by: actor.name, from: from.name }], reply: undefined };
}

/** The texts of the pending request from `from`, in the order sent (REQ-006); the request stays pending. */
export function requestMessages(s: WorldState, actor: Person, from: Person) {
  const r = s.relationships.get(pairKey(actor.name, from.name));
  if (!r || r.recipient !== actor.name)
    return refuseWith('not-found', `${actor.name} has no request from ${from.name}`);
  return requestOrder(s, requestPool(s, actor.name, from.name));
}
