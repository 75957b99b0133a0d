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
  readonly #key = randomBytes(32);

  seal(text: string): StoredText {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return { cipher: 'aes-256-gcm', iv, tag: cipher.getAuthTag(), data };
  }

  open(stored: StoredText): string {
    if (stored.cipher === 'none') return stored.text;
    const decipher = createDecipheriv('aes-256-gcm', this.#key, stored.iv);
    decipher.setAuthTag(stored.tag);
    return Buffer.concat([decipher.update(stored.data), decipher.final()]).toString('utf8');
  }
}

export function isEncrypted(stored: StoredText): boolean {
  return stored.cipher !== 'none';
}
