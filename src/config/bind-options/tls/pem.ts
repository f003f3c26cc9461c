/**
 * PEM files as OpenSSL's PEM_read_bio_* read them: a sequence of "-----BEGIN <type>-----" ...
 * "-----END <type>-----" blocks, anything between blocks ignored. HAProxy loads certificates
 * and keys at parse time (configuration.txt 5.1 "crt"), so a bad file is a configuration
 * error; node:crypto (X509Certificate, createPrivateKey) checks the blocks' contents.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

export interface PemBlock {
  readonly type: string;
  /** The whole block, BEGIN and END lines included. */
  readonly text: string;
}

export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([^-\r\n]+)-----[\s\S]*?-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ type: m[1]!, text: m[0] });
  return out;
}

const KEY_TYPES = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);
const CERT_TYPES = new Set(['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE']);

/** The first private key block that decodes (PEM_read_bio_PrivateKey skips the others). */
export function firstPrivateKey(blocks: readonly PemBlock[]): KeyObject | undefined {
  for (const b of blocks) {
    if (!KEY_TYPES.has(b.type)) continue;
    try {
      return createPrivateKey(b.text);
    } catch {
      // An encrypted key without its passphrase, or garbage: OpenSSL stops there.
      return undefined;
    }
  }
  return undefined;
}

/** The certificates that decode, in file order. */
export function certificates(blocks: readonly PemBlock[]): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const b of blocks) {
    if (!CERT_TYPES.has(b.type)) continue;
    try {
      out.push(new X509Certificate(b.type === 'CERTIFICATE' ? b.text : b.text.replace(/(BEGIN|END) [A-Z0-9 ]+-----/g, '$1 CERTIFICATE-----')));
    } catch {
      break;
    }
  }
  return out;
}

/** True when the file holds at least one certificate or CRL (what a CA file must hold). */
export function hasCertOrCrl(blocks: readonly PemBlock[]): boolean {
  return blocks.some((b) => CERT_TYPES.has(b.type) || b.type === 'X509 CRL');
}

/** Names a certificate serves, for SNI: the subject CN and the DNS subject alternative names. */
export function certificateNames(cert: X509Certificate): string[] {
  const names: string[] = [];
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject);
  if (cn) names.push(cn[1]!);
  for (const part of (cert.subjectAltName ?? '').split(', ')) {
    if (part.startsWith('DNS:') && !names.includes(part.slice(4))) names.push(part.slice(4));
  }
  return names;
}
