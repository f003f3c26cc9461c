/**
 * Logging to a unix datagram socket (`log /dev/log local0` style) through the optional package
 * node-unix-socket (skipped when it is not installed): the datagrams haproxy 2.6.12 sends to the same
 * socket for the same configuration (when /usr/sbin/haproxy is there), pids and dates aside.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { check } from '../helpers/config.js';
import { tempDir } from '../helpers/process.js';
import { createProxyLogger } from '../../src/log/stream-logger.js';
import { closeLogSockets } from '../../src/log/sinks.js';
import { loadUnixDgram } from '../../src/log/unix-dgram.js';
import { RECORDED, RECORDED_TCPLOG } from '../unit/log/fixtures.js';
import { echoServer, freePort, haveHaproxy, runHaproxy, talk, TCP_DEFAULTS } from './log-peers.js';

const unixDgram = loadUnixDgram();
after(() => closeLogSockets());

function unixReceiver(path: string): { lines: string[]; wait(n: number): Promise<string[]>; close(): void } {
  const socket = unixDgram!.createSocket();
  const lines: string[] = [];
  socket.on('message', (b) => lines.push(b.toString('latin1')));
  socket.bind(path);
  return {
    lines,
    async wait(n) {
      const end = Date.now() + 3000;
      while (lines.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      return lines;
    },
    close: () => socket.close(),
  };
}

const cfg = (path: string, port: number, echo: number): string => `
global
    log ${path} local0
    log ${path} format rfc5424 local1
    log-tag haproxy
${TCP_DEFAULTS}frontend fe
    bind 127.0.0.1:${port}
    log global
    option tcplog
    default_backend be
backend be
    server s1 127.0.0.1:${echo}
`;

const normalise = (d: string): string =>
  d
    .replace(/\[\d+\]: /, '[PID]: ')
    .replace(/ haproxy \d+ - - /, ' haproxy PID - - ')
    .replace(/\b[A-Z][a-z]{2} [ 123]\d \d\d:\d\d:\d\d /, 'DATE ')
    .replace(/\d{4}-\d\d-\d\dT\S+ /, 'ISODATE ')
    .replace(/\d+\.\d+\.\d+\.\d+:\d+ \[[^\]]+\]/, 'CLIENT [DATE]')
    .replace(/ \d+\/\d+\/\d+ \d+ -- \d+\/\d+\/\d+\/\d+\/\d+ /, ' TIMES -- CONNS ');

test('unix datagram socket: the same bytes as haproxy', { skip: !unixDgram && 'the node-unix-socket addon is not installed' }, async () => {
  const path = join(tempDir('portier-log-unix-'), 'log.sock');
  const recv = unixReceiver(path);
  const echo = await echoServer();
  try {
    const port = await freePort();
    const text = cfg(path, port, echo.port);
    let theirs: string[] = [];
    if (haveHaproxy()) {
      await runHaproxy(text, port, async () => void (await talk(port, 'hello')));
      theirs = [...(await recv.wait(4))].filter((l) => / fe be\/s1 \S+ 5 -- /.test(l));
      recv.lines.length = 0;
      assert.equal(theirs.length, 2, 'haproxy logged to the unix socket');
    }
    const r = await check(text);
    assert.deepEqual(r.alerts, []);
    assert.deepEqual(r.warnings.filter((w) => /not supported yet/.test(w)), []);
    const logger = createProxyLogger(r.model, r.model.proxies.find((p) => p.name === 'fe')!)!;
    logger.log(RECORDED);
    const ours = await recv.wait(2);
    assert.match(ours[0]!, new RegExp(`^<134>\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d haproxy\\[${process.pid}\\]: ${RECORDED_TCPLOG.replaceAll('[', '\\[').replaceAll(']', '\\]').replaceAll('.', '\\.').replaceAll('+', '\\+')}\\n$`));
    if (haveHaproxy()) assert.deepEqual(ours.map(normalise), theirs.map(normalise));
  } finally {
    recv.close();
    echo.server.close();
  }
});

test('a unix socket nobody listens on: lines are dropped, the logger never throws', { skip: !unixDgram && 'the node-unix-socket addon is not installed' }, async () => {
  const path = join(tempDir('portier-log-unix-'), 'nobody.sock');
  const r = await check(cfg(path, 1, 2));
  const logger = createProxyLogger(r.model, r.model.proxies.find((p) => p.name === 'fe')!)!;
  const alerts: string[] = [];
  const { setLogAlert } = await import('../../src/log/sinks.js');
  setLogAlert((m) => alerts.push(m));
  logger.log(RECORDED);
  logger.log(RECORDED);
  await new Promise((res) => setTimeout(res, 50));
  // HAProxy's wording, once per process.
  assert.deepEqual(alerts, ['sendmsg()/writev() failed in logger #1: No such file or directory (errno=2)']);
});
