/**
 * What a fault is and the few tools faults are written with. A fault is a layer of wrappers (assemble.ts) around
 * one or two of a world's collaborators, or around the service's interface, so the faulty variant differs from
 * the reference in exactly one behaviour and the reference itself has no way in for it.
 */
import type { ActorOutcome } from '../../../specs/protocol.js';
import type { WorldParts, Layer } from '../assemble.js';
import type { Conversation } from '../conversation.js';
import type { GateId } from '../gates.js';
import type { Envelope } from '../inbox.js';

export type { Layer, WorldParts } from '../assemble.js';

export interface Fault {
  readonly id: string;
  /** Requirement ids (specs/requirements.yaml) a conformant system must not violate and this fault does. */
  readonly breaks: readonly string[];
  /** One sentence: what goes wrong, as a user would report it. */
  readonly description: string;
  /**
   * For a fault that delays deliveries rather than losing or changing them: by how much. A run tells such a
   * delivery late (CHAT-006) from lost only under a deadline shorter than this and a listening window longer.
   */
  readonly lateByMs?: number;
  /**
   * Why one scenario catching this fault is enough, when only one can: `mutants` names the requirement as a
   * single kill with this reason instead of as a blind spot.
   */
  readonly singleKill?: string;
  /** The wrappers of one world's faulty service: called once per world, so what a fault remembers is that world's. */
  layer(): Layer;
}

/** Deliveries matching `lost` never reach anybody; the sender is not told. */
export function lose(lost: (envelope: Envelope, world: WorldParts) => boolean): Layer {
  return {
    postbox: (inner, world) => ({
      deliver: (envelope) => {
        if (!lost(envelope, world)) inner.deliver(envelope);
      },
    }),
  };
}

/** Deliveries are changed in transit. */
export function rewrite(change: (envelope: Envelope, world: WorldParts) => Envelope): Layer {
  return { postbox: (inner, world) => ({ deliver: (envelope) => inner.deliver(change(envelope, world)) }) };
}

/** The service is built without this tenant gate. */
export function skipGate(id: GateId): Layer {
  return { gates: (gates) => gates.filter((gate) => gate.id !== id) };
}

export function kindOf(world: WorldParts, name: string): 'teams' | 'skype' | 'admin' {
  return world.directory.user(name).kind;
}

export function conversationBetween(world: WorldParts, a: string, b: string): Conversation {
  const { directory } = world;
  return world.conversations.of(directory.pair(directory.person(a), directory.person(b)));
}

export const OK: ActorOutcome = Object.freeze({ status: 'ok' });
