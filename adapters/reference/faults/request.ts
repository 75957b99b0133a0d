import type { StoredText } from '../vault.js';
import type { Fault } from './kit.js';
import { around, conversationBetween, kindOf, lose, OK, rewrite } from './kit.js';

/** Each delivery of a pending request after the first from the same sender to the same recipient. */
function followUps(): (from: string, to: string) => boolean {
  const started = new Set<string>();
  return (from, to) => {
    const key = JSON.stringify([from, to]);
    if (started.has(key)) return true;
    started.add(key);
    return false;
  };
}

export const REQUEST_FAULTS: readonly Fault[] = [
  {
    id: 'first-call-rings',
    breaks: ['REQ-001'],
    description: "A Teams user's first call rings the Skype user instead of arriving as a request.",
    apply: (service) =>
      rewrite(service, (e) =>
        e.kind === 'request' && e.media !== undefined && kindOf(service, e.from) === 'teams'
          ? { ...e, kind: 'call' }
          : e,
      ),
  },
  {
    id: 'skype-request-not-marked-external',
    breaks: ['REQ-002'],
    description:
      "A Skype user's request reaches the Teams user without the mark saying it comes from an external user.",
    apply: (service) => rewrite(service, ({ external: _external, ...rest }) => rest),
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
      around(
        service,
        'block',
        (block) => (actor, user) =>
          conversationBetween(service, actor, user).isPendingFor(actor)
            ? service.accept(actor, user)
            : block(actor, user),
      ),
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
    description:
      "A TeamsOnly user gets Skype users' requests, messages and calls in Skype for Business instead of Teams.",
    apply: (service) =>
      around(service, 'surfaceFor', (surface) => (r) => (r.kind === 'teams' ? 'skype-for-business' : surface(r))),
  },
  {
    id: 'islands-routed-to-teams',
    breaks: ['REQ-009'],
    description:
      "An Islands user gets Skype users' requests, messages and calls in Teams instead of Skype for Business.",
    apply: (service) => around(service, 'surfaceFor', (surface) => (r) => (r.kind === 'teams' ? 'teams' : surface(r))),
  },
  {
    id: 'messages-reordered',
    breaks: ['REQ-006'],
    description: '"View messages" shows a request\'s messages newest first, not in the order they were sent.',
    apply: (service) =>
      around(service, 'viewMessages', (view) => (actor, from) => {
        const shown = view(actor, from);
        return shown.status === 'ok' && shown.messages ? { ...shown, messages: [...shown.messages].reverse() } : shown;
      }),
  },
  {
    id: 'request-follow-ups-merged',
    breaks: ['REQ-007'],
    description: "A pending request's follow-up reaches the recipient merged with the earlier messages into one text.",
    apply: (service) => {
      const texts = new WeakMap<StoredText, string>();
      around(service, 'seal', (seal) => (text) => {
        const body = seal(text);
        texts.set(body, text);
        return body;
      });
      const sent = new Map<string, string[]>();
      rewrite(service, (e) => {
        if (e.kind !== 'request' || e.body === undefined) return e;
        const key = JSON.stringify([e.from, e.to]);
        const all = [...(sent.get(key) ?? []), texts.get(e.body) ?? ''];
        sent.set(key, all);
        return all.length === 1 ? e : { ...e, body: service.seal(all.join('\n')) };
      });
    },
  },
  {
    id: 'skype-follow-ups-not-marked-external',
    breaks: ['REQ-002'],
    description:
      "Only the first message of a Skype user's request is marked as coming from an external user; the follow-ups are not.",
    apply: (service) => {
      const followUp = followUps();
      rewrite(service, ({ external, ...rest }) =>
        rest.kind === 'request' && external && followUp(rest.from, rest.to)
          ? rest
          : { ...rest, ...(external ? { external } : {}) },
      );
    },
  },
];
