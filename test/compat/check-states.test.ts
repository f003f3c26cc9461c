/**
 * Server states moved by health checks and by the runtime API, through haproxy and Portier
 * with the same configuration and the same events: the state-change log lines (durations
 * masked) and `show servers state` must be the same. Real sockets: the servers are listeners
 * that the test closes and opens again on the same port.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { exchange, freePort, until } from '../helpers/l4/net.js';
import { stablePort } from '../helpers/servers/common.js';
import { startProxy, tempDir, type Impl, type Proxy } from '../helpers/l4/proxy.js';
import { syslogReceiver, type SyslogReceiver } from '../helpers/l4/syslog.js';
import { syslogMessage } from '../helpers/l4/compare.js';
import { existsSync } from 'node:fs';

const HAVE_HAPROXY = existsSync('/usr/sbin/haproxy');

/** A TCP server that can be stopped and started again on the same port. */
class Switchable {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  constructor(readonly port: number) {}
  async up(): Promise<void> {
    const s = createServer((c) => {
      this.sockets.add(c);
      c.on('close', () => this.sockets.delete(c));
      c.on('error', () => c.destroy());
      c.pipe(c);
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = s;
  }
  async down(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    for (const c of this.sockets) c.destroy();
    if (s) await new Promise((r) => s.close(r));
  }
}

interface World {
  readonly impl: Impl;
  readonly proxy: Proxy;
  readonly syslog: SyslogReceiver;
  readonly sock: string;
  readonly servers: Switchable[];
  readonly bind: number;
}

/** Messages after the syslog header, durations and times masked. */
function messages(w: World): string[] {
  return w.syslog.lines
    .map(syslogMessage)
    .filter((m) => !m.startsWith('Proxy ') && !m.includes('Connect from'))
    .map((m) => m.replace(/check duration: \d+ms/g, 'check duration: Nms'));
}

async function world(impl: Impl, cfg: (bind: number, logPort: number, sock: string, ports: number[]) => string, n: number): Promise<World> {
  const syslog = await syslogReceiver();
  const dir = tempDir('portier-checks-');
  const sock = join(dir, 'admin.sock');
  const servers: Switchable[] = [];
  for (let i = 0; i < n; i++) {
    // Below the ephemeral range: while a server is down, no listener of a concurrent test can
    // take its port (a check would then reach that one).
    const s = new Switchable(await stablePort());
    await s.up();
    servers.push(s);
  }
  const bind = await freePort();
  const proxy = startProxy(impl, cfg(bind, syslog.port, sock, servers.map((s) => s.port)), { dir });
  await until(() => existsSync(sock) || proxy.child.exitCode !== null, 15_000, `${impl} stats socket`);
  if (proxy.child.exitCode !== null) throw new Error(`${impl} did not start:\n${proxy.output()}`);
  return { impl, proxy, syslog, sock, servers, bind };
}

async function close(w: World): Promise<void> {
  await w.proxy.stop();
  w.syslog.close();
  for (const s of w.servers) await s.down();
}

const cli = (w: World, cmd: string): Promise<string> => exchange({ path: w.sock }, `${cmd}\n`);

/**
 * Waits until neither proxy has logged anything new for a while (state changes take a few
 * check intervals: fall 2 at fastinter 50ms, rise 2 at downinter 200ms) and both logged more
 * than `before` messages.
 */
async function settle(worlds: World[], before: number, requireNew = true): Promise<void> {
  let last = '';
  let quietSince = Date.now();
  await until(
    () => {
      const now = JSON.stringify(worlds.map((w) => messages(w).length));
      if (now !== last) {
        last = now;
        quietSince = Date.now();
      }
      return Date.now() - quietSince > 800 && (!requireNew || worlds.every((w) => messages(w).length > before));
    },
    15_000,
    `new messages from each proxy (${JSON.stringify(worlds.map(messages))})`,
  );
}

/**
 * show servers state without what differs by nature: the seconds since the last change, the
 * "check in progress" bit of the check state (a matter of timing) and the servers' ports.
 */
async function serversState(w: World): Promise<string> {
  const out = await cli(w, 'show servers state');
  return out.replace(/^\d+ .*$/gm, (line) => {
    const c = line.split(' ');
    c[9] = 'T';
    c[13] = String(Number(c[13]) & ~1);
    c[14] = String(Number(c[14]) & ~1);
    c[18] = 'PORT';
    return c.join(' ');
  });
}

/** The global and defaults sections every scenario starts with (mode tcp, short timeouts). */
function preamble(sock: string): string {
  return `global
    stats socket ${sock} level admin
defaults
    mode tcp
    timeout client 5s
    timeout server 5s
    timeout connect 500ms
`;
}

const CONFIG = (logHealth: boolean) => (bind: number, logPort: number, sock: string, ports: number[]) => `${preamble(sock)}listen app
    bind 127.0.0.1:${bind}
    log 127.0.0.1:${logPort} local0
${logHealth ? '    option log-health-checks\n' : ''}    default-server check inter 100ms fastinter 50ms downinter 200ms rise 2 fall 2
    server A 127.0.0.1:${ports[0]}
    server B 127.0.0.1:${ports[1]}
    server C 127.0.0.1:${ports[2]} backup
`;

for (const logHealth of [false, true]) {
  test(`state changes from checks and the runtime API match haproxy (option log-health-checks ${logHealth ? 'on' : 'off'})`, { skip: !HAVE_HAPROXY && 'haproxy not installed', timeout: 90_000 }, async () => {
    const worlds = await Promise.all((['haproxy', 'portier'] as const).map((impl) => world(impl, CONFIG(logHealth), 3)));
    try {
      // Let the first checks pass everywhere (nothing is logged while nothing changes, unless
      // log-health-checks: then each server's first result is logged once).
      await new Promise((r) => setTimeout(r, 600));
      const base = messages(worlds[0]!).length;
      assert.equal(messages(worlds[1]!).length, base, `startup messages: ${JSON.stringify(worlds.map(messages))}`);
      // The first results of the three servers come within one interval, in an order that is a
      // matter of milliseconds in both proxies: they are compared as a set, the rest in order.
      const seen = (w: World): string[] => [...messages(w).slice(0, base).sort(), ...messages(w).slice(base)];
      const step = async (label: string, action: (w: World) => Promise<unknown>): Promise<void> => {
        const before = Math.min(...worlds.map((w) => messages(w).length));
        for (const w of worlds) await action(w);
        await settle(worlds, before);
        assert.deepEqual(seen(worlds[1]!), seen(worlds[0]!), `after ${label}`);
      };
      // A goes down: with log-health-checks, one line per failed check as well.
      await step('A stops', (w) => w.servers[0]!.down());
      await step('B stops (the backup takes over)', (w) => w.servers[1]!.down());
      await step('C stops (no server left)', (w) => w.servers[2]!.down());
      await step('A comes back', (w) => w.servers[0]!.up());
      await step('disable server A', (w) => cli(w, 'disable server app/A'));
      await step('set server app/A state ready', (w) => cli(w, 'set server app/A state ready'));
      await step('set server app/A state drain', (w) => cli(w, 'set server app/A state drain'));
      assert.equal(await serversState(worlds[1]!), await serversState(worlds[0]!));
      assert.equal(await cli(worlds[1]!, 'set server app/A state bogus'), await cli(worlds[0]!, 'set server app/A state bogus'));
      assert.equal(await cli(worlds[1]!, 'disable server app/Z'), await cli(worlds[0]!, 'disable server app/Z'));
      assert.equal(await cli(worlds[1]!, 'disable server nope/A'), await cli(worlds[0]!, 'disable server nope/A'));
      assert.equal(await cli(worlds[1]!, 'disable server A'), await cli(worlds[0]!, 'disable server A'));
    } finally {
      for (const w of worlds) await close(w);
    }
  });
}

/** Sends a line through the proxy and returns the connection, once the echo came back. */
async function openStream(port: number): Promise<Socket> {
  const { connect } = await import('node:net');
  const c = connect({ port, host: '127.0.0.1' });
  c.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    c.once('data', () => resolve());
    c.once('error', reject);
    c.once('connect', () => c.write('hello\n'));
  });
  return c;
}

const EFFECTS = (bind: number, logPort: number, sock: string, ports: number[]) => `${preamble(sock)}listen app
    bind 127.0.0.1:${bind}
    log 127.0.0.1:${logPort} local0
    option tcplog
    default-server check inter 100ms fastinter 50ms downinter 200ms rise 1 fall 1
    server A 127.0.0.1:${ports[0]} on-marked-down shutdown-sessions
    server B 127.0.0.1:${ports[1]} backup
`;

test('on-marked-down shutdown-sessions cuts the streams of a server marked down, the backup serves, as haproxy', { skip: !HAVE_HAPROXY && 'haproxy not installed', timeout: 60_000 }, async () => {
  const worlds = await Promise.all((['haproxy', 'portier'] as const).map((impl) => world(impl, EFFECTS, 2)));
  try {
    await new Promise((r) => setTimeout(r, 400));
    const streams = await Promise.all(worlds.map((w) => openStream(w.bind)));
    const closed = streams.map((c) => new Promise<void>((r) => c.once('close', () => r())));
    // A stops listening (its open connection stays): the check fails, A is marked down and
    // its stream is cut by the proxy.
    for (const w of worlds) {
      const a = w.servers[0]!;
      await (a as unknown as { server?: Server }).server?.close();
    }
    await Promise.all(closed);
    // New clients go to the backup.
    const answers = await Promise.all(worlds.map((w) => exchange({ port: w.bind }, 'to the backup\n')));
    assert.deepEqual(answers, ['to the backup\n', 'to the backup\n']);
    await settle(worlds, 0);
    const tcplogs = worlds.map((w) => messages(w).filter((m) => / app app\//.test(m)).map((m) => m.replace(/^\S+ \[[^\]]+\] (app app\/\S+) \S+ (\d+) (\S\S) .*$/, '$1 $2 $3')));
    assert.deepEqual(tcplogs[1], tcplogs[0]);
    // The count of sessions still active in the DOWN message depends on whether the cut stream
    // was counted out yet: seen as 1 in Portier (0 in haproxy) on a busy machine. Masked here;
    // the streams being cut and the backup serving are what this test compares.
    const states = worlds.map((w) => messages(w).filter((m) => !/ app app\//.test(m)).map((m) => m.replace(/\d+ sessions active/, 'N sessions active')));
    assert.deepEqual(states[1], states[0]);
  } finally {
    for (const w of worlds) await close(w);
  }
});

const OBSERVE = (bind: number, logPort: number, sock: string, ports: number[]) => `${preamble(sock)}    retries 1
    option redispatch
listen app
    bind 127.0.0.1:${bind}
    log 127.0.0.1:${logPort} local0
    option log-health-checks
    # Checked rarely: traffic finds the failure first.
    server A 127.0.0.1:${ports[0]} check inter 20s observe layer4 error-limit 2 on-error mark-down
    server B 127.0.0.1:${ports[1]}
`;

test('observe layer4: error-limit connection failures mark a server down (on-error mark-down), as haproxy', { skip: !HAVE_HAPROXY && 'haproxy not installed', timeout: 60_000 }, async () => {
  const worlds = await Promise.all((['haproxy', 'portier'] as const).map((impl) => world(impl, OBSERVE, 2)));
  try {
    await new Promise((r) => setTimeout(r, 300));
    for (const w of worlds) await w.servers[0]!.down();
    // Each client's first attempt may go to A, fail, and be redispatched to B.
    for (let i = 0; i < 6; i++) {
      const answers = await Promise.all(worlds.map((w) => exchange({ port: w.bind }, `client ${i}\n`)));
      assert.deepEqual(answers, [`client ${i}\n`, `client ${i}\n`]);
    }
    await settle(worlds, 0);
    assert.deepEqual(messages(worlds[1]!), messages(worlds[0]!));
    assert.ok(messages(worlds[0]!).some((m) => /Server app\/A is DOWN/.test(m)), JSON.stringify(messages(worlds[0]!)));
    assert.equal(await serversState(worlds[1]!), await serversState(worlds[0]!));
  } finally {
    for (const w of worlds) await close(w);
  }
});

const SLOWSTART = (bind: number, logPort: number, sock: string, ports: number[]) => `${preamble(sock)}listen app
    bind 127.0.0.1:${bind}
    log 127.0.0.1:${logPort} local0
    balance roundrobin
    server A 127.0.0.1:${ports[0]} check inter 100ms rise 1 fall 1 slowstart 2s
    server B 127.0.0.1:${ports[1]}
`;

test('slowstart: a server back from maintenance is starting (state 1) until its slow start is over, as haproxy', { skip: !HAVE_HAPROXY && 'haproxy not installed', timeout: 60_000 }, async () => {
  const worlds = await Promise.all((['haproxy', 'portier'] as const).map((impl) => world(impl, SLOWSTART, 2)));
  try {
    await new Promise((r) => setTimeout(r, 300));
    for (const w of worlds) await cli(w, 'disable server app/A');
    for (const w of worlds) await cli(w, 'enable server app/A');
    const opState = async (w: World): Promise<string> => (await cli(w, 'show servers state app')).split('\n')[2]!.split(' ')[5]!;
    assert.deepEqual(await Promise.all(worlds.map(opState)), ['1', '1']);
    await new Promise((r) => setTimeout(r, 3500));
    assert.deepEqual(await Promise.all(worlds.map(opState)), ['2', '2']);
    await settle(worlds, 0);
    assert.deepEqual(messages(worlds[1]!), messages(worlds[0]!));
  } finally {
    for (const w of worlds) await close(w);
  }
});

/** An agent answering every connection with the current `reply`. */
async function agentServer(): Promise<{ port: number; reply: string; close(): Promise<void> }> {
  const state = { reply: 'up\n' };
  const open = new Set<Socket>();
  const server = createServer((c) => {
    open.add(c);
    c.on('close', () => open.delete(c));
    c.on('error', () => c.destroy());
    c.end(state.reply);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const close = (): Promise<void> =>
    new Promise<void>((r) => {
      for (const c of open) c.destroy();
      server.close(() => r());
    });
  return Object.assign(state, { port, close });
}

test('agent-check: the agent\'s words (health, drain/maint/ready, weight %, maxconn, errors) act and log as haproxy', { skip: !HAVE_HAPROXY && 'haproxy not installed', timeout: 90_000 }, async () => {
  const agents = [await agentServer(), await agentServer()];
  const AGENT = (i: number) => (bind: number, logPort: number, sock: string, ports: number[]) => `${preamble(sock)}    # The agent's answer may take a while on a loaded machine: not a timeout to compare.
    timeout check 3s
listen app
    bind 127.0.0.1:${bind}
    log 127.0.0.1:${logPort} local0
    option log-health-checks
    server A 127.0.0.1:${ports[0]} weight 10 agent-check agent-port ${agents[i]!.port} agent-inter 200ms agent-send "hello\\n"
    server B 127.0.0.1:${ports[1]}
`;
  const worlds = [await world('haproxy', AGENT(0), 2), await world('portier', AGENT(1), 2)];
  try {
    await new Promise((r) => setTimeout(r, 500));
    const step = async (reply: string): Promise<void> => {
      const before = Math.min(...worlds.map((w) => messages(w).length));
      for (const a of agents) a.reply = reply;
      await settle(worlds, before, false);
      assert.deepEqual(messages(worlds[1]!), messages(worlds[0]!), `after the agent said ${JSON.stringify(reply)}`);
      assert.deepEqual(await Promise.all(worlds.map((w) => cli(w, 'get weight app/A'))), [await cli(worlds[0]!, 'get weight app/A'), await cli(worlds[0]!, 'get weight app/A')]);
      // The agents listen on different ports: the last column differs by nature.
      const state = async (w: World): Promise<string> => (await serversState(w)).replace(/ \d+$/gm, ' AGENT_PORT');
      assert.equal(await state(worlds[1]!), await state(worlds[0]!), `show servers state after ${JSON.stringify(reply)}`);
    };
    await step('50%\n');
    await step('drain\n');
    await step('ready maxconn:5\n');
    await step('down # going away\n');
    await step('up 100%\n');
    await step('maint\n');
    await step('ready\n');
    await step('bogus\n');
    await step('up, 300%\n');
    await step('no end of line');
  } finally {
    for (const w of worlds) await close(w);
    for (const a of agents) await a.close();
  }
});

const BACKUP_SHUTDOWN = (bind: number, logPort: number, sock: string, ports: number[]) => `${preamble(sock)}listen app
    bind 127.0.0.1:${bind}
    log 127.0.0.1:${logPort} local0
    option tcplog
    default-server check inter 100ms rise 1 fall 1
    server A 127.0.0.1:${ports[0]} on-marked-up shutdown-backup-sessions
    server B 127.0.0.1:${ports[1]} backup
`;

test('on-marked-up shutdown-backup-sessions: the backup\'s streams are cut when the active server comes back, as haproxy', { skip: !HAVE_HAPROXY && 'haproxy not installed', timeout: 60_000 }, async () => {
  const worlds = await Promise.all((['haproxy', 'portier'] as const).map((impl) => world(impl, BACKUP_SHUTDOWN, 2)));
  try {
    for (const w of worlds) await w.servers[0]!.down();
    await until(() => worlds.every((w) => messages(w).some((m) => /Server app\/A is DOWN/.test(m))), 10_000, 'A down in both');
    // A client held on the backup, then A comes back: the proxy cuts the backup's stream.
    const streams = await Promise.all(worlds.map((w) => openStream(w.bind)));
    const closed = streams.map((c) => new Promise<void>((r) => c.once('close', () => r())));
    for (const w of worlds) await w.servers[0]!.up();
    await Promise.all(closed);
    await settle(worlds, 0, false);
    const tcplogs = worlds.map((w) => messages(w).filter((m) => / app app\//.test(m)).map((m) => m.replace(/^\S+ \[[^\]]+\] (app app\/\S+) \S+ (\d+) (\S\S) .*$/, '$1 $2 $3')));
    assert.deepEqual(tcplogs[1], tcplogs[0]);
    assert.deepEqual(tcplogs[1], ['app app/B 6 U-']);
    const states = worlds.map((w) => messages(w).filter((m) => !/ app app\//.test(m)));
    assert.deepEqual(states[1], states[0]);
  } finally {
    for (const w of worlds) await close(w);
  }
});
