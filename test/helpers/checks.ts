/**
 * Peers and probes for the health-check tests: scripted servers on real sockets (each scenario
 * a small script: a greeting, answers when enough bytes arrived, a close or a reset), a
 * configuration with one backend per scenario, Portier started with a stats socket and a
 * syslog receiver, and `show servers state` read as rows.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { exchange, startPortier, tempDir, type Started } from './process.js';
import { syslogReceiver, type SyslogReceiver } from './l4/syslog.js';
import { until, waitForListener } from './l4/net.js';

/** What a scripted peer does on one connection. */
export interface PeerScript {
  /** Sent as soon as the connection is accepted. */
  readonly greet?: Buffer | string;
  /** Called with everything received on this connection so far. */
  readonly onData?: (received: Buffer, socket: Socket, state: Record<string, unknown>) => void;
  /** Close (FIN) this many ms after accepting (after the greeting). */
  readonly closeAfter?: number;
  /** Reset the connection at once. */
  readonly reset?: boolean;
  /** Reset this many first connections, then run the script. */
  readonly resetFirst?: number;
  /** Close (FIN, still reading) this many first connections at once, then run the script. */
  readonly closeFirst?: number;
}

export interface ScriptedPeer {
  readonly port: number;
  /** What each connection received, in order of arrival. */
  readonly received: Buffer[];
  close(): Promise<void>;
}

/** Hex to bytes, spaces allowed. */
export const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');

/**
 * A script that answers `reply` once `when` has arrived: that many bytes, or a text such as
 * "\n" (a line) or "\r\n\r\n" (an HTTP request head). Then closes when `end`.
 */
export function answerAfter(when: number | string, reply: Buffer | string, opts: { greet?: Buffer | string; end?: boolean } = {}): PeerScript {
  return {
    greet: opts.greet,
    onData(received, socket, state) {
      if (state.done || (typeof when === 'number' ? received.length < when : !received.includes(when))) return;
      state.done = true;
      if (opts.end) socket.end(reply);
      else socket.write(reply);
    },
  };
}

/** Starts a peer on 127.0.0.1 (port chosen by the OS) running `script` on each connection. */
export async function scriptedPeer(script: PeerScript): Promise<ScriptedPeer> {
  const received: Buffer[] = [];
  const sockets = new Set<Socket>();
  let resets = 0;
  let closes = 0;
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    if (script.reset || resets < (script.resetFirst ?? 0)) {
      resets++;
      s.resetAndDestroy();
      return;
    }
    if (closes < (script.closeFirst ?? 0)) {
      closes++;
      s.end();
      s.resume();
      return;
    }
    const index = received.push(Buffer.alloc(0)) - 1;
    const state: Record<string, unknown> = {};
    if (script.greet !== undefined) s.write(script.greet);
    if (script.closeAfter !== undefined) setTimeout(() => s.end(), script.closeAfter);
    s.on('data', (d: Buffer) => {
      received[index] = Buffer.concat([received[index]!, d]);
      script.onData?.(received[index]!, s, state);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** One backend of a test configuration: its check lines and the port of its server. */
export interface CheckedBackend {
  readonly name: string;
  /** Lines of the backend before its server line ("option ldap-check", ...). */
  readonly lines: readonly string[];
  readonly port: number;
  /** Server options after "check" (default: fast checks, rise 1 fall 1). */
  readonly serverOptions?: string;
}

export const FAST_CHECKS = 'inter 400ms rise 1 fall 1';

/** What else a check configuration may have. */
export interface CheckConfigOptions {
  /** A stats socket (admin level) at this path. */
  readonly socket?: string;
  /** Lines added to the defaults section. */
  readonly extraDefaults?: string;
  /** `timeout check` (default 1s). */
  readonly checkTimeout?: string;
  /** Check settings of servers whose entry has none (default FAST_CHECKS). */
  readonly serverOptions?: string;
  /** A frontend on this port with the first backend as default (haproxy needs a listener). */
  readonly frontendPort?: number;
}

/** A configuration: logs to `logPort`, one backend per entry, as `opts` say. */
export function checkConfig(backends: readonly CheckedBackend[], logPort: number, opts: CheckConfigOptions = {}): string {
  const { socket, extraDefaults } = opts;
  const out = [
    'global',
    `    log 127.0.0.1:${logPort} local0`,
    ...(socket ? [`    stats socket ${socket} level admin`] : []),
    'defaults',
    '    mode tcp',
    '    log global',
    '    option log-health-checks',
    '    timeout client 5s',
    '    timeout server 5s',
    '    timeout connect 1s',
    `    timeout check ${opts.checkTimeout ?? '1s'}`,
    ...(extraDefaults ? [extraDefaults] : []),
  ];
  if (opts.frontendPort !== undefined && backends[0]) out.push('frontend fe', `    bind 127.0.0.1:${opts.frontendPort}`, `    default_backend ${backends[0].name}`);
  for (const b of backends) {
    out.push(`backend ${b.name}`, ...b.lines.map((l) => `    ${l}`), `    server srv 127.0.0.1:${b.port} check ${b.serverOptions ?? opts.serverOptions ?? FAST_CHECKS}`);
  }
  return `${out.join('\n')}\n`;
}

export interface CheckedPortier {
  readonly portier: Started;
  readonly syslog: SyslogReceiver;
  readonly socket: string;
  /** The first log line about server `<backend>/srv` matching `re` (bounded wait). */
  logFor(backend: string, re: RegExp, timeoutMs?: number): Promise<string>;
  /** `show servers state <backend>`: the row of its server "srv", by column name. */
  state(backend: string): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/** Starts Portier on the backends, with a syslog receiver and a stats socket. */
export async function startChecked(backends: readonly CheckedBackend[], extraDefaults = ''): Promise<CheckedPortier> {
  const syslog = await syslogReceiver();
  const dir = tempDir('portier-checks-');
  const socket = join(dir, 'admin.sock');
  const portier = startPortier(checkConfig(backends, syslog.port, { socket, extraDefaults }), [], dir);
  await waitForListener({ path: socket }, 15_000, () => portier.child.exitCode === null);
  return {
    portier,
    syslog,
    socket,
    async logFor(backend, re, timeoutMs = 10_000) {
      const mine = new RegExp(`(?:server|Server) ${backend}/srv\\b`);
      await until(() => syslog.lines.some((l) => mine.test(l) && re.test(l)), timeoutMs, `a log line about ${backend}/srv matching ${re} (got ${JSON.stringify(syslog.lines)})`);
      return syslog.lines.find((l) => mine.test(l) && re.test(l))!;
    },
    async state(backend) {
      return serverState(socket, backend);
    },
    async stop() {
      await portier.stop();
      syslog.close();
    },
  };
}

/** `show servers state <backend>` on a stats socket: the row of server "srv". */
export async function serverState(socket: string, backend: string, server = 'srv'): Promise<Record<string, string>> {
  const out = await exchange({ path: socket }, `show servers state ${backend}\n`);
  const lines = out.split('\n');
  const columns = lines[1]!.replace(/^# /, '').split(' ');
  for (const line of lines.slice(2)) {
    const values = line.split(' ');
    if (values[3] !== server) continue;
    return Object.fromEntries(columns.map((c, i) => [c, values[i] ?? '']));
  }
  throw new Error(`no server ${backend}/${server} in ${JSON.stringify(out)}`);
}

/** HAProxy's check status numbers (show servers state's srv_check_status). */
export const STATUS = { L4OK: '6', L4TOUT: '7', L4CON: '8', L6OK: '9', L6TOUT: '10', L6RSP: '11', L7TOUT: '12', L7RSP: '13', L7OK: '15', L7OKC: '16', L7STS: '17', SOCKERR: '5' } as const;
/** srv_op_state: 0 stopped, 2 running, 3 stopping. */
export const OP = { STOPPED: '0', RUNNING: '2', STOPPING: '3' } as const;

/** A scenario of a check test: a backend, its peer, and what Portier must say and show. */
export interface CheckScenario {
  readonly name: string;
  readonly lines: readonly string[];
  readonly script: PeerScript;
  readonly serverOptions?: string;
  /** The log line expected first about the server. */
  readonly log: RegExp;
  /** Expected `show servers state` columns once logged (e.g. srv_op_state, srv_check_status). */
  readonly state?: Readonly<Record<string, string>>;
}

export interface ScenarioRun {
  readonly checked: CheckedPortier;
  readonly peers: ReadonlyMap<string, ScriptedPeer>;
  stop(): Promise<void>;
}

/** Starts one peer per scenario and one Portier for them all. */
export async function startScenarios(scenarios: readonly CheckScenario[], extraDefaults = ''): Promise<ScenarioRun> {
  const peers = new Map<string, ScriptedPeer>();
  for (const s of scenarios) peers.set(s.name, await scriptedPeer(s.script));
  const checked = await startChecked(
    scenarios.map((s) => ({ name: s.name, lines: s.lines, port: peers.get(s.name)!.port, serverOptions: s.serverOptions })),
    extraDefaults,
  );
  return {
    checked,
    peers,
    async stop() {
      await checked.stop();
      for (const p of peers.values()) await p.close();
    },
  };
}

/** Waits for the scenario's log line, then compares the server's state columns. */
export async function verifyScenario(run: ScenarioRun, s: CheckScenario): Promise<{ line: string; state: Record<string, string> }> {
  const line = await run.checked.logFor(s.name, s.log);
  const state = await run.checked.state(s.name);
  if (s.state) {
    const got = Object.fromEntries(Object.keys(s.state).map((k) => [k, state[k]]));
    assert.deepEqual(got, { ...s.state }, `${s.name}: ${line}`);
  }
  return { line, state };
}

/** A test file's scenarios, started once for all its tests (see scenarioSuite). */
export interface ScenarioSuite {
  /** The running peers and Portier (valid inside tests). */
  readonly run: ScenarioRun;
  /** Waits for scenario `name` to be judged, then gives the first request its peer received. */
  firstRequest(name: string): Promise<Buffer>;
}

/**
 * Registers, in the calling test file, the start of every scenario before its tests (after
 * `setup`, which may still adjust them), one test per scenario comparing its log line and
 * server state (but those the file tests its own way: `testedApart`), and the teardown (then
 * `teardown`).
 */
export function scenarioSuite(
  scenarios: readonly CheckScenario[],
  hooks: { setup?: () => Promise<void>; teardown?: () => Promise<void>; testedApart?: readonly string[] } = {},
): ScenarioSuite {
  let run: ScenarioRun | undefined;
  const suite: ScenarioSuite = {
    get run(): ScenarioRun {
      if (!run) throw new Error('the scenarios are not running');
      return run;
    },
    async firstRequest(name) {
      const s = scenarios.find((x) => x.name === name);
      if (!s) throw new Error(`no scenario ${name}`);
      await verifyScenario(suite.run, s);
      const got = suite.run.peers.get(name)!.received[0];
      assert.ok(got, `${name}: the peer received nothing`);
      return got;
    },
  };
  before(async () => {
    await hooks.setup?.();
    run = await startScenarios(scenarios);
  });
  after(async () => {
    await run?.stop();
    await hooks.teardown?.();
  });
  for (const s of scenarios.filter((x) => !hooks.testedApart?.includes(x.name))) {
    test(`${s.name}: log line and server state`, async () => {
      await verifyScenario(suite.run, s);
    });
  }
  return suite;
}
