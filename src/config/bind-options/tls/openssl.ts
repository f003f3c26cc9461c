/**
 * The checks OpenSSL makes when HAProxy builds a TLS context from `ciphers`, `ciphersuites`,
 * `curves` and `ecdhe` (configuration.txt 5.1): a list that selects nothing is an error. Node's
 * own OpenSSL answers through tls.createSecureContext, so the verdicts follow OpenSSL's.
 */
import { createSecureContext } from 'node:tls';

/** SSL_CTX_set_cipher_list(): at least one TLS <= 1.2 cipher must match. */
export function cipherListOk(list: string): boolean {
  // Node sends "TLS_*" names to the TLS 1.3 list; for SSL_CTX_set_cipher_list they match nothing.
  const classic = list
    .split(':')
    .filter((c) => !c.startsWith('TLS_'))
    .join(':');
  if (classic.replace(/:/g, '') === '') return false;
  try {
    createSecureContext({ ciphers: classic });
    return true;
  } catch {
    return false;
  }
}

/** The TLS 1.3 suites OpenSSL knows (names are case-sensitive). */
const TLS13_SUITES = new Set([
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_CCM_SHA256',
  'TLS_AES_128_CCM_8_SHA256',
]);

/** SSL_CTX_set_ciphersuites(): unknown names are skipped, but one must be known. */
export function cipherSuitesOk(list: string): boolean {
  return list.split(':').some((s) => TLS13_SUITES.has(s));
}

/**
 * Group names as OpenSSL 3.0 spells them: it compares them case-sensitively, where the
 * OpenSSL in Node is more lenient ("p-256").
 */
const GROUPS = [
  'P-192', 'P-224', 'P-256', 'P-384', 'P-521', 'X25519', 'X448', 'prime192v1', 'prime256v1', 'secp192k1', 'secp224k1', 'secp224r1',
  'secp256k1', 'secp384r1', 'secp521r1', 'brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1', 'ffdhe2048', 'ffdhe3072',
  'ffdhe4096', 'ffdhe6144', 'ffdhe8192',
];
const GROUPS_LOWER = new Map(GROUPS.map((g) => [g.toLowerCase(), g]));

/** SSL_CTX_set1_curves_list(): every name must be a known group. */
export function curvesOk(list: string): boolean {
  // Node maps "auto" to its default list; OpenSSL itself does not know it.
  if (list.split(':').some((c) => c === 'auto' || c === '')) return false;
  if (list.split(':').some((c) => GROUPS_LOWER.has(c.toLowerCase()) && GROUPS_LOWER.get(c.toLowerCase()) !== c)) return false;
  try {
    createSecureContext({ ecdhCurve: list });
    return true;
  } catch {
    return false;
  }
}
