/**
 * Faults that only add to what a step shows: a field where none belongs, or a key the protocol does not define.
 * Everything predicted is still right, so a comparison of predicted fields alone lets them all through; the
 * closed-world comparison (harness/compare.ts, specs/observed-fields.ts) must catch each, at the clause the
 * field catalogue lays it at.
 */
import type { ActorOutcome } from '../../../specs/protocol.js';
import type { InteropService } from '../service.js';
import type { Fault } from './kit.js';
import { around, rewrite } from './kit.js';

/** Every action method of the service but `presence`, whose answer is meant to carry a presence. */
const ANSWERS_WITHOUT_PRESENCE = [
  'search',
  'setSearchable',
  'sendMessage',
  'startCall',
  'answer',
  'decline',
  'hangUp',
  'addVideo',
  'refuseFeature',
  'accept',
  'block',
  'unblock',
  'viewMessages',
  'blockedContacts',
  'setOrgSwitch',
  'setUserPolicy',
  'setEnterpriseApp',
] as const;

function showPresence(service: InteropService): void {
  for (const name of ANSWERS_WITHOUT_PRESENCE)
    around(
      service,
      name,
      (original) =>
        ((...args: unknown[]) => {
          const outcome = (original as (...a: unknown[]) => ActorOutcome)(...args);
          return outcome.status === 'ok' ? { ...outcome, presence: 'shown' } : outcome;
        }) as never,
    );
}

export const OBSERVATION_FAULTS: readonly Fault[] = [
  {
    id: 'ringing-calls-told-voicemail',
    breaks: ['CALL-001', 'CALL-002'],
    description: 'A call that rings its callee tells the caller it went to voicemail.',
    apply: (service) =>
      around(service, 'startCall', (startCall) => (actor, call) => {
        const outcome = startCall(actor, call);
        const { directory } = service;
        const rang =
          service.calls.find(directory.pair(directory.person(actor), directory.person(call.to)), ['ringing'])
            ?.caller === actor;
        return outcome.status === 'ok' && rang ? { ...outcome, call: 'voicemail' } : outcome;
      }),
  },
  {
    id: 'presence-on-every-answer',
    breaks: ['CHAT-007'],
    description:
      "Every successful action's answer shows the other side's presence as shown (presence queries still say hidden).",
    apply: showPresence,
  },
  {
    id: 'calls-carry-text',
    breaks: ['CALL-001', 'CALL-002'],
    description: 'A ringing call reaches the callee with a text, as if it were a message.',
    apply: (service) =>
      rewrite(service, (e) => (e.kind === 'call' ? { ...e, body: service.seal('Incoming call') } : e)),
  },
  {
    id: 'messages-carry-media',
    breaks: ['CHAT-001', 'CHAT-002'],
    description: 'Chat messages reach their recipient marked with audio media, as if they were calls.',
    apply: (service) => rewrite(service, (e) => (e.kind === 'message' ? { ...e, media: 'audio' } : e)),
  },
  {
    id: 'messages-carry-undocumented-field',
    breaks: ['CHAT-001', 'CHAT-002'],
    description: 'Chat messages arrive with a `priority` field the protocol does not define.',
    apply: (service) =>
      around(
        service,
        'collect',
        (collect) => (user) => collect(user).map((d) => (d.kind === 'message' ? { ...d, priority: 'normal' } : d)),
      ),
  },
];
