/**
 * The files TLS options name, loaded at parse time as HAProxy does (configuration.txt 5.1
 * "crt", "ca-file", "crl-file", "tls-ticket-keys"; 5.2 "crt", "ca-file"): a missing or invalid
 * file is a configuration error, worded as HAProxy words it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { LoadState } from '../../load-state.js';
import type { CertificateModel } from '../../model/bind.js';
import { certificateNames, certificates, firstPrivateKey, hasCertOrCrl, pemBlocks } from './pem.js';

/** strerror() texts for the errno codes file access can give. */
const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
  EIO: 'Input/output error',
};

export function strerror(e: unknown): string {
  const code = (e as { code?: string } | undefined)?.code ?? '';
  return STRERROR[code] ?? 'Unknown error';
}

/** A global setting by its typed field or, failing that, its raw words. */
function globalString(load: LoadState, field: string, keyword: string): string | undefined {
  const g = load.global as unknown as Record<string, unknown>;
  const typed = g[field];
  if (typeof typed === 'string') return typed;
  return load.global.settings[keyword]?.[0];
}

/** `crt-base` / `ca-base` applied as HAProxy does: "<base>/<path>" for a relative path. */
export function withBase(load: LoadState, path: string, which: 'crt' | 'ca'): string {
  const base = which === 'crt' ? globalString(load, 'crtBase', 'crt-base') : globalString(load, 'caBase', 'ca-base');
  return base && !path.startsWith('/') ? `${base}/${path}` : path;
}

const certCache = new WeakMap<LoadState, Map<string, CertificateModel>>();

function cached(load: LoadState): Map<string, CertificateModel> {
  let m = certCache.get(load);
  if (!m) certCache.set(load, (m = new Map()));
  return m;
}

export type CertResult = { readonly certs: CertificateModel[] } | { readonly error: string };

/**
 * Loads one certificate file: a private key (first key block of the file, else "<file>.key"),
 * the certificate (first certificate block) and its chain; the key must match the certificate.
 */
export function loadCertFile(load: LoadState, file: string, caSign = false): CertResult {
  const known = cached(load).get(file);
  if (known) return { certs: [known] };
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    // The CA used to sign generated certificates is opened by another code path.
    return { error: caSign ? `cannot open the file '${file}'.\n` : `unable to load certificate from file '${file}'.\n` };
  }
  const blocks = pemBlocks(text);
  let key = firstPrivateKey(blocks);
  const certs = certificates(blocks);
  if (certs.length === 0) return { error: `unable to load certificate from file '${file}'.\n` };
  let keyFile = file;
  if (!key) {
    keyFile = `${file}.key`;
    let keyText: string;
    try {
      keyText = readFileSync(keyFile, 'latin1');
    } catch {
      return { error: `No Private Key found in '${keyFile}'.\n` };
    }
    key = firstPrivateKey(pemBlocks(keyText));
    if (!key) {
      return { error: `unable to load private key from file '${keyFile}'.\n '${keyFile}' is present but cannot be read or parsed'.\n` };
    }
  }
  if (!certs[0]!.checkPrivateKey(key)) return { error: `inconsistencies between private key and certificate loaded '${file}'.\n` };
  // A "<file>.sctl" beside it must be a list of signed certificate timestamps (HAProxy names
  // it with the extension twice in its message).
  let sctl: Buffer | undefined;
  try {
    sctl = readFileSync(`${file}.sctl`);
  } catch {
    sctl = undefined;
  }
  if (sctl && !sctlListOk(sctl)) return { error: ` '${file}.sctl.sctl' is present but cannot be read or parsed'.\n` };
  const model: CertificateModel = { file, keyFile, names: certificateNames(certs[0]!) };
  cached(load).set(file, model);
  return { certs: [model] };
}

/** An SCT list: a 2-byte total length, then entries each with a 2-byte length. */
function sctlListOk(data: Buffer): boolean {
  if (data.length < 2 || data.readUInt16BE(0) + 2 !== data.length) return false;
  for (let pos = 2; pos < data.length; ) {
    if (data.length - pos < 2) return false;
    const len = data.readUInt16BE(pos);
    if (pos + 2 + len > data.length) return false;
    pos += 2 + len;
  }
  return true;
}

/** Files of a certificate directory that are companions of a certificate, not certificates. */
const COMPANION = /\.(key|ocsp|issuer|sctl)$/;

/**
 * `crt <path>` on a bind line: a file, a directory (every certificate file in it, in name
 * order), or a multi-certificate bundle "<path>.rsa", "<path>.ecdsa", "<path>.dsa".
 */
export function loadBindCrt(load: LoadState, path: string): CertResult {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const bundle: CertificateModel[] = [];
    for (const ext of ['.rsa', '.ecdsa', '.dsa']) {
      try {
        statSync(path + ext);
      } catch {
        continue;
      }
      const r = loadCertFile(load, path + ext);
      if ('error' in r) return r;
      bundle.push(...r.certs);
    }
    if (bundle.length > 0) return { certs: bundle };
    return { error: `unable to stat SSL certificate from file '${path}' : ${strerror(e)}.\n` };
  }
  if (!st.isDirectory()) return loadCertFile(load, path);
  let names: string[];
  try {
    names = readdirSync(path).sort();
  } catch (e) {
    return { error: `unable to scan directory '${path}' : ${strerror(e)}.\n` };
  }
  const all: CertificateModel[] = [];
  for (const name of names) {
    if (name.startsWith('.') || COMPANION.test(name)) continue;
    const file = `${path}/${name}`;
    try {
      if (!statSync(file).isFile()) continue;
    } catch {
      continue;
    }
    const r = loadCertFile(load, file);
    if ('error' in r) return r;
    all.push(...r.certs);
  }
  return { certs: all };
}

/** `crt <path>` on a server line: one file (a directory is refused as HAProxy does). */
export function loadServerCrt(load: LoadState, path: string): CertResult {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    return { error: `unable to stat SSL certificate from file '${path}' : ${strerror(e)}.\n` };
  }
  // HAProxy's stat succeeded, so errno still says "Success".
  if (st.isDirectory()) return { error: `unable to stat SSL certificate from file '${path}' : Success.\n` };
  return loadCertFile(load, path);
}

/**
 * A CA or CRL file (ca-file, ca-verify-file, crl-file): "@system-ca", a directory, or a PEM
 * file holding at least one certificate or CRL. Returns HAProxy's reason when it cannot be
 * used ("Couldn't open the ca-file '<f>' (<reason>).").
 */
export function caFileProblem(file: string): string | undefined {
  if (file === '@system-ca') return undefined;
  let text: string;
  try {
    if (statSync(file).isDirectory()) return undefined;
    text = readFileSync(file, 'latin1');
  } catch (e) {
    return strerror(e);
  }
  return hasCertOrCrl(pemBlocks(text)) ? undefined : 'no certificate or crl found';
}

/** Number of keys `tls-ticket-keys` needs (HAProxy's TLS_TICKETS_NO). */
const TLS_TICKETS_NO = 3;

/** HAProxy's base64dec(): length multiple of 4, strict alphabet, '=' padding at the end only. */
function base64dec(line: string): Buffer | undefined {
  if (line.length % 4 !== 0) return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(line)) return undefined;
  return Buffer.from(line, 'base64');
}

/**
 * `tls-ticket-keys <file>`: one base64 key per line, all 48 bytes (AES-128) or all 80 bytes
 * (AES-256), at least 3. Returns the keys, or HAProxy's message.
 */
export function loadTicketKeys(file: string): { keys: string[] } | { error: string } {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    return { error: `'${file}' : unable to load ssl tickets keys file` };
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const keys: string[] = [];
  let size = 0;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const dec = base64dec(line);
    if (!dec || dec.length > 80) return { error: `'${file}' : unable to decode base64 key on line ${i + 1}` };
    if (size === 0 && (dec.length === 48 || dec.length === 80)) size = dec.length;
    else if (dec.length !== size) return { error: `'${file}' : wrong sized key on line ${i + 1}` };
    keys.push(line);
  }
  if (keys.length < TLS_TICKETS_NO) return { error: `'${file}' : please supply at least ${TLS_TICKETS_NO} keys in the tls-tickets-file` };
  return { keys };
}
