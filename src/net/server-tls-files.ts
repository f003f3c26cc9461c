/**
 * The files of a server's TLS settings, read when the server's TLS context is built (once per
 * server, at startup): `ca-file` (a PEM file, a directory, or "@system-ca"), `crl-file`, and
 * `crt` (the client certificate, its chain and its key, the key possibly in "<crt>.key").
 * The configuration checks already read them (config/bind-options/tls/files.ts), so a failure
 * here means the file changed in between: the error says which file, as HAProxy's alerts do.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { getCACertificates } from 'node:tls';
import { pemBlocks, type PemBlock } from '../config/bind-options/tls/pem.js';

const CERT_TYPES = new Set(['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE']);
const KEY_TYPES = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);
/** Files of a CA directory that HAProxy loads (configuration.txt 5.2 "ca-file"). */
const CA_DIR_FILE = /\.(pem|crt|cer|crl)$/;

function read(file: string): string {
  return readFileSync(file, 'latin1');
}

function blocksOf(text: string, types: ReadonlySet<string> | string): string[] {
  const want = (b: PemBlock): boolean => (typeof types === 'string' ? b.type === types : types.has(b.type));
  // Node's `ca` reads "BEGIN CERTIFICATE" blocks: trusted/X509 variants are renamed.
  return pemBlocks(text)
    .filter(want)
    .map((b) => (b.type === 'TRUSTED CERTIFICATE' || b.type === 'X509 CERTIFICATE' ? b.text.replace(/(BEGIN|END) [A-Z0-9 ]+-----/g, '$1 CERTIFICATE-----') : b.text));
}

/** Every file of a directory HAProxy reads as CA or CRL files, in name order. */
function directoryFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.') && CA_DIR_FILE.test(n))
    .sort()
    .map((n) => `${dir}/${n}`)
    .filter((f) => {
      try {
        return statSync(f).isFile();
      } catch {
        return false;
      }
    });
}

/**
 * The CA certificates of `ca-file`, as PEM blocks. "@system-ca": the system's trusted
 * certificates (the directory SSL_CERT_DIR names when set, as HAProxy reads it).
 */
export function readCaFile(caFile: string): string[] {
  if (caFile === '@system-ca') {
    const dir = process.env['SSL_CERT_DIR'];
    if (dir) return directoryFiles(dir).flatMap((f) => blocksOf(read(f), CERT_TYPES));
    return getCACertificates('system');
  }
  if (statSync(caFile).isDirectory()) return directoryFiles(caFile).flatMap((f) => blocksOf(read(f), CERT_TYPES));
  return blocksOf(read(caFile), CERT_TYPES);
}

/** The revocation lists of `crl-file`, as PEM blocks. */
export function readCrlFile(crlFile: string): string[] {
  if (statSync(crlFile).isDirectory()) return directoryFiles(crlFile).flatMap((f) => blocksOf(read(f), 'X509 CRL'));
  return blocksOf(read(crlFile), 'X509 CRL');
}

/**
 * The client certificate of `crt`: its certificates (the first one and its chain, in file
 * order) and the first private key of the file, else of "<crt>.key".
 */
export function readClientCertificate(crt: string): { cert: string; key: string } {
  const text = read(crt);
  const certs = blocksOf(text, CERT_TYPES);
  if (certs.length === 0) throw new Error(`unable to load ssl certificate from PEM file '${crt}'`);
  let keys = blocksOf(text, KEY_TYPES);
  if (keys.length === 0) {
    try {
      keys = blocksOf(read(`${crt}.key`), KEY_TYPES);
    } catch {
      keys = [];
    }
  }
  if (keys.length === 0) throw new Error(`unable to load SSL private key from PEM file '${crt}'`);
  return { cert: certs.join('\n'), key: keys[0]! };
}
