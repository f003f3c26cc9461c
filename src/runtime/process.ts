/**
 * The running configuration: frontends with their backends, the stats sockets, and the
 * process-wide connection count. Built from the frozen model once; started, paused and
 * stopped by the master (signals, -sf/-st).
 */
import { readFileSync } from 'node:fs';
import type { ConfigEnvironment } from '../config/environment.js';
import type { ConfigModel } from '../config/model/index.js';
import type { ProxyModel } from '../config/model/proxy.js';
import { CAP_BE, CAP_FE } from '../config/types.js';
import { StatsSockets } from '../admin/stats-socket.js';
import { HAPROXY_COMPAT_VERSION, PORTIER_VERSION } from '../version.js';
import { createProcessLogger, createProxyLogger, type ProcessLogger, type ProxyLogger } from '../log/stream-logger.js';
import { startHealthChecks, type HealthChecks } from '../checks/start.js';
import { RuntimeBackend } from './backend.js';
import { RuntimeFrontend, type ProcessCounters } from './frontend.js';
import type { RuntimeServer } from './server.js';

/** Messages of the running process on stderr (HAProxy's ha_warning / ha_alert). */
export interface ProcessConsole {
  warn(text: string): void;
  alert(text: string): void;
}

const SILENT: ProcessConsole = { warn: () => undefined, alert: () => undefined };
import { compileContentRules, compileTcpRules } from './tcp-rules.js';

export class RunningProcess {
  readonly frontends: RuntimeFrontend[] = [];
  readonly backends = new Map<string, RuntimeBackend>();
  readonly stats: StatsSockets;
  readonly counters: ProcessCounters;
  /** The global section's log targets. */
  readonly processLogger: ProcessLogger;
  /** Each proxy's logger (frontends log their streams, every proxy its own events). */
  private readonly loggers = new Map<ProxyModel, ProxyLogger | undefined>();
  private stopping = false;
  /** Set while the listeners are paused (SIGTTOU): a timer that keeps the process up. */
  private pausedKeepAlive?: NodeJS.Timeout;
  private checks?: HealthChecks;

  constructor(
    readonly model: ConfigModel,
    env: ConfigEnvironment,
    cliMaxconn?: number,
    private readonly console: ProcessConsole = SILENT,
  ) {
    const maxconn = cliMaxconn ?? model.global.maxconn ?? defaultMaxconn();
    this.counters = { actconn: 0, maxconn, wake: () => this.wake() };
    for (const p of model.proxies) {
      if (p.cap & CAP_BE && !p.disabled) {
        const be = new RuntimeBackend(p, model.global);
        be.contentRules = compileContentRules(model, p);
        this.backends.set(p.name, be);
      }
    }
    this.processLogger = createProcessLogger(model);
    for (const p of model.proxies) {
      if (!p.disabled && p.cap & (CAP_FE | CAP_BE)) this.loggers.set(p, createProxyLogger(model, p));
    }
    for (const p of model.proxies) {
      if (p.cap & CAP_FE && !p.disabled && p.binds.length > 0) {
        const f = new RuntimeFrontend(p, this.backendFor(p), this.counters);
        f.logger = this.loggers.get(p);
        f.connectionRules = compileTcpRules(model, p, 'tcp-request connection');
        f.contentRules = compileContentRules(model, p);
        this.frontends.push(f);
      }
    }
    for (const be of this.backends.values()) this.wireBackend(be);
    // HAProxy's default fullconn: 10% of the maxconn of the frontends that reach the backend.
    for (const be of this.backends.values()) {
      if (be.model.fullconn !== undefined && be.model.fullconn > 0) continue;
      const sum = this.frontends.filter((f) => f.backend === be).reduce((n, f) => n + f.maxconn, 0);
      be.fullconn = Math.max(1, Math.floor(sum / 10));
    }
    this.stats = new StatsSockets(
      model.global.statsSockets,
      {
        environment: () => env.toObject(),
        version: () => `${HAPROXY_COMPAT_VERSION} (Portier ${PORTIER_VERSION})`,
        backends: () => [...this.backends.values()],
      },
      model.global.statsTimeout,
      model.global.statsMaxconn,
    );
  }

  /** A backend's events go to its logs and stderr; its servers' streams can be cut. */
  private wireBackend(be: RuntimeBackend): void {
    const logger = this.loggers.get(be.model);
    const console = this.console;
    be.events = {
      log: (level, text) => logger?.send(level, text),
      warn: (text) => console.warn(text),
      alert: (text) => console.alert(text),
    };
    // As HAProxy, the streams are woken to die on their next run: the state-change message
    // still counts them among the server's active sessions.
    be.shutdownStreams = (server: RuntimeServer, cause: 'D' | 'U') => {
      for (const f of this.frontends) {
        for (const st of f.streams) if (st.currentServer === server) setImmediate(() => st.killForServerState(cause));
      }
    };
  }

  /**
   * A listen section serves its own servers; a frontend its first use_backend (only rules
   * without a condition run yet), else its default_backend.
   */
  private backendFor(p: ProxyModel): RuntimeBackend | undefined {
    const rule = p.rules.find((r) => r.ruleset === 'use_backend' && !r.condition);
    if (rule) return this.backends.get(String(rule.args['backend']));
    if (p.cap & CAP_BE && (p.servers.length > 0 || !p.defaultBackend)) return this.backends.get(p.name);
    if (p.defaultBackend) return this.backends.get(p.defaultBackend.name);
    return undefined;
  }

  /** Binds every listener; rejects with the first binding error. */
  async start(): Promise<void> {
    await this.stats.start();
    for (const f of this.frontends) await f.start();
    this.checks = startHealthChecks(this.model, [...this.backends.values()]);
  }

  /** A connection ended somewhere: frontends holding waiters may start them. */
  private wake(): void {
    for (const f of this.frontends) f.takeWaiters();
  }

  /**
   * SIGTTOU: release the network listeners (another process may bind them). Each proxy with
   * listeners says so, on stderr (`warn`) and in its logs, as HAProxy's pause_listener():
   * "Paused proxy <name>." (or "frontend"). While paused the process stays up, even when
   * nothing else (a check, a stream) would keep Node's event loop alive.
   */
  pauseListeners(warn: (text: string) => void = () => undefined): void {
    if (this.stopping || this.pausedKeepAlive !== undefined) return;
    this.pausedKeepAlive = setInterval(() => undefined, 2 ** 30);
    for (const f of this.frontends) {
      f.pause();
      this.say(f.model, `Paused ${capName(f.model)} ${f.model.name}.`, warn);
    }
  }

  /** SIGTTIN: bind them again ("Resumed proxy <name>."). */
  async resumeListeners(warn: (text: string) => void = () => undefined): Promise<void> {
    if (this.pausedKeepAlive === undefined || this.stopping) return;
    this.endPause();
    for (const f of this.frontends) {
      await f.resume();
      this.say(f.model, `Resumed ${capName(f.model)} ${f.model.name}.`, warn);
    }
  }

  private endPause(): void {
    if (this.pausedKeepAlive !== undefined) clearInterval(this.pausedKeepAlive);
    this.pausedKeepAlive = undefined;
  }

  /** A warning about a proxy: on stderr and in the proxy's logs. */
  private say(p: ProxyModel, text: string, warn: (text: string) => void): void {
    warn(text);
    this.loggers.get(p)?.send('warning', text);
  }

  /**
   * Soft stop (SIGUSR1, -sf): stop accepting, let connections finish, then call `done`. Each
   * proxy says it stopped, on stderr (`warn`) and in its logs, as HAProxy's proxy_cond_disable().
   */
  softStop(done: () => void, warn: (text: string) => void = () => undefined): void {
    if (this.stopping) return;
    this.stopping = true;
    this.endPause();
    for (const f of this.frontends) f.closeListeners();
    // Proxies with listeners first (they stop as their listeners close), then the backends.
    const proxies = [...this.loggers.keys()];
    const listening = (p: ProxyModel): boolean => this.frontends.some((f) => f.model === p);
    for (const p of [...proxies.filter(listening), ...proxies.filter((p) => !listening(p))]) {
      const fe = this.frontends.find((f) => f.model === p);
      this.say(p, `Proxy ${p.name} stopped (cumulated conns: FE: ${fe?.total ?? 0}, BE: ${this.backends.get(p.name)?.total ?? 0}).`, warn);
    }
    this.stats.close();
    this.checks?.stop();
    const check = (): void => {
      if (this.frontends.every((f) => f.streams.size === 0)) done();
    };
    for (const f of this.frontends) f.onIdle = check;
    check();
  }

  /** Hard stop (SIGTERM, -st): close everything now. */
  hardStop(): void {
    this.stopping = true;
    this.endPause();
    for (const f of this.frontends) {
      f.closeListeners();
      f.killAll();
    }
    this.checks?.stop();
    this.stats.close();
  }
}

/** How HAProxy names a proxy in its messages (proxy.c proxy_cap_str): "proxy" for a listen section. */
function capName(p: ProxyModel): string {
  return p.kind === 'listen' ? 'proxy' : p.kind;
}

/**
 * HAProxy's default process maxconn comes from the file-descriptor limit (two descriptors per
 * proxied connection, some kept for listeners and logs): (limit - 100) / 2.
 */
function defaultMaxconn(): number {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (m) return Math.max(100, Math.floor((Number(m[1]) - 100) / 2));
  } catch {
    // not Linux: fall through
  }
  return 4000;
}
