/**
 * Runs one layer-4 scenario through a proxy (haproxy or Portier) with its logs sent to a UDP
 * syslog receiver, and parses the tcplog lines it writes (configuration.txt 8.2.2):
 *
 *   %ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq
 *
 * so that a test can compare both proxies' lines field by field, after normalising what varies
 * by run (client port, date, timers, byte counts).
 */
import { startProxy, type Impl, type Proxy } from './proxy.js';
import { readFileSync } from 'node:fs';
import { freePort, until } from './net.js';
import { syslogReceiver, type SyslogReceiver } from './syslog.js';

export interface TcpLog {
  readonly clientIp: string;
  readonly clientPort: number;
  readonly date: string;
  readonly frontend: string;
  readonly backend: string;
  readonly server: string;
  readonly tw: number;
  readonly tc: number;
  /** As printed: "+123" with logasap. */
  readonly tt: string;
  readonly bytes: string;
  readonly ts: string;
  readonly ac: number;
  readonly fc: number;
  readonly bc: number;
  readonly sc: number;
  /** As printed: "+1" after a redispatch. */
  readonly rc: string;
  readonly sq: number;
  readonly bq: number;
  /** The whole message after the syslog header. */
  readonly raw: string;
}

const TCPLOG =
  /^(\S+):(\d+) \[([^\]]+)\] (\S+) (\S+)\/(\S+) (-?\d+)\/(-?\d+)\/(\+?-?\d+) (\+?\d+) (\S\S) (\d+)\/(\d+)\/(\d+)\/(\d+)\/(\+?\d+) (\d+)\/(\d+)$/;

/** The message of a syslog line ("<134>Mmm dd hh:mm:ss tag[pid]: message"). */
export function syslogMessage(line: string): string {
  return line.replace(/^<\d+>\w{3} [ \d]\d \d\d:\d\d:\d\d \S+\[\d+\]: /, '');
}

export function parseTcpLog(line: string): TcpLog | undefined {
  const raw = syslogMessage(line);
  const m = TCPLOG.exec(raw);
  if (!m) return undefined;
  return {
    clientIp: m[1]!,
    clientPort: Number(m[2]),
    date: m[3]!,
    frontend: m[4]!,
    backend: m[5]!,
    server: m[6]!,
    tw: Number(m[7]),
    tc: Number(m[8]),
    tt: m[9]!,
    bytes: m[10]!,
    ts: m[11]!,
    ac: Number(m[12]),
    fc: Number(m[13]),
    bc: Number(m[14]),
    sc: Number(m[15]),
    rc: m[16]!,
    sq: Number(m[17]),
    bq: Number(m[18]),
    raw,
  };
}

/** What a comparison leaves out of a line. */
export interface Normalise {
  /** Keep the timers (Tw/Tc/Tt) only as "-1" or "T": their value is not the point. Default true. */
  timers?: boolean;
  /** Replace the byte count with "B". Default false. */
  bytes?: boolean;
  /** Replace the connection counters (%ac/%fc/%bc/%sc) with "n". Default false. */
  counters?: boolean;
  /** Replace the retries (%rc) with "R": how many a race left time for. Default false. */
  retries?: boolean;
}

/** The line with the client port and date replaced, and what `n` says to leave out. */
export function normalised(l: TcpLog, n: Normalise = {}): string {
  const t = (v: number | string): string => (n.timers ?? true ? (Number(v) === -1 ? '-1' : 'T') : String(v));
  const counters = n.counters ? 'n/n/n/n' : `${l.ac}/${l.fc}/${l.bc}/${l.sc}`;
  return (
    `${l.clientIp}:PORT [DATE] ${l.frontend} ${l.backend}/${l.server} ${t(l.tw)}/${t(l.tc)}/${t(l.tt)} ` +
    `${n.bytes ? 'B' : l.bytes} ${l.ts} ${counters}/${n.retries ? 'R' : l.rc} ${l.sq}/${l.bq}`
  );
}

export interface Run<T> {
  readonly impl: Impl;
  /** Every syslog message received, in order (header removed). */
  readonly messages: string[];
  /** The tcplog lines among them, in order. */
  readonly logs: TcpLog[];
  /** What the scenario returned. */
  readonly result: T;
  /** The proxy's stdout + stderr. */
  readonly output: string;
}

export interface Scenario<T> {
  /** The configuration, given the port to bind and the syslog port. */
  config(bind: number, logPort: number): string;
  /** Drives clients against 127.0.0.1:`bind`. */
  drive(bind: number, proxy: Proxy): Promise<T>;
  /** How many tcplog lines to wait for once `drive` has returned. */
  lines: number;
  /** How long to wait for them (default 5 s). */
  waitMs?: number;
  /** Stop the proxy (default: SIGTERM after the lines came); false when drive() stops it. */
  stop?: boolean;
}

/** The global/defaults head every scenario uses: logs to `logPort`, tcplog. */
export function logHead(logPort: number, defaults = ''): string {
  return `global
    log 127.0.0.1:${logPort} local0

defaults
    mode tcp
    log global
    option tcplog
${defaults}`;
}

interface Started {
  readonly syslog: SyslogReceiver;
  readonly bind: number;
  readonly proxy: Proxy;
}

async function start<T>(impl: Impl, s: Scenario<T>): Promise<Started> {
  const syslog: SyslogReceiver = await syslogReceiver();
  const bind = await freePort();
  const proxy = startProxy(impl, s.config(bind, syslog.port));
  // Not by connecting: a probe connection would be logged, and how it ends is a race.
  await until(() => listening(bind) || proxy.child.exitCode !== null, 15_000, `${impl} to listen on ${bind}`).catch(() => undefined);
  if (proxy.child.exitCode !== null || !listening(bind)) {
    await proxy.stop();
    syslog.close();
    throw new Error(`${impl} did not start:\n${proxy.output()}`);
  }
  return { syslog, bind, proxy };
}

async function drive<T>(impl: Impl, s: Scenario<T>, st: Started): Promise<Run<T>> {
  const { syslog, bind, proxy } = st;
  try {
    const result = await s.drive(bind, proxy);
    const count = (): number => syslog.lines.filter((l) => parseTcpLog(l)).length;
    await until(() => count() >= s.lines, s.waitMs ?? 5000, `${s.lines} tcplog lines from ${impl} (got ${JSON.stringify(syslog.lines)})`);
    // A line too many would come now, if at all.
    await new Promise((r) => setTimeout(r, 50));
    if (s.stop !== false) await proxy.stop();
    else await proxy.exited;
    // Lines written while stopping (soft stop: "Proxy X stopped").
    await new Promise((r) => setTimeout(r, 50));
    const messages = syslog.lines.map(syslogMessage);
    return { impl, messages, logs: syslog.lines.map(parseTcpLog).filter((l): l is TcpLog => l !== undefined), result, output: proxy.output() };
  } finally {
    if (proxy.child.exitCode === null && proxy.child.signalCode === null) await proxy.stop();
    syslog.close();
  }
}

/** Runs `s` through `impl`: starts it, drives the clients, collects the log lines, stops it. */
export async function runScenario<T>(impl: Impl, s: Scenario<T>): Promise<Run<T>> {
  return drive(impl, s, await start(impl, s));
}

/**
 * The same scenario through haproxy and Portier at the same time. Both are started before
 * either is driven: a proxy starting up takes CPU that would delay the other's timers.
 */
export async function runBoth<T>(make: (impl: Impl) => Promise<Scenario<T>> | Scenario<T>): Promise<{ haproxy: Run<T>; portier: Run<T> }> {
  const impls = ['haproxy', 'portier'] as const;
  const scenarios = await Promise.all(impls.map(async (impl) => make(impl)));
  const started = await Promise.allSettled(impls.map((impl, i) => start(impl, scenarios[i]!)));
  const failed = started.find((x): x is PromiseRejectedResult => x.status === 'rejected');
  if (failed) {
    for (const x of started) if (x.status === 'fulfilled') await x.value.proxy.stop().finally(() => x.value.syslog.close());
    throw failed.reason;
  }
  const ok = started as PromiseFulfilledResult<Started>[];
  const [haproxy, portier] = await Promise.all(impls.map((impl, i) => drive(impl, scenarios[i]!, ok[i]!.value)));
  return { haproxy: haproxy!, portier: portier! };
}

/** Something listens on 127.0.0.1:`port` (/proc/net/tcp: local address 0100007F:port, state 0A). */
export function listening(port: number): boolean {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'latin1')
    .split('\n')
    .some((l) => {
      const f = l.trim().split(/\s+/);
      return f[1] === hex && f[3] === '0A';
    });
}
