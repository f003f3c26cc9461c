/**
 * A running backend (configuration.txt 4): its servers and balance algorithm, its queue, and
 * the settings its streams follow (timeouts, retries, redispatch). `assign` picks a server as
 * HAProxy's assign_server_and_queue() does for layer 4: the algorithm skips servers at their
 * limit; when every usable server is full the stream waits in the backend's queue; when no
 * server is usable there is none to give.
 */
import type { SampleEnv } from '../sample/types.js';
import { compileHashKey, compileRdpCookieKey } from './hash-key.js';
import type { GlobalModel } from '../config/model/global.js';
import type { ProxyModel } from '../config/model/proxy.js';
import { assignServerIds, createKeyHasher, createLbAlgorithm, LB_ALGORITHMS, lbOptionsOf, type KeyHasher } from '../lb/index.js';
import type { LbAlgorithm } from '../lb/types.js';
import type { LogLevelName } from '../log/targets.js';
import { WaitQueue, type Pending } from './queue.js';
import { RuntimeServer } from './server.js';
import type { ContentRules } from './tcp-rules.js';

export type Assignment =
  | { readonly kind: 'server'; readonly server: RuntimeServer }
  | { readonly kind: 'queued'; readonly pending: Pending }
  /** The server chosen is full and so is its queue (maxqueue): HAProxy's SRV_STATUS_FULL. */
  | { readonly kind: 'full'; readonly server: RuntimeServer }
  | { readonly kind: 'none' };

/** Where a backend's own events go: its logs, and stderr (HAProxy's ha_warning / ha_alert). */
export interface BackendEvents {
  log(level: LogLevelName, text: string): void;
  warn(text: string): void;
  alert(text: string): void;
}

const QUIET: BackendEvents = { log: () => undefined, warn: () => undefined, alert: () => undefined };

/** What a stream gives the backend to wait in a queue. */
export interface Waiter {
  assigned(server: RuntimeServer): void;
  /** Its server went down or drains while it waited in that server's queue: choose again. */
  reassign(): void;
}

export class RuntimeBackend {
  readonly name: string;
  readonly servers: RuntimeServer[];
  readonly lb: LbAlgorithm<RuntimeServer>;
  /** Hashes balancing keys with the backend's `hash-type`. */
  readonly hasher: KeyHasher;
  /**
   * The algorithm takes any weight at run time (HAProxy's BE_LB_PROP_DYN): not static-rr nor
   * map-based hashing, which only take 0% and 100% of the initial weight.
   */
  readonly dynamicWeights: boolean;
  /** `balance source`: the client's address is the key (the other keyed algorithms need HTTP). */
  readonly hashesSource: boolean;
  /** `balance hash <expr>`, `balance rdp-cookie`: the hash of the stream's key, or undefined without one. */
  readonly hashKey?: (env: SampleEnv) => number | undefined;
  /**
   * Some server has no port (or a "+N"/"-N" one): it connects to the port the client reached,
   * which streams then read from their client socket (a getsockname system call).
   */
  readonly portFromClient: boolean;
  /** Streams waiting for any server. */
  readonly queue = new WaitQueue();
  /** Streams attached to this backend now (assigned or queued): %bc. */
  current = 0;
  total = 0;
  readonly connectTimeout: number;
  readonly serverTimeout: number;
  readonly queueTimeout: number;
  readonly tunnelTimeout: number;
  readonly serverFinTimeout: number;
  /** Connection retries after the first attempt (`retries`, default 3). */
  readonly retries: number;
  /** `option redispatch [<interval>]`: undefined when off; -1 = on the last retry. */
  readonly redispatch: number | undefined;
  /** `fullconn`: the load at which minconn servers reach their maxconn (see process.ts for the default). */
  fullconn: number;
  /** `retry-on` includes connection failures (the default, "conn-failure"). */
  readonly retryOnConnectionFailure: boolean;
  /** TCP keep-alive towards servers (option srvtcpka/tcpka): initial delay in ms, or undefined. */
  readonly serverKeepAlive?: number;
  /** HAProxy's proxy id (uuid): `show servers state`, stats. */
  readonly id: number;
  /** "backend", or "proxy" for a listen section, as state-change messages name it. */
  readonly typeName: string;
  /** When it last had no server or got one back (seconds), and how often it lost them all. */
  lastChange = Math.floor(performance.now() / 1000);
  downTransitions = 0;
  /** Set by the process: logs and stderr. */
  events: BackendEvents = QUIET;
  /** Set by the process: closes the streams connected to a server (on-marked-down ...). */
  shutdownStreams: (server: RuntimeServer, cause: 'D' | 'U') => void = () => undefined;
  /**
   * tcp-request content rules, run once a stream enters the backend (after its frontend's),
   * with the backend's own inspect delay; null: none. Set by the process at startup.
   */
  contentRules: ContentRules | null = null;

  /** `global`: the TLS defaults of servers (ssl-default-server-*, ssl-server-verify). */
  constructor(
    readonly model: ProxyModel,
    global?: GlobalModel,
  ) {
    this.name = model.name;
    this.typeName = model.kind === 'listen' ? 'proxy' : 'backend';
    this.id = model.id ?? 0;
    // HAProxy's server ids: consistent hashing places servers by id, `first` fills them in id order.
    const ids = assignServerIds(model.servers);
    this.servers = model.servers.map((s, i) => new RuntimeServer(s, ids[i]!, global, model.name));
    this.portFromClient = this.servers.some((s) => {
      const a = s.model.address;
      return a.family !== 'unix' && a.family !== 'abns' && (a.port === undefined || a.port === 0);
    });
    const t = model.timeouts;
    this.connectTimeout = t['connect'] ?? 0;
    this.serverTimeout = t['server'] ?? 0;
    // HAProxy: "timeout queue" defaults to "timeout connect".
    this.queueTimeout = t['queue'] ?? this.connectTimeout;
    this.tunnelTimeout = t['tunnel'] ?? 0;
    this.serverFinTimeout = t['server-fin'] ?? this.serverTimeout;
    this.retries = model.retries ?? 3;
    this.redispatch = model.options['redispatch']?.enabled ? (model.redispatchInterval ?? -1) : undefined;
    this.fullconn = model.fullconn ?? 0;
    const retryOn = model.retryOn;
    this.retryOnConnectionFailure = !retryOn || retryOn.includes('conn-failure') || retryOn.includes('all-retryable-errors');
    if (model.options['srvtcpka']?.enabled) this.serverKeepAlive = (model.serverKeepAlive.idle ?? 0) * 1000;
    const load = (): { current: number; fullconn: number } => ({ current: this.current, fullconn: this.fullconn });
    for (const s of this.servers) {
      s.backendLoad = load;
      s.backendSource = model.source;
    }
    const lbOptions = lbOptionsOf(model);
    this.lb = createLbAlgorithm(model.balance, lbOptions, this.servers);
    this.hasher = createKeyHasher(lbOptions.hashType);
    this.hashesSource = model.balance?.algorithm === 'source';
    const b = model.balance;
    if (b?.algorithm === 'hash' && b.expr) this.hashKey = compileHashKey(b.expr, this.hasher);
    else if (b?.algorithm === 'rdp-cookie') this.hashKey = compileRdpCookieKey(String(b.args['name'] ?? 'mstshash'), this.hasher);
    const algorithm = model.balance?.algorithm ?? 'roundrobin';
    this.dynamicWeights = algorithm !== 'static-rr' && (!LB_ALGORITHMS[algorithm]?.hashed || lbOptions.hashType?.method === 'consistent');
  }

  /** Some server (active or backup) can take traffic at all. */
  hasUsableServer(): boolean {
    return this.servers.some((s) => s.usable() && s.weight > 0);
  }

  /**
   * Finds a server for a stream: one with a free slot, or a place in the backend's queue when
   * all usable servers are full, or none when no server is usable. `avoid`: servers not to pick
   * again (a redispatch after failures on them), when others exist.
   */
  assign(waiter: Waiter, hash?: number, avoid?: ReadonlySet<RuntimeServer>): Assignment {
    if (!this.hasUsableServer()) return { kind: 'none' };
    const server = this.lb.pick({ avoid, hash });
    // A server with waiters is not taken before them even with a free slot (HAProxy's
    // assign_server_and_queue: "queue.length || served >= maxconn").
    if (server && !server.full() && (server.maxconn === 0 || server.queue.length === 0)) {
      this.take(server);
      return { kind: 'server', server };
    }
    if (server) {
      // A hash-based pick lands on a full server: wait for that one (HAProxy's server queue),
      // unless its queue is full too. HAProxy then fails the stream ("SQ", the server logged)
      // rather than queueing it in the backend: a hash would bring it back to the same server,
      // and redispatching is only done for cookie persistence (srv_redispatch_connect).
      if (server.queueFull()) return { kind: 'full', server };
      const pending = server.queue.add({ server, since: performance.now(), assigned: (s) => waiter.assigned(s), reassign: () => waiter.reassign() });
      return { kind: 'queued', pending };
    }
    const pending = this.queue.add({ since: performance.now(), assigned: (s) => waiter.assigned(s), reassign: () => waiter.reassign() });
    return { kind: 'queued', pending };
  }

  /** Counts a new connection to `server`. */
  take(server: RuntimeServer): void {
    server.current++;
    server.total++;
    if (server.current > server.maxSeen) server.maxSeen = server.current;
    this.lb.take(server);
  }

  /** A connection to `server` ended (or its attempt failed): its slot may go to a waiter. */
  release(server: RuntimeServer): void {
    server.current--;
    this.lb.drop(server);
    this.dequeue(server);
  }

  /** A waiter gave up (timeout, client gone). */
  abandon(p: Pending): void {
    if (p.server) p.server.queue.leave(p);
    else this.queue.leave(p);
  }

  /**
   * Gives free slots of `server` to waiters: the oldest of its own queue and the backend's
   * (HAProxy's process_srv_queue). Returns how many it took.
   */
  dequeue(server: RuntimeServer): number {
    let n = 0;
    while (server.usable() && !server.full()) {
      const own = server.queue.first();
      const shared = this.queue.first();
      let next: Pending | undefined;
      if (own && (!shared || own.since <= shared.since)) next = server.queue.shift();
      else if (shared) next = this.queue.shift();
      if (!next) return n;
      this.take(server);
      n++;
      next.assigned(server);
    }
    return n;
  }

  /**
   * `server` stopped taking traffic: the streams in its own queue choose again (HAProxy's
   * pendconn_redistribute). Returns how many moved.
   */
  redistribute(server: RuntimeServer): number {
    const moved = server.queue.items.splice(0);
    for (const p of moved) p.reassign();
    return moved.length;
  }
}
