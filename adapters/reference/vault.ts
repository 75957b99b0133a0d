/**
 * Encryption at rest (F11, CHAT-005): message texts are kept as AES-256-GCM ciphertext under a key that lives only
 * as long as one world. A record sealed "in the clear" exists only so that a fault can store plaintext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export type StoredText =
  | { readonly cipher: 'aes-256-gcm'; readonly iv: Buffer; readonly tag: Buffer; readonly data: Buffer }
  | { readonly cipher: 'none'; readonly text: string };

export interface Sealer {
  seal(text: string): StoredText;
  open(stored: StoredText): string;
}

export class Vault implements Sealer {
  /** Made at the first seal: most worlds of a run never keep a message. */
  #key: Buffer | undefined;
  /** Seals so far under the key. */
  #sealed = 0n;

  seal(text: string): StoredText {
    this.#key ??= randomBytes(32);
    // GCM's deterministic IV construction (NIST SP 800-38D, 8.2.1): a 64-bit invocation counter, never repeated
    // under one key, where a random IV per message cost a call into the random generator for each.
    const iv = Buffer.alloc(12);
    iv.writeBigUInt64BE(this.#sealed++, 4);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return { cipher: 'aes-256-gcm', iv, tag: cipher.getAuthTag(), data };
  }

  open(stored: StoredText): string {
    if (stored.cipher === 'none') return stored.text;
    if (!this.#key) throw new Error('nothing was sealed under this key');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, stored.iv);
    decipher.setAuthTag(stored.tag);
    return Buffer.concat([decipher.update(stored.data), decipher.final()]).toString('utf8');
  }
}

export function isEncrypted(stored: StoredText): boolean {
  return stored.cipher !== 'none';
}
