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
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
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

async function own<S extends Service>(s: Promise<S>): Promise<S> {
  const svc = await s;
  services.push(svc);
  return svc;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A server for the queue scenarios: reads the client's name ("c3\n"), records the order of
 * arrival and the highest number of connections it serves at once, holds each connection
 * `holdMs` after the name came, then closes it. A connection counts from its accept to the
 * server's close (not to the socket's 'close' event, which waits for the proxy's reply to the
 * FIN: the proxy may already have freed the slot and connected the next one).
 */
async function queueServer(holdMs: number): Promise<Service & { order: string[]; max: number }> {
  let serving = 0;
  const svc = Object.assign(
    await service((s) => {
      serving++;
      svc.max = Math.max(svc.max, serving);
      let got = '';
      s.setEncoding('latin1');
      s.on('data', (d: string) => {
        got += d;
        const nl = got.indexOf('\n');
        if (nl < 0 || got.length - d.length > nl) return;
        svc.order.push(got.slice(0, nl));
        setTimeout(() => {
          serving--;
          s.end();
        }, holdMs);
      });
    }),
    { order: [] as string[], max: 0 },
  );
  return svc;
}

/** `n` clients "c0".."c<n-1>", one every `stepMs`, each sending its name: how each was closed. */
async function staggered(port: number, n: number, stepMs: number): Promise<string[]> {
  const ends: Promise<string>[] = [];
  for (let i = 0; i < n; i++) {
    ends.push(client(port, (s) => s.write(`c${i}\n`)));
    await sleep(stepMs);
  }
  return Promise.all(ends);
}

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

/** A server that keeps its side open when the other one shuts it (allowHalfOpen); `onSocket` runs on each connection. */
async function halfOpenServer(onSocket: (s: Socket) => void): Promise<{ port: number; close(): void }> {
  const open = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (s) => {
    open.add(s);
    s.on('error', () => undefined);
    s.on('close', () => open.delete(s));
    onSocket(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      for (const s of open) s.destroy();
      server.close();
    },
  };
}

/**
 * A client that keeps its side open when the proxy shuts its own (so it may not see the proxy
 * close it: the log line says what happened). Resolves once connected and `then` ran; the
 * socket is destroyed after the test.
 */
const halfOpenClients: Socket[] = [];
after(() => {
  for (const s of halfOpenClients) s.destroy();
});
function halfOpenClient(port: number, then: (s: Socket) => void): Promise<void> {
  return within(
    new Promise<void>((resolve) => {
      const s = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      halfOpenClients.push(s);
      s.on('error', () => undefined);
      s.resume();
      s.once('connect', () => {
        then(s);
        resolve();
      });
    }),
    10_000,
    'a connection to the proxy',
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

// The queue scenarios count on 170 ms margins: they run one at a time, before the others.
describe('layer-4 queues compared with haproxy', { concurrency: 1, skip }, () => {
  test('server maxconn 2, 10 clients: at most 2 at the server, first come first served, timeout queue closes the excess with "sQ"', async () => {
    // Clients every 50 ms, each held 700 ms by the server: c0 and c1 are served at once, c2 and
    // c3 when they leave (after waiting 600 ms < timeout queue 780 ms), c4..c9 time out in the
    // queue (at 980..1230 ms) before the next slots free up (1400 ms): 170 ms margins either
    // way, and 50 ms between neighbours so that the log order is the order of the events.
    const r = await runBoth(async () => {
      const srv = await own(queueServer(700));
      return {
        config: (bind, log) =>
          logHead(log, TIMEOUTS + '    timeout queue 780ms\n') + listen('fe', bind, `    server s1 127.0.0.1:${srv.port} maxconn 2\n`),
        drive: (bind) => staggered(bind, 10, 50).then((ends) => ({ ends, order: srv.order, max: srv.max })),
        lines: 10,
      };
    });
    // Sorted: c2 and c3 end 700 ms after they got their slots, and on a busy machine c0's and
    // c1's ends (which free those slots) can come within milliseconds, so the last two lines
    // may swap. The serving order is asserted below from the server's side.
    sameLines(r, {}, true);
    for (const run of [r.haproxy, r.portier]) {
      assert.equal(run.result.max, 2, `${run.impl}: at most 2 connections at the server`);
      assert.deepEqual(run.result.order, ['c0', 'c1', 'c2', 'c3'], `${run.impl}: served in the order of arrival`);
    }
    assert.equal(r.portier.logs.filter((l) => l.ts === 'sQ').length, 6);
    // Tw of the queued-then-served ones, and of those that timed out: the queue timeout fired.
    for (const run of [r.haproxy, r.portier]) {
      for (const l of run.logs.filter((x) => x.ts === 'sQ')) assert.ok(l.tw >= 780 && l.tw < 1400, `${run.impl}: ${l.raw}`);
    }
  });

  test('a server queue full (hash balancing, maxconn 1, maxqueue 2): the excess is refused', async () => {
    // balance source sends every client to the same server; two wait in its queue, the others
    // find it full. The server holds each connection 300 ms; timeout queue (2 s) never fires.
    const r = await runBoth(async () => {
      const srv = await own(queueServer(300));
      return {
        config: (bind, log) =>
          logHead(log, TIMEOUTS + '    timeout queue 2s\n') +
          listen('fe', bind, `    balance source\n    server s1 127.0.0.1:${srv.port} maxconn 1 maxqueue 2\n`),
        drive: (bind) => staggered(bind, 5, 50).then((ends) => ({ ends, order: srv.order, max: srv.max })),
        lines: 5,
      };
    });
    sameLines(r);
    for (const run of [r.haproxy, r.portier]) {
      assert.equal(run.result.max, 1, `${run.impl}: at most 1 connection at the server`);
      assert.deepEqual(run.result.order, ['c0', 'c1', 'c2'], `${run.impl}: served in the order of arrival`);
    }
    assert.deepEqual(
      r.portier.logs.map((l) => l.ts),
      ['SQ', 'SQ', '--', '--', '--'],
    );
  });


  test('leastconn with maxconn 1 and maxqueue 1 on two servers: queued streams count as load', async () => {
    // c0 and c1 take the two slots; c2 and c3 wait in the servers' own queues (HAProxy's
    // leastconn counts queued streams and skips a server at maxconn + maxqueue); c4 finds both
    // at their limit and waits in the backend's queue.
    const r = await runBoth(async () => {
      const a = await own(queueServer(300));
      const b = await own(queueServer(300));
      return {
        config: (bind, log) =>
          logHead(log, TIMEOUTS + '    timeout queue 2s\n') +
          listen('fe', bind, `    balance leastconn\n    server s1 127.0.0.1:${a.port} maxconn 1 maxqueue 1\n    server s2 127.0.0.1:${b.port} maxconn 1 maxqueue 1\n`),
        drive: (bind) => staggered(bind, 5, 50).then((ends) => ({ ends, a: a.order, b: b.order })),
        lines: 5,
      };
    });
    // c2 and c3 end within a few ms of each other (each served 300 ms after its server freed):
    // their lines may come in either order. Which server served which client, and in what
    // order, is asserted from the servers below.
    sameLines(r, {}, true);
    for (const run of [r.haproxy, r.portier]) assert.equal(run.result.a.length + run.result.b.length, 5, `${run.impl}: every client served`);
    assert.deepEqual(r.portier.result, { ...r.portier.result, a: r.haproxy.result.a, b: r.haproxy.result.b });
  });

  test('clients closing while queued: with nothing sent "CQ", with a request sent it stays queued and is served', async () => {
    // c0 holds the only slot 600 ms; c1 (nothing sent) and c2 (its name sent) half-close at
    // 200 ms while queued. HAProxy gives up a queued stream only when nothing waits to be sent.
    const r = await runBoth(async () => {
      const srv = await own(queueServer(600));
      return {
        config: (bind, log) => logHead(log, TIMEOUTS + '    timeout queue 2s\n') + listen('fe', bind, `    server s1 127.0.0.1:${srv.port} maxconn 1\n`),
        drive: async (bind) => {
          const c0 = client(bind, (s) => s.write('c0\n'));
          await sleep(50);
          const c1 = client(bind, (s) => setTimeout(() => s.end(), 150));
          await sleep(50);
          const c2 = client(bind, (s) => {
            s.write('c2\n');
            setTimeout(() => s.end(), 100);
          });
          await Promise.all([c0, c1, c2]);
          return { order: srv.order };
        },
        lines: 3,
      };
    });
    sameLines(r);
    assert.deepEqual(
      r.portier.logs.map((l) => l.ts),
      ['CQ', '--', '--'],
    );
    for (const run of [r.haproxy, r.portier]) assert.deepEqual(run.result.order, ['c0', 'c2'], run.impl);
  });
});

describe('layer-4 termination states compared with haproxy', { concurrency: 4, skip }, () => {
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
    // How many connection attempts fit before the client's close is seen is a race in both
    // proxies (fresh-clone CI runs saw 0/1 and 2/3): the retries are not compared.
    sameLines(r, { retries: true });
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

  // The "-fin" timeouts apply to a side once the proxy has shut the direction toward it (sent it
  // a FIN) and waits for its own (configuration.txt 4.2: connections left in FIN_WAIT). Each row:
  // what the server and the client do, the timeouts, the state logged and when it may come.
  const halfClosed: {
    title: string;
    server: (s: Socket) => void;
    client: (c: Socket) => void;
    timeouts: string;
    ts: string;
    within: [number, number];
  }[] = [
    {
      title: 'the server shut its side, the client neither sends nor shuts: timeout client-fin, "cD"',
      server: (s) => s.end('bye'),
      client: () => undefined,
      timeouts: TIMEOUTS + '    timeout client-fin 300ms\n',
      ts: 'cD',
      within: [300, 3000],
    },
    {
      title: 'the client shut its side, the server neither answers nor shuts: timeout server-fin, "sD"',
      server: (s) => s.resume(),
      client: (c) => c.end('bye'),
      timeouts: TIMEOUTS + '    timeout server-fin 300ms\n',
      ts: 'sD',
      within: [300, 3000],
    },
    {
      title: 'the client shut its side with only client-fin set: the server timeout ends it, "sD"',
      server: (s) => s.resume(),
      client: (c) => c.end('bye'),
      timeouts: TIMEOUTS.replace('server 3s', 'server 1s') + '    timeout client-fin 300ms\n',
      ts: 'sD',
      within: [1000, 3000],
    },
  ];
  for (const row of halfClosed) {
    test(row.title, async () => {
      const holder = await halfOpenServer(row.server);
      try {
        const r = await runBoth(() => ({
          config: (bind, log) => logHead(log, row.timeouts) + listen('fe', bind, `    server s1 127.0.0.1:${holder.port}\n`),
          drive: (bind) => halfOpenClient(bind, row.client),
          lines: 1,
        }));
        sameLines(r);
        assert.equal(r.portier.logs[0]!.ts, row.ts);
        timedBy(r, 'tt', row.within[0], row.within[1]);
      } finally {
        holder.close();
      }
    });
  }

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

describe('soft stop compared with haproxy', { skip }, () => {
  test('SIGUSR1 with an open stream: the stream completes, new connections are refused, the same lines are logged', async () => {
    const r = await runBoth(async () => {
      const srv = await own(service((s) => s.pipe(s)));
      return {
        config: (bind, log) => logHead(log, TIMEOUTS) + listen('fe', bind, `    server s1 127.0.0.1:${srv.port}\n`),
        stop: false,
        lines: 1,
        drive: async (bind, proxy) => {
          const s = connect({ port: bind, host: '127.0.0.1' });
          s.setEncoding('latin1');
          let got = '';
          s.on('data', (d: string) => (got += d));
          const ended = ending(s);
          s.write('before\n');
          await until(() => got === 'before\n', 5000, 'the echo before the soft stop');
          proxy.child.kill('SIGUSR1');
          await sleep(300);
          // The listener is closed; the stream goes on.
          const refused = await new Promise<string>((resolve) => {
            const t = connect({ port: bind, host: '127.0.0.1' });
            t.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
            t.on('connect', () => {
              t.destroy();
              resolve('connected');
            });
          });
          s.write('after\n');
          await until(() => got === 'before\nafter\n', 5000, 'the echo after the soft stop');
          const stillRunning = proxy.child.exitCode === null;
          s.end();
          const how = await within(ended, 5000, 'the stream to end');
          const code = await within(proxy.exited, 5000, 'the proxy to exit once its last stream ended');
          return { refused, stillRunning, how, code };
        },
      };
    });
    for (const run of [r.haproxy, r.portier]) {
      assert.equal(run.result.refused, 'ECONNREFUSED', `${run.impl}: a new connection after SIGUSR1`);
      assert.equal(run.result.stillRunning, true, `${run.impl}: running while a stream is open`);
      assert.equal(run.result.code, 0, `${run.impl}: exit code`);
    }
    sameLines(r);
    assert.equal(r.portier.logs[0]!.ts, '--');
    // Everything logged, in order: the stream's line as TCPLOG, the others as they are
    // ("Proxy fe stopped (cumulated conns: FE: 1, BE: 1)."). HAProxy also reports the stop of
    // its internal "<HTTPCLIENT>" proxy (the HTTP client of its Lua and health-check code),
    // which Portier does not have: left out.
    const sequence = (run: Run<unknown>): string[] =>
      run.messages.filter((m) => !m.startsWith('Proxy <HTTPCLIENT> ')).map((m) => (run.logs.some((l) => l.raw === m) ? 'TCPLOG' : m));
    assert.deepEqual(sequence(r.portier), sequence(r.haproxy));
    assert.ok(sequence(r.haproxy).includes('Proxy fe stopped (cumulated conns: FE: 1, BE: 1).'), sequence(r.haproxy).join('\n'));
  });
});
