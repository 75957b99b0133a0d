/**
 * What a fault is and the few tools faults are written with. A fault replaces one seam of one service instance
 * (see core.ts), so the faulty variant differs from the reference in exactly one behaviour.
 */
import type { ActorOutcome } from '../../../specs/protocol.js';
import type { Conversation } from '../conversation.js';
import type { GateId } from '../gates.js';
import type { Envelope } from '../inbox.js';
import type { InteropService } from '../service.js';

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
  apply(service: InteropService): void;
}

type AnyFunction = (...args: any[]) => any;
type MethodName = {
  [K in keyof InteropService]: InteropService[K] extends AnyFunction ? K : never;
}[keyof InteropService];

/** Replace `service[name]` with a wrapper around the original (bound to the service). */
export function around<K extends MethodName>(
  service: InteropService,
  name: K,
  wrap: (original: InteropService[K]) => InteropService[K],
): void {
  const original = (service[name] as AnyFunction).bind(service) as InteropService[K];
  (service as Record<K, InteropService[K]>)[name] = wrap(original);
}

/** Deliveries matching `lost` never reach anybody; the sender is not told. */
export function lose(service: InteropService, lost: (envelope: Envelope) => boolean): void {
  around(service, 'deliver', (deliver) => (envelope) => {
    if (!lost(envelope)) deliver(envelope);
  });
}

/** Deliveries are changed in transit. */
export function rewrite(service: InteropService, change: (envelope: Envelope) => Envelope): void {
  around(service, 'deliver', (deliver) => (envelope) => deliver(change(envelope)));
}

export function skipGate(service: InteropService, id: GateId): void {
  service.gates = service.gates.filter((gate) => gate.id !== id);
}

export function kindOf(service: InteropService, name: string): 'teams' | 'skype' | 'admin' {
  return service.directory.user(name).kind;
}

export function conversationBetween(service: InteropService, a: string, b: string): Conversation {
  const { directory } = service;
  return service.conversations.of(directory.pair(directory.person(a), directory.person(b)));
}

export const OK: ActorOutcome = Object.freeze({ status: 'ok' });
