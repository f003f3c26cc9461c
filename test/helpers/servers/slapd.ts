/**
 * A real OpenLDAP server (Debian's slapd) for ldap-check: plain LDAP on one port and LDAPS on
 * another (certificate from a test CA, as the seed's `check-ssl ssl` + `ca-file` servers
 * need), an mdb database seeded with slapadd before the first start, run in the foreground
 * (-d) from a slapd.conf in a temp dir.
 *
 * Start-up, measured on the 2-core dev machine while other sessions loaded it (load average
 * ~11; expect less on an idle one): ~0.6 s (test CA and certificates, slapadd, slapd); stop
 * ~30 ms; restart ~0.2 s.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCa, type TestCa } from './ca.js';
import { fixtureDir, giveToServer, HOST, removeDir, requireBinary, runTool, serverEnv, type ServerFixture } from './common.js';
import { daemon, daemonFixture } from './daemon.js';

export interface Slapd extends ServerFixture {
  /** The LDAPS port (the plain LDAP one is `port`). */
  readonly ldapsPort: number;
  /** The CA that signed the LDAPS certificate (and a client pair, if a test wants one). */
  readonly ca: TestCa;
  readonly caFile: string;
  /** dc=portier,dc=test */
  readonly baseDn: string;
  /** The directory's manager (rootdn): may bind and see everything. */
  readonly admin: { readonly dn: string; readonly password: string };
  /** An entry to search for, which may also bind with its password. */
  readonly entry: { readonly dn: string; readonly uid: string; readonly cn: string; readonly password: string };
  /** slapd's log (-d stats: one line per connection and operation). */
  output(): string;
}

const BASE = 'dc=portier,dc=test';
const ADMIN = { dn: `cn=admin,${BASE}`, password: 'admin-secret' };
const ENTRY = { dn: `uid=check,${BASE}`, uid: 'check', cn: 'Health Check', password: 'check-secret' };

function slapdConf(dir: string, ca: TestCa): string {
  return [
    'include /etc/ldap/schema/core.schema',
    'include /etc/ldap/schema/cosine.schema',
    'include /etc/ldap/schema/inetorgperson.schema',
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    `pidfile ${join(dir, 'slapd.pid')}`,
    `TLSCACertificateFile ${ca.caFile}`,
    `TLSCertificateFile ${ca.server.cert}`,
    `TLSCertificateKeyFile ${ca.server.key}`,
    'database mdb',
    // The map's maximum size: the default 10 MiB is plenty, said so to stay small.
    'maxsize 10485760',
    `suffix "${BASE}"`,
    `rootdn "${ADMIN.dn}"`,
    `rootpw ${ADMIN.password}`,
    `directory ${join(dir, 'db')}`,
    // Passwords are for binding only; everything else is readable, anonymously too (ldap-check
    // binds anonymously).
    'access to attrs=userPassword by self write by anonymous auth by * none',
    'access to * by * read',
    '',
  ].join('\n');
}

const SEED = [
  `dn: ${BASE}`,
  'objectClass: dcObject',
  'objectClass: organization',
  'dc: portier',
  'o: Portier tests',
  '',
  `dn: ${ENTRY.dn}`,
  'objectClass: inetOrgPerson',
  `uid: ${ENTRY.uid}`,
  `cn: ${ENTRY.cn}`,
  'sn: Check',
  `userPassword: ${ENTRY.password}`,
  '',
].join('\n');

/** Starts slapd on 127.0.0.1: LDAP on `port`, LDAPS on `ldapsPort`. */
export async function startSlapd(): Promise<Slapd> {
  const slapd = requireBinary('/usr/sbin/slapd', 'slapd');
  const slapadd = requireBinary('/usr/sbin/slapadd', 'slapd');
  const dir = await fixtureDir('slapd');
  try {
    const ca = await makeCa(dir);
    const conf = join(dir, 'slapd.conf');
    writeFileSync(conf, slapdConf(dir, ca));
    writeFileSync(join(dir, 'seed.ldif'), SEED);
    mkdirSync(join(dir, 'db'));
    await giveToServer(dir);
    const env = serverEnv(dir);
    await runTool(slapadd, ['-f', conf, '-l', join(dir, 'seed.ldif')], { server: true, env });
    const d = daemon({
      name: 'slapd',
      command: slapd,
      ports: 2,
      // -d keeps it in the foreground, logging to stderr; `stats` logs connections and
      // operations, which tests may read to see what a check did.
      args: ([ldap, ldaps]) => ['-d', 'stats', '-f', conf, '-h', `ldap://${HOST}:${ldap}/ ldaps://${HOST}:${ldaps}/`],
      env,
      // Logged once its listeners are bound (a port taken by another process stops it before).
      readyLine: /slapd starting/,
    });
    await d.start();
    return {
      ...daemonFixture(d, dir),
      ldapsPort: d.ports[1]!,
      ca,
      caFile: ca.caFile,
      baseDn: BASE,
      admin: ADMIN,
      entry: ENTRY,
    };
  } catch (e) {
    removeDir(dir);
    throw e;
  }
}
