/**
 * A real SMTP server for smtpchk: Debian's Exim (exim4-daemon-light) as a foreground daemon
 * (-bdf) on 127.0.0.1, with its own configuration (-C) in a temp dir. Exim is setuid root, but
 * a configuration given by -C from an ordinary user makes it drop root for good ("exim user
 * lost privilege for using -C option"): it then runs as the server account, with its spool and
 * logs in the temp dir. (OpenSMTPD and Postfix were weighed: both refuse to start unless root.)
 *
 * It greets with `220 portier.test ESMTP Exim ...`, answers HELO/EHLO with 250, accepts any
 * sender and recipient and discards the mail (a blackhole router). No STARTTLS, no DNS or
 * ident lookups, no queue runner.
 *
 * Start-up, measured on the 2-core dev machine while other sessions loaded it (load average
 * ~11; expect less on an idle one): ~80 ms; stop 15 ms to 0.9 s; restart ~40 ms.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fixtureDir, giveToServer, HOST, removeDir, requireBinary, serverEnv, serverUser, type ServerFixture } from './common.js';
import { daemon, daemonFixture } from './daemon.js';

export interface Smtp extends ServerFixture {
  /** The name it gives itself in its banner and its EHLO reply. */
  readonly hostname: string;
  /** Its main log (one line per message and per rejected command), beside output(). */
  readonly mainLog: string;
  output(): string;
}

const HOSTNAME = 'portier.test';

function eximConf(dir: string): string {
  const uid = serverUser?.uid ?? userInfo().uid;
  const gid = serverUser?.gid ?? userInfo().gid;
  return [
    `primary_hostname = ${HOSTNAME}`,
    // The account it runs as anyway (it dropped root for -C); said so, Exim does not complain.
    `exim_user = ${uid}`,
    `exim_group = ${gid}`,
    'never_users =',
    'keep_environment =',
    `spool_directory = ${join(dir, 'spool')}`,
    `log_file_path = ${join(dir, 'log', '%slog')}`,
    `pid_file_path = ${join(dir, 'exim.pid')}`,
    `local_interfaces = ${HOST}`,
    // No certificate of its own: STARTTLS would offer a self-signed one. smtpchk does not
    // use it.
    'tls_advertise_hosts =',
    'host_lookup =',
    'rfc1413_hosts =',
    // A port taken by another process: fail at once, not after 9 retries 30 s apart.
    'daemon_startup_retries = 0',
    'acl_smtp_rcpt = accept_all',
    '',
    'begin acl',
    'accept_all:',
    '  accept',
    '',
    'begin routers',
    'discard:',
    '  driver = redirect',
    '  data = :blackhole:',
    '',
    'begin transports',
    '',
  ].join('\n');
}

/** Whether 127.0.0.1:`port` greets with a 220 banner naming `hostname` (within 2 s). */
function greets(port: number, hostname: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: HOST, port });
    let got = '';
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(2000, () => done(false));
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      got += d;
      if (got.includes('\n')) done(got.startsWith(`220 ${hostname} `));
    });
    s.on('error', () => done(false));
    s.on('close', () => done(false));
  });
}

export async function startSmtp(): Promise<Smtp> {
  const exim = requireBinary('/usr/sbin/exim4', 'exim4-daemon-light');
  const dir = await fixtureDir('smtp');
  try {
    const conf = join(dir, 'exim.conf');
    writeFileSync(conf, eximConf(dir));
    mkdirSync(join(dir, 'spool'));
    mkdirSync(join(dir, 'log'));
    await giveToServer(dir);
    const d = daemon({
      name: 'exim4',
      command: exim,
      ports: 1,
      args: ([port]) => ['-C', conf, '-bdf', '-oX', String(port)],
      env: serverEnv(dir),
      // It prints nothing when it listens (its log is a file): its banner says it is up.
      probe: (port) => greets(port, HOSTNAME),
    });
    await d.start();
    return {
      ...daemonFixture(d, dir),
      hostname: HOSTNAME,
      mainLog: join(dir, 'log', 'mainlog'),
    };
  } catch (e) {
    removeDir(dir);
    throw e;
  }
}
