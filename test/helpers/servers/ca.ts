/**
 * A certificate authority for TLS tests, made with the openssl CLI in a dir: the CA, a server
 * certificate for 127.0.0.1 and localhost, and a client certificate, all signed by the CA.
 * EC P-256 keys: generated in microseconds (RSA 2048 takes tens of ms each), and accepted by
 * OpenSSL, GnuTLS (slapd) and Node alike.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBinary, runTool } from './common.js';

export interface CertPair {
  /** The certificate (PEM). */
  readonly cert: string;
  /** Its private key (PEM, unencrypted). */
  readonly key: string;
  /** Certificate then key in one PEM file, as HAProxy's `crt` options want it. */
  readonly pem: string;
}

export interface TestCa {
  readonly dir: string;
  /** The CA certificate, for `ca-file`, curl --cacert, LDAPTLS_CACERT... */
  readonly caFile: string;
  readonly caKey: string;
  /** CN=localhost; SAN DNS:localhost, IP:127.0.0.1; extendedKeyUsage serverAuth. */
  readonly server: CertPair;
  /** CN=portier-client; extendedKeyUsage clientAuth. */
  readonly client: CertPair;
  /** Issues another certificate signed by this CA, in files named after `name`. */
  issue(name: string, opts: { cn: string; san?: readonly string[]; usage: 'server' | 'client' }): Promise<CertPair>;
}

/** Extensions come from -addext alone, whatever the system's openssl.cnf says. */
const CONFIG = '[req]\ndistinguished_name = dn\n[dn]\n';
const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Makes a CA and its server and client certificates in `dir` (which must exist). */
export async function makeCa(dir: string): Promise<TestCa> {
  const openssl = requireBinary('/usr/bin/openssl', 'openssl');
  const config = join(dir, 'openssl.cnf');
  writeFileSync(config, CONFIG);
  const caFile = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  await runTool(openssl, [
    'req', '-config', config, '-x509', ...KEY, '-keyout', caKey, '-out', caFile, '-days', '3650',
    '-subj', '/CN=Portier test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);

  async function issue(name: string, opts: { cn: string; san?: readonly string[]; usage: 'server' | 'client' }): Promise<CertPair> {
    const cert = join(dir, `${name}.crt`);
    const key = join(dir, `${name}.key`);
    const ext = ['-addext', 'basicConstraints=critical,CA:FALSE', '-addext', `extendedKeyUsage=${opts.usage === 'server' ? 'serverAuth' : 'clientAuth'}`];
    if (opts.san?.length) ext.push('-addext', `subjectAltName=${opts.san.join(',')}`);
    // OpenSSL 3's `req -x509 -CA` issues a signed certificate in one step, without a CSR.
    await runTool(openssl, ['req', '-config', config, '-x509', ...KEY, '-keyout', key, '-out', cert, '-days', '3650', '-subj', `/CN=${opts.cn}`, '-CA', caFile, '-CAkey', caKey, ...ext]);
    const pem = join(dir, `${name}.pem`);
    writeFileSync(pem, readFileSync(cert, 'latin1') + readFileSync(key, 'latin1'));
    return { cert, key, pem };
  }

  const [server, client] = await Promise.all([
    issue('server', { cn: 'localhost', san: ['DNS:localhost', 'IP:127.0.0.1'], usage: 'server' }),
    issue('client', { cn: 'portier-client', usage: 'client' }),
  ]);
  return { dir, caFile, caKey, server, client, issue };
}
