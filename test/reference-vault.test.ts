/**
 * The reference's encryption at rest (adapters/reference/vault.ts, F11, CHAT-005): texts are kept as AES-256-GCM
 * ciphertext, each under an IV never used before with the world's key, and only that world's vault opens them.
 */
import t from 'tap';
import { Vault, isEncrypted } from '../adapters/reference/vault.js';

t.test('each seal is ciphertext under a fresh IV; the same vault opens it, exactly', async (t) => {
  const vault = new Vault();
  const texts = ['hello', 'hello', '', 'ünïcødé ✓', 'x'.repeat(10_000)];
  const sealed = texts.map((text) => vault.seal(text));
  t.ok(sealed.every(isEncrypted), 'all encrypted');
  const data = sealed.map((s) => (s.cipher === 'aes-256-gcm' ? s : undefined)).filter((s) => s !== undefined);
  t.equal(new Set(data.map((s) => s.iv.toString('hex'))).size, texts.length, 'no IV used twice');
  t.not(data[0]!.data.toString('hex'), data[1]!.data.toString('hex'), 'one text sealed twice: two ciphertexts');
  t.notOk(data[4]!.data.includes('xxxxxxxx'), 'no plaintext in the record');
  t.same(
    sealed.map((s) => vault.open(s)),
    texts,
  );
});

t.test("another world's vault opens nothing, and a tampered text does not open", async (t) => {
  const mine = new Vault();
  const sealed = mine.seal('for this world only');
  const other = new Vault();
  t.throws(() => other.open(sealed), 'a vault that sealed nothing');
  other.seal('its own');
  t.throws(() => other.open(sealed), 'a vault with a key of its own');
  if (sealed.cipher !== 'aes-256-gcm') throw new Error('not sealed');
  const flipped = Buffer.from(sealed.data);
  flipped[0]! ^= 1;
  t.throws(() => mine.open({ ...sealed, data: flipped }), 'the tag fails');
});
