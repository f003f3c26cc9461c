/**
 * A running server of a backend (configuration.txt 5.2): where to connect, its weight, its
 * connection limit and queue, its state. States follow HAProxy's (UP, DOWN, MAINT, DRAIN); the
 * health checks and the runtime API move them in later stages.
 */
import type { NetConnectOpts } from 'node:net';
import type { GlobalModel } from '../config/model/global.js';
import type { ServerModel } from '../config/model/server.js';
import type { LbServer } from '../lb/types.js';
import { serverPpBits } from '../net/proxy-protocol.js';
import { serverTls, type ServerTls } from '../net/server-tls.js';
import { WaitQueue } from './queue.js';

export type ServerState = 'up' | 'down' | 'maint' | 'drain';

export class RuntimeServer implements LbServer {
  readonly name: string;
  readonly id: number;
  weight: number;
  readonly backup: boolean;
  state: ServerState;
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
  /** Configured limits: 0 means none. */
  private readonly maxconnConf: number;
  readonly minconn: number;
  readonly maxqueue: number;
  /** PROXY protocol header to send (send-proxy*, proxy-v2-options): HAProxy's option bits. */
  readonly proxyBits: number;
  /** TLS of the server's traffic (`ssl`), compiled once; undefined: plain TCP. */
  readonly tls: ServerTls | undefined;
  /** Failures counted for the stats (HAProxy's econ, wretr, wredis). */
  failedConnections = 0;
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
    this.backup = o.backup === true;
    this.state = o.disabled === true ? 'maint' : 'up';
    this.maxconnConf = typeof o.maxconn === 'number' ? o.maxconn : 0;
    this.minconn = typeof o.minconn === 'number' ? o.minconn : 0;
    this.maxqueue = typeof o.maxqueue === 'number' ? o.maxqueue : 0;
    this.proxyBits = serverPpBits(o);
    this.tls = global && o.ssl === true ? serverTls(model, global, false, proxyName) : undefined;
  }

  usable(): boolean {
    return this.state === 'up';
  }

  /**
   * The connection limit in force (configuration.txt 5.2 "minconn"): with minconn, the limit
   * grows from minconn to maxconn as the backend's load goes from 0 to its fullconn.
   */
  get maxconn(): number {
    const max = this.maxconnConf;
    if (max === 0 || this.minconn === 0) return max;
    const { current, fullconn } = this.backendLoad();
    if (fullconn <= 0 || current >= fullconn) return max;
    return Math.max(this.minconn, Math.min(max, Math.floor((max * current) / fullconn)), 1);
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
