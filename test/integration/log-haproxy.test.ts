/**
 * Portier's log datagrams against haproxy 2.6.12's for the same configuration (skipped without
 * /usr/sbin/haproxy): haproxy runs the configuration and logs one TCP stream to a UDP receiver
 * on 127.0.0.1; Portier loads the same configuration, formats the same stream (its values read
 * back from haproxy's tcplog line) and sends it with its own loggers to the same receiver. The
 * bytes must match, pids and header dates aside.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from '../helpers/config.js';
import { createProcessLogger, createProxyLogger } from '../../src/log/stream-logger.js';
import { closeLogSockets } from '../../src/log/sinks.js';
import { echoServer, freePort, haveHaproxy, parseTcplog, runHaproxy, talk, udpReceiver, TCP_DEFAULTS } from './log-peers.js';

process.env.TZ = 'UTC';
after(() => closeLogSockets());

/** Pids and header dates vary from run to run. */
function normalise(datagram: string): string {
  return datagram
    .replace(/\[\d+\]: /, '[PID]: ')
    .replace(/^(<\d+>1 \S+ \S+ \S+ )\d+ /, '$1PID ')
    .replace(/\b[A-Z][a-z]{2} [ 123]\d \d\d:\d\d:\d\d /, 'DATE ')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d /, 'ISODATE ');
}

const ALL_FORMATS = (recv: number): string => `
global
    log 127.0.0.1:${recv} local0
    log 127.0.0.1:${recv} format rfc3164 local1
    log 127.0.0.1:${recv} format rfc5424 local2
    log 127.0.0.1:${recv} format short local3
    log 127.0.0.1:${recv} format priority local4
    log 127.0.0.1:${recv} format timed local5
    log 127.0.0.1:${recv} format iso local6
    log 127.0.0.1:${recv} format raw local7
    log 127.0.0.1:${recv} format local user notice
    log 127.0.0.1:${recv} len 90 local0 info err
    log-tag haproxy
`;

const PROXIES = (port: number, echo: number, extra = ''): string => `
${TCP_DEFAULTS}
frontend fe
    bind 127.0.0.1:${port}
    log global
    option tcplog
${extra}
    default_backend be

backend be
    server s1 127.0.0.1:${echo}
`;

async function compare(globalPart: (recv: number) => string, extra = ''): Promise<void> {
  const recv = await udpReceiver();
  const echo = await echoServer();
  try {
    const port = await freePort();
    const cfg = globalPart(recv.port) + PROXIES(port, echo.port, extra);
    await runHaproxy(cfg, port, async () => void (await talk(port, 'hello')));
    const theirs = [...(await recv.wait(100, 400))];
    recv.lines.length = 0;
    assert.ok(theirs.length > 0, 'haproxy sent nothing');

    // The same configuration in Portier; the stream read back from haproxy's first line.
    const r = await check(cfg);
    assert.deepEqual(r.alerts, []);
    const fe = r.model.proxies.find((p) => p.name === 'fe')!;
    const logger = createProxyLogger(r.model, fe)!;
    // Each stream (the readiness probe, then the client) as haproxy logged it, in order.
    const streams = [...new Set(theirs.map((l) => /(\d+\.\d+\.\d+\.\d+:\d+ \[[^\]]*\] fe be\/s1 [^\n]*)\n$/.exec(l)?.[1]).filter((m) => m !== undefined))];
    const full = streams.filter((m) => / \S\S [\d/+]+ [\d/]+$/.test(m));
    for (const m of full) logger.log(parseTcplog(m));
    const stopped = /Proxy fe stopped \(cumulated conns: FE: \d+, BE: \d+\)\./.exec(theirs.join(''))![0];
    logger.send('warning', stopped);
    const process = createProcessLogger(r.model);
    process.send('warning', 'Proxy <HTTPCLIENT> stopped (cumulated conns: FE: 0, BE: 0).');
    const ours = await recv.wait(theirs.length, 2000);
    // haproxy also stopped "be", which logs nowhere: the same lines (two streams logged at the
    // same moment may arrive in either order).
    assert.deepEqual(ours.map(normalise).sort(), theirs.map(normalise).sort());
  } finally {
    recv.close();
    echo.server.close();
  }
}

test('every syslog format, level filter and len: the bytes haproxy sends', { skip: !haveHaproxy() }, async () => {
  await compare(ALL_FORMATS);
});

test('log-send-hostname, a proxy log-tag and option logasap', { skip: !haveHaproxy() }, async () => {
  await compare(
    (recv) => `
global
    log 127.0.0.1:${recv} local0
    log 127.0.0.1:${recv} format rfc5424 local1
    log-send-hostname myhost
    log-tag mytag
`,
    '    log-tag fetag\n    option logasap',
  );
});
