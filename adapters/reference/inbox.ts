/**
 * Per-user inboxes of what has arrived. An envelope keeps a message's text sealed; it is opened only when the
 * user collects it.
 */
import type { DeliveryKind, Media, Surface } from '../../specs/protocol.js';
import type { StoredText } from './vault.js';

export interface Envelope {
  readonly to: string;
  readonly from: string;
  readonly kind: DeliveryKind;
  readonly surface: Surface;
  readonly body?: StoredText;
  readonly media?: Media;
  readonly external?: boolean;
}

/** The way into the inboxes: everything the service sends passes here, so a wrapper sees every delivery. */
export interface Postbox {
  deliver(envelope: Envelope): void;
}

export class Inboxes implements Postbox {
  readonly #byUser = new Map<string, Envelope[]>();

  /** `arrived` is told of each envelope once it is in its recipient's inbox (the HTTP service streams it then). */
  constructor(private readonly arrived?: (envelope: Envelope) => void) {}

  /** The moment an envelope arrives. */
  deliver(envelope: Envelope): void {
    const inbox = this.#byUser.get(envelope.to) ?? [];
    inbox.push(envelope);
    this.#byUser.set(envelope.to, inbox);
    this.arrived?.(envelope);
  }

  /** Everything that has arrived for `user`, oldest first; the inbox is then empty. */
  take(user: string): Envelope[] {
    const arrived = this.#byUser.get(user) ?? [];
    this.#byUser.delete(user);
    return arrived;
  }
}
