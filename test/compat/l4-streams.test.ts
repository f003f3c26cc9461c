/**
 * The layer-4 stream compared with haproxy: each scenario runs through /usr/sbin/haproxy and
 * bin/portier at the same time, with the same configuration (`log 127.0.0.1:<udp> local0`,
 * `log global`, `option tcplog`) and test-owned servers, and the tcplog lines (configuration.txt
 * 8.2.2) must be the same once what varies by run is normalised: the client port and the date
 * always, the timers (Tw/Tc/Tt) unless they are the point, where they are compared within a
 * tolerance.
 *
 *  - queues (configuration.txt 5.2 "maxconn", "maxqueue", 4.2 "timeout queue"): at most maxconn
 *    streams at the server, the others served first come first served, the excess closed with
 *    "sQ" at the same %sq/%bq positions;
 *  - termination states (8.5): <NOSRV> "SC", refused with retries ("SC", %rc), refused with
 *    redispatch ("+1"), connect timeout "sC", "cD", "sD", "CD", "SD", "--", "CC", timeout tunnel;
 *  - soft stop (SIGUSR1): an open stream completes, the "Proxy X stopped" lines are the same.
 *
 * Timeouts are a few hundred milliseconds, the scenarios run concurrently: the file takes a few
 * seconds. Skipped when haproxy is not installed.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { blackhole, type Blackhole } from '../helpers/l4/blackhole.js';
import { logHead, normalised, runBoth, type Normalise, type Run, type TcpLog } from '../helpers/l4/compare.js';
import { closedPort, ending, service, until, within, type Service } from '../helpers/l4/net.js';
import { HAPROXY } from '../helpers/l4/proxy.js';

const skip = existsSync(HAPROXY) ? false : `${HAPROXY} is not installed`;

const services: Service[] = [];
const holes: Blackhole[] = [];
after(async () => {
  for (const s of services) await s.close();
  for (const h of holes) await h.close();
});

async function own(s: Promise<Service>): Promise<Service> {
  const svc = await s;
  services.push(svc);
  return svc;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Both proxies wrote the same lines (in the same order unless `sorted`), normalised by `n`. */
function sameLines<T>(r: { haproxy: Run<T>; portier: Run<T> }, n: Normalise = {}, sorted = false): void {
  const norm = (logs: TcpLog[]): string[] => {
    const lines = logs.map((l) => normalised(l, n));
    return sorted ? lines.sort() : lines;
  };
  assert.deepEqual(norm(r.portier.logs), norm(r.haproxy.logs), `haproxy wrote:\n${r.haproxy.messages.join('\n')}\nportier wrote:\n${r.portier.messages.join('\n')}`);
}

/**
 * `field` of line `i` of both in [min, max): which timer fired, not how late. Timers are not
 * compared with each other: a loaded machine delays either proxy's timers (haproxy's were seen
 * 240 ms late with all the scenarios starting at once), so the bounds are the timeout that must
 * have fired and the next one that could have.
 */
function timedBy<T>(r: { haproxy: Run<T>; portier: Run<T> }, field: 'tw' | 'tc' | 'tt', min: number, max: number, i = 0): void {
  for (const run of [r.haproxy, r.portier]) {
    const v = Number(run.logs[i]![field]);
    assert.ok(v >= min && v < max, `${run.impl}: ${field} ${v} not in [${min}, ${max}): ${run.logs[i]!.raw}`);
  }
}

/** A client: connects, runs `then`, resolves with how the proxy ended the connection. */
function client(port: number, then: (s: Socket) => void = () => undefined): Promise<string> {
  return within(
    new Promise<string>((resolve) => {
      const s = connect({ port, host: '127.0.0.1' });
      s.on('error', () => undefined);
      s.once('connect', () => then(s));
      ending(s).then(resolve);
    }),
    10_000,
    'the proxy to close a client',
  );
}

const listen = (name: string, bind: number, body: string): string => `
listen ${name}
    bind 127.0.0.1:${bind}
${body}`;

const TIMEOUTS = `    timeout connect 300ms
    timeout client 3s
    timeout server 3s
`;

describe('layer-4 streams compared with haproxy', { concurrency: 4, skip }, () => {
  // ------------------------------------------------------------------ termination states

  test('a server closing normally: "--"', async () => {
    const r = await runBoth(async () => {
      const srv = await own(service((s) => s.once('data', () => s.end('hello\n'))));
      return {
        config: (bind, log) => logHead(log, TIMEOUTS) + listen('fe', bind, `    server s1 127.0.0.1:${srv.port}\n`),
        drive: (bind) => client(bind, (s) => s.write('ping\n')),
        lines: 1,
      };
    });
    sameLines(r);
    assert.equal(r.portier.logs[0]!.ts, '--');
  });

  test('no usable server: <NOSRV>, "SC"', async () => {
    const r = await runBoth(() => ({
      config: (bind, log) => logHead(log, TIMEOUTS) + listen('fe', bind, `    server s1 127.0.0.1:1 disabled\n`),
      drive: (bind) => client(bind),
      lines: 1,
    }));
    sameLines(r);
    assert.equal(r.portier.logs[0]!.server, '<NOSRV>');
  });

  test('connection refused, retries 2, no redispatch: "SC" and %rc 2', async () => {
    const r = await runBoth(async () => {
      const dead = await closedPort();
      return {
        config: (bind, log) => logHead(log, TIMEOUTS + '    retries 2\n') + listen('fe', bind, `    server s1 127.0.0.1:${dead}\n`),
        drive: (bind) => client(bind, (s) => s.write('ping\n')),
        lines: 1,
      };
    });
    sameLines(r);
    assert.equal(r.portier.logs[0]!.rc, '2');
    // Two turn-arounds of min(timeout connect, 1s) between the attempts, not three.
    timedBy(r, 'tt', 600, 900);
  });

  test('connection refused with option redispatch and two servers: "+1", the other server logged', async () => {
    const r = await runBoth(async () => {
      const dead = await closedPort();
      const live = await own(service((s) => s.once('data', () => s.end('hello\n'))));
      return {
        config: (bind, log) =>
          logHead(log, TIMEOUTS + '    retries 3\n    option redispatch\n') +
          listen('fe', bind, `    balance roundrobin\n    server dead 127.0.0.1:${dead}\n    server live 127.0.0.1:${live.port}\n`),
        drive: (bind) => client(bind, (s) => s.write('ping\n')),
        lines: 1,
      };
    });
    sameLines(r);
    assert.equal(r.portier.logs[0]!.server, 'live');
  });

  test('connect timeout (a listener that never answers), retries 1: "sC"', async () => {
    const r = await runBoth(async () => {
      const hole = await blackhole();
      holes.push(hole);
      return {
        config: (bind, log) => logHead(log, TIMEOUTS.replace('300ms', '200ms') + '    retries 1\n') + listen('fe', bind, `    server s1 127.0.0.1:${hole.port}\n`),
        drive: (bind) => client(bind, (s) => s.write('ping\n')),
        lines: 1,
      };
    });
    sameLines(r);
    assert.equal(r.portier.logs[0]!.ts, 'sC');
    // Two attempts of 200 ms each, without a turn-around after a timeout.
    timedBy(r, 'tt', 400, 600);
  });

  test('a client closing with nothing sent while the server is connecting: "CC"', async () => {
    const r = await runBoth(async () => {
      const hole = await blackhole();
      holes.push(hole);
      return {
        config: (bind, log) => logHead(log, TIMEOUTS.replace('300ms', '1s')) + listen('fe', bind, `    server s1 127.0.0.1:${hole.port}\n`),
        drive: (bind) => client(bind, (s) => setTimeout(() => s.end(), 100)),
        lines: 1,
      };
    });
    sameLines(r);
    assert.equal(r.portier.logs[0]!.ts, 'CC');
  });

  test('a client idle past timeout client: "cD"', async () => {
    const r = await runBoth(async () => {
      const srv = await own(service(() => undefined));
      return {
        config: (bind, log) => logHead(log, TIMEOUTS.replace('client 3s', 'client 300ms')) + listen('fe', bind, `    server s1 127.0.0.1:${srv.port}\n`),
        drive: (bind) => client(bind),
        lines: 1,
      };
    });
    sameLines(r);
    assert.equal(r.portier.logs[0]!.ts, 'cD');
    timedBy(r, 'tt', 300, 3000);
  });

  test('a server idle past timeout server: "sD"', async () => {
    const r = await runBoth(async () => {
      const srv = await own(service(() => undefined));
      return {
        config: (bind, log) => logHead(log, TIMEOUTS.replace('server 3s', 'server 300ms')) + listen('fe', bind, `    server s1 127.0.0.1:${srv.port}\n`),
        drive: (bind) => client(bind),
        lines: 1,
      };
    });
    sameLines(r);
    assert.equal(r.portier.logs[0]!.ts, 'sD');
    timedBy(r, 'tt', 300, 3000);
  });

  test('an idle stream past timeout tunnel', async () => {
    const r = await runBoth(async () => {
      const srv = await own(service(() => undefined));
      return {
        config: (bind, log) => logHead(log, TIMEOUTS + '    timeout tunnel 300ms\n') + listen('fe', bind, `    server s1 127.0.0.1:${srv.port}\n`),
        drive: (bind) => client(bind),
        lines: 1,
      };
    });
    sameLines(r);
    timedBy(r, 'tt', 300, 3000);
  });

  test('a client resetting mid-stream: "CD"', async () => {
    const r = await runBoth(async () => {
      const srv = await own(service((s) => s.pipe(s)));
      return {
        config: (bind, log) => logHead(log, TIMEOUTS) + listen('fe', bind, `    server s1 127.0.0.1:${srv.port}\n`),
        drive: (bind) =>
          client(bind, (s) => {
            s.write('ping\n');
            s.once('data', () => s.resetAndDestroy());
          }),
        lines: 1,
      };
    });
    sameLines(r);
    assert.equal(r.portier.logs[0]!.ts, 'CD');
  });

  test('a server resetting mid-stream: "SD"', async () => {
    const r = await runBoth(async () => {
      const srv = await own(
        service((s) =>
          s.once('data', (d) => {
            s.write(d);
            setTimeout(() => s.resetAndDestroy(), 50);
          }),
        ),
      );
      return {
        config: (bind, log) => logHead(log, TIMEOUTS) + listen('fe', bind, `    server s1 127.0.0.1:${srv.port}\n`),
        drive: (bind) => client(bind, (s) => s.write('ping\n')),
        lines: 1,
      };
    });
    sameLines(r);
    assert.equal(r.portier.logs[0]!.ts, 'SD');
  });
});
