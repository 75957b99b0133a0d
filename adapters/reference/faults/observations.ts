/**
 * Faults that only add to what a step shows: a field where none belongs, or a key the protocol does not define.
 * Everything predicted is still right, so a comparison of predicted fields alone lets them all through; the
 * closed-world comparison (harness/compare.ts, specs/observed-fields.ts) must catch each, at the clause the
 * field catalogue lays it at.
 */
import type { ActorOutcome } from '../../../specs/protocol.js';
import { forwardingTo, type InteropApi } from '../api.js';
import type { Fault } from './kit.js';
import { rewrite } from './kit.js';

const withPresence = (outcome: ActorOutcome): ActorOutcome =>
  outcome.status === 'ok' ? { ...outcome, presence: 'shown' } : outcome;

/** Every action's answer but `presence` (meant to carry one), `callState`, `blockNumber` and `setDeployment`. */
function showPresence(inner: InteropApi): InteropApi {
  return {
    ...forwardingTo(inner),
    search: (actor, query) => withPresence(inner.search(actor, query)),
    setSearchable: (actor, value) => withPresence(inner.setSearchable(actor, value)),
    sendMessage: (actor, message) => withPresence(inner.sendMessage(actor, message)),
    startCall: (actor, call) => withPresence(inner.startCall(actor, call)),
    answer: (actor, from) => withPresence(inner.answer(actor, from)),
    decline: (actor, from) => withPresence(inner.decline(actor, from)),
    hangUp: (actor, withName) => withPresence(inner.hangUp(actor, withName)),
    addVideo: (actor, withName) => withPresence(inner.addVideo(actor, withName)),
    refuseFeature: (actor, action) => withPresence(inner.refuseFeature(actor, action)),
    accept: (actor, from) => withPresence(inner.accept(actor, from)),
    block: (actor, user, via) => withPresence(inner.block(actor, user, via)),
    unblock: (actor, user, via) => withPresence(inner.unblock(actor, user, via)),
    viewMessages: (actor, from) => withPresence(inner.viewMessages(actor, from)),
    blockedContacts: (actor) => withPresence(inner.blockedContacts(actor)),
    setOrgSwitch: (actor, allow) => withPresence(inner.setOrgSwitch(actor, allow)),
    setUserPolicy: (actor, change) => withPresence(inner.setUserPolicy(actor, change)),
    setEnterpriseApp: (actor, enabled) => withPresence(inner.setEnterpriseApp(actor, enabled)),
  };
}

export const OBSERVATION_FAULTS: readonly Fault[] = [
  {
    id: 'ringing-calls-told-voicemail',
    breaks: ['CALL-001', 'CALL-002'],
    description: 'A call that rings its callee tells the caller it went to voicemail.',
    layer: () => ({
      service: (inner, world) => ({
        ...forwardingTo(inner),
        startCall: (actor, call) => {
          const outcome = inner.startCall(actor, call);
          const { directory } = world;
          const rang =
            world.calls.find(directory.pair(directory.person(actor), directory.person(call.to)), ['ringing'])
              ?.caller === actor;
          return outcome.status === 'ok' && rang ? { ...outcome, call: 'voicemail' } : outcome;
        },
      }),
    }),
  },
  {
    id: 'presence-on-every-answer',
    breaks: ['CHAT-007'],
    description:
      "Every successful action's answer shows the other side's presence as shown (presence queries still say hidden).",
    layer: () => ({ service: showPresence }),
  },
  {
    id: 'calls-carry-text',
    breaks: ['CALL-001', 'CALL-002'],
    description: 'A ringing call reaches the callee with a text, as if it were a message.',
    layer: () => rewrite((e, world) => (e.kind === 'call' ? { ...e, body: world.sealer.seal('Incoming call') } : e)),
  },
  {
    id: 'messages-carry-media',
    breaks: ['CHAT-001', 'CHAT-002'],
    description: 'Chat messages reach their recipient marked with audio media, as if they were calls.',
    layer: () => rewrite((e) => (e.kind === 'message' ? { ...e, media: 'audio' } : e)),
  },
  {
    id: 'messages-carry-undocumented-field',
    breaks: ['CHAT-001', 'CHAT-002'],
    description: 'Chat messages arrive with a `priority` field the protocol does not define.',
    layer: () => ({
      service: (inner) => ({
        ...forwardingTo(inner),
        collect: (user) => inner.collect(user).map((d) => (d.kind === 'message' ? { ...d, priority: 'normal' } : d)),
      }),
    }),
  },
];
