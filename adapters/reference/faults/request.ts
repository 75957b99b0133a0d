import { forwardingTo } from '../api.js';
import type { StoredText } from '../vault.js';
import type { Fault, Layer } from './kit.js';
import { conversationBetween, kindOf, lose, OK, rewrite } from './kit.js';

/** A Teams user's recipient always reads in this surface. */
const teamsReadIn = (surface: 'teams' | 'skype-for-business'): Layer => ({
  surfaces: (inner) => ({ of: (recipient) => (recipient.kind === 'teams' ? surface : inner.of(recipient)) }),
});

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
    layer: () =>
      rewrite((e, world) =>
        e.kind === 'request' && e.media !== undefined && kindOf(world, e.from) === 'teams' ? { ...e, kind: 'call' } : e,
      ),
  },
  {
    id: 'skype-request-not-marked-external',
    breaks: ['REQ-002'],
    description:
      "A Skype user's request reaches the Teams user without the mark saying it comes from an external user.",
    layer: () => rewrite(({ external: _external, ...rest }) => rest),
  },
  {
    id: 'reply-before-accept-allowed',
    breaks: ['REQ-003'],
    description: 'The Teams user can reply to a request before accepting it, and the reply is delivered.',
    layer: () => ({
      router: (inner) => ({
        route: (conversation, sender) => {
          const decided = inner.route(conversation, sender);
          return decided === 'not-accepted' && sender.kind === 'teams' ? 'connected' : decided;
        },
      }),
    }),
  },
  {
    id: 'accept-not-recorded',
    breaks: ['REQ-004'],
    description: 'Accepting a request says ok, but the request stays pending and the two still cannot chat.',
    layer: () => ({ service: (inner) => ({ ...forwardingTo(inner), accept: () => OK }) }),
  },
  {
    id: 'request-block-accepts',
    breaks: ['REQ-005'],
    description: 'Blocking a request connects the two users instead of blocking the conversation.',
    layer: () => ({
      service: (inner, world) => ({
        ...forwardingTo(inner),
        block: (actor, user) =>
          conversationBetween(world, actor, user).isPendingFor(actor)
            ? inner.accept(actor, user)
            : inner.block(actor, user),
      }),
    }),
  },
  {
    id: 'view-accepts-request',
    breaks: ['REQ-006'],
    description: 'Choosing "View messages" accepts the request instead of leaving it undecided.',
    layer: () => ({
      service: (inner) => ({
        ...forwardingTo(inner),
        viewMessages: (actor, from) => {
          const shown = inner.viewMessages(actor, from);
          inner.accept(actor, from);
          return shown;
        },
      }),
    }),
  },
  {
    id: 'pending-follow-ups-dropped',
    breaks: ['REQ-007'],
    description: "While a request is pending, the initiator's further messages and calls are lost.",
    layer: () => {
      const started = new Set<string>();
      return lose((e) => {
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
    layer: () => teamsReadIn('skype-for-business'),
  },
  {
    id: 'islands-routed-to-teams',
    breaks: ['REQ-009'],
    description:
      "An Islands user gets Skype users' requests, messages and calls in Teams instead of Skype for Business.",
    layer: () => teamsReadIn('teams'),
  },
  {
    id: 'messages-reordered',
    breaks: ['REQ-006'],
    description: '"View messages" shows a request\'s messages newest first, not in the order they were sent.',
    layer: () => ({
      service: (inner) => ({
        ...forwardingTo(inner),
        viewMessages: (actor, from) => {
          const shown = inner.viewMessages(actor, from);
          return shown.status === 'ok' && shown.messages
            ? { ...shown, messages: [...shown.messages].reverse() }
            : shown;
        },
      }),
    }),
  },
  {
    id: 'request-follow-ups-merged',
    breaks: ['REQ-007'],
    description: "A pending request's follow-up reaches the recipient merged with the earlier messages into one text.",
    layer: () => {
      const texts = new WeakMap<StoredText, string>();
      const sent = new Map<string, string[]>();
      return {
        sealer: (inner) => ({
          seal: (text) => {
            const body = inner.seal(text);
            texts.set(body, text);
            return body;
          },
          open: (stored) => inner.open(stored),
        }),
        ...rewrite((e, world) => {
          if (e.kind !== 'request' || e.body === undefined) return e;
          const key = JSON.stringify([e.from, e.to]);
          const all = [...(sent.get(key) ?? []), texts.get(e.body) ?? ''];
          sent.set(key, all);
          return all.length === 1 ? e : { ...e, body: world.sealer.seal(all.join('\n')) };
        }),
      };
    },
  },
  {
    id: 'skype-follow-ups-not-marked-external',
    breaks: ['REQ-002'],
    description:
      "Only the first message of a Skype user's request is marked as coming from an external user; the follow-ups are not.",
    layer: () => {
      const followUp = followUps();
      return rewrite(({ external, ...rest }) =>
        rest.kind === 'request' && external && followUp(rest.from, rest.to)
          ? rest
          : { ...rest, ...(external ? { external } : {}) },
      );
    },
  },
];
