/**
 * halog (Debian's haproxy package) reads Portier's tcplog lines as it reads haproxy's: haproxy
 * logs a few TCP streams (one to a server that refuses connections); Portier logs the same
 * streams; both logs, written as syslog files, go through halog's reports, which must be the
 * same. Skipped without haproxy or halog.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { check } from '../helpers/config.js';
import { run } from '../helpers/run.js';
import { createProxyLogger } from '../../src/log/stream-logger.js';
import { closeLogSockets } from '../../src/log/sinks.js';
import { echoServer, freePort, haveHaproxy, parseTcplog, runHaproxy, talk, udpReceiver } from './log-peers.js';

process.env.TZ = 'UTC';
after(() => closeLogSockets());

const HALOG = ['/usr/bin/halog', '/usr/sbin/halog'].find((p) => existsSync(p));

/** A datagram as rsyslog writes it to a file: the priority dropped, one pid and host. */
const asFileLine = (d: string): string => d.replace(/^<\d+>/, '').replace(/\[\d+\]: /, '[1]: ');

test('halog reports the same on Portier\'s log as on haproxy\'s', { skip: (!haveHaproxy() || !HALOG) && 'haproxy or halog missing' }, async () => {
  const recv = await udpReceiver();
  const echo = await echoServer();
  try {
    const port = await freePort();
    const dead = await freePort();
    const cfg = `
global
    log 127.0.0.1:${recv.port} format rfc3164 local0
    log-send-hostname vm
    log-tag haproxy
defaults
    mode tcp
    retries 1
    timeout client 5s
    timeout server 5s
    timeout connect 1s
frontend fe
    bind 127.0.0.1:${port}
    log global
    option tcplog
    default_backend be
backend be
    balance roundrobin
    server s1 127.0.0.1:${echo.port}
    server s2 127.0.0.1:${dead}
`;
    await runHaproxy(cfg, port, async () => {
      for (let i = 0; i < 4; i++) await talk(port, `hello ${i}`).catch(() => '');
    });
    const theirs = (await recv.wait(5, 500)).filter((l) => / fe be\//.test(l)).map(asFileLine);
    recv.lines.length = 0;
    assert.ok(theirs.length >= 5, theirs.join(''));
    assert.ok(theirs.some((l) => / SC /.test(l)), 'a refused connection was logged');

    const r = await check(cfg);
    const logger = createProxyLogger(r.model, r.model.proxies.find((p) => p.name === 'fe')!)!;
    for (const l of theirs) logger.log(parseTcplog(/: (\S+:\d+ \[.*)\n$/.exec(l)![1]!));
    const ours = (await recv.wait(theirs.length)).map(asFileLine);
    assert.equal(ours.length, theirs.length);

    const input = (lines: string[]): string => lines.map((l) => l.replace(/^\w{3} [ \d]\d \d\d:\d\d:\d\d /, 'Nov 25 21:28:41 ')).join('');
    for (const args of [['-srv'], ['-st'], ['-ic'], ['-pct'], ['-c'], ['-e', '-c'], ['-tcn', 'SC', '-c'], ['-Q', '-c'], ['-srv', '-time', '1:']]) {
      const a = await run(HALOG!, args, { input: input(theirs) });
      const b = await run(HALOG!, args, { input: input(ours) });
      assert.equal(b.stdout, a.stdout, `halog ${args.join(' ')}`);
      assert.equal(b.stderr, a.stderr, `halog ${args.join(' ')} (stderr)`);
    }
    const srv = await run(HALOG!, ['-srv'], { input: input(ours) });
    assert.match(srv.stdout, /^be\/s1 /m);
    assert.match(srv.stdout, /^be\/s2 /m);
  } finally {
    recv.close();
    echo.server.close();
  }
});
