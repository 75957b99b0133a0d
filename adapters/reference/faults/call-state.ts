/**
 * Faults in what a party sees of their call now (the `call-state` query): the deliveries are right, the state
 * the system keeps is not.
 */
import { forwardingTo } from '../api.js';
import { ok } from '../core.js';
import type { Fault, WorldParts } from './kit.js';

const pairOf = (world: WorldParts, a: string, b: string) =>
  world.directory.pair(world.directory.person(a), world.directory.person(b));

export const CALL_STATE_FAULTS: readonly Fault[] = [
  {
    id: 'video-added-call-stays-audio',
    breaks: ['CALL-003'],
    description: 'Adding video tells the other party, but the call itself stays audio for both of them.',
    layer: () => ({
      service: (inner, world) => ({
        ...forwardingTo(inner),
        addVideo: (actor, other) => {
          const shown = inner.addVideo(actor, other);
          const call = world.calls.find(pairOf(world, actor, other), ['answered']);
          if (call) call.media = 'audio';
          return shown;
        },
      }),
    }),
  },
  {
    id: 'blocked-caller-sees-no-call',
    breaks: ['BLOCK-003'],
    description:
      "A blocked caller's call shows no call at all where an unblocked caller's would be ringing, so they learn they are blocked.",
    layer: () => ({
      service: (inner, world) => ({
        ...forwardingTo(inner),
        // The pair is looked up first, as the service does, so an out-of-scope query fails the same way.
        callState: (actor, other) =>
          world.calls.find(pairOf(world, actor, other), ['dropped'])
            ? ok({ callState: { state: 'none' } })
            : inner.callState(actor, other),
      }),
    }),
  },
];
