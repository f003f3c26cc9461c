/**
 * The one check engine (configuration.txt 4.2 "tcp-check connect/send/expect"; HAProxy's
 * tcpcheck_main): every health check is a list of steps run over one connection at a time —
 * connect, send bytes, expect an answer — and ends with one outcome (status, info, code).
 * The plain connect check is a list with one implicit connect; `option tcp-check` and
 * `option httpchk` run the section's rules; the protocol checks run built-in lists
 * (protocols/*.ts).
 *
 * What the protocol checks need from it, as HAProxy's tcpcheck_main provides:
 * - an expect verdict may carry the layer-7 code it found (`next.code`, `fail.outcome.code`);
 *   the code of the last step that ran is the code of a success (HAProxy resets check->code
 *   at each step);
 * - an expect may report an outcome and go on (`next.report`): HAProxy's custom expects
 *   (ldap, mysql, spop) set the server's check status themselves and the end of the list sets
 *   it once more, so such a check is counted twice; the run gives these to `interim`;
 * - the last expect's `successInfo` words a success (on-success text, status-code);
 * - a send may build its bytes when it runs (the date of an SSL hello, send-state's header);
 * - an expect that waits for more data is evaluated again from the head of its chain of
 *   expects (the first inverted one before it, HAProxy's expect.head);
 * - `conditionalOn404`: `http-check disable-on-404` turns a final code 404 into a
 *   conditional success while the server is not down;
 * - an HTTP expect judges a close before any answer itself ("Layer7 invalid response", as
 *   HAProxy's HTTP/1 layer reports it), not as "TCPCHK got an empty response".
 * A reset that arrives before the connection is reported up counts as a connection made then
 * reset (the handshake completed; a refusal is ECONNREFUSED), as HAProxy sees it: a plain
 * check passes, a later step gets a socket error.
 *
 * Timeouts as HAProxy's: a connection may take `inter` (or `timeout connect` when both it and
 * `timeout check` are set); once connected, `timeout check` (when set) bounds the rest. Expiry
 * before the connection is up is a layer-4 timeout, after it a layer-7 one (or the expect
 * rule's `tout-status`). A check connection is closed with a reset unless `linger` is set or
 * nothing was received on it yet (see close()).
 */
import { connect, type Socket } from 'node:net';
import type { CheckConnectRule, CheckExpectRule } from '../config/model/check.js';
import { tlsFailure, type ServerTls } from '../net/server-tls.js';
import type { SampleEnv } from '../sample/types.js';
import { CheckEnv, type CheckIdentity } from './check-env.js';
import { CHECK_BUFFER_SIZE, expectStepText, type TcpExpect } from './expect-tcp.js';
import type { CheckOutcome, CheckStatusName } from './status.js';

/** A step of a compiled list. */
export type CheckStep =
  | { readonly action: 'connect'; readonly rule: CheckConnectRule; readonly id: number; readonly comment?: string }
  | {
      readonly action: 'send';
      /**
       * The bytes, or what builds them when the step runs (a log-format string, the date of an
       * SSL hello, send-state's header); an outcome when they cannot be built.
       */
      readonly data: Buffer | ((env: SampleEnv) => Buffer | CheckOutcome);
      readonly id: number;
      readonly comment?: string;
    }
  /** set-var, set-var-fmt, unset-var (HAProxy's action rules): run, then the next step. */
  | { readonly action: 'action'; readonly run: (env: SampleEnv) => void; readonly id: number; readonly comment?: string }
  | ExpectStep;

export interface ExpectStep {
  readonly action: 'expect';
  readonly rule: CheckExpectRule;
  readonly evaluate: TcpExpect;
  readonly id: number;
  readonly comment?: string;
  /**
   * When this step is the last one: the outcome of the success (e.g. "Redis server is ok",
   * the SMTP reply's text and code). Without it: the rule's ok-status, "(tcp-check)" for
   * `option tcp-check`, and the last step's code.
   */
  readonly successInfo?: (received: Buffer, env: SampleEnv) => CheckOutcome | undefined;
  /** Position (in the plan's steps) of the expect a wait resumes from; default: this one. */
  head?: number;
}

/** Where and how a connect step connects (see target.ts). */
export interface ConnectTarget {
  readonly host?: string;
  readonly port?: number;
  readonly path?: string;
  /** A PROXY header to send first (check-send-proxy, connect ... send-proxy). */
  readonly proxyHeader?: (socket: Socket | undefined) => Buffer | undefined;
  /**
   * TLS over the connection (check-ssl, or a server with `ssl` checked on its own address, or
   * `connect ... ssl`), with the SNI and ALPN of this connection when the rule gives them.
   */
  readonly tls?: ServerTls;
  readonly servername?: string;
  readonly alpn?: readonly string[];
}

export interface CheckPlan {
  readonly steps: readonly CheckStep[];
  /**
   * `option tcp-check`: HAProxy words failures itself ("at step 2 of tcp-check", "TCPCHK did
   * not match content ...") and reports successes as "(tcp-check)". Plain and protocol checks
   * do not.
   */
  readonly generic: boolean;
  /** Resolves a connect step to an address (a port may come from a sample expression). */
  target(rule: CheckConnectRule, env: SampleEnv): ConnectTarget;
  /** The checked server and its backend, as sample fetches see them. */
  readonly identity: CheckIdentity;
  /** `inter` (ms), `timeout connect`, `timeout check` (0: unset). */
  readonly inter: number;
  readonly connectTimeout: number;
  readonly checkTimeout: number;
  /**
   * `http-check disable-on-404`: true while a 404 counts as a conditional success (the
   * server is not down). Absent: never.
   */
  readonly conditionalOn404?: () => boolean;
}

/** Linux strerror() texts for the errors a connection can get. */
const STRERROR: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  ETIMEDOUT: 'Connection timed out',
  EPIPE: 'Broken pipe',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EADDRINUSE: 'Address already in use',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EINVAL: 'Invalid argument',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  ENOENT: 'No such file or directory',
};

/**
 * Errors the connect() system call returns at once: HAProxy reports them as a "General socket
 * error" of the connection layer; the others arrive later from the network.
 */
const IMMEDIATE = new Set(['ENETUNREACH', 'EACCES', 'EPERM', 'EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EINVAL', 'ENOENT']);

function errorText(e: NodeJS.ErrnoException | undefined): string {
  const code = e?.code ?? '';
  const text = STRERROR[code] ?? e?.message ?? '';
  return IMMEDIATE.has(code) ? `General socket error (${text})` : text;
}

/**
 * Runs one check; `done` is called once with the outcome. `interim` gets the outcomes an
 * expect reports before the end (see `next.report`). `abort()` stops it silently.
 */
export class CheckRun {
  private socket?: Socket;
  private connected = false;
  private index = -1;
  private current?: CheckStep;
  private received: Buffer = Buffer.alloc(0);
  private eof = false;
  private timer?: NodeJS.Timeout;
  /** Counts arm() calls: a timeout armed before the last one is stale. */
  private armings = 0;
  private finished = false;
  private linger = false;
  /** The current connection is TLS, and its TCP part is up (its handshake may not be). */
  private tls = false;
  private tcpUp = false;
  /** The layer-7 code found by the step that ran last (HAProxy's check->code). */
  private code = 0;
  /** The connection was reset as it came up: nothing more is written. */
  private broken = false;
  /** The check's session: what sample expressions see (made when first needed). */
  private envOfRun?: CheckEnv;

  constructor(
    private readonly plan: CheckPlan,
    private readonly done: (o: CheckOutcome) => void,
    private readonly interim?: (o: CheckOutcome) => void,
  ) {}

  start(): void {
    this.next();
  }

  abort(): void {
    this.finished = true;
    this.close();
  }

  private get env(): CheckEnv {
    return (this.envOfRun ??= new CheckEnv(this.plan.identity, () => this.received));
  }

  /** Runs the steps from the one after `index` until one waits or the list ends. */
  private next(): void {
    while (!this.finished) {
      const step = this.plan.steps[++this.index];
      if (!step) {
        this.succeed();
        return;
      }
      this.code = 0;
      if (step.action === 'action') {
        // As HAProxy's action rules: run, and they are never the step a check ends on.
        if (this.guarded(() => (step.run(this.env), true)) === undefined) return;
        continue;
      }
      this.current = step;
      if (step.action === 'connect') {
        this.openConnection(step.rule);
        return;
      }
      if (step.action === 'send') {
        // A new send starts a new answer (HAProxy releases the input buffer).
        this.received = Buffer.alloc(0);
        const build = step.data;
        const data = typeof build === 'function' ? this.guarded(() => build(this.env)) : build;
        if (data === undefined) return;
        if (!Buffer.isBuffer(data)) {
          this.finish(data);
          return;
        }
        if (!this.broken && data.length > 0) this.socket?.write(data);
        continue;
      }
      if (!this.evaluateExpect(step)) return;
    }
  }

  /**
   * Runs a step's own code (a format, an action): a defect there fails this check, not the
   * process. Undefined when the check ended.
   */
  private guarded<T>(run: () => T): T | undefined {
    try {
      return run();
    } catch (e) {
      this.finish({ status: 'L7RSP', desc: `internal error: ${(e as Error).message}` });
      return undefined;
    }
  }

  /** New data or the end of input: the waiting expect chain is evaluated again. */
  private resume(): void {
    const step = this.current;
    if (step?.action !== 'expect') return;
    if (step.head !== undefined && step.head !== this.index) {
      this.index = step.head - 1;
      this.next();
      return;
    }
    this.code = 0;
    if (this.evaluateExpect(step)) this.next();
  }

  /** Runs the current expect step on what is there; false when it waits or the check ended. */
  private evaluateExpect(step: ExpectStep): boolean {
    // An HTTP response is judged by the HTTP expect even when nothing came (HAProxy's HTTP/1
    // layer reports a close before any response as an invalid one).
    if (this.received.length === 0 && step.rule.protocol !== 'http') {
      if (!this.eof) return false;
      const status: CheckStatusName = step.rule.errorStatus ?? 'L7RSP';
      let desc = `TCPCHK got an empty response at step ${step.id}`;
      if (step.comment) desc += ` comment: '${step.comment}'`;
      this.finish({ status, desc });
      return false;
    }
    if (this.received.length === 0 && !this.eof) return false;
    const v = this.guarded(() => step.evaluate(this.received, this.eof, step.id, this.env));
    if (v === undefined || v.kind === 'wait') return false;
    if (v.kind === 'fail' || v.kind === 'done') {
      this.finish(v.outcome);
      return false;
    }
    if (v.code !== undefined) this.code = v.code;
    if (v.report) this.interim?.(v.report);
    return true;
  }

  private openConnection(rule: CheckConnectRule): void {
    this.close();
    this.connected = false;
    this.broken = false;
    this.eof = false;
    this.received = Buffer.alloc(0);
    this.linger = rule.linger;
    let t: ConnectTarget;
    try {
      t = this.plan.target(rule, this.env);
    } catch (e) {
      // The TLS settings could not be compiled (a file gone since startup): a socket error.
      this.finish({ status: 'SOCKERR', desc: this.errorDesc((e as Error).message) });
      return;
    }
    const where = t.path !== undefined ? { path: t.path } : { host: t.host!, port: t.port! };
    this.tls = t.tls !== undefined;
    this.tcpUp = false;
    // Over TLS the PROXY header goes first, in clear (its addresses are unknown yet: a v1
    // header then says UNKNOWN, a v2 one is LOCAL as for any check).
    let s: Socket;
    try {
      s = t.tls ? t.tls.connect(where, { prefix: t.proxyHeader?.(undefined), servername: t.servername, alpn: t.alpn, noDelay: true }) : connect(where);
    } catch (e) {
      // An address Node refuses outright (none to connect to): a socket error, not a crash.
      this.finish({ status: 'SOCKERR', desc: this.errorDesc((e as Error).message) });
      return;
    }
    this.socket = s;
    s.setNoDelay(true);
    const p = this.plan;
    this.arm(p.checkTimeout > 0 && p.connectTimeout > 0 ? Math.min(p.inter, p.connectTimeout) : p.inter);
    s.once('connect', () => {
      this.tcpUp = true;
    });
    // A TLS check is connected once its handshake is done (layer 6).
    s.once(t.tls ? 'secureConnect' : 'connect', () => {
      if (this.socket !== s || this.finished) return;
      this.connected = true;
      if (!t.tls) {
        const header = t.proxyHeader?.(s);
        if (header) s.write(header);
      }
      if (p.checkTimeout > 0) this.arm(p.checkTimeout);
      this.next();
    });
    s.on('data', (chunk: Buffer) => {
      if (this.socket !== s || this.finished) return;
      const room = CHECK_BUFFER_SIZE - this.received.length;
      if (room <= 0) return;
      this.received = Buffer.concat([this.received, room < chunk.length ? chunk.subarray(0, room) : chunk]);
      this.resume();
    });
    s.on('end', () => {
      if (this.socket !== s || this.finished) return;
      this.eof = true;
      this.resume();
    });
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (this.socket !== s || this.finished) return;
      // Data already received is judged as a complete answer (an RST often follows the last
      // bytes); otherwise the error is the outcome.
      if (this.connected && this.received.length > 0 && this.current?.action === 'expect') {
        this.eof = true;
        this.resume();
        return;
      }
      if (!this.connected && e.code === 'ECONNRESET') {
        // A reset before the connection was reported up: the handshake did complete (a refusal
        // is ECONNREFUSED), and HAProxy sees the connection up before the reset. The steps go
        // on without writing; the first one that needs the server gets the error.
        this.connected = true;
        this.broken = true;
        this.next();
        if (!this.finished) this.finish({ status: 'SOCKERR', desc: this.errorDesc(errorText(e)) });
        return;
      }
      if (!this.connected && this.tls && this.tcpUp) {
        // The TCP connection was up, the TLS handshake failed: a layer-6 error, in HAProxy's words.
        this.finish({ status: 'L6RSP', desc: this.errorDesc(tlsFailure(e).message) });
        return;
      }
      this.finish({ status: this.connected ? 'SOCKERR' : 'L4CON', desc: this.errorDesc(errorText(e)) });
    });
  }

  /** HAProxy's chk_report_conn_err wording: the error, then where the tcp-check was. */
  private errorDesc(error: string): string {
    if (!this.plan.generic) return error;
    const step = this.current;
    if (!step || (step.action === 'connect' && step.rule.implicit)) return `${error} at initial connection step of tcp-check`;
    let where = ` at step ${step.id} of tcp-check`;
    if (step.action === 'connect') where += step.rule.port !== undefined ? ` (connect port ${step.rule.port})` : ' (connect)';
    else if (step.action === 'expect') where += expectStepText(step.rule);
    else where += ' (send)';
    if (step.comment) where += ` comment: '${step.comment}'`;
    return `${error}${where}`;
  }

  private arm(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    // As HAProxy's loop, what the sockets have for us is read before a due timeout is judged:
    // the timer lets one poll pass first.
    const armed = ++this.armings;
    this.timer = setTimeout(() => setImmediate(() => armed === this.armings && this.expired()), ms);
  }

  private expired(): void {
    if (this.finished) return;
    const desc = this.errorDesc('');
    if (!this.connected) {
      this.finish({ status: this.tls && this.tcpUp ? 'L6TOUT' : 'L4TOUT', desc });
      return;
    }
    const step = this.current;
    const tout = step?.action === 'expect' ? step.rule.toutStatus : undefined;
    this.finish({ status: tout ?? 'L7TOUT', desc });
  }

  /** Every step passed: the outcome depends on the last step that ran (HAProxy's rules). */
  private succeed(): void {
    const last = this.current;
    const generic = this.plan.generic;
    if (last?.action === 'expect') {
      if (this.code === 404 && this.plan.conditionalOn404?.()) {
        this.finish({ status: 'L7OKC', desc: '', code: 404 });
        return;
      }
      const info = last.successInfo?.(this.received, this.env);
      if (info) {
        this.finish({ code: this.code, ...info });
        return;
      }
      this.finish({ status: last.rule.okStatus ?? 'L7OK', desc: generic ? '(tcp-check)' : '', code: this.code });
    } else if (last?.action === 'connect') {
      this.finish({ status: this.tls ? 'L6OK' : 'L4OK', desc: last.rule.implicit ? '' : '(tcp-check)' });
    } else {
      this.finish({ status: 'L7OK', desc: '(tcp-check)' });
    }
  }

  private finish(o: CheckOutcome): void {
    if (this.finished) return;
    this.finished = true;
    this.close();
    this.done(o);
  }

  private close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armings++;
    const s = this.socket;
    if (!s) return;
    this.socket = undefined;
    s.removeAllListeners('data');
    s.on('error', () => undefined);
    if (this.linger || !this.connected || s.destroyed) {
      s.destroy();
    } else if (this.received.length === 0 && !this.eof) {
      // Nothing came from the server yet: a plain close. HAProxy resets these too, but its
      // connect leaves the handshake's last ACK delayed (TCP_QUICKACK off), so a check that
      // ends within that delay is reset before the server has even accepted it. Node cannot
      // delay that ACK: the server has accepted, and may be writing its greeting, which a reset
      // would fail (reg-tests/checks/tcp-check_min-recv.vtc, `timeout check 1`).
      s.destroy();
    } else if (this.tls) {
      // A TLS connection is closed with its close_notify (destroying it right after the
      // handshake makes the server count a failed handshake); the socket goes once flushed.
      s.end();
      setTimeout(() => s.destroy(), 1000).unref();
    } else if (s.remoteAddress === undefined) {
      // A unix socket has no reset (Node throws on one): a plain close.
      s.destroy();
    } else {
      // HAProxy closes check connections with a reset, unless `linger` asks for a clean close.
      s.resetAndDestroy();
    }
  }
}
