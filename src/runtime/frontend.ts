/**
 * A running frontend in mode tcp: its listeners (one per address and port; a port range opens
 * one per port) and the streams of the connections it accepts.
 *
 * Connection limits (configuration.txt 3.2 / 4.2 "maxconn", 5.1 "maxconn"): HAProxy stops
 * accepting at the limit, leaving new connections in the kernel's backlog. Node cannot stop
 * accepting without closing the socket, so connections over the limit are accepted paused
 * (nothing is read from them) and wait in order until a stream ends.
 */
import { LinkedSet } from './linked-set.js';
import type { Server } from 'node:net';
import type { Endpoint, EndpointOwner, SocketAddresses } from '../tcp/endpoint.js';
import { HandleEndpoint, rawSockets, type TcpHandle } from '../tcp/handle-endpoint.js';
import { SocketEndpoint } from '../tcp/socket-endpoint.js';
import type { BindModel } from '../config/model/bind.js';
import type { ProxyModel } from '../config/model/proxy.js';
import { listenOn } from '../net/listen.js';
import type { ProxyHeader } from '../net/proxy-protocol.js';
import { onEndpointProxyHeader } from '../net/proxy-protocol-endpoint.js';
import type { ProxyLogger } from '../log/stream-logger.js';
import { clientAddresses, stripMapped } from '../tcp/addresses.js';
import { TcpStream, type StreamHost } from '../tcp/stream.js';
import type { EnvAddress, SampleEnv } from '../sample/types.js';
import { procVars, VarStore } from '../sample/var-store.js';
import type { VarScope } from '../sample/vars.js';
import type { RuntimeBackend } from './backend.js';
import { runTcpRules, type ContentRules, type TcpRuleSet } from './tcp-rules.js';

/** What the process shares with its frontends: the global connection count and limit. */
export interface ProcessCounters {
  actconn: number;
  readonly maxconn: number;
  /** Frontends call this when a connection ends, so that any of them may take a waiter. */
  wake(): void;
}

interface Listener {
  readonly bind: BindModel;
  readonly address: BindModel['addresses'][number];
  readonly port?: number;
  server?: Server;
  /** Connections on this listener now (bind "maxconn"). */
  current: number;
  readonly maxconn: number;
  /** bind "id", else its rank in the frontend (HAProxy's luid); set once all are listed. */
  id: number;
}

/**
 * The frontend owns a connection until a stream takes it (EndpointOwner): while it waits for a
 * slot (nothing is read from it; one that closes leaves the queue), and after its PROXY header
 * was read (the header's reader owns it meanwhile).
 */
export class RuntimeFrontend implements StreamHost, EndpointOwner {
  readonly name: string;
  readonly listeners: Listener[] = [];
  /** Streams being served (a LinkedSet: see why in linked-set.ts). */
  readonly streams = new LinkedSet<TcpStream>();
  /** Accepted connections waiting for a slot (over maxconn). */
  private readonly waiting: { conn: Endpoint; listener: Listener }[] = [];
  readonly clientTimeout: number;
  readonly clientFinTimeout: number;
  readonly maxconn: number;
  readonly clientKeepAlive?: number;
  /** Connections accepted since startup. */
  total = 0;
  /** The frontend's logs (createProxyLogger): undefined when it logs nowhere. */
  logger?: ProxyLogger;
  /** Called when the last stream ends (soft stop waits for it). */
  onIdle?: () => void;
  /** tcp-request connection rules, run at accept (null: none). Set by the process at startup. */
  connectionRules: TcpRuleSet | null = null;
  /** tcp-request content rules and inspect delay, run by each stream first (null: none). */
  contentRules: ContentRules | null = null;
  /** Connections closed by tcp-request connection rules (HAProxy's denied_conn, "dcon"). */
  deniedConnections = 0;
  /** Requests closed by tcp-request content rules (HAProxy's denied_req, "dreq"). */
  deniedRequests = 0;
  private paused = false;

  constructor(
    readonly model: ProxyModel,
    readonly backend: RuntimeBackend | undefined,
    private readonly counters: ProcessCounters,
  ) {
    this.name = model.name;
    this.clientTimeout = model.timeouts['client'] ?? 0;
    this.clientFinTimeout = model.timeouts['client-fin'] ?? this.clientTimeout;
    // "maxconn 0" (the default) means the global limit.
    this.maxconn = model.maxconn && model.maxconn > 0 ? model.maxconn : counters.maxconn;
    if (model.options['clitcpka']?.enabled) this.clientKeepAlive = (model.clientKeepAlive.idle ?? 0) * 1000;
    for (const bind of model.binds) {
      const max = typeof bind.options['maxconn'] === 'number' ? (bind.options['maxconn'] as number) : 0;
      for (const address of bind.addresses) {
        if (address.port !== undefined && address.portHigh !== undefined) {
          for (let p = address.port; p <= address.portHigh; p++) this.listeners.push({ bind, address, port: p, current: 0, maxconn: max, id: 0 });
        } else {
          this.listeners.push({ bind, address, current: 0, maxconn: max, id: 0 });
        }
      }
    }
    this.listeners.forEach((l, i) => (l.id = typeof l.bind.options['id'] === 'number' ? (l.bind.options['id'] as number) : i + 1));
  }

  get current(): number {
    return this.streams.size;
  }

  actconn(): number {
    return this.counters.actconn;
  }

  feconn(): number {
    return this.streams.size;
  }

  async start(): Promise<void> {
    for (const l of this.listeners) await this.open(l);
  }

  private async open(l: Listener): Promise<void> {
    l.server = await listenOn(
      l.address,
      {
        bindOptions: l.bind.options,
        backlog: this.backlogFor(l),
        allowHalfOpen: true,
        pauseOnConnect: true,
        onConnection: (s) => this.accept(new SocketEndpoint(s, this), l),
        onHandle: rawSockets ? (h: TcpHandle) => this.accept(HandleEndpoint.accepted(h, this), l) : undefined,
      },
      l.port,
    );
  }

  /** bind "backlog", else the frontend's "backlog", else its maxconn (configuration.txt 4.2). */
  private backlogFor(l: Listener): number | undefined {
    const b = l.bind.options['backlog'];
    if (typeof b === 'number' && b > 0) return b;
    if (this.model.backlog && this.model.backlog > 0) return this.model.backlog;
    return undefined;
  }

  /** SIGTTOU: stop listening on network addresses (unix sockets stay), to let another process bind. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    for (const l of this.listeners) {
      if (!l.server || l.address.family === 'unix' || l.address.family === 'abns' || l.address.family === 'fd') continue;
      // close() releases the listening socket at once. Its callback is not waited for: it comes
      // only once the connections the listener accepted as net.Sockets have ended, and they go on.
      l.server.close();
      l.server = undefined;
    }
  }

  /** SIGTTIN: listen again on what pause() closed. */
  async resume(): Promise<void> {
    if (!this.paused) return;
    this.paused = false;
    for (const l of this.listeners) if (!l.server) await this.open(l);
  }

  /** Stops accepting; connections in progress go on. */
  closeListeners(): void {
    for (const l of this.listeners) {
      l.server?.close();
      l.server = undefined;
    }
    // Waiters never started: they are closed like the kernel backlog would be.
    for (const w of this.waiting.splice(0)) w.conn.destroy();
  }

  /** Closes every stream at once (hard stop). */
  killAll(): void {
    for (const w of this.waiting.splice(0)) w.conn.destroy();
    for (const s of this.streams) s.client.destroy();
  }

  private accept(conn: Endpoint, l: Listener): void {
    if (this.full(l)) {
      this.waiting.push({ conn, listener: l });
      return;
    }
    this.startStream(conn, l);
  }

  // What a connection no stream has taken yet reports (EndpointOwner): only its end matters.
  endpointConnected(): void {}
  endpointData(): boolean {
    return true;
  }
  endpointEnd(): void {}
  endpointDrain(): void {}
  endpointError(ep: Endpoint): void {
    ep.destroy();
  }
  endpointClose(ep: Endpoint): void {
    const i = this.waiting.findIndex((w) => w.conn === ep);
    if (i >= 0) this.waiting.splice(i, 1);
  }

  /**
   * bind "accept-proxy" (configuration.txt 5.1): the PROXY header comes first, within the
   * frontend's client timeout; a bad one closes the connection with HAProxy's log line.
   */
  private withProxyHeader(conn: Endpoint, l: Listener, then: (header: ProxyHeader | undefined, length: number, rest: Buffer | undefined) => void): void {
    if (l.bind.options['accept-proxy'] !== true) {
      then(undefined, 0, undefined);
      return;
    }
    const acceptDate = new Date();
    onEndpointProxyHeader(conn, this.clientTimeout, {}, (r, rest) => {
      if ('header' in r) {
        then(r.header, r.length, rest);
        return;
      }
      // HAProxy's line starts with the address it had already read from the header, if any.
      const a = clientAddresses(conn, undefined, this.listenerId(l));
      this.logger?.connectionError({
        clientIp: r.src ? stripMapped(r.src.address) : a.clientIp,
        clientPort: r.src ? r.src.port : a.clientPort,
        acceptDate,
        listener: typeof l.bind.options['name'] === 'string' ? (l.bind.options['name'] as string) : String(this.listenerId(l)),
        message: r.error,
        empty: r.code === 'PRX_EMPTY' || r.code === 'PRX_ABORT' || r.code === 'PRX_TIMEOUT',
      });
      // HAProxy only peeks at the header's bytes: closing with them unread resets the
      // connection. With nothing received (closed, timed out, reset) it is a plain close.
      if (r.code === 'PRX_EMPTY' || r.code === 'PRX_TIMEOUT' || r.code === 'PRX_ABORT') conn.destroy();
      else conn.reset();
      this.streamDone(l);
    });
  }

  /**
   * tcp-request connection rules (configuration.txt 4.2): evaluated as soon as the connection
   * is accepted, before anything is read — a PROXY header included, so they see the socket's
   * addresses — with what is known then (no buffer: content fetches find nothing).
   */
  private connectionAccepted(conn: Endpoint, rules: TcpRuleSet): boolean {
    return runTcpRules(rules, new ConnectionEnv(conn, this.name, this.model.id ?? 0), { skipDefaults: false }) !== 'reject';
  }

  /** A stream's content was rejected by tcp-request content rules (StreamHost). */
  deniedRequest(): void {
    this.deniedRequests++;
  }

  /** A listener's id: bind "id", else its rank in the frontend (HAProxy's luid). */
  private listenerId(l: Listener): number {
    return l.id;
  }

  private full(l: Listener): boolean {
    return (
      this.streams.size >= this.maxconn ||
      (l.maxconn > 0 && l.current >= l.maxconn) ||
      (this.counters.maxconn > 0 && this.counters.actconn >= this.counters.maxconn)
    );
  }

  private startStream(conn: Endpoint, l: Listener): void {
    this.total++;
    l.current++;
    this.counters.actconn++;
    if (this.connectionRules !== null && !this.connectionAccepted(conn, this.connectionRules)) {
      // Not a stream: neither logged nor counted in the backend, closed with a reset.
      this.deniedConnections++;
      conn.reset();
      this.streamDone(l);
      return;
    }
    this.withProxyHeader(conn, l, (header, headerBytes, rest) => {
      const stream = new TcpStream(conn, this, this.backend, header, this.listenerId(l), headerBytes);
      if (this.logger) {
        const a = clientAddresses(conn, header, this.listenerId(l));
        this.logger.accepted({ frontend: this.name, ...a });
      }
      stream.listener = l;
      this.streams.add(stream);
      stream.start(rest);
    });
  }

  /** A stream ended (StreamHost). */
  ended(stream: TcpStream): void {
    if (!this.streams.delete(stream)) return;
    this.streamDone(stream.listener as Listener | undefined);
  }

  /** A connection's slot is free again (its stream ended, or it never became one). */
  private streamDone(l: Listener | undefined): void {
    if (l) l.current--;
    this.counters.actconn--;
    this.counters.wake();
    if (this.streams.size === 0 && this.waiting.length === 0) this.onIdle?.();
  }

  /** Starts waiting connections while slots are free. */
  takeWaiters(): void {
    while (this.waiting.length > 0) {
      const w = this.waiting[0]!;
      if (this.full(w.listener)) return;
      this.waiting.shift();
      if (w.conn.destroyed) continue;
      this.startStream(w.conn, w.listener);
    }
  }
}

/** What tcp-request connection rules see: the accepted socket, no buffer yet. */
class ConnectionEnv implements SampleEnv {
  readonly final = true;
  readonly reqData = undefined;
  readonly reqMayGrow = false;
  readonly backendName: string;
  readonly resData = undefined;
  /** The session's variables: nothing sets them at this stage yet (set-var actions do not run). */
  private sessVars?: VarStore;

  constructor(
    private readonly socket: SocketAddresses,
    readonly frontendName: string,
    readonly backendId: number,
  ) {
    this.backendName = frontendName;
  }

  targetServer(): undefined {
    return undefined;
  }

  /** No stream yet: only the process's and the session's variables. */
  vars(scope: VarScope): VarStore | undefined {
    if (scope === 'proc') return procVars;
    if (scope === 'sess') return (this.sessVars ??= new VarStore());
    return undefined;
  }

  srcAddr(): EnvAddress | undefined {
    const s = this.socket;
    if (s.remoteAddress === undefined) return undefined;
    return { family: s.remoteFamily === 'IPv6' ? 'ipv6' : 'ipv4', address: s.remoteAddress, port: s.remotePort ?? 0 };
  }

  dstAddr(): EnvAddress | undefined {
    const s = this.socket;
    if (s.localAddress === undefined) return undefined;
    return { family: s.localFamily === 'IPv6' ? 'ipv6' : 'ipv4', address: s.localAddress, port: s.localPort ?? 0 };
  }
}
