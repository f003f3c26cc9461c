/**
 * A running server of a backend (configuration.txt 5.2): where to connect, its weight, its
 * connection limit and queue, its state. The state is HAProxy's pair: an operational state
 * (stopped, starting, running, stopping) that health checks move, and administrative flags
 * (maintenance, drain) that the configuration and the runtime API set; server-state.ts moves
 * both, with their effects and log lines.
 */
import type { NetConnectOpts } from 'node:net';
import type { GlobalModel } from '../config/model/global.js';
import type { ServerModel } from '../config/model/server.js';
import type { LbServer } from '../lb/types.js';
import { serverPpBits } from '../net/proxy-protocol.js';
import type { HealthCheck } from '../checks/health.js';
import { constantSni, serverTls, type ServerTls } from '../net/server-tls.js';
import type { SampleEnv } from '../sample/types.js';
import { compileSni } from './sni.js';
import { WaitQueue } from './queue.js';
import { AdminFlag, OpState } from './server-flags.js';

export class RuntimeServer implements LbServer {
  readonly name: string;
  readonly id: number;
  /** The user weight in force (`weight`, later `set weight`), and the configured one. */
  weight: number;
  readonly initialWeight: number;
  readonly backup: boolean;
  /** HAProxy's operational state (cur_state). A server starts running, checked or not. */
  opState = OpState.Running;
  /** HAProxy's administrative flags (cur_admin): `disabled` is forced + configured maintenance. */
  admin = 0;
  /** When the state last changed (seconds, monotonic clock). */
  lastChange = Math.floor(performance.now() / 1000);
  /** Times the server went down. */
  downTransitions = 0;
  /**
   * Without `check`, HAProxy still keeps a check health (shown by `show servers state`): `rise`,
   * set to 0 when the server is forced into maintenance while running, and left there.
   */
  uncheckedHealth: number;
  /** The health check (`check`) and the agent check (`agent-check`), when configured. */
  check?: HealthCheck;
  agent?: HealthCheck;
  /** `slowstart`, in whole seconds as HAProxy keeps it (0: none). */
  readonly slowstart: number;
  /** The slow-start ramp timer while starting. */
  warmup?: NodeJS.Timeout;
  /** `on-marked-down shutdown-sessions`, `on-marked-up shutdown-backup-sessions`. */
  readonly shutdownOnDown: boolean;
  readonly shutdownBackupsOnUp: boolean;
  /** Connections being served now (HAProxy's "served"). */
  current = 0;
  /** Highest `current` seen. */
  maxSeen = 0;
  /**
   * Connections to the server attempted or established now (HAProxy's cur_sess: the logs'
   * srv_conn). Unlike `current`, a stream waiting to retry after a failed attempt is not one.
   */
  sessions = 0;
  /** Connections made since startup. */
  total = 0;
  /** Streams waiting for a slot on this server (persistence; see Backend for the shared queue). */
  readonly queue = new WaitQueue();
  /** Configured limits: 0 means none. An agent may change maxconn ("maxconn:N"). */
  private maxconnConf: number;
  minconn: number;
  readonly maxqueue: number;
  /** PROXY protocol header to send (send-proxy*, proxy-v2-options): HAProxy's option bits. */
  readonly proxyBits: number;
  /** TLS of the server's traffic (`ssl`), compiled once; undefined: plain TCP. */
  readonly tls: ServerTls | undefined;
  /**
   * `sni <expr>` that needs the stream: the name to send on this connection (undefined: none).
   * A constant one is compiled into `tls`.
   */
  readonly sniOf?: (env: SampleEnv) => string | undefined;
  /** Failures counted for the stats (HAProxy's econ, wretr, wredis). */
  failedConnections = 0;
  /** Failed health checks (stats "chkfail"). */
  failedChecks = 0;
  retries = 0;
  redispatches = 0;
  /** Bytes relayed, both ways. */
  bytesIn = 0;
  bytesOut = 0;
  /** The backend's `source` line, used when the server has none (set by the backend). */
  backendSource?: { readonly address: import('../config/model/address.js').AddressModel };
  /** The backend's `fullconn` and current load, for the dynamic limit (set by the backend). */
  backendLoad: () => { current: number; fullconn: number } = () => ({ current: 0, fullconn: 0 });

  constructor(
    readonly model: ServerModel,
    position: number,
    global?: GlobalModel,
    proxyName?: string,
  ) {
    const o = model.options;
    this.name = model.name;
    this.id = typeof o.id === 'number' ? o.id : position;
    this.weight = typeof o.weight === 'number' ? o.weight : 1;
    this.initialWeight = this.weight;
    this.backup = o.backup === true;
    if (o.disabled === true) {
      this.admin = AdminFlag.ForcedMaint | AdminFlag.ConfigMaint;
      this.opState = OpState.Stopped;
    }
    this.uncheckedHealth = typeof o.rise === 'number' ? o.rise : 2;
    this.slowstart = typeof o.slowstart === 'number' ? Math.ceil(o.slowstart / 1000) : 0;
    this.shutdownOnDown = o['on-marked-down'] === 'shutdown-sessions';
    this.shutdownBackupsOnUp = o['on-marked-up'] === 'shutdown-backup-sessions';
    this.maxconnConf = typeof o.maxconn === 'number' ? o.maxconn : 0;
    this.minconn = typeof o.minconn === 'number' ? o.minconn : 0;
    this.maxqueue = typeof o.maxqueue === 'number' ? o.maxqueue : 0;
    this.proxyBits = serverPpBits(o);
    this.tls = global && o.ssl === true ? serverTls(model, global, false, proxyName) : undefined;
    if (this.tls && model.sniExpr && constantSni(model.sniExpr) === undefined) this.sniOf = compileSni(model.sniExpr);
  }

  /**
   * Takes new traffic (HAProxy's srv_is_usable): running or starting, a weight, and neither in
   * maintenance nor draining.
   */
  usable(): boolean {
    return (
      (this.opState === OpState.Running || this.opState === OpState.Starting) &&
      this.weight > 0 &&
      (this.admin & (AdminFlag.Maint | AdminFlag.Drain)) === 0
    );
  }

  /** Seconds since the state last changed, while a slow start is under way; else undefined. */
  private warmupElapsed(): number | undefined {
    if (this.opState !== OpState.Starting || this.slowstart === 0) return undefined;
    const elapsed = Math.floor(performance.now() / 1000) - this.lastChange;
    return elapsed >= 0 && elapsed < this.slowstart ? elapsed : undefined;
  }

  /**
   * During a slow start, HAProxy's weight step for dynamic algorithms: from 1/16 of the weight
   * at the start up to 16/16 (server_recalc_eweight).
   */
  get slowStartStep(): number | undefined {
    const elapsed = this.warmupElapsed();
    return elapsed === undefined ? undefined : Math.floor((16 * elapsed + this.slowstart) / this.slowstart);
  }

  /** "Backup Server" / "Server", as the log lines start. */
  get kindForLogs(): string {
    return this.backup ? 'Backup Server' : 'Server';
  }

  /**
   * The connection limit in force (configuration.txt 5.2 "minconn"): with minconn, the limit
   * grows from minconn to maxconn as the backend's load goes from 0 to its fullconn.
   */
  get maxconn(): number {
    let max = this.maxconnConf;
    if (max === 0) return 0;
    if (this.minconn !== 0) {
      const { current, fullconn } = this.backendLoad();
      if (fullconn > 0 && current < fullconn) max = Math.max(this.minconn, Math.min(max, Math.floor((max * current) / fullconn)), 1);
    }
    // A slow start also ramps the limit up (HAProxy's srv_dynamic_maxconn).
    const elapsed = this.warmupElapsed();
    if (elapsed !== undefined) max = Math.max(1, Math.floor((max * Math.floor((100 * elapsed) / this.slowstart)) / 100));
    return max;
  }

  /**
   * A new connection limit (an agent's "maxconn:N"; HAProxy's
   * server_parse_maxconn_change_request): a static limit (minconn = maxconn) moves both.
   */
  setMaxconn(v: number): void {
    if (this.maxconnConf === this.minconn) this.minconn = v;
    this.maxconnConf = v;
  }

  /** At its connection limit: new streams go to another server or wait. */
  full(): boolean {
    const max = this.maxconn;
    return max > 0 && this.current >= max;
  }

  /** Streams in its own queue (LbServer: leastconn counts them as load, as HAProxy's fwlc). */
  get queued(): number {
    return this.queue.length;
  }

  /** Its own queue is at `maxqueue`: streams are redispatched rather than queued here. */
  queueFull(): boolean {
    return this.maxqueue > 0 && this.queue.length >= this.maxqueue;
  }

  /**
   * Where to connect for a client that reached us on `localPort`: a port-less server uses that
   * port, "+N"/"-N" shifts it (configuration.txt 5.2, "server <addr>[:[port]]").
   */
  connectOptions(localPort: number | undefined): NetConnectOpts {
    const a = this.model.address;
    if (a.family === 'unix') return { path: a.path! };
    if (a.family === 'abns') return { path: `\0${a.path}` };
    let port = a.port;
    if (port === undefined || port === 0) port = (localPort ?? 0) + (a.portOffset ?? 0);
    const opts: NetConnectOpts = { host: a.ip!, port };
    // The server's own `source`, else its backend's (configuration.txt 4.2 / 5.2 "source").
    const source = this.model.options.source ?? this.backendSource;
    if (source && source.address.ip && source.address.ip !== '0.0.0.0' && source.address.ip !== '::') {
      (opts as { localAddress?: string }).localAddress = source.address.ip;
    }
    if (source?.address.port) (opts as { localPort?: number }).localPort = source.address.port;
    return opts;
  }

  /** "1.2.3.4", for %si; the port for %sp. */
  addressForLogs(localPort: number | undefined): { ip: string; port: number | string } {
    const o = this.connectOptions(localPort) as { host?: string; port?: number; path?: string };
    if (o.path !== undefined) return { ip: 'unix', port: '' };
    return { ip: o.host ?? '-', port: o.port ?? 0 };
  }
}
