/**
 * Certificates for TLS tests, made with the openssl CLI in a temporary directory: certificate
 * authorities, server and client certificates issued by them (EC P-256 keys, quick to make),
 * and revocation lists.
 *
 *   const pki = makePki();                    // CA "ca" and an unrelated CA "other"
 *   const srv = pki.issue('srv', { cn: 'srv.example.com', dns: ['srv.example.com'] });
 *   srv.crt, srv.key, srv.pem (certificate + key, as HAProxy's `crt` takes it)
 *   pki.revoke(srv); pki.crl()                // a CRL of "ca" listing srv
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Issued {
  readonly name: string;
  /** Certificate (PEM file path). */
  readonly crt: string;
  /** Private key (PEM file path). */
  readonly key: string;
  /** Certificate followed by its key, in one file. */
  readonly pem: string;
}

export interface IssueOptions {
  /** Subject common name (default: the name). */
  readonly cn?: string;
  /** DNS subject alternative names (none by default). */
  readonly dns?: readonly string[];
  /** IP subject alternative names. */
  readonly ips?: readonly string[];
  /** Issuing authority: 'ca' (default) or 'other'. */
  readonly ca?: 'ca' | 'other';
  /** Days of validity (default 30). */
  readonly days?: number;
}

export interface Pki {
  readonly dir: string;
  /** The main authority: its certificate (PEM path). */
  readonly ca: string;
  /** An authority that signed nothing the tests trust. */
  readonly other: string;
  issue(name: string, opts?: IssueOptions): Issued;
  /** Marks a certificate of "ca" revoked (see crl()). */
  revoke(cert: Issued): void;
  /** Writes the current CRL of "ca" and returns its path. */
  crl(): string;
  remove(): void;
}

function openssl(args: readonly string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'latin1', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

function makeCa(dir: string, name: string): void {
  openssl(
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '30', '-subj', `/CN=Test CA ${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  writeFileSync(join(dir, `${name}.index`), '');
  writeFileSync(join(dir, `${name}.crlnumber`), '01\n');
  writeFileSync(
    join(dir, `${name}.cnf`),
    `[ ca ]\ndefault_ca = ca_default\n[ ca_default ]\ndatabase = ${dir}/${name}.index\ncrlnumber = ${dir}/${name}.crlnumber\n` +
      `default_md = sha256\ndefault_crl_days = 30\n`,
  );
}

/** A new PKI in a temporary directory (a few hundred milliseconds of openssl). */
export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'portier-pki-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other');
  let serial = 100;
  const caArgs = (ca: string): string[] => ['-config', `${ca}.cnf`, '-keyfile', `${ca}.key`, '-cert', `${ca}.crt`];
  return {
    dir,
    ca: join(dir, 'ca.crt'),
    other: join(dir, 'other.crt'),
    issue(name, opts = {}) {
      const ca = opts.ca ?? 'ca';
      openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${opts.cn ?? name}`], dir);
      const san = [...(opts.dns ?? []).map((d) => `DNS:${d}`), ...(opts.ips ?? []).map((i) => `IP:${i}`)];
      writeFileSync(
        join(dir, `${name}.ext`),
        `basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n${san.length > 0 ? `subjectAltName=${san.join(',')}\n` : ''}`,
      );
      openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-set_serial', String(serial++), '-out', `${name}.crt`, '-extfile', `${name}.ext`, '-days', String(opts.days ?? 30)], dir);
      const crt = join(dir, `${name}.crt`);
      const key = join(dir, `${name}.key`);
      const pem = join(dir, `${name}.pem`);
      writeFileSync(pem, readFileSync(crt, 'latin1') + readFileSync(key, 'latin1'));
      return { name, crt, key, pem };
    },
    revoke(cert) {
      openssl(['ca', ...caArgs('ca'), '-revoke', cert.crt], dir);
    },
    crl() {
      const out = join(dir, 'ca.crl');
      openssl(['ca', ...caArgs('ca'), '-gencrl', '-out', out], dir);
      return out;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
