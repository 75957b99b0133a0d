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

export class Inboxes {
  readonly #byUser = new Map<string, Envelope[]>();

  put(envelope: Envelope): void {
    const inbox = this.#byUser.get(envelope.to) ?? [];
    inbox.push(envelope);
    this.#byUser.set(envelope.to, inbox);
  }

  /** Everything that has arrived for `user`, oldest first; the inbox is then empty. */
  take(user: string): Envelope[] {
    const arrived = this.#byUser.get(user) ?? [];
    this.#byUser.delete(user);
    return arrived;
  }
}
