/**
 * tcp-request rules compared with haproxy (configuration.txt 4.2 "tcp-request connection",
 * "tcp-request content", "tcp-request inspect-delay"; 7 ACLs): each scenario runs through
 * /usr/sbin/haproxy and bin/portier at the same time with the same configuration, a scripted
 * client and a recording echo server, and both must agree on what the client sees (how its
 * connection ends, what comes back), what reaches the server, and the tcplog line (timers
 * reduced to "-1" or "T"; where waiting for the inspect delay is the point, Tt is checked
 * against it).
 *
 * The first listeners are those of HAProxy's own tests of health checks
 * (reg-tests/checks/ldap-check.vtc, redis-check.vtc): the check's request passes, anything
 * else is closed with "PR". Clients that depend on the buffer being empty at the first
 * evaluation (which happens as soon as the stream starts) write 50 ms after connecting.
 * Skipped when haproxy is not installed.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { logHead, normalised, runBoth, type Run } from '../helpers/l4/compare.js';
import { until } from '../helpers/l4/net.js';
import { HAPROXY } from '../helpers/l4/proxy.js';
import { END, RESET, recordingServer, scriptedClient, type ClientOutcome, type Step } from '../helpers/l4/scripted.js';

const skip = existsSync(HAPROXY) ? false : `${HAPROXY} is not installed`;

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of closers) await c();
});

// Long client and server timeouts: a starved test process must not turn a scenario into "cD".
const TIMEOUTS = `    timeout connect 2s
    timeout client 10s
    timeout server 10s
`;

/**
 * The tests run beside others on loaded machines, where a client's writes were seen reaching the
 * proxies seconds late. Where the client must act before the inspect delay expires, the delay
 * is long (LONG); where expiring is the point, the client does nothing meanwhile (SHORT). The
 * vtc files use "inspect-delay 100ms".
 */
const GAP = 300;
const LONG = '10s';
const SHORT = '1s';

const hex = (h: string): string => Buffer.from(h, 'hex').toString('latin1');
const LDAP_BIND = '300C020101600702010304008000';
const ldapRules = (delay: string): string => `    tcp-request inspect-delay ${delay}
    tcp-request content accept if { req.len eq 14 } { req.payload(0,14) -m bin "${LDAP_BIND}" }
    tcp-request content reject
`;
const LDAP_RULES = ldapRules(LONG);
// As written in redis-check.vtc: "\r\n" and "\$" are resolved by the configuration parser.
const REDIS_RULES = `    tcp-request inspect-delay ${LONG}
    tcp-request content accept if { req.len eq 14 } { req.payload(0,14) -m str "*1\\r\\n\\$4\\r\\nPING\\r\\n" }
    tcp-request content reject
`;

interface Case {
  readonly name: string;
  /** Lines of the listen section "fe" before its server line... */
  readonly rules?: string;
  /** ...or every proxy section, given the port to bind and the server's port. */
  readonly sections?: (bind: number, server: number) => string;
  /** Lines added to the defaults section; `named`: it is "defaults d1" (then its rules too). */
  readonly defaults?: string;
  readonly named?: boolean;
  readonly steps: readonly Step[];
  readonly closeAt?: number;
  /** The termination state both must log (sanity: the comparison is the point). */
  readonly ts: string;
  /** Bounds of Tt in ms, when waiting (or not) for a delay is the point. */
  readonly tt?: readonly [number, number];
  /** tcplog lines expected (default 1). */
  readonly lines?: number;
}

interface Outcome {
  readonly client: ClientOutcome;
  readonly server: readonly string[];
}

const listen = (rules: string) => (bind: number, server: number): string => `
listen fe
    bind 127.0.0.1:${bind}
${rules}    server s1 127.0.0.1:${server}
`;

/** A frontend "fe" from the named defaults "d1", and a backend "be" from an anonymous one. */
/**
 * A frontend whose rules accept 2 bytes, then its backend whose rules, with inspect delay
 * `backendDelay`, accept 5 and reject the rest: each stage with its own delay.
 */
const frontendThenBackend = (backendDelay: string) => (bind: number, server: number): string => `
frontend fe
    bind 127.0.0.1:${bind}
    tcp-request inspect-delay ${LONG}
    tcp-request content accept if { req.len ge 2 }
    default_backend be

backend be
    tcp-request inspect-delay ${backendDelay}
    tcp-request content accept if { req.len ge 5 }
    tcp-request content reject
    server s1 127.0.0.1:${server}
`;

const fromD1 = (feRules: string) => (bind: number, server: number): string => `
frontend fe from d1
    bind 127.0.0.1:${bind}
${feRules}    default_backend be

defaults
    mode tcp
${TIMEOUTS}
backend be
    server s1 127.0.0.1:${server}
`;

async function compare(c: Case): Promise<{ haproxy: Run<Outcome>; portier: Run<Outcome> }> {
  const r = await runBoth(async () => {
    const srv = await recordingServer();
    closers.push(() => srv.close());
    return {
      config: (bind, log) => {
        let head = logHead(log, TIMEOUTS + (c.defaults ?? ''));
        if (c.named) head = head.replace('\ndefaults\n', '\ndefaults d1\n');
        return head + (c.sections ?? listen(c.rules ?? ''))(bind, srv.port);
      },
      drive: async (bind) => {
        const client = await scriptedClient(bind, c.steps, c.closeAt);
        // The server's side closes after the client's: let its last data arrive.
        await until(() => srv.open.size === 0, 3000, 'the server connections to close').catch(() => undefined);
        return { client, server: [...srv.received] };
      },
      lines: c.lines ?? 1,
      waitMs: 10_000,
    };
  });
  const detail = `haproxy wrote:\n${r.haproxy.messages.join('\n')}\nportier wrote:\n${r.portier.messages.join('\n')}`;
  assert.equal(r.portier.result.client.how, r.haproxy.result.client.how, `how the client's connection ended\n${detail}`);
  assert.equal(r.portier.result.client.got, r.haproxy.result.client.got, `what the client received\n${detail}`);
  assert.deepEqual(r.portier.result.server, r.haproxy.result.server, `what reached the server\n${detail}`);
  assert.deepEqual(
    r.portier.logs.map((l) => normalised(l)),
    r.haproxy.logs.map((l) => normalised(l)),
    detail,
  );
  if (c.lines !== 0) assert.equal(r.portier.logs[0]?.ts, c.ts, detail);
  if (c.tt) {
    for (const run of [r.haproxy, r.portier]) {
      const tt = Number(run.logs[0]!.tt);
      assert.ok(tt >= c.tt[0] && tt < c.tt[1], `${run.impl}: Tt ${tt} not in [${c.tt[0]}, ${c.tt[1]}): ${run.logs[0]!.raw}`);
    }
  }
  return r;
}

const cases: Case[] = [
  // checks/ldap-check.vtc and redis-check.vtc listeners.
  { name: 'ldap: the check\'s request goes through', rules: LDAP_RULES, steps: [[0, hex(LDAP_BIND)]], ts: '--' },
  { name: 'ldap: one byte different is rejected at once', rules: LDAP_RULES, steps: [[0, hex(LDAP_BIND.replace(/00$/, '01'))]], ts: 'PR', tt: [0, 9000] },
  { name: 'ldap: the request in two parts goes through', rules: LDAP_RULES, steps: [[0, hex(LDAP_BIND).slice(0, 6)], [GAP, hex(LDAP_BIND).slice(6)]], closeAt: 2 * GAP, ts: '--' },
  { name: 'ldap: a longer request waits for the delay, then is rejected', rules: ldapRules(SHORT), steps: [[0, hex(LDAP_BIND) + 'xx']], closeAt: 1500, ts: 'PR', tt: [1000, 9000] },
  { name: 'ldap: half a request waits for the delay, then is rejected', rules: ldapRules(SHORT), steps: [[0, hex(LDAP_BIND).slice(0, 7)]], closeAt: 1500, ts: 'PR', tt: [1000, 9000] },
  { name: 'ldap: a silent client is rejected when the delay expires', rules: ldapRules(SHORT), steps: [], closeAt: 1500, ts: 'PR', tt: [1000, 9000] },
  { name: 'ldap: half a request and a FIN: rejected at once', rules: LDAP_RULES, steps: [[0, hex(LDAP_BIND).slice(0, 7)], [GAP, END]], ts: 'PR', tt: [GAP - 50, 9000] },
  { name: 'redis: PING goes through', rules: REDIS_RULES, steps: [[0, '*1\r\n$4\r\nPING\r\n']], ts: '--' },
  { name: 'redis: PONG is rejected', rules: REDIS_RULES, steps: [[0, '*1\r\n$4\r\nPONG\r\n']], ts: 'PR' },
  // Conditions, fetches and match methods.
  {
    name: 'WAIT_END holds the request until the delay expires, then lets it through',
    rules: '    tcp-request inspect-delay 200ms\n    tcp-request content accept if WAIT_END\n    tcp-request content reject\n',
    steps: [[0, 'hello']],
    ts: '--',
  },
  {
    name: 'a FIN with nothing sent makes the contents final: WAIT_END passes, nothing is sent',
    rules: `    tcp-request inspect-delay ${LONG}\n    tcp-request content accept if WAIT_END\n    tcp-request content reject\n`,
    steps: [[GAP, END]],
    ts: '--',
    tt: [GAP - 50, 9000],
  },
  {
    name: '"unless": an undecided condition waits, then the rule applies',
    rules: '    tcp-request inspect-delay 500ms\n    tcp-request content reject unless { req.len gt 3 }\n',
    steps: [[0, 'ab']],
    closeAt: 1500,
    ts: 'PR',
    tt: [500, 9000],
  },
  {
    name: 'named ACLs of several lines, "||", "!", and converters',
    rules: `    acl hello req.payload(0,5) -m str hello
    acl hello req.payload(0,5),lower -m str howdy
    acl short req.len lt 5
    tcp-request inspect-delay 3s
    tcp-request content reject if short WAIT_END || !hello
    tcp-request content accept if { req.payload(0,0) -m sub !! } { req.payload(5,0),hex -m beg 2121 }
    tcp-request content reject
`,
    steps: [[0, 'HOWdy!!']],
    ts: '--',
  },
  {
    name: 'req.payload_lv: a length-prefixed block',
    rules: `    tcp-request inspect-delay ${LONG}\n    tcp-request content accept if { req.payload_lv(0,1) -m str hello }\n    tcp-request content reject\n`,
    steps: [[0, '\x05hel'], [GAP, 'lo']],
    closeAt: 2 * GAP,
    ts: '--',
  },
  {
    name: 'a binary sample read as a string stops at its first NUL',
    rules: `    tcp-request inspect-delay ${LONG}\n    tcp-request content accept if { req.payload(0,6) -m str abc } { req.payload(0,6) -m len 3 }\n    tcp-request content reject\n`,
    steps: [[0, 'abc\x00ef']],
    ts: '--',
  },
  {
    name: 'addresses, ports, names and constants need no data',
    rules: `    tcp-request content reject if { src 10.0.0.0/8 } || { src_port lt 1 }
    tcp-request content accept if { src 127.0.0.0/8 ::1 } { dst 127.0.0.1 } { dst_port 1024: } { fe_name fe } { be_name fe } { int(5) gt 4 } TRUE !FALSE LOCALHOST
    tcp-request content reject
`,
    steps: [[0, 'x']],
    ts: '--',
  },
  {
    name: 'the buffer is full at 15360 bytes: the evaluation is then final',
    rules: `    tcp-request inspect-delay ${LONG}\n    tcp-request content accept if { req.len eq 15360 }\n    tcp-request content reject\n`,
    steps: [[0, 'x'.repeat(20000)]],
    closeAt: 800,
    ts: '--',
  },
  {
    name: 'a length a full buffer never reaches is rejected at once',
    rules: `    tcp-request inspect-delay ${LONG}\n    tcp-request content accept if { req.len eq 16384 }\n    tcp-request content reject\n`,
    steps: [[0, 'x'.repeat(20000)]],
    ts: 'PR',
    tt: [0, 9000],
  },
  // Timeouts and errors while inspecting.
  {
    name: 'timeout client while inspecting: "cR"',
    rules: '    timeout client 500ms\n    tcp-request inspect-delay 3s\n    tcp-request content accept if { req.len eq 14 }\n',
    steps: [],
    closeAt: 1500,
    ts: 'cR',
    tt: [500, 3000],
  },
  {
    name: 'a client reset while inspecting: "CR"',
    rules: `    tcp-request inspect-delay ${LONG}\n    tcp-request content accept if { req.len eq 14 }\n`,
    steps: [[0, 'ab'], [GAP, RESET]],
    ts: 'CR',
  },
  // tcp-request connection.
  {
    name: 'tcp-request connection reject: a reset, not logged',
    rules: '    tcp-request connection reject if { src 127.0.0.1 }\n',
    steps: [[0, 'hello']],
    ts: '',
    lines: 0,
  },
  {
    name: 'tcp-request connection accept stops the evaluation',
    rules: '    tcp-request connection accept if { src 127.0.0.0/8 } { dst_port gt 0 }\n    tcp-request connection reject\n',
    steps: [[0, 'hello']],
    ts: '--',
  },
  // A frontend's rules, then its backend's, each with its own delay.
  {
    name: 'frontend rules accept, backend rules wait for their own delay and reject: the backend is logged',
    sections: frontendThenBackend('700ms'),
    steps: [[0, 'abc']],
    closeAt: 1500,
    ts: 'PR',
    tt: [700, 9000],
  },
  {
    name: 'frontend rules accept, backend rules accept once more data came',
    sections: frontendThenBackend(LONG),
    steps: [[0, 'abc'], [GAP, 'de']],
    closeAt: 2 * GAP,
    ts: '--',
  },
  {
    name: 'backend rules without a delay decide with what is there',
    sections: (bind, server) => `
frontend fe
    bind 127.0.0.1:${bind}
    default_backend be

backend be
    tcp-request content reject if { req.len lt 5 }
    server s1 127.0.0.1:${server}
`,
    steps: [[GAP, 'abcdef']],
    ts: 'PR',
  },
  // Named defaults sections: their rules run first (HAProxy's resume quirk included).
  {
    name: 'defaults: an accept in the defaults section skips the proxy\'s rules',
    named: true,
    defaults: `    tcp-request inspect-delay ${LONG}\n    tcp-request content accept\n`,
    sections: fromD1('    tcp-request content reject\n'),
    steps: [[0, 'abc']],
    ts: '--',
  },
  {
    name: 'defaults: after waiting in the defaults\' rules, the next evaluation starts with the proxy\'s',
    named: true,
    defaults: `    tcp-request inspect-delay ${LONG}\n    tcp-request content reject if { req.len gt 0 }\n`,
    sections: fromD1('    tcp-request content accept\n'),
    steps: [[GAP, 'abc']],
    closeAt: 2 * GAP,
    ts: '--',
  },
  {
    name: 'defaults: after waiting in the proxy\'s rules, the next evaluation starts with the defaults\' again',
    named: true,
    defaults: `    tcp-request inspect-delay ${LONG}\n    tcp-request content reject if { req.len ge 3 }\n`,
    sections: fromD1('    tcp-request content accept if { req.len ge 5 }\n'),
    steps: [[GAP, 'ab'], [2 * GAP, 'cd'], [3 * GAP, 'e']],
    closeAt: 4 * GAP,
    ts: 'PR',
  },
  {
    name: 'defaults: rules only in the defaults section, waiting once: then accepted',
    named: true,
    defaults: `    tcp-request inspect-delay ${LONG}\n    tcp-request content accept if { req.len ge 5 }\n    tcp-request content reject\n`,
    sections: fromD1(''),
    steps: [[GAP, 'ab']],
    closeAt: 2 * GAP,
    ts: '--',
  },
  {
    name: 'defaults: tcp-request connection accept in the defaults section skips the proxy\'s reject',
    named: true,
    defaults: '    tcp-request connection accept if { src 127.0.0.1 }\n',
    sections: fromD1('    tcp-request connection reject\n'),
    steps: [[0, 'ab']],
    ts: '--',
  },
];

describe('tcp-request rules compared with haproxy', { concurrency: 2, skip }, () => {
  for (const c of cases) test(c.name, async () => void (await compare(c)));

  test('counts: rejected connections count in the frontend, not in the backend (soft stop lines)', async () => {
    const r = await runBoth(async () => {
      const srv = await recordingServer();
      closers.push(() => srv.close());
      return {
        config: (bind, log) =>
          logHead(log, TIMEOUTS) +
          listen('    tcp-request connection reject if { src_port lt 0 } || { src 10.0.0.1 }\n    tcp-request connection reject if { always_true }\n')(bind, srv.port),
        stop: false,
        lines: 0,
        drive: async (bind, proxy) => {
          const a = await scriptedClient(bind, [[0, 'x']]);
          const b = await scriptedClient(bind, [[0, 'x']]);
          proxy.child.kill('SIGUSR1');
          return { client: a, server: [b.how] };
        },
      };
    });
    const stopped = (run: Run<unknown>): string[] => run.messages.filter((m) => m.startsWith('Proxy fe '));
    assert.deepEqual(stopped(r.portier), stopped(r.haproxy));
    assert.deepEqual(stopped(r.portier), ['Proxy fe stopped (cumulated conns: FE: 2, BE: 0).']);
    assert.equal(r.portier.result.client.how, 'ECONNRESET');
    assert.equal(r.haproxy.result.client.how, 'ECONNRESET');
  });
});
