/**
 * Log options from a running proxy, haproxy and Portier with the same configuration (Portier on
 * raw handles and with PORTIER_RAW_SOCKETS=0), to a UDP syslog receiver: `log-tag`, `format
 * rfc5424`, `option dontlognull` (a connection that sent nothing is not logged), `option
 * logasap` (the line is sent when the server connection is up, with "+" before the total time
 * and the bytes). The in-process tests (log-haproxy, log-udp) check the bytes of each format;
 * this one checks that the running proxy uses them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo } from 'node:net';
import { freePort, until, waitForListener, within } from '../helpers/l4/net.js';
import { DATA_PATH_RUNS, startProxy } from '../helpers/l4/proxy.js';
import { syslogReceiver } from '../helpers/l4/syslog.js';

/** Sends `text`, waits for the answer, then closes. */
function exchange(port: number, text: string): Promise<string> {
  return within(
    new Promise<string>((resolve) => {
      const c = connect({ port, host: '127.0.0.1' });
      c.on('error', () => {});
      c.once('data', (d: Buffer) => {
        resolve(d.toString('latin1'));
        c.end();
      });
      c.write(text);
    }),
    10_000,
    'an answer',
  );
}

test('log-tag, rfc5424, dontlognull and logasap from a running proxy: the lines haproxy sends', async () => {
  const echo = createServer((c) => {
    c.on('error', () => {});
    c.on('data', (d: Buffer) => c.write(d));
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  const server = (echo.address() as AddressInfo).port;
  const seen: Record<string, string[]> = {};
  try {
    for (const run of DATA_PATH_RUNS) {
      const syslog = await syslogReceiver();
      const [quiet, early] = [await freePort(), await freePort()];
      const proxy = startProxy(
        run.impl,
        `global
    log 127.0.0.1:${syslog.port} format rfc5424 local0
    log-tag edge

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 5s
    timeout server 5s

listen quiet
    option dontlognull
    bind 127.0.0.1:${quiet}
    server s 127.0.0.1:${server}

listen early
    option logasap
    bind 127.0.0.1:${early}
    server s 127.0.0.1:${server}
`,
        { env: run.env },
      );
      try {
        // The probe of "quiet" sends nothing: not logged. The probe of "early" is (logasap: once connected).
        await waitForListener({ host: '127.0.0.1', port: quiet }, 15_000, () => proxy.child.exitCode === null);
        await waitForListener({ host: '127.0.0.1', port: early }, 15_000, () => proxy.child.exitCode === null);
        await new Promise((r) => setTimeout(r, 300));
        const before = syslog.lines.length;
        assert.equal(await exchange(quiet, 'hello'), 'hello');
        assert.equal(await exchange(early, 'hi'), 'hi');
        const ours = (): string[] => syslog.lines.slice(before).filter((l) => / (quiet|early) /.test(l));
        await until(() => ours().length >= 2, 5000, `2 lines from ${run.name} (${JSON.stringify(syslog.lines)})`);
        await new Promise((r) => setTimeout(r, 200));
        // dontlognull: the probe of "quiet" (nothing sent) left no line; its exchange did.
        assert.equal(syslog.lines.filter((l) => / quiet /.test(l)).length, 1, `${run.name}: lines of "quiet"`);
        // Sorted: the logasap line may come before or after the other stream's end.
        seen[run.name] = ours().map((l) =>
          l
            // <134>1 2026-11-26T10:00:00.123456+00:00 host tag pid - - message
            .replace(/^(<\d+>1) \S+ \S+ (\S+) \d+ /, '$1 DATE HOST $2 PID ')
            .replace(/127\.0\.0\.1:\d+ \[[^\]]+\]/, '127.0.0.1:PORT [DATE]')
            .replace(/ \+?\d+\/\+?\d+\/\+?\d+ /, (t) => ' ' + t.trim().replace(/\d+/g, 'T') + ' ')
            // %ac counts the process's connections: the previous one may still be closing.
            .replace(/ -- \d+\//, ' -- A/'),
        ).sort();
      } finally {
        await proxy.stop();
        syslog.close();
      }
    }
  } finally {
    echo.close();
  }
  const h = seen['haproxy']!;
  assert.deepEqual(h, [
    '<134>1 DATE HOST edge PID - - 127.0.0.1:PORT [DATE] early early/s T/T/+T +0 -- A/1/1/1/0 0/0',
    '<134>1 DATE HOST edge PID - - 127.0.0.1:PORT [DATE] quiet quiet/s T/T/T 5 -- A/1/0/0/0 0/0',
  ]);
  for (const run of DATA_PATH_RUNS.slice(1)) assert.deepEqual(seen[run.name], h, `${run.name}: the lines`);
});
