/**
 * The certificate `serve --tls` serves with. Microsoft Graph's JS client sends its bearer token only to https
 * hosts (its AuthenticationHandler), so the reference must speak TLS for the official SDK to reach it; a
 * throwaway self-signed certificate, made in memory at start, is enough on loopback. Its public part is written
 * to a file for clients to trust (undici's `Agent({ connect: { ca } })`, NODE_EXTRA_CA_CERTS); the private key
 * stays in this process. A real certificate and key can be read from files instead.
 */
import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What node:https is given: PEM text. */
/**
 * A random serial that DER encodes as written: positive (first byte's high bit clear, RFC 5280 §4.1.2.2) and with
 * no leading zero byte, which DER forbids ("illegal padding"). The earlier `0` + 30 random hex digits started with
 * a zero byte whenever the first digit drawn was 0 and the next below 8 (1 in 32): OpenSSL then refused the
 * certificate, and serve --tls failed to start now and then.
 */
export function serialNumber(bytes: Buffer = randomBytes(16)): string {
  const b = Buffer.from(bytes);
  b[0] = b[0]! & 0x7f || 0x01;
  return b.toString('hex');
}

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
}

/** The names a throwaway certificate answers for unless told otherwise: those `serve` listens on by default. */
export const LOOPBACK_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

/** Long enough for a server left running for days; short enough that a copied certificate soon means nothing. */
const VALID_DAYS = 7;

/**
 * A fresh self-signed certificate for `hosts` (IP addresses become IP subjectAltNames, the rest DNS names) and
 * its private key. The key is made by node:crypto (native: most of the 0.1–1 s this takes, more on a loaded
 * machine); node-forge only builds and signs the X.509 structure, which node:crypto cannot. Loaded lazily: a plain-HTTP `serve` never loads it.
 */
export async function throwawayCertificate(
  hosts: readonly string[] = LOOPBACK_NAMES,
  now = new Date(),
): Promise<TlsMaterial> {
  const { default: forge } = await import('node-forge');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - 60_000); // a clock a little behind still accepts it
  cert.validity.notAfter = new Date(now.getTime() + VALID_DAYS * 86_400_000);
  const name = [
    { name: 'commonName', value: 'interop-conformance serve (throwaway)' },
    { name: 'organizationName', value: 'interop-conformance' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    // Self-signed and trusted directly: it is its own anchor, it signs nothing else.
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...new Set(hosts)].map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })),
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem };
}

/**
 * A real certificate and its key from files, checked to be PEM and to make a pair. Whatever is wrong is thrown
 * as an Error naming the file, never quoting the key.
 */
export function readCertificate(certFile: string, keyFile: string): TlsMaterial {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
  };
  const cert = read(certFile, '--tls-cert');
  const key = read(keyFile, '--tls-key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new Error(`--tls-cert ${certFile} holds no PEM certificate`);
  }
  let pair: boolean;
  try {
    pair = x509.checkPrivateKey(createPrivateKey(key));
  } catch {
    // The key's text is never echoed: only that the file is not a (PEM, unencrypted) private key.
    throw new Error(`--tls-key ${keyFile} holds no unencrypted PEM private key`);
  }
  if (!pair) throw new Error(`--tls-key ${keyFile} is not the key of --tls-cert ${certFile}`);
  return { cert, key };
}

/** The certificate's SHA-256 fingerprint (colon-separated hex), to compare with what a client sees. */
export const fingerprint = (cert: string): string => new X509Certificate(cert).fingerprint256;

/**
 * Writes the public certificate (never the key) to `file`, or to a fresh temporary folder; returns the path and
 * how to remove what it made (only a temporary file is removed: a file the user named is theirs to keep).
 */
export function writePublicCertificate(cert: string, file?: string): { path: string; remove: () => void } {
  if (file) {
    writeFileSync(file, cert, { mode: 0o644 });
    return { path: file, remove: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'interop-conformance-tls-'));
  const path = join(dir, 'serve-cert.pem');
  writeFileSync(path, cert, { mode: 0o644 });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
