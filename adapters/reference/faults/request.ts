import type { Fault } from './kit.js';
import { around, conversationBetween, kindOf, lose, OK, rewrite } from './kit.js';

export const REQUEST_FAULTS: readonly Fault[] = [
  {
    id: 'first-call-rings',
    breaks: ['REQ-001'],
    description: "A Teams user's first call rings the Skype user instead of arriving as a request.",
    apply: (service) =>
      rewrite(service, (e) =>
        e.kind === 'request' && e.media !== undefined && kindOf(service, e.from) === 'teams' ? { ...e, kind: 'call' } : e),
  },
  {
    id: 'skype-request-not-marked-external',
    breaks: ['REQ-002'],
    description: "A Skype user's request reaches the Teams user without the mark saying it comes from an external user.",
    apply: (service) =>
      rewrite(service, ({ external: _external, ...rest }) => rest),
  },
  {
    id: 'reply-before-accept-allowed',
    breaks: ['REQ-003'],
    description: 'The Teams user can reply to a request before accepting it, and the reply is delivered.',
    apply: (service) =>
      around(service, 'routeContact', (route) => (conversation, sender) => {
        const decided = route(conversation, sender);
        return decided === 'not-accepted' && sender.kind === 'teams' ? 'connected' : decided;
      }),
  },
  {
    id: 'accept-not-recorded',
    breaks: ['REQ-004'],
    description: 'Accepting a request says ok, but the request stays pending and the two still cannot chat.',
    apply: (service) => around(service, 'accept', () => () => OK),
  },
  {
    id: 'request-block-accepts',
    breaks: ['REQ-005'],
    description: 'Blocking a request connects the two users instead of blocking the conversation.',
    apply: (service) =>
      around(service, 'block', (block) => (actor, user) =>
        conversationBetween(service, actor, user).isPendingFor(actor) ? service.accept(actor, user) : block(actor, user)),
  },
  {
    id: 'view-accepts-request',
    breaks: ['REQ-006'],
    description: 'Choosing "View messages" accepts the request instead of leaving it undecided.',
    apply: (service) =>
      around(service, 'viewMessages', (view) => (actor, from) => {
        const shown = view(actor, from);
        service.accept(actor, from);
        return shown;
      }),
  },
  {
    id: 'pending-follow-ups-dropped',
    breaks: ['REQ-007'],
    description: "While a request is pending, the initiator's further messages and calls are lost.",
    apply: (service) => {
      const started = new Set<string>();
      lose(service, (e) => {
        if (e.kind !== 'request') return false;
        const key = JSON.stringify([e.from, e.to]);
        if (!started.has(key)) {
          started.add(key);
          return false;
        }
        return true;
      });
    },
  },
  {
    id: 'teamsonly-routed-to-skype-for-business',
    breaks: ['REQ-008'],
    description: "A TeamsOnly user gets Skype users' requests, messages and calls in Skype for Business instead of Teams.",
    apply: (service) => around(service, 'surfaceFor', (surface) => (r) => (r.kind === 'teams' ? 'skype-for-business' : surface(r))),
  },
  {
    id: 'islands-routed-to-teams',
    breaks: ['REQ-009'],
    description: "An Islands user gets Skype users' requests, messages and calls in Teams instead of Skype for Business.",
    apply: (service) => around(service, 'surfaceFor', (surface) => (r) => (r.kind === 'teams' ? 'teams' : surface(r))),
  },
];
