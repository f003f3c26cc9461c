/**
 * Runs a compiled log-format (log-format.ts) on a stream's StreamLogInfo: one function per part,
 * decided once when the proxy's logger is built, then a flat loop per line (STYLE.md 7).
 * Variables print as HAProxy 2.6 prints them (configuration.txt 8.2.6, checked against
 * haproxy 2.6.12; see docs/logging.md):
 *
 *   strings (%f %b %s %H %ID %ci ...)   +Q quotes, +E escapes '"' '\' ']', '-' when empty (+M)
 *   numbers (%B %Tt %ac ...)            never quoted; %Ts %ms %pid %lc %rt take +X (hex)
 *   addresses %ci %fi %bi %si           +X: the bytes in hex ("7F000001")
 *   ports %cp %fp %bp %sp               +X: two bytes in hex ("CA3A"); a unix socket prints
 *                                       the listener's id
 *   %Tt %Ta %Tu %B                      '+' prefix when the frontend has option logasap
 *   %rc                                 '+' prefix when the stream was redispatched
 *
 * Timers follow HAProxy's arithmetic on its own marks (ms from accept): `queueTime` is the
 * moment the server was assigned (t_queue), `connectTime` the connection time (Tc), `totalTime`
 * the end (t_close). In tcp mode no request was ever timed (t_request = -1), so HAProxy prints
 * %Tw as t_queue + 1: "1/0/12" for an immediate connection. That is reproduced.
 */
import type { StreamLogInfo } from '../runtime/stream-info.js';
import { logDate, logDateGmt, logDateLocal, logMillis } from './dates.js';
import { LineBuilder, type LogFlags } from './line-builder.js';
import type { LogFormatPart } from './log-format.js';
import type { SampleExprModel } from '../config/model/sample.js';
import { compileSampleAs, cText, sampleNotYet } from '../sample/compile.js';

/** What a line needs besides the stream: settings of the frontend and of the process. */
export interface LogLineContext {
  /** option logasap on the frontend: '+' before %Tt %Ta %Tu %B. */
  readonly logasap: boolean;
  /** System host name (%H). */
  readonly hostname: string;
  readonly pid: number;
  /** Lines the frontend logged before this one (%lc). */
  readonly logCount: number;
}

type Emit = (b: LineBuilder, info: StreamLogInfo, c: LogLineContext) => void;
type VarCompiler = (f: LogFlags) => Emit;

const hex = (n: number, width: number): string => (n >>> 0).toString(16).toUpperCase().padStart(width, '0');

/** The 4 or 16 bytes of an address in hex, or undefined for a unix socket. */
export function ipHex(ip: string): string | undefined {
  if (/^[0-9]+(\.[0-9]+){3}$/.test(ip)) return ip.split('.').map((b) => hex(Number(b), 2)).join('');
  if (!ip.includes(':')) return undefined;
  let text = ip;
  // IPv4 in the last 32 bits ("::ffff:127.0.0.1").
  const v4 = /^(.*:)([0-9]+(?:\.[0-9]+){3})$/.exec(text);
  if (v4) {
    const b = v4[2]!.split('.').map(Number);
    text = `${v4[1]}${hex(b[0]! * 256 + b[1]!, 1)}:${hex(b[2]! * 256 + b[3]!, 1)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) return undefined;
  return groups.map((g) => g.padStart(4, '0').toUpperCase()).join('');
}

/** %ci %fi %bi %si (HAProxy's lf_ip). */
function ipVar(get: (i: StreamLogInfo) => string | undefined): VarCompiler {
  return (f) => (b, i) => {
    const ip = get(i);
    if (ip === undefined || ip === '') return b.value(undefined, f);
    if (f.hex) {
      const h = ipHex(ip);
      // A unix socket has no bytes to print: HAProxy ends the line there.
      if (h === undefined) return b.stop();
      return b.fixed(h);
    }
    b.value(ip, f);
  };
}

/** %cp %fp %bp %sp (HAProxy's lf_port); unix sockets print the listener id, as given. */
function portVar(get: (i: StreamLogInfo) => number | string | undefined, unix?: (i: StreamLogInfo) => boolean): VarCompiler {
  return (f) => (b, i) => {
    const p = get(i);
    if (p === undefined || p === '') return b.value(undefined, f);
    if (unix?.(i) || typeof p === 'string') return b.fixed(String(p));
    b.fixed(f.hex ? hex(p & 0xffff, 4) : String(p));
  };
}

const str =
  (get: (i: StreamLogInfo, c: LogLineContext) => string | undefined): VarCompiler =>
  (f) =>
  (b, i, c) =>
    b.value(get(i, c), f);

const num =
  (get: (i: StreamLogInfo, c: LogLineContext) => number): VarCompiler =>
  () =>
  (b, i, c) =>
    b.fixed(String(get(i, c)));

/** A number HAProxy prints with "%04X" under +X (%Ts, %pid, %lc, %rt). */
const numX =
  (get: (i: StreamLogInfo, c: LogLineContext) => number, width = 4): VarCompiler =>
  (f) =>
  (b, i, c) =>
    b.fixed(f.hex ? hex(get(i, c), width) : String(get(i, c)));

/** A total that is not final under option logasap: '+' first. */
const total =
  (get: (i: StreamLogInfo) => number): VarCompiler =>
  () =>
  (b, i, c) => {
    if (c.logasap) b.char('+');
    b.fixed(String(get(i)));
  };

const date =
  (fmt: (d: Date) => string, shift?: (i: StreamLogInfo) => number): VarCompiler =>
  () =>
  (b, i) =>
    b.fixed(fmt(shift ? new Date(i.acceptDate.getTime() + shift(i)) : i.acceptDate));

/** t_request: no request is timed in tcp mode (HAProxy's -1). */
const tRequest = (_i: StreamLogInfo): number => -1;
/** %tr, %trg, %trl: accept date + idle + handshake times. */
const requestStart = (i: StreamLogInfo): number => (i.idleTime >= 0 ? i.idleTime + i.handshakeTime : 0);
/** HAProxy's t_connect (ms from accept), -1 when no connection was made. */
const tConnect = (i: StreamLogInfo): number => (i.connectTime >= 0 ? Math.max(i.queueTime, 0) + i.connectTime : -1);

const nothing: VarCompiler = () => () => {};

/** The variables, by name (log-format-vars.ts lists them with their modes). */
const VARS: ReadonlyMap<string, VarCompiler> = new Map<string, VarCompiler>([
  ['ci', ipVar((i) => i.clientIp)],
  ['cp', portVar((i) => i.clientPort, (i) => i.clientIp === 'unix')],
  ['fi', ipVar((i) => i.frontendIp)],
  ['fp', portVar((i) => i.frontendPort, (i) => i.frontendIp === 'unix')],
  ['bi', ipVar((i) => i.backendSourceIp)],
  ['bp', portVar((i) => i.backendSourcePort)],
  ['si', ipVar((i) => i.serverIp)],
  ['sp', portVar((i) => i.serverPort)],
  ['t', date(logDate)],
  ['tr', date(logDate, requestStart)],
  ['T', date(logDateGmt)],
  ['trg', date(logDateGmt, requestStart)],
  ['Tl', date(logDateLocal)],
  ['trl', date(logDateLocal, requestStart)],
  ['Ts', numX((i) => Math.floor(i.acceptDate.getTime() / 1000))],
  [
    'ms',
    (f) => (b, i) => b.fixed(f.hex ? hex(i.acceptDate.getMilliseconds(), 2) : logMillis(i.acceptDate)),
  ],
  ['f', str((i) => i.frontend)],
  [
    'ft',
    // Quoted without escaping, the '~' of a TLS listener inside the quotes.
    (f) => (b, i) => {
      if (f.quote) b.char('"');
      b.text(i.frontendTransport);
      if (f.quote) b.char('"');
      b.touched();
    },
  ],
  ['b', str((i) => i.backend)],
  ['s', str((i) => i.server)],
  ['sslc', str((i) => i.sslCipher)],
  ['sslv', str((i) => i.sslVersion)],
  ['Th', num((i) => i.handshakeTime)],
  ['Ti', num((i) => i.idleTime)],
  ['TR', num((i) => (tRequest(i) >= 0 ? tRequest(i) - i.idleTime - i.handshakeTime : -1))],
  ['Tq', num((i) => tRequest(i))],
  ['Tw', num((i) => (i.queueTime >= 0 ? i.queueTime - tRequest(i) : -1))],
  ['Tc', num((i) => (i.connectTime >= 0 ? i.connectTime : -1))],
  // No response is timed in tcp mode (t_data = -1).
  ['Tr', num(() => -1)],
  ['Td', num((i) => (tConnect(i) >= 0 ? i.totalTime - tConnect(i) : -1))],
  ['Ta', total((i) => i.totalTime - (i.idleTime >= 0 ? i.idleTime + i.handshakeTime : 0))],
  ['Tt', total((i) => i.totalTime)],
  ['Tu', total((i) => i.totalTime - (i.idleTime >= 0 ? i.idleTime : 0))],
  ['ST', num(() => 0)],
  ['B', total((i) => i.bytesOut)],
  ['U', num((i) => i.bytesIn)],
  ['CC', str(() => undefined)],
  ['CS', str(() => undefined)],
  ['ts', () => (b, i) => b.fixed(i.termination.cause + i.termination.phase)],
  // Without a cookie, the two cookie characters are "--".
  ['tsc', () => (b, i) => b.fixed(i.termination.cause + i.termination.phase + '--')],
  ['ac', num((i) => i.actconn)],
  ['fc', num((i) => i.feconn)],
  ['bc', num((i) => i.beconn)],
  ['sc', num((i) => i.srvConn)],
  [
    'rc',
    () => (b, i) => {
      if (i.redispatched) b.char('+');
      b.fixed(String(i.retries));
    },
  ],
  ['sq', num((i) => i.srvQueue)],
  ['bq', num((i) => i.backendQueue)],
  // Captured headers: tcp mode captures nothing, and an empty capture list prints nothing.
  ['hr', nothing],
  ['hrl', nothing],
  ['hs', nothing],
  ['hsl', nothing],
  // The request line and its parts, without a request (HAProxy's "<BADREQ>").
  ...(['r', 'HM', 'HP', 'HPO', 'HQ', 'HU', 'HV'] as const).map(
    (name): [string, VarCompiler] => [
      name,
      (f) => (b) => {
        if (f.quote) b.char('"');
        b.text('<BADREQ>');
        if (f.quote) b.char('"');
      },
    ],
  ),
  ['rt', numX((i) => i.streamId ?? 0)],
  ['lc', numX((_i, c) => c.logCount)],
  ['H', str((_i, c) => c.hostname)],
  ['pid', numX((_i, c) => c.pid)],
  ['ID', str((i) => i.uniqueId)],
]);

export interface CompiledLogFormat {
  /** Builds the line; `limit` is HAProxy's max_syslog_len (the line holds limit - 1 characters). */
  build(info: StreamLogInfo, c: LogLineContext, limit: number): string;
}

/**
 * %[expr] (HAProxy's LOG_FMT_EXPR): the expression on the stream as it is when the line is
 * built, as a string up to its first NUL byte ('-' when there is no sample, with the
 * log-format's default +M).
 */
function exprEmit(expr: SampleExprModel, f: LogFlags): Emit {
  const text = compileSampleAs(expr, 'str');
  return (b, info) => {
    const smp = info.sampleEnv && text(info.sampleEnv);
    b.value(smp ? cText(smp) : undefined, f);
  };
}

function flagsOf(p: LogFormatPart): LogFlags {
  const o = p.options ?? [];
  return { quote: o.includes('Q'), hex: o.includes('X'), escape: o.includes('E'), mandatory: o.includes('M') };
}

/**
 * Compiles parts into one function per part. Returns the name of the first part it cannot run
 * (a sample expression: refused at startup) instead.
 */
export function compileLogFormat(parts: readonly LogFormatPart[]): CompiledLogFormat | { unsupported: string } {
  const emits: Emit[] = [];
  for (const p of parts) {
    if (p.kind === 'text') {
      const t = p.value;
      emits.push((b) => b.text(t));
    } else if (p.kind === 'separator') {
      emits.push((b) => b.separator());
    } else if (p.kind === 'var') {
      const v = VARS.get(p.value);
      if (!v) return { unsupported: `%${p.value}` };
      // Each variable marks the line as written, except the captures when there are none.
      emits.push(v(flagsOf(p)));
    } else if (p.expr && sampleNotYet(p.expr).length === 0) {
      emits.push(exprEmit(p.expr, flagsOf(p)));
    } else {
      return { unsupported: `%[${p.value}]` };
    }
  }
  return {
    build(info, c, limit) {
      const b = new LineBuilder(limit);
      for (const e of emits) {
        if (b.full) break;
        e(b, info, c);
      }
      return b.toString();
    },
  };
}
