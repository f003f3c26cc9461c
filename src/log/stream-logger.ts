/**
 * The entry points the runtime calls to log (configuration.txt 8, "Logging"):
 *
 * - createProxyLogger(model, proxy): a proxy's logger, built once at startup; undefined when the
 *   proxy logs nowhere (no `log` line, no `log global`). A stream calls:
 *     accepted(info)  right after accepting a connection: a frontend without log format
 *                     (no option tcplog, no log-format) logs "Connect from <ip>:<port> to
 *                     <ip>:<port> (<frontend>/TCP)" there, as HAProxy does; otherwise nothing;
 *     log(info)       once per stream: when the server connection is established if
 *                     `logasap` (info.logasap = true), else (or if it never connected) when the
 *                     stream ends;
 *   and the proxy's own events (server state changes, "Proxy X stopped") go through send().
 * - createProcessLogger(model): the global section's targets, for messages of the process.
 *
 * Stream lines follow HAProxy's strm_log(): not logged with option dontlognull when the client
 * sent nothing (at the end only: a logasap line is always sent), nor with option
 * dontlog-normal when the stream ended normally; level info, or err for a stream in error
 * with option log-separate-errors. A stream is "in error" when it was redispatched, ended
 * with a termination cause other than '-' or 'L', or needed retries.
 */
import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { ConfigModel } from '../config/model/index.js';
import type { ProxyModel } from '../config/model/proxy.js';
import type { StreamLogInfo } from '../runtime/stream-info.js';
import { logDate } from './dates.js';
import { compileLogFormat, type CompiledLogFormat } from './log-format-eval.js';
import { compileLogFormatText } from './log-format.js';
import { HTTP_LOG_FORMAT, CLF_HTTP_LOG_FORMAT, HTTPS_LOG_FORMAT, TCP_LOG_FORMAT } from './log-format-vars.js';
import type { SyslogMeta } from './syslog-header.js';
import { levelNumber, maxLineLength, openLogTargets, sendToTargets, type LogLevelName, type LogTarget } from './targets.js';

export type { LogLevelName } from './targets.js';

/** What accepted() needs: the connection's two ends. */
export type AcceptLogInfo = Pick<StreamLogInfo, 'frontend' | 'clientIp' | 'clientPort' | 'frontendIp' | 'frontendPort'>;

export interface ProxyLogger {
  /** option logasap: the stream logs when its server connection is established. */
  readonly logasap: boolean;
  /** The format has %[...] sample expressions (the stream keeps its addresses for them). */
  readonly usesSamples: boolean;
  /** Call once a connection is accepted (see the file comment). */
  accepted(info: AcceptLogInfo): void;
  /** Call once per stream with its log information. Never throws. */
  log(info: StreamLogInfo): void;
  /** A message of the proxy (HAProxy's send_log(proxy, level, ...)), with the proxy's tag. */
  send(level: LogLevelName, text: string): void;
  /** A connection closed before it became a stream (a bad PROXY header): see ConnectionError. */
  connectionError(e: ConnectionError): void;
}

/**
 * A connection that failed before becoming a stream (HAProxy's session_kill_embryonic()):
 * logged as "<ip>:<port> [<accept date>] <frontend>/<listener>: <error>" when the frontend has
 * a log format, at level err with option log-separate-errors; with option dontlognull, not when
 * the client sent nothing (`empty`) or the wait timed out.
 */
export interface ConnectionError {
  /** The client's address ("unix" on a unix socket, then `clientPort` is the listener's id). */
  readonly clientIp: string;
  readonly clientPort: number | string;
  readonly acceptDate: Date;
  /** The bind's `name`, else its id. */
  readonly listener: string;
  /** HAProxy's text for the error ("Received an invalid PROXY protocol header", ...). */
  readonly message: string;
  /** The client closed or timed out having sent nothing useful (dontlognull skips these). */
  readonly empty: boolean;
}

export interface ProcessLogger {
  /** Whether the global section has log targets. */
  readonly enabled: boolean;
  /** A message of the process (HAProxy's send_log(NULL, level, ...)). */
  send(level: LogLevelName, text: string): void;
}

/**
 * The syslog tag without log-tag: HAProxy's is the base name of the program as it was called
 * (argv[0]). bin/portier keeps the name it was called by (exec -a), so Portier installed as
 * "haproxy" tags its lines haproxy; started as "node dist/src/main.js" it says portier.
 */
export const DEFAULT_LOG_TAG = programName(process.argv0);

function programName(argv0: string): string {
  const base = basename(argv0);
  return base === '' || base === 'node' ? 'portier' : base;
}

/** The syslog header's host name: log-send-hostname [<name>]. */
function sendHostname(model: ConfigModel): string | undefined {
  const h = model.global.logSendHostname;
  return h === true ? hostname() : h;
}

function metaFor(model: ConfigModel, tag: string | undefined): SyslogMeta {
  return { tag: tag ?? model.global.logTag ?? DEFAULT_LOG_TAG, pid: String(process.pid), host: sendHostname(model) };
}

const PREDEFINED: Record<string, string> = {
  tcplog: TCP_LOG_FORMAT,
  httplog: HTTP_LOG_FORMAT,
  'httplog clf': CLF_HTTP_LOG_FORMAT,
  httpslog: HTTPS_LOG_FORMAT,
};

/** The proxy's log format, compiled; undefined without one (or one that cannot run). */
function proxyFormat(p: ProxyModel): CompiledLogFormat | undefined {
  const lf = p.logFormat;
  if (!lf) return undefined;
  let parts = lf.parts;
  if (!parts) {
    const text = lf.kind === 'custom' ? lf.text : PREDEFINED[lf.kind];
    if (text === undefined) return undefined;
    const scanned = compileLogFormatText(text);
    if ('error' in scanned) return undefined;
    parts = scanned.parts;
  }
  const compiled = compileLogFormat(parts);
  return 'unsupported' in compiled ? undefined : compiled;
}

const enabled = (p: ProxyModel, option: string): boolean => p.options[option]?.enabled === true;

/** Whether HAProxy counts the stream as an error (strm_log()). */
export function streamInError(info: StreamLogInfo): boolean {
  const cause = info.termination.cause;
  return info.redispatched || (cause !== '-' && cause !== 'L') || (cause === '-' && info.retries > 0);
}

class ProxyLoggerImpl implements ProxyLogger {
  readonly logasap: boolean;
  readonly usesSamples: boolean;
  private readonly dontLogNull: boolean;
  private readonly dontLogNormal: boolean;
  private readonly separateErrors: boolean;
  private readonly format: CompiledLogFormat | undefined;
  private readonly lineLength: number;
  private readonly host = hostname();
  private logCount = 0;

  constructor(
    private readonly proxy: ProxyModel,
    private readonly targets: readonly LogTarget[],
    private readonly meta: SyslogMeta,
    lineLength: number,
  ) {
    this.logasap = enabled(proxy, 'logasap');
    this.dontLogNull = enabled(proxy, 'dontlognull');
    this.dontLogNormal = enabled(proxy, 'dontlog-normal');
    this.separateErrors = enabled(proxy, 'log-separate-errors');
    this.format = proxyFormat(proxy);
    this.usesSamples = proxy.logFormat?.parts?.some((p) => p.kind === 'expr') ?? false;
    this.lineLength = lineLength;
  }

  accepted(info: AcceptLogInfo): void {
    if (this.proxy.logFormat) return;
    const mode = this.proxy.mode === 'http' ? 'HTTP' : 'TCP';
    const text =
      info.clientIp === 'unix'
        ? `Connect to unix:${info.clientPort} (${info.frontend}/${mode})`
        : `Connect from ${info.clientIp}:${info.clientPort} to ${info.frontendIp}:${info.frontendPort} (${info.frontend}/${mode})`;
    this.send('info', text);
  }

  connectionError(e: ConnectionError): void {
    if (!this.proxy.logFormat) return;
    if (this.dontLogNull && e.empty) return;
    const where = `${e.clientIp}:${e.clientPort} [${logDate(e.acceptDate)}] ${this.proxy.name}/${e.listener}`;
    this.send(this.separateErrors ? 'err' : 'info', `${where}: ${e.message}`);
  }

  log(info: StreamLogInfo): void {
    const format = this.format;
    if (!format) return;
    try {
      if (this.dontLogNull && !info.logasap && info.bytesIn === 0) return;
      const err = streamInError(info);
      if (!err && this.dontLogNormal) return;
      const level = err && this.separateErrors ? 3 : 6;
      const line = format.build(info, { logasap: this.logasap, hostname: this.host, pid: process.pid, logCount: this.logCount }, this.lineLength);
      if (line === '') return;
      this.logCount++;
      sendToTargets(this.targets, level, line, this.meta);
    } catch {
      // A log line never breaks a stream.
    }
  }

  send(level: LogLevelName, text: string): void {
    try {
      sendToTargets(this.targets, levelNumber(level), text, this.meta);
    } catch {
      /* never throws */
    }
  }
}

/** The logger of a proxy, or undefined when it has no log target. */
export function createProxyLogger(model: ConfigModel, proxy: ProxyModel): ProxyLogger | undefined {
  if (proxy.logs.length === 0) return undefined;
  const targets = openLogTargets(proxy.logs);
  if (targets.length === 0) return undefined;
  return new ProxyLoggerImpl(proxy, targets, metaFor(model, proxy.logTag), lineLengthOf(model));
}

/** HAProxy builds every line within global.max_syslog_len: the longest `len` of the whole configuration. */
function lineLengthOf(model: ConfigModel): number {
  let n = maxLineLength([]);
  const all = [...model.global.logs, ...model.proxies.flatMap((p) => p.logs), ...model.defaults.flatMap((p) => p.logs)];
  for (const t of all) if (t.length !== undefined && t.length > n) n = t.length;
  return n;
}

/** The logger of the global section's targets. */
export function createProcessLogger(model: ConfigModel): ProcessLogger {
  const targets = openLogTargets(model.global.logs);
  const meta = metaFor(model, undefined);
  return {
    enabled: targets.length > 0,
    send(level, text) {
      try {
        sendToTargets(targets, levelNumber(level), text, meta);
      } catch {
        /* never throws */
      }
    },
  };
}
