/**
 * One client connection in mode tcp, from accept to close (HAProxy's stream, layer-4 part):
 *
 *   accept ─► [tcp-request content, frontend] ─► backend ─► [tcp-request content, backend]
 *          ─► server (queue) ─► connect (retries, redispatch) ─► relay ─► log
 *
 * Content inspection (configuration.txt 4.2 "tcp-request content", "tcp-request inspect-delay"):
 * when the frontend, then the backend, has tcp-request content rules, the stream reads the
 * client into its buffer (at most tune.bufsize - tune.maxrewrite, 15360 bytes, as HAProxy) and
 * evaluates the rules at once, then on every read, on the client's FIN and when the inspect
 * delay expires, until they accept or reject (runtime/tcp-rules.ts). Nothing is connected
 * meanwhile. A rejected stream is closed and logged with "PR", "<NOSRV>" and -1 timers; a
 * client timeout meanwhile gives "cR", a client error "CR". Without rules none of this runs.
 *
 * Timers (configuration.txt 4.2 "timeout ..."): one per stream, re-armed lazily. Until the
 * server connection is up, the client side counts `timeout client` and the attempt counts
 * `timeout connect`; a queued stream counts `timeout queue`. Once data flows, activity in
 * either direction keeps both sides alive (as HAProxy behaves in tcp mode), `timeout tunnel`
 * replaces client/server timeouts when set, and `timeout client-fin`/`server-fin` apply to a
 * side once Portier has sent it a FIN (the other side shut first) and waits for its own; a
 * side that shut its half has no timeout of its own any more.
 *
 * The termination state (configuration.txt 8.5) records who ended the stream and in which
 * phase: "--" normal, "CD" client error in data, "SD" server error, "cD"/"sD" timeouts, "sC"
 * connect timeout, "SC" connection refused or no server, "sQ" queue timeout, "SQ" server queue
 * full (maxqueue), "CQ"/"CC" client gone while waiting.
 */
import type { TLSSocket } from 'node:tls';
import { makeProxyLine, type ProxyHeader } from '../net/proxy-protocol.js';
import { tlsFailure, type ServerTls } from '../net/server-tls.js';
import type { ProxyModel } from '../config/model/proxy.js';
import type { EnvAddress, SampleEnv } from '../sample/types.js';
import { procVars, VarStore } from '../sample/var-store.js';
import type { VarScope } from '../sample/vars.js';
import { clientAddresses, stripMapped } from './addresses.js';
import { clearDeadline, hasDeadline, setDeadline, type DeadlineEntry, type DeadlineMember } from './deadlines.js';
import { connectEndpoint } from './connect-endpoint.js';
import type { Endpoint, EndpointOwner } from './endpoint.js';
import { SocketEndpoint } from './socket-endpoint.js';
import type { RuntimeBackend } from '../runtime/backend.js';
import type { Linked } from '../runtime/linked-set.js';
import { runTcpRules, type ContentRules, type InspectState } from '../runtime/tcp-rules.js';
import type { Pending } from '../runtime/queue.js';
import type { RuntimeServer } from '../runtime/server.js';
import type { StreamLogInfo } from '../runtime/stream-info.js';

/** HAProxy reads a waiting client into one buffer (tune.bufsize, 16 kB by default). */
const EARLY_BUFFER = 16384;
/**
 * While it inspects, HAProxy keeps tune.maxrewrite (1024) of the buffer free: the buffer is
 * full, and the rules' evaluation final, at 15360 bytes.
 */
const INSPECT_BUFFER = EARLY_BUFFER - 1024;
const EMPTY = Buffer.alloc(0);

/** What the stream needs from the frontend that accepted it. */
export interface StreamHost {
  readonly name: string;
  readonly model: ProxyModel;
  readonly clientTimeout: number;
  readonly clientFinTimeout: number;
  /** Counters at log time: process, frontend. */
  actconn(): number;
  feconn(): number;
  /** Logger of the frontend, if it logs. */
  readonly logger?: { readonly logasap: boolean; readonly usesSamples?: boolean; log(info: StreamLogInfo): void };
  /** TCP keep-alive on the client side (option clitcpka/tcpka): initial delay in ms, or undefined. */
  readonly clientKeepAlive?: number;
  /** The stream is over (counters, soft stop). */
  ended(stream: TcpStream): void;
  /** The frontend's tcp-request content rules (null: none). */
  readonly contentRules: ContentRules | null;
  /** A tcp-request content rule rejected the stream (the frontend's denied requests). */
  deniedRequest(): void;
}

type Phase = 'R' | 'Q' | 'C' | 'D' | 'L';

/** A tcp-request content stage being run (the frontend's, then the backend's). */
interface Inspection {
  readonly rules: ContentRules;
  readonly backendStage: boolean;
  readonly state: InspectState;
  /** When the inspect delay expires (set at the first undecided evaluation), -1 before. */
  expiry: number;
  expired: boolean;
}

export class TcpStream implements SampleEnv, Linked<TcpStream>, DeadlineMember, EndpointOwner {
  /** The frontend's listener that accepted it (the frontend's business). */
  listener: unknown = undefined;
  /** Links of the frontend's set of streams (runtime/linked-set.ts). */
  linkedIn: object | undefined = undefined;
  linkedPrev: TcpStream | undefined = undefined;
  linkedNext: TcpStream | undefined = undefined;
  /** Date.now() at accept: the logs' date (a Date is made only when a log is written). */
  private readonly acceptTime = Date.now();
  private readonly acceptAt = performance.now();
  private server?: RuntimeServer;
  private upstream?: Endpoint;
  /** The current upstream connection is established (its attempt succeeded). */
  private upConnected = false;
  /** Data flows: what one side reads is written to the other. */
  private relaying = false;
  /** A rejected client: what it still sends is read and dropped. */
  private dropping = false;
  private pending?: Pending;
  private phase: Phase = 'C';
  private cause = '-';
  /** Killed by a server state change while data flowed: the phase is logged as '-'. */
  private killedInData = false;
  private finished = false;
  private retriesDone = 0;
  private redispatched = false;
  private queuedAt = -1;
  private queueTime = -1;
  private connectStart = -1;
  private connectTime = -1;
  private srvQueuePos = 0;
  private beQueuePos = 0;
  /** The stream's deadline entry (tcp/deadlines.ts): set by setTimer, cleared at the end. */
  deadlineEntry: DeadlineEntry | undefined = undefined;
  /** The deadline the entry was set for (it is reached at or just after it), Infinity when none is set. */
  private timerAt = Infinity;
  /** Whose the deadline deadline() last returned is. */
  private deadlineWho: 'c' | 's' | 'i' = 'c';
  /** When the current deadline counts from, and how long it is. */
  private lastActivity = 0;
  private clientShut = false;
  private serverShut = false;
  private clientClosed = false;
  private serverClosed = false;
  private logged = false;
  private backendCounted = false;
  /** The stream holds a connection slot on `server` (from assignment until its end or a failed attempt). */
  private holdsSlot = false;
  /** When the current connection attempt started. */
  private attemptStart = 0;
  private addressesSeen?: ReturnType<typeof clientAddresses>;
  /** The client connection's local port (port-less servers use it), read while it is open. */
  private readonly clientLocalPort: number | undefined;
  /** The server connection's local address (%bi:%bp), read once connected. */
  private upstreamLocal?: { address: string; port: number };
  /** The stream counts in `server.sessions` (an attempt is under way or connected). */
  private inSessions = false;
  /** Data was still waiting to be written to the client when the stream was cut. */
  private pendingToClient = false;
  /** What the client sent before a server connection was established (see readEarly). */
  private early: Buffer[] = [];
  private earlyBytes = 0;
  private earlyEnd = false;
  /** The content inspection running, if any. */
  private inspection?: Inspection;
  /** Content was inspected: the stream's queue time (Tw) counts from accept, as HAProxy's. */
  private inspected = false;
  /** The stream reached its backend (until then, logs and be_name name the frontend). */
  private backendEntered = false;
  private srcSeen?: EnvAddress | null;
  /** Variables of the session, transaction and request/response scopes (made on first use). */
  private sessVars?: VarStore;
  private txnVars?: VarStore;
  private reqResVars?: VarStore;
  private dstSeen?: EnvAddress | null;
  /** What the client sent before data flows (copied: the chunk may be the connection's read buffer). */
  private earlyData(chunk: Buffer): void {
    this.early.push(Buffer.copyBytesFrom(chunk));
    this.earlyBytes += chunk.length;
    // One buffer's worth, as HAProxy reads (tune.bufsize); the rest waits in the kernel.
    if (this.earlyBytes >= EARLY_BUFFER) this.client.pause();
    if (this.early.length === 1) this.arm();
    if (this.inspection) this.inspectData();
  }

  private earlyEnded(): void {
    this.earlyEnd = true;
    // While inspecting, the client's FIN makes the contents final: evaluate them now.
    if (this.inspection) {
      this.evaluateContent();
      return;
    }
    // Closed with nothing to send: HAProxy gives up the server it waits for ("CC", "CQ").
    if (this.earlyBytes === 0 && (this.phase === 'Q' || this.phase === 'C')) {
      this.fail('C', this.phase);
      return;
    }
    this.arm();
  }

  constructor(
    readonly client: Endpoint,
    private readonly host: StreamHost,
    private readonly backend: RuntimeBackend | undefined,
    /** The PROXY header the client sent (bind accept-proxy): its addresses replace the socket's. */
    private readonly proxied?: ProxyHeader,
    /** Id of the listener that accepted the connection (bind "id", else its rank). */
    private readonly listenerId = 0,
    /** Bytes of that header: the connection layer's, not counted in the stream's bytes in. */
    private readonly headerBytes = 0,
  ) {
    this.lastActivity = this.acceptAt;
    // A port-less server connects to the port the client reached (a getsockname system call per
    // connection): read it only for backends that have one.
    this.clientLocalPort = backend?.portFromClient ? client.localPort : undefined;
    if (host.clientKeepAlive !== undefined) client.setKeepAlive(host.clientKeepAlive);
    client.owner = this;
  }

  // ---------------------------------------------------------------- what the connections report

  endpointConnected(ep: Endpoint): void {
    if (ep !== this.upstream || this.finished) return;
    this.upConnected = true;
    // Only the logs show it (%bi:%bp): a getsockname system call otherwise spared.
    if (this.host.logger && ep.localAddress !== undefined) this.upstreamLocal = { address: stripMapped(ep.localAddress), port: ep.localPort ?? 0 };
    this.connectTime = Math.round(performance.now() - this.connectStart);
    this.server!.check?.observe(true);
    this.established();
  }

  endpointData(ep: Endpoint, chunk: Buffer): boolean {
    if (this.relaying) {
      this.touch();
      // false (the other side's write waits, with this chunk): the reader pauses until its drain.
      if (ep === this.client) return this.upstream!.write(chunk);
      if (ep === this.upstream) return this.client.write(chunk);
      return true;
    }
    if (ep === this.client && !this.dropping && !this.finished) this.earlyData(chunk);
    return true;
  }

  endpointEnd(ep: Endpoint): void {
    if (ep === this.client) {
      if (this.relaying) this.clientEnded();
      else if (!this.dropping && !this.finished) this.earlyEnded();
    } else if (ep === this.upstream && this.relaying) {
      this.serverEnded();
    }
  }

  /** What one side wrote is sent: the other side, paused meanwhile, reads again. */
  endpointDrain(ep: Endpoint): void {
    if (!this.relaying || this.finished) return;
    if (ep === this.upstream) {
      if (!this.clientShut) this.client.resume();
    } else if (ep === this.client && !this.serverShut) {
      this.upstream?.resume();
    }
  }

  endpointError(ep: Endpoint, err: Error): void {
    if (ep === this.client) {
      this.clientError();
      return;
    }
    if (ep !== this.upstream) return;
    if (!this.upConnected) this.connectFailed(ep, false, this.server?.tls !== undefined && !tlsFailure(err).retry);
    else this.serverError();
  }

  endpointClose(ep: Endpoint): void {
    if (ep === this.client) {
      this.clientClosed = true;
      this.maybeFinish();
    } else if (ep === this.upstream) {
      this.serverClosed = true;
      this.maybeFinish();
    }
  }

  /** `rest`: what the client sent after its PROXY header, read with it (it goes first). */
  start(rest?: Buffer): void {
    if (rest !== undefined && rest.length > 0) this.earlyData(rest);
    // Logs need the addresses after the sockets closed: read them now (two system calls, so
    // only when the frontend logs; balancing and PROXY headers read them while still open).
    if (this.host.logger) {
      this.addresses();
      // %[src], %[dst]...: read while the socket still knows them.
      if (this.host.logger.usesSamples) {
        this.srcAddr();
        this.dstAddr();
      }
    }
    const rules = this.host.contentRules;
    if (rules !== null) {
      this.readEarly();
      this.inspect(rules, false);
      return;
    }
    this.enterBackend();
  }

  /**
   * The stream goes to its backend (the frontend's default_backend, or the listen section
   * itself), which counts it from now on, then runs the backend's own tcp-request content
   * rules, if any (not a listen section's a second time), before a server is chosen.
   */
  private enterBackend(): void {
    const be = this.backend;
    if (!be) {
      // No backend: HAProxy logs <NOSRV>, "SC" (nothing to connect to).
      this.fail('S', 'C');
      return;
    }
    be.current++;
    be.total++;
    this.backendCounted = true;
    this.backendEntered = true;
    if (!this.inspected) this.readEarly();
    const rules = be.contentRules;
    if (rules !== null && be.model !== this.host.model) {
      this.inspect(rules, true);
      return;
    }
    if (this.inspected) this.endInspection();
    this.assignServer();
  }

  // ---------------------------------------------------------------- content inspection

  /** Starts a tcp-request content stage: evaluated at once, then as data comes. */
  private inspect(rules: ContentRules, backendStage: boolean): void {
    this.phase = 'R';
    this.inspected = true;
    this.inspection = { rules, backendStage, state: { skipDefaults: false }, expiry: -1, expired: false };
    this.evaluateContent();
  }

  /** Runs after earlyData has buffered the chunk, while inspecting. */
  private inspectData(): void {
    this.touch();
    // A full buffer is not read further: the contents are final.
    if (this.earlyBytes >= INSPECT_BUFFER) this.client.pause();
    this.evaluateContent();
  }

  /** Evaluates the current stage's rules with what has been read; acts on their verdict. */
  private evaluateContent(): void {
    const insp = this.inspection;
    if (!insp || this.finished) return;
    const verdict = runTcpRules(insp.rules.rules, this, insp.state);
    if (verdict === 'wait') {
      // HAProxy starts the delay at the first evaluation that has to wait.
      if (insp.expiry < 0) insp.expiry = performance.now() + insp.rules.inspectDelay;
      this.arm();
      return;
    }
    this.inspection = undefined;
    if (verdict === 'reject') {
      this.host.deniedRequest();
      this.rejected();
      return;
    }
    if (!insp.backendStage) {
      this.enterBackend();
      return;
    }
    this.endInspection();
    this.assignServer();
  }

  /**
   * A tcp-request content reject: "PR" (configuration.txt 8.5, a proxy condition in the request
   * phase). HAProxy shuts the connection down (FIN) and closes it: a client whose data came in
   * unread gets the FIN before the reset its data then causes, instead of a reset alone.
   */
  private rejected(): void {
    this.cause = 'P';
    this.phase = 'R';
    // What the client sends meanwhile is read and dropped.
    this.dropping = true;
    this.client.end(true);
    this.clientClosed = true;
    this.serverClosed = true;
    this.maybeFinish();
  }

  /** Back to the plain early reading of a stream waiting for its server. */
  private endInspection(): void {
    this.phase = 'C';
    if (!this.earlyEnd && this.earlyBytes < EARLY_BUFFER && this.client.paused) this.client.resume();
  }

  // ---------------------------------------------------------------- what sample fetches see

  /** SMP_OPT_FINAL: the client shut its side, the buffer is full, or the delay is over (or none). */
  get final(): boolean {
    const i = this.inspection;
    return i === undefined || i.expired || i.rules.inspectDelay === 0 || this.earlyEnd || this.earlyBytes >= INSPECT_BUFFER;
  }

  /** The request buffer: what the client sent so far, up to a buffer's worth. */
  get reqData(): Buffer {
    const e = this.early;
    if (e.length === 0) return EMPTY;
    if (e.length > 1) this.early = [Buffer.concat(e)];
    const b = this.early[0]!;
    return b.length > INSPECT_BUFFER ? b.subarray(0, INSPECT_BUFFER) : b;
  }

  get reqMayGrow(): boolean {
    return !this.earlyEnd && this.earlyBytes < INSPECT_BUFFER;
  }

  get frontendName(): string {
    return this.host.name;
  }

  get backendName(): string {
    return this.backendEntered && this.backend ? this.backend.name : this.host.name;
  }

  get backendId(): number {
    return this.backendEntered && this.backend ? this.backend.id : (this.host.model.id ?? 0);
  }

  targetServer(): RuntimeServer | undefined {
    return this.server;
  }

  /** tcp-response content rules do not run yet: no response buffer is inspected. */
  get resData(): undefined {
    return undefined;
  }

  /**
   * proc: the process's; sess, txn, req, res: the stream's own, made on first use (in tcp mode
   * a session carries one stream, so the session's variables live here too); check: none.
   */
  vars(scope: VarScope): VarStore | undefined {
    if (scope === 'proc') return procVars;
    if (scope === 'check') return undefined;
    if (scope === 'txn') return (this.txnVars ??= new VarStore());
    if (scope === 'sess') return (this.sessVars ??= new VarStore());
    return (this.reqResVars ??= new VarStore());
  }

  /** The client's address: the PROXY header's source when it carried one, else the socket's peer. */
  srcAddr(): EnvAddress | undefined {
    if (this.srcSeen === undefined) {
      const h = this.proxied?.src;
      const c = this.client;
      this.srcSeen = h
        ? { family: h.family, address: h.address, port: h.port }
        : c.remoteAddress !== undefined
          ? { family: c.remoteFamily === 'IPv6' ? 'ipv6' : 'ipv4', address: c.remoteAddress, port: c.remotePort ?? 0 }
          : null;
    }
    return this.srcSeen ?? undefined;
  }

  /** The address the client reached: the PROXY header's destination, else the socket's own. */
  dstAddr(): EnvAddress | undefined {
    if (this.dstSeen === undefined) {
      const h = this.proxied?.dst;
      const c = this.client;
      this.dstSeen = h
        ? { family: h.family, address: h.address, port: h.port }
        : c.localAddress !== undefined
          ? { family: c.localFamily === 'IPv6' ? 'ipv6' : 'ipv4', address: c.localAddress, port: c.localPort ?? 0 }
          : null;
    }
    return this.dstSeen ?? undefined;
  }

  /**
   * While waiting for a server (queue, connection), the client is read into one buffer as
   * HAProxy does. Once something is buffered or the client has shut its side, HAProxy stops
   * reading, and with it the client timeout: a client that sent its request and waits is
   * not timed out while its server is retried, one that said nothing is ("cC").
   */
  private readEarly(): void {
    this.client.resume();
  }

  /** The client has sent something the server has not got yet (so no client timeout runs). */
  private clientWaits(): boolean {
    return this.earlyBytes > 0 || this.earlyEnd;
  }

  // ---------------------------------------------------------------- server choice and queues

  /** `previous`: on a redispatch, the server that failed (HAProxy's assign_server() avoids it). */
  private assignServer(previous?: RuntimeServer): void {
    const be = this.backend!;
    // balance source hashes the client's address (the PROXY header's when one came).
    const hash = be.hashesSource ? be.hasher.source(this.addresses().clientIp) : be.hashKey?.(this);
    const avoid = previous ? new Set([previous]) : undefined;
    const a = be.assign({ assigned: (s) => this.fromQueue(s), reassign: () => this.reassign() }, hash, avoid);
    if (a.kind === 'none') {
      this.fail('S', 'C');
      return;
    }
    if (a.kind === 'full') {
      // Its server's queue is at maxqueue: HAProxy fails the stream in the queue phase ("SQ"),
      // logging that server, and counts a failed connection on it (srv_redispatch_connect).
      this.server = a.server;
      a.server.failedConnections++;
      this.fail('S', 'Q');
      return;
    }
    if (a.kind === 'server') {
      this.server = a.server;
      this.holdsSlot = true;
      this.connectServer();
      return;
    }
    this.pending = a.pending;
    this.phase = 'Q';
    this.queuedAt = performance.now();
    this.arm();
  }

  /** Its server's queue was emptied (the server went down or drains): choose again. */
  private reassign(): void {
    this.pending = undefined;
    if (!this.finished) this.assignServer();
  }

  /**
   * The server was marked down with `on-marked-down shutdown-sessions` ("D"), or an active
   * server came up with `on-marked-up shutdown-backup-sessions` and this stream is on a backup
   * ("U"): HAProxy kills the stream with that cause.
   */
  killForServerState(cause: 'D' | 'U'): void {
    if (this.finished) return;
    this.cause = cause;
    // HAProxy sets no phase for this kill: an established stream logs "D-" / "U-".
    this.killedInData = this.phase === 'D';
    this.abort();
  }

  /** The server the stream is connected to or connecting to (undefined while queued). */
  get currentServer(): RuntimeServer | undefined {
    return this.holdsSlot ? this.server : undefined;
  }

  /**
   * The stream left its queue (served, timed out, or its client gone): its position (%sq/%bq)
   * is known now, and HAProxy's t_queue is taken, from accept as all its marks.
   */
  private leftQueue(p: Pending): void {
    if (p.server) this.srvQueuePos += p.position;
    else this.beQueuePos += p.position;
    this.pending = undefined;
    this.queueTime = Math.round(performance.now() - this.acceptAt);
  }

  private fromQueue(server: RuntimeServer): void {
    if (this.pending) this.leftQueue(this.pending);
    if (this.finished) {
      this.backend!.release(server);
      return;
    }
    this.server = server;
    this.holdsSlot = true;
    this.phase = 'C';
    // HAProxy wakes the stream's task and it connects on its next run, after the stream that
    // freed the slot has been logged: that log does not count this one at the server (%sc).
    setImmediate(() => {
      if (!this.finished) this.connectServer();
    });
  }

  // ---------------------------------------------------------------- connection to the server

  private connectServer(): void {
    const server = this.server!;
    const be = this.backend!;
    this.phase = 'C';
    // Tw counts from accept: only inspection can make it more than a tick.
    if (this.queueTime < 0) this.queueTime = this.inspected ? Math.round(performance.now() - this.acceptAt) : 0;
    if (this.connectStart < 0) this.connectStart = performance.now();
    this.attemptStart = performance.now();
    server.sessions++;
    this.inSessions = true;
    const tls = server.tls;
    this.upConnected = false;
    this.serverClosed = false;
    let up: Endpoint;
    if (tls === undefined) {
      up = connectEndpoint(this, server.connectOptions(this.clientLocalPort));
    } else {
      const tlsUp = this.connectTls(server, tls);
      if (!tlsUp) return;
      // With TLS, the connection is established once the handshake is done (Tc covers it).
      up = new SocketEndpoint(tlsUp, this, 'secureConnect');
    }
    if (be.serverKeepAlive !== undefined) up.setKeepAlive(be.serverKeepAlive);
    this.upstream = up;
    this.arm();
  }

  /**
   * A TLS connection (server `ssl`): the PROXY header, if the server takes one, goes first in
   * clear, before the handshake. Undefined when the header cannot be built (the stream failed).
   */
  private connectTls(server: RuntimeServer, tls: ServerTls): TLSSocket | undefined {
    const where = server.connectOptions(this.clientLocalPort);
    const bits = server.proxyBits;
    const servername = server.sniOf?.(this);
    if (bits === 0) return tls.connect(where, { allowHalfOpen: true, noDelay: true, servername });
    const prefix = this.proxyLine(bits);
    if (!prefix) {
      this.fail('P', 'C');
      return undefined;
    }
    return tls.connect(where, { allowHalfOpen: true, noDelay: true, prefix, servername });
  }

  /** The PROXY protocol header of this stream (send-proxy*), or undefined when too big. */
  private proxyLine(bits: number): Buffer | undefined {
    const a = this.addresses();
    return makeProxyLine(bits, {
      src: { address: a.clientIp, port: Number(a.clientPort) || 0 },
      dst: { address: a.frontendIp, port: Number(a.frontendPort) || 0 },
      receivedAuthority: this.proxied?.authority,
      uniqueId: '',
    });
  }

  /**
   * An attempt failed (refused, unreachable, timed out, or its TLS handshake failed): retry,
   * redispatch, or give up. `final`: HAProxy does not retry (a certificate that does not match
   * the SNI sent: retrying would only hammer the server, configuration.txt 5.2 "sni").
   */
  private connectFailed(up: Endpoint, timedOut = false, final = false): void {
    if (this.upstream !== up || this.finished) return;
    up.destroy();
    this.upstream = undefined;
    const be = this.backend!;
    const server = this.server!;
    server.check?.observe(false);
    server.failedConnections++;
    this.leaveSessions();
    be.release(server);
    this.holdsSlot = false;
    this.server = undefined;
    // HAProxy then counts the retries as all done (the log shows them so).
    if (final && be.retryOnConnectionFailure) this.retriesDone = Math.max(this.retriesDone, be.retries);
    if (this.retriesDone >= be.retries || !be.retryOnConnectionFailure) {
      this.server = server; // the last server tried is the one logged
      this.fail(timedOut ? 's' : 'S', 'C');
      return;
    }
    this.retriesDone++;
    if (this.shouldRedispatch(be)) {
      // Another server, at once (HAProxy's stream_choose_redispatch).
      this.redispatched = true;
      server.redispatches++;
      this.assignServer(server);
      return;
    }
    server.retries++;
    // Same server again after a turn-around of min(timeout connect, 1s), or at once when the
    // attempt timed out (that already took the time).
    const delay = timedOut ? 0 : Math.min(be.connectTimeout > 0 ? be.connectTimeout : 1000, 1000);
    this.server = server;
    be.take(server);
    this.holdsSlot = true;
    const retry = (): void => {
      if (!this.finished) this.connectServer();
    };
    if (delay === 0) retry();
    else setTimeout(retry, delay).unref();
  }

  /**
   * HAProxy redispatches on a retry when `option redispatch` is set and either it is the
   * configured retry (every Nth, or the Nth before the last: -1 is the last one), or the
   * algorithm is not hash-based and more than one active server exists.
   */
  private shouldRedispatch(be: RuntimeBackend): boolean {
    const interval = be.redispatch;
    if (interval === undefined) return false;
    const n = this.retriesDone;
    if (interval > 0 && n % interval === 0) return true;
    if (interval < 0 && n % (be.retries + 1 + interval) === 0) return true;
    const active = be.servers.filter((s) => !s.backup && s.usable()).length;
    const hashed = be.model.balance !== undefined && ['source', 'uri', 'url_param', 'hdr', 'rdp-cookie', 'hash'].includes(be.model.balance.algorithm);
    return active > 1 && !hashed;
  }

  private leaveSessions(): void {
    if (this.inSessions && this.server) this.server.sessions--;
    this.inSessions = false;
  }

  // ---------------------------------------------------------------- data

  private established(): void {
    const up = this.upstream!;
    const client = this.client;
    this.phase = 'D';
    this.touch();
    // send-proxy / send-proxy-v2 (configuration.txt 5.2): the header goes first (before the
    // TLS handshake on a TLS connection: sent by connectTls).
    const server = this.server!;
    const bits = server.tls === undefined ? server.proxyBits : 0;
    if (bits !== 0) {
      const line = this.proxyLine(bits);
      if (!line) {
        // Too big for a buffer: HAProxy fails the connection.
        this.fail('P', 'C');
        return;
      }
      up.write(line);
    }
    if (this.host.logger?.logasap) this.log();
    // What the client sent meanwhile goes first (copies: a write that waits keeps its chunk,
    // and what the client reads next is queued after it), then each side's reads go to the other.
    this.relaying = true;
    for (const chunk of this.early) up.write(chunk);
    this.early = [];
    if (this.earlyEnd) this.clientEnded();
    else client.resume();
    up.resume();
  }

  /**
   * The client has shut its side: so is the server's, with a FIN. When the server had already
   * shut its own and nothing waits to be written to it, the connection is simply closed (the
   * close sends the FIN; HAProxy closes without a shutdown then too): a system call and Node's
   * shutdown request fewer per stream. A TLS connection ends with end() (its close_notify).
   */
  private clientEnded(): void {
    this.clientShut = true;
    const up = this.upstream;
    if (up !== undefined && this.serverShut && !up.writePending && this.server?.tls === undefined) up.destroy();
    else up?.end();
    this.arm();
  }

  /** The server has shut its side: so is the client's (closed at once if it shut first, as above). */
  private serverEnded(): void {
    this.serverShut = true;
    // Data may remain to be written to the client: the last-data phase.
    this.phase = 'L';
    const c = this.client;
    if (this.clientShut && !c.writePending) c.destroy();
    else c.end();
    this.arm();
  }

  private clientError(): void {
    if (this.finished) return;
    if (this.cause === '-') this.cause = 'C';
    this.abort();
  }

  private serverError(): void {
    if (this.finished) return;
    if (this.cause === '-') this.cause = 'S';
    this.abort();
  }

  private touch(): void {
    this.lastActivity = performance.now();
  }

  // ---------------------------------------------------------------- timers

  /**
   * The deadline in force (a performance.now() time), or Infinity when none; `deadlineWho` then
   * says whose it is ('c' client, 's' server, 'i' inspect delay). The earlier of the candidates
   * wins; on a tie the first one listed (as a stable sort of them would give).
   */
  private deadline(): number {
    const be = this.backend;
    const cl = this.host.clientTimeout;
    let at = Infinity;
    let who: 'c' | 's' | 'i' = 'c';
    const phase = this.phase;
    if (phase === 'R') {
      // Inspecting: the client timeout (refreshed by each read) and the inspect delay.
      if (cl > 0) at = this.lastActivity + cl;
      const i = this.inspection;
      if (i && i.expiry >= 0 && !i.expired && i.expiry < at) {
        at = i.expiry;
        who = 'i';
      }
    } else if (phase === 'Q' || phase === 'C') {
      // Queued: the queue timeout; connecting: the connect timeout of the attempt.
      if (phase === 'Q') {
        const q = be?.queueTimeout ?? 0;
        if (q > 0) at = this.queuedAt + q;
      } else if (be && be.connectTimeout > 0 && this.upstream) {
        at = this.attemptStart + be.connectTimeout;
      }
      if (at !== Infinity) who = 's';
      if (cl > 0 && !this.clientWaits() && this.lastActivity + cl < at) {
        at = this.lastActivity + cl;
        who = 'c';
      }
    } else {
      // Data: a tunnel timeout replaces both; otherwise the shorter side expires first.
      const tunnel = be?.tunnelTimeout ?? 0;
      if (tunnel > 0) {
        at = this.lastActivity + tunnel;
      } else {
        // Each side's timeout runs while it may still send, and becomes its "-fin" timeout once
        // Portier has shut the direction toward it (HAProxy's half-closed timeout: a FIN sent,
        // its answer awaited). A side that shut its own has none, unless both have (what is
        // still to be written to the client then waits under the client's).
        const clf = this.serverShut ? this.host.clientFinTimeout : cl;
        const sv = this.clientShut ? (be?.serverFinTimeout ?? 0) : (be?.serverTimeout ?? 0);
        if (clf > 0 && (!this.clientShut || this.serverShut)) at = this.lastActivity + clf;
        if (sv > 0 && !this.serverShut && this.lastActivity + sv < at) {
          at = this.lastActivity + sv;
          who = 's';
        }
      }
    }
    this.deadlineWho = who;
    return at;
  }

  /**
   * Makes sure the stream's single timer fires by the current deadline. A timer already set to
   * fire no later is kept (when it fires, expired() finds the deadline moved and waits for the
   * rest), so that a stream changing phase does not create a timer each time.
   */
  private arm(): void {
    if (this.finished) return;
    const at = this.deadline();
    if (at === Infinity || (hasDeadline(this) && this.timerAt <= at)) return;
    this.setTimer(at, performance.now());
  }

  private setTimer(at: number, now: number): void {
    // Whole milliseconds (one list per distinct duration), rounded up, plus one: the deadline
    // is reached at or after its time, not a fraction before it.
    this.timerAt = at;
    setDeadline(this, Math.ceil(Math.max(0, at - now)) + 1, now);
  }

  /** The deadline set by setTimer has passed (tcp/deadlines.ts). */
  deadlineReached(): void {
    this.timerAt = Infinity;
    this.expired();
  }

  /**
   * `afterPoll`: the client timeout of a stream waiting for its server is checked once more
   * after the event loop has read the sockets. HAProxy reads a connection as soon as it accepts
   * it; Node reads it on its next poll, which a short timeout (the regression tests use 1 ms)
   * can precede: a client whose request was already there must not be timed out for it.
   */
  private expired(afterPoll = false): void {
    if (this.finished) return;
    const at = this.deadline();
    if (at === Infinity) return;
    const who = this.deadlineWho;
    const now = performance.now();
    if (at > now) {
      // Activity moved the deadline: wait for the rest.
      this.setTimer(at, now);
      return;
    }
    if ((who === 'c' || who === 'i') && !afterPoll && (this.phase === 'Q' || this.phase === 'C' || this.phase === 'R')) {
      setImmediate(() => this.expired(true));
      return;
    }
    if (who === 'i') {
      // The inspect delay is over: a last evaluation, with the contents as final.
      this.inspection!.expired = true;
      this.evaluateContent();
      return;
    }
    if (this.phase === 'C' && who === 's' && this.upstream) {
      this.connectFailed(this.upstream, true);
      return;
    }
    if (this.phase === 'Q' && who === 's') {
      this.fail('s', 'Q');
      return;
    }
    this.cause = who;
    this.abort();
  }

  // ---------------------------------------------------------------- the end

  /** Ends a stream that never reached data (no server, queue timeout, connect failure). */
  private fail(cause: string, phase: Phase): void {
    this.cause = cause;
    this.phase = phase;
    this.abort();
  }

  private abort(): void {
    this.pendingToClient = this.client.writePending;
    this.client.destroy();
    this.upstream?.destroy();
    this.clientClosed = true;
    this.serverClosed = true;
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.finished) return;
    if (!this.clientClosed) return;
    if (this.upstream && !this.serverClosed) {
      // The client is gone: the server side follows.
      this.upstream.destroy();
      return;
    }
    if (this.phase === 'Q' || this.phase === 'C' || this.phase === 'R') {
      // The client left while we were waiting for a server (or inspecting its request).
      if (this.cause === '-') this.cause = 'C';
    }
    this.finish();
  }

  private finish(): void {
    this.finished = true;
    clearDeadline(this);
    const be = this.backend;
    if (this.pending) {
      // Timed out or abandoned in the queue: HAProxy logs Tw and the position it reached.
      const p = this.pending;
      be?.abandon(p);
      this.leftQueue(p);
    }
    const server = this.server;
    this.leaveSessions();
    if (server && this.upstream !== undefined) {
      server.bytesIn += this.client.bytesRead - this.headerBytes;
      server.bytesOut += this.client.bytesWritten;
    }
    // HAProxy logs once the stream has left its server and backend (their counts no longer
    // include it) but is still counted by its frontend and the process.
    if (server && be && this.holdsSlot) be.release(server);
    this.holdsSlot = false;
    if (be && this.backendCounted) be.current--;
    this.backendCounted = false;
    if (!this.logged) this.log();
    this.host.ended(this);
  }

  private log(): void {
    const logger = this.host.logger;
    if (!logger) return;
    this.logged = true;
    logger.log(this.info(logger.logasap && !this.finished));
  }

  /**
   * The client's addresses, as the PROXY header gave them when there was one. Read once: a
   * closed socket no longer knows them, and the log is written after both sides closed.
   */
  private addresses(): ReturnType<typeof clientAddresses> {
    this.addressesSeen ??= clientAddresses(this.client, this.proxied, this.listenerId);
    return this.addressesSeen;
  }

  /** What the logs see of this stream now. */
  info(logasap = false): StreamLogInfo {
    const c = this.client;
    const be = this.backend;
    const server = this.server;
    const now = performance.now();
    const a = this.addresses();
    const srvAddr = server ? server.addressForLogs(this.clientLocalPort) : undefined;
    // Last data only when some was still waiting for the client; otherwise the data phase.
    const phase = this.phase === 'L' && !this.pendingToClient ? 'D' : this.phase;
    return {
      acceptDate: new Date(this.acceptTime),
      frontend: this.host.name,
      frontendTransport: this.host.name,
      backend: this.backendEntered && be ? be.name : this.host.name,
      server: server?.name ?? '<NOSRV>',
      clientIp: a.clientIp,
      clientPort: a.clientPort,
      frontendIp: a.frontendIp,
      frontendPort: a.frontendPort,
      backendSourceIp: this.upstreamLocal?.address,
      backendSourcePort: this.upstreamLocal?.port,
      serverIp: srvAddr?.ip,
      serverPort: srvAddr?.port,
      queueTime: this.queueTime,
      connectTime: this.connectTime,
      totalTime: Math.round(now - this.acceptAt),
      handshakeTime: 0,
      idleTime: 0,
      bytesIn: c.bytesRead - this.headerBytes,
      bytesOut: c.bytesWritten,
      termination: { cause: this.cause, phase: (this.cause === '-' && (phase === 'D' || phase === 'L')) || this.killedInData ? '-' : phase },
      actconn: this.host.actconn(),
      feconn: this.host.feconn(),
      beconn: be?.current ?? 0,
      srvConn: server?.sessions ?? 0,
      retries: this.retriesDone,
      redispatched: this.redispatched,
      srvQueue: this.srvQueuePos,
      backendQueue: this.beQueuePos,
      logasap,
      sampleEnv: this,
    };
  }
}
