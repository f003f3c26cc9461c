/**
 * tcp-request rules on real sockets (configuration.txt 4.2): the listeners of HAProxy's own
 * health-check tests exactly as written there (reg-tests/checks/ldap-check.vtc,
 * redis-check.vtc: "inspect-delay 100ms", the check's request accepted, anything else
 * rejected), rules on a unix socket listener, and what rules see behind a PROXY header. Each
 * scenario runs through haproxy too when it is installed, which shows the expectation is
 * HAProxy's behaviour (test/compat/tcp-request.test.ts compares the log lines).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { runScenario, logHead } from '../helpers/l4/compare.js';
import { ending, freePort, service, waitForListener, within, type Service } from '../helpers/l4/net.js';
import { HAPROXY, startProxy, tempDir, type Impl } from '../helpers/l4/proxy.js';
import { END, scriptedClient } from '../helpers/l4/scripted.js';

const IMPLS: readonly Impl[] = existsSync(HAPROXY) ? ['portier', 'haproxy'] : ['portier'];

const services: Service[] = [];
after(async () => {
  for (const s of services) await s.close();
});

const hex = (h: string): string => Buffer.from(h.replace(/ /g, ''), 'hex').toString('latin1');

/** A server as the vtc's: reads `expect` bytes, then answers. */
async function vtcServer(expect: number, answer: string): Promise<Service & { requests: string[] }> {
  const requests: string[] = [];
  const svc = await service((s) => {
    let got = '';
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      got += d;
      if (got.length >= expect) {
        requests.push(got);
        s.end(Buffer.from(answer, 'latin1'));
      }
    });
  });
  services.push(svc);
  return Object.assign(svc, { requests });
}

const TIMEOUTS = `    timeout client 5s
    timeout server 5s
    timeout connect 5s
`;

// reg-tests/checks/ldap-check.vtc: the LDAPv3 bind request of "option ldap-check", and the answer of its server s1.
const LDAP_BIND = '300C020101600702010304008000';
const LDAP_ANSWER = hex('300C020101 61 070A01 00 04000400');
const LDAP1 = (bind: number, srv: number): string => `
listen ldap1
    bind 127.0.0.1:${bind}
    tcp-request inspect-delay 100ms
    tcp-request content accept if { req.len eq 14 } { req.payload(0,14) -m bin "300C020101600702010304008000" }
    tcp-request content reject
    server srv 127.0.0.1:${srv}
`;

// reg-tests/checks/redis-check.vtc: the PING of "option redis-check".
const REDIS1 = (bind: number, srv: number): string => `
listen redis1
    bind 127.0.0.1:${bind}
    tcp-request inspect-delay 100ms
    tcp-request content accept if { req.len eq 14 } { req.payload(0,14) -m str "*1\\r\\n\\$4\\r\\nPING\\r\\n" }
    tcp-request content reject
    server srv 127.0.0.1:${srv}
`;

/**
 * Two clients, one after the other, through `sections` (given the port to bind): one whose
 * request should go through, one whose request should be refused. Two log lines.
 */
function throughAndRefused(impl: (typeof IMPLS)[number], sections: (bind: number) => string, through: string, refused: string) {
  return runScenario(impl, {
    config: (bind, log) => logHead(log, TIMEOUTS) + sections(bind),
    drive: async (bind) => ({
      through: await scriptedClient(bind, [[0, through]], 3000),
      refused: await scriptedClient(bind, [[0, refused]], 3000),
    }),
    lines: 2,
  });
}

for (const impl of IMPLS) {
  test(`${impl}: the ldap-check.vtc listener lets the LDAP bind request through, rejects anything else with "PR"`, async () => {
    const srv = await vtcServer(14, LDAP_ANSWER);
    const r = await runScenario(impl, {
      config: (bind, log) => logHead(log, TIMEOUTS) + LDAP1(bind, srv.port),
      drive: async (bind) => ({
        ok: await scriptedClient(bind, [[0, hex(LDAP_BIND)]], 3000),
        wrong: await scriptedClient(bind, [[0, hex(LDAP_BIND.replace('60', '61'))]], 3000),
        partial: await scriptedClient(bind, [[0, hex(LDAP_BIND).slice(0, 5)]], 3000),
      }),
      lines: 3,
    });
    // The check's request reaches the server, whose answer comes back.
    assert.equal(r.result.ok.got, LDAP_ANSWER);
    assert.deepEqual(srv.requests, [hex(LDAP_BIND)]);
    // The others are closed (FIN) without reaching it; a partial request after the delay.
    assert.equal(r.result.wrong.how, 'end');
    assert.equal(r.result.wrong.got, '');
    assert.equal(r.result.partial.how, 'end');
    assert.ok(r.result.partial.ms >= 90, `closed after ${r.result.partial.ms} ms`);
    assert.deepEqual(
      r.logs.map((l) => `${l.backend}/${l.server} ${l.tw}/${l.tc} ${l.bytes} ${l.ts}`),
      [`ldap1/srv ${r.logs[0]!.tw}/${r.logs[0]!.tc} ${LDAP_ANSWER.length} --`, 'ldap1/<NOSRV> -1/-1 0 PR', 'ldap1/<NOSRV> -1/-1 0 PR'],
    );
  });

  test(`${impl}: the redis-check.vtc listener lets PING through, rejects PONG`, async () => {
    const srv = await vtcServer(14, '+PONG\r\n');
    const r = await throughAndRefused(impl, (bind) => REDIS1(bind, srv.port), '*1\r\n$4\r\nPING\r\n', '*1\r\n$4\r\nPONG\r\n');
    assert.equal(r.result.through.got, '+PONG\r\n');
    assert.equal(r.result.refused.got, '');
    assert.deepEqual(
      r.logs.map((l) => l.ts),
      ['--', 'PR'],
    );
  });

  test(`${impl}: behind a PROXY header, content rules see its addresses, connection rules the socket's`, async () => {
    const srv = await vtcServer(2, 'ok');
    const listenFe = (bind: number): string => `
listen fe
    bind 127.0.0.1:${bind} accept-proxy
    tcp-request connection reject unless { src 127.0.0.1 }
    tcp-request content reject unless { src 192.0.2.1 } { src_port 4000 } { dst 198.51.100.2 } { dst_port 443 }
    server srv 127.0.0.1:${srv.port}
`;
    const r = await throughAndRefused(impl, listenFe, 'PROXY TCP4 192.0.2.1 198.51.100.2 4000 443\r\nhi', 'PROXY TCP4 192.0.2.9 198.51.100.2 4000 443\r\nhi');
    assert.equal(r.result.through.got, 'ok');
    assert.equal(r.result.refused.got, '');
    assert.deepEqual(
      r.logs.map((l) => `${l.clientIp} ${l.ts}`),
      ['192.0.2.1 --', '192.0.2.9 PR'],
    );
  });

  test(`${impl}: on a unix socket there is no source address: no source network matches`, async () => {
    const srv = await vtcServer(2, 'ok');
    const dir = tempDir('portier-tcpreq-');
    const path = join(dir, 'fe.sock');
    const accepting = join(dir, 'ok.sock');
    const port = await freePort();
    const p = startProxy(
      impl,
      `defaults
    mode tcp
${TIMEOUTS}
listen rejecting
    bind unix@${path}
    tcp-request connection reject unless { src 0.0.0.0/0 ::/0 }
    server srv 127.0.0.1:${srv.port}

listen accepting
    bind unix@${accepting}
    bind 127.0.0.1:${port}
    tcp-request inspect-delay 1s
    tcp-request content accept if { req.len eq 2 }
    tcp-request content reject
    server srv 127.0.0.1:${srv.port}
`,
    );
    try {
      await waitForListener({ port, host: '127.0.0.1' }, 15_000, () => p.child.exitCode === null);
      const talk = (target: string): Promise<{ how: string; got: string }> =>
        within(
          new Promise((resolve) => {
            const s = connect({ path: target });
            let got = '';
            s.setEncoding('latin1');
            s.on('data', (d: string) => (got += d));
            s.on('error', () => undefined);
            s.once('connect', () => s.write('hi'));
            ending(s).then((how) => resolve({ how, got }));
          }),
          10_000,
          'a unix socket client',
        );
      const rejected = await talk(path);
      // Closed at once, with the client's data unread: a reset, or a broken pipe when the
      // client's write comes after the close (as with haproxy).
      assert.equal(rejected.got, '');
      assert.ok(['ECONNRESET', 'EPIPE'].includes(rejected.how), rejected.how);
      assert.deepEqual(await talk(accepting), { how: 'end', got: 'ok' });
    } finally {
      await p.stop();
    }
  });
}

test('a FIN with half a request ends the wait at once (the contents cannot change any more)', async () => {
  const srv = await vtcServer(14, LDAP_ANSWER);
  const r = await runScenario('portier', {
    config: (bind, log) => logHead(log, TIMEOUTS) + LDAP1(bind, srv.port).replace('100ms', '10s'),
    drive: (bind) => scriptedClient(bind, [[0, hex(LDAP_BIND).slice(0, 5)], [100, END]], 20_000),
    lines: 1,
  });
  assert.equal(r.logs[0]!.ts, 'PR');
  assert.ok(Number(r.logs[0]!.tt) < 5000, r.logs[0]!.raw);
});
