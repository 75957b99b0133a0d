/**
 * Faults in what a party sees of their call now (the `call-state` query): the deliveries are right, the state
 * the system keeps is not.
 */
import type { InteropService } from '../service.js';
import type { Fault } from './kit.js';
import { around } from './kit.js';

const pairOf = (service: InteropService, a: string, b: string) =>
  service.directory.pair(service.directory.person(a), service.directory.person(b));

export const CALL_STATE_FAULTS: readonly Fault[] = [
  {
    id: 'video-added-call-stays-audio',
    breaks: ['CALL-003'],
    description: 'Adding video tells the other party, but the call itself stays audio for both of them.',
    apply: (service) =>
      around(service, 'addVideo', (addVideo) => (actor, other) => {
        const shown = addVideo(actor, other);
        const call = service.calls.find(pairOf(service, actor, other), ['answered']);
        if (call) call.media = 'audio';
        return shown;
      }),
  },
  {
    id: 'blocked-caller-sees-no-call',
    breaks: ['BLOCK-003'],
    description:
      "A blocked caller's call shows no call at all where an unblocked caller's would be ringing, so they learn they are blocked.",
    apply: (service) => {
      const seenBy = service.calls.seenBy.bind(service.calls);
      service.calls.seenBy = (pair, viewer) =>
        service.calls.find(pair, ['dropped']) ? { state: 'none' } : seenBy(pair, viewer);
    },
  },
];
