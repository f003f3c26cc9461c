/**
 * `option <name>` (configuration.txt 4.2 "option ..."), except the health-check options, which
 * live in checks.ts. Most options are flags that accept the `no` and `default` prefixes ((*) in
 * 4.1); the others refuse them with HAProxy's "negation/default is not supported" message.
 */
import { isIPv6 } from 'node:net';
import type { FamilyHandler, KeywordContext, KeywordTable } from '../../keywords.js';
import type { ForwardedHeaderModel, ProxyModel } from '../../model/proxy.js';
import { CAP_ALL, CAP_BE, CAP_DEF, CAP_FE, type KeywordStatus } from '../../types.js';
import { atol, haproxyBestMatch, hasCap, resolveNow, tooManyArgs, warnIfNotCap, type ProxyRow } from './support.js';

type Ctx = KeywordContext<ProxyModel>;

interface FlagOption {
  readonly name: string;
  /** Where it applies (4.1); HAProxy ignores it elsewhere with a warning. */
  readonly cap: number;
  /** Only meaningful in mode http: ignored with a warning once parsing is over otherwise. */
  readonly httpOnly?: boolean;
  readonly status: KeywordStatus;
  readonly summary: string;
  readonly note?: string;
}

const FE = CAP_FE | CAP_DEF;
const BE = CAP_BE | CAP_DEF;
const ALL = CAP_ALL;

const SPLICE_NOTE = "kernel splicing moves data between sockets without copying it to user space; Node's sockets always go through user space";

/**
 * The flag options, in HAProxy's table order (its two tables, cfg_opts then cfg_opts2): the
 * order of the "requires HTTP mode" warnings after parsing follows it.
 */
const FLAGS: readonly FlagOption[] = [
  { name: 'abortonclose', cap: BE, status: 'notyet', summary: 'Abort a queued or connecting request when the client closes its side.' },
  { name: 'allbackups', cap: BE, status: 'supported', summary: 'Use all backup servers at once when every active server is down.' },
  { name: 'checkcache', cap: BE, httpOnly: true, status: 'notyet', summary: 'Block cacheable responses that would set a cookie.' },
  { name: 'clitcpka', cap: FE, status: 'supported', summary: 'TCP keep-alive probes on the client side.' },
  { name: 'contstats', cap: FE, status: 'notyet', summary: 'Update traffic counters continuously, not only at the end of a stream.' },
  { name: 'dontlognull', cap: FE, status: 'supported', summary: 'Do not log connections that sent no data.' },
  { name: 'http-buffer-request', cap: ALL, httpOnly: true, status: 'notyet', summary: 'Wait for the request body before choosing a server.' },
  { name: 'http-ignore-probes', cap: FE, httpOnly: true, status: 'notyet', summary: 'Ignore connections closed without a request (browser pre-connects).' },
  { name: 'idle-close-on-response', cap: FE, httpOnly: true, status: 'notyet', summary: 'On soft stop, keep idle client connections until a response can announce the close.' },
  { name: 'prefer-last-server', cap: BE, httpOnly: true, status: 'notyet', summary: 'Reuse the server of the previous request of a kept-alive connection.' },
  { name: 'logasap', cap: FE, status: 'supported', summary: 'Log a stream as soon as the response headers are sent, before its end.' },
  { name: 'nolinger', cap: ALL, status: 'notyet', summary: 'Close connections with a reset instead of lingering.' },
  { name: 'persist', cap: BE, status: 'notyet', summary: 'Keep sending persistent clients to their server even when it is down.' },
  { name: 'srvtcpka', cap: BE, status: 'supported', summary: 'TCP keep-alive probes on the server side.' },
  { name: 'transparent', cap: BE, status: 'notyet', summary: 'Connect to the destination address the client targeted (transparent proxy).' },
  { name: 'splice-request', cap: ALL, status: 'nomeaning', note: SPLICE_NOTE, summary: 'Use kernel splicing to forward request data.' },
  { name: 'splice-response', cap: ALL, status: 'nomeaning', note: SPLICE_NOTE, summary: 'Use kernel splicing to forward response data.' },
  { name: 'splice-auto', cap: ALL, status: 'nomeaning', note: SPLICE_NOTE, summary: 'Use kernel splicing when it looks worth it.' },
  { name: 'accept-invalid-http-request', cap: FE, httpOnly: true, status: 'notyet', summary: 'Accept some invalid characters and forms in requests.' },
  { name: 'accept-invalid-http-response', cap: BE, httpOnly: true, status: 'notyet', summary: 'Accept some invalid characters and forms in responses.' },
  { name: 'dontlog-normal', cap: FE, status: 'supported', summary: 'Only log streams that ended in error.' },
  { name: 'log-separate-errors', cap: FE, status: 'supported', summary: 'Log streams that ended in error at level err.' },
  { name: 'log-health-checks', cap: BE, status: 'supported', summary: 'Log every health check status change, with details.' },
  { name: 'socket-stats', cap: FE, status: 'notyet', summary: 'Keep statistics per listening socket.' },
  {
    name: 'tcp-smart-accept',
    cap: FE,
    status: 'nomeaning',
    note: 'it delays the TCP ACK of new connections (TCP_DEFER_ACCEPT/TCP_QUICKACK), which Node does not expose; behaviour seen by clients is the same',
    summary: 'Delay the acknowledgement of new connections until data arrives.',
  },
  {
    name: 'tcp-smart-connect',
    cap: BE,
    status: 'nomeaning',
    note: 'it merges the first data with the final ACK of the handshake (TCP_QUICKACK), which Node does not expose; servers see the same data',
    summary: 'Send the first data with the last ACK of the server handshake.',
  },
  { name: 'independent-streams', cap: ALL, status: 'notyet', summary: 'Reset each direction\'s inactivity timer on its own traffic only.' },
  { name: 'http-use-proxy-header', cap: FE, httpOnly: true, status: 'notyet', summary: 'Read Proxy-Connection like Connection (clients talking to a proxy).' },
  { name: 'http-pretend-keepalive', cap: BE, httpOnly: true, status: 'notyet', summary: 'Announce keep-alive to servers while closing after the response.' },
  { name: 'http-no-delay', cap: ALL, httpOnly: true, status: 'notyet', summary: 'Send HTTP data as soon as possible, without merging segments.' },
  { name: 'h1-case-adjust-bogus-client', cap: FE, status: 'notyet', summary: 'Rewrite HTTP/1 response header names with the case set by h1-case-adjust.' },
  { name: 'h1-case-adjust-bogus-server', cap: BE, status: 'notyet', summary: 'Rewrite HTTP/1 request header names with the case set by h1-case-adjust.' },
  { name: 'disable-h2-upgrade', cap: FE, httpOnly: true, status: 'notyet', summary: 'Refuse the HTTP/1 to HTTP/2 upgrade on clear-text connections.' },
];

/**
 * The HTTP-only options in the order HAProxy warns about them (for checks/proxy.ts), with
 * the side they apply to: an option a proxy inherited for the other side is not reported.
 */
export const HTTP_ONLY_OPTIONS: readonly { readonly name: string; readonly cap: number }[] = FLAGS.filter((f) => f.httpOnly).map((f) => ({
  name: f.name,
  cap: f.cap,
}));

/** Where each flag option applies (its name without "option "), for defaults inheritance. */
export const OPTION_CAPS: ReadonlyMap<string, number> = new Map(FLAGS.map((f) => [f.name, f.cap]));

/** Records a flag option with its prefix: set, cleared ('no'), or back to the default. */
function setFlag(ctx: Ctx, name: string): void {
  const options = ctx.state.options;
  if (ctx.modifier === 'default') delete options[name];
  else options[name] = { where: ctx.where, enabled: ctx.modifier !== 'no' };
}

/** A flag option: extra words refused, then the capability check, then the flag. */
function flagRow(f: FlagOption): ProxyRow {
  return {
    name: `option ${f.name}`,
    cap: f.cap,
    capByParse: true,
    negatable: true,
    status: f.status,
    note: f.note,
    summary: f.summary,
    parse(ctx, args) {
      if (tooManyArgs(ctx, args, 0, 1)) return;
      if (warnIfNotCap(ctx, f.cap, f.name)) return;
      setFlag(ctx, f.name);
    },
  };
}

/** option httpclose / http-server-close / http-keep-alive: one setting, the last one wins. */
function connectionModeRow(name: 'httpclose' | 'http-server-close' | 'http-keep-alive', summary: string): ProxyRow {
  return {
    name: `option ${name}`,
    cap: CAP_ALL,
    capByParse: true,
    negatable: true,
    status: 'notyet',
    summary,
    parse(ctx, args) {
      if (tooManyArgs(ctx, args, 0, 1)) return;
      const p = ctx.state;
      if (ctx.modifier === 'no') {
        // "no option X" only cancels X, not another mode set since.
        if (p.httpConnectionMode === name) p.httpConnectionMode = undefined;
      } else if (ctx.modifier === 'default') {
        negationNotSupported(ctx, name);
      } else {
        p.httpConnectionMode = name;
      }
    },
  };
}

function negationNotSupported(ctx: Ctx, name: string): void {
  ctx.alert(`negation/default is not supported for option '${name}'.`, 'tight');
}

/** Options removed from HAProxy: refused with its message, whatever the prefix. */
function removedRow(name: string, message: string): ProxyRow {
  return {
    name: `option ${name}`,
    cap: CAP_ALL,
    capByParse: true,
    negatable: true,
    status: 'supported',
    summary: 'Removed from HAProxy: refused with its explanation.',
    parse(ctx) {
      ctx.alert(`option '${name}' ${message}`, 'tight');
    },
  };
}

const redispatch: ProxyRow = {
  name: 'option redispatch',
  cap: CAP_BE | CAP_DEF,
  capByParse: true,
  negatable: true,
  status: 'supported',
  summary: 'Let a retried connection go to another server than the persistent one ([<interval>]: every Nth retry).',
  parse(ctx, args) {
    if (warnIfNotCap(ctx, CAP_BE, 'redispatch')) return;
    const p = ctx.state;
    if (ctx.modifier === 'default') {
      delete p.options['redispatch'];
      p.redispatchInterval = undefined;
      return;
    }
    setFlag(ctx, 'redispatch');
    // Extra words are ignored, and the interval is read with atol, as by HAProxy.
    p.redispatchInterval = ctx.modifier === 'no' ? 0 : args[2] !== undefined ? atol(args[2]) | 0 : -1;
  },
};

const tcpka: ProxyRow = {
  name: 'option tcpka',
  cap: CAP_ALL,
  capByParse: true,
  status: 'supported',
  summary: 'TCP keep-alive probes on both sides (clitcpka and srvtcpka).',
  parse(ctx, args) {
    if (tooManyArgs(ctx, args, 0, 1)) return;
    const p = ctx.state;
    if (hasCap(p, CAP_FE)) p.options['clitcpka'] = { where: ctx.where, enabled: true };
    if (hasCap(p, CAP_BE)) p.options['srvtcpka'] = { where: ctx.where, enabled: true };
  },
};

/** The name HAProxy gives the log format already set, in its "overrides previous" warning. */
function previousFormatName(p: ProxyModel): string {
  const kind = p.logFormat?.kind;
  if (kind === undefined || kind === 'custom') return 'log-format';
  return `option ${kind}`;
}

/**
 * Sets the proxy's log format. In a defaults section, replacing one is worth a warning; in a
 * backend, the format is kept but HAProxy says it is ignored there.
 */
export function setLogFormat(ctx: Ctx, kind: 'custom' | 'httplog' | 'httplog clf' | 'httpslog' | 'tcplog', text?: string): void {
  const p = ctx.state;
  if (p.logFormat && p.kind === 'defaults') {
    const name = kind === 'custom' ? 'log-format' : `option ${kind === 'httpslog' ? 'httplog' : kind}`;
    ctx.warning(`'${name}' overrides previous '${previousFormatName(p)}' in 'defaults' section.`, 'tight');
  }
  p.logFormat = text !== undefined ? { where: ctx.where, kind, text } : { where: ctx.where, kind };
}

/** "backend 'b' : 'option httplog' directive is ignored in backends." */
export function warnIgnoredInBackend(ctx: Ctx, directive: string): void {
  const p = ctx.state;
  if (p.kind !== 'defaults' && !(p.cap & CAP_FE)) {
    ctx.warning(`backend '${p.name}' : '${directive}' directive is ignored in backends.`);
  }
}

const httplog: ProxyRow = {
  name: 'option httplog',
  cap: CAP_FE | CAP_DEF,
  capByParse: true,
  status: 'notyet',
  summary: 'Log HTTP requests in the detailed HTTP format ([clf]: Common Log Format).',
  parse(ctx, args) {
    let clf = false;
    if (args[2] !== undefined) {
      if (args[2] !== 'clf') {
        ctx.alert("keyword 'httplog' only supports option 'clf'.");
        return;
      }
      clf = true;
      if (tooManyArgs(ctx, args, 1, 1)) return;
    }
    setLogFormat(ctx, clf ? 'httplog clf' : 'httplog');
    warnIgnoredInBackend(ctx, 'option httplog');
  },
};

const httpslog: ProxyRow = {
  name: 'option httpslog',
  cap: CAP_FE | CAP_DEF,
  capByParse: true,
  status: 'notyet',
  summary: 'Log HTTP requests in the HTTP format extended with TLS details.',
  parse(ctx) {
    // HAProxy ignores anything after it.
    setLogFormat(ctx, 'httpslog');
    warnIgnoredInBackend(ctx, 'option httpslog');
  },
};

const tcplog: ProxyRow = {
  name: 'option tcplog',
  cap: CAP_FE | CAP_DEF,
  capByParse: true,
  status: 'supported',
  summary: 'Log TCP connections in the detailed TCP format.',
  parse(ctx, args) {
    setLogFormat(ctx, 'tcplog');
    if (tooManyArgs(ctx, args, 0, 1)) return;
    warnIgnoredInBackend(ctx, 'option tcplog');
  },
};

/** An IPv4 address as inet_aton reads it ("10.1" is 10.0.0.1), or undefined. */
function inetAton(text: string): string | undefined {
  if (!/^[0-9]+(\.[0-9]+){0,3}$/.test(text)) return undefined;
  const parts = text.split('.').map(Number);
  const last = parts.pop()!;
  const lastBytes = 4 - parts.length;
  if (parts.some((n) => n > 255) || last >= 2 ** (8 * lastBytes)) return undefined;
  const bytes = [...parts];
  for (let i = lastBytes - 1; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes.join('.');
}

/**
 * `except <network>` of forwardfor/originalto: an IPv4 or IPv6 address or a host name (resolved
 * after parsing), with an optional /prefix or IPv4 /netmask. Undefined when invalid.
 */
function parseExceptNet(ctx: Ctx, text: string): ForwardedHeaderModel['except'] | undefined {
  const slash = text.indexOf('/');
  const host = slash < 0 ? text : text.slice(0, slash);
  const maskText = slash < 0 ? undefined : text.slice(slash + 1);
  const v4 = inetAton(host);
  const v6 = v4 === undefined && isIPv6Text(host) ? host : undefined;
  let family: 'ipv4' | 'ipv6' | undefined = v4 ? 'ipv4' : v6 ? 'ipv6' : undefined;
  if (!family) {
    if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(host) || /^[0-9.]+$/.test(host)) return undefined;
  }
  const max = family === 'ipv6' ? 128 : 32;
  let prefix = max;
  if (maskText !== undefined) {
    if (/^[0-9]+$/.test(maskText)) {
      prefix = Number(maskText);
      if (prefix > max) return undefined;
    } else {
      const mask = family !== 'ipv6' ? inetAton(maskText) : undefined;
      if (!mask || maskText.split('.').length !== 4) return undefined;
      prefix = mask.split('.').reduce((n, b) => n + (Number(b).toString(2).match(/1/g)?.length ?? 0), 0);
    }
  }
  if (!family) {
    // A name: HAProxy resolves it (IPv4) while parsing.
    const r = resolveNow(host, 'ipv4');
    if (r === undefined) return undefined;
    const except: { family: 'ipv4' | 'ipv6'; address: string; prefix: number } = { family: 'ipv4', address: host, prefix };
    if (r !== 'unavailable') {
      except.address = r.ip;
      return except;
    }
    ctx.load.resolutions.push({
      where: ctx.where,
      hostname: host,
      family: 'ipv4',
      resolved(ip) {
        except.address = ip;
      },
      failed: () => ctx.load.diag.alert(ctx.where, `'option ${ctx.words[1]} except' expects <address>[/mask] as argument.`),
    });
    return except;
  }
  return { family, address: v4 ?? v6!, prefix };
}

function isIPv6Text(text: string): boolean {
  return isIPv6(text);
}

/** option forwardfor / originalto [except <net>] [header <name>] [if-none]. */
function forwardedRow(name: 'forwardfor' | 'originalto', defaultHeader: string, summary: string): ProxyRow {
  const withIfNone = name === 'forwardfor';
  const usage = withIfNone ? "'except', 'header' and 'if-none'" : "'except' and 'header'";
  return {
    name: `option ${name}`,
    cap: CAP_ALL,
    capByParse: true,
    status: 'notyet',
    summary,
    parse(ctx, args) {
      let header = defaultHeader;
      let except: ForwardedHeaderModel['except'];
      let ifNone = false;
      for (let i = 2; i < args.length; i++) {
        const w = args[i]!;
        if (w === 'except') {
          const net = args[i + 1] ? parseExceptNet(ctx, args[i + 1]!) : undefined;
          if (!net) {
            ctx.alert(`'option ${name} except' expects <address>[/mask] as argument.`);
            return;
          }
          except = net;
          i++;
        } else if (w === 'header') {
          if (!args[i + 1]) {
            ctx.alert(`'option ${name} header' expects <header_name> as argument.`);
            return;
          }
          header = args[i + 1]!;
          i++;
        } else if (w === 'if-none' && withIfNone) {
          ifNone = true;
        } else {
          ctx.alert(`'option ${name}' only supports optional values: ${usage}.`);
          return;
        }
      }
      const model: ForwardedHeaderModel = { where: ctx.where, header, ...(except ? { except } : {}), ...(withIfNone ? { ifNone } : {}) };
      if (name === 'forwardfor') ctx.state.forwardFor = model;
      else ctx.state.originalTo = model;
    },
  };
}

const restrictReqHdrNames: ProxyRow = {
  name: 'option http-restrict-req-hdr-names',
  cap: CAP_ALL,
  capByParse: true,
  status: 'notyet',
  summary: 'What to do with request header names holding other characters than letters, digits and dashes.',
  parse(ctx, args) {
    if (tooManyArgs(ctx, args, 2)) return;
    const v = args[2];
    if (v === undefined) {
      ctx.alert("missing parameter. option 'http-restrict-req-hdr-names' expects 'preserve', 'reject' or 'delete' option.");
      return;
    }
    if (v !== 'preserve' && v !== 'reject' && v !== 'delete') {
      ctx.alert(`invalid parameter '${v}'. option 'http-restrict-req-hdr-names' expects 'preserve', 'reject' or 'delete' option.`);
      return;
    }
    ctx.state.restrictReqHdrNames = v;
  },
};

export const rows: ProxyRow[] = [
  ...FLAGS.map(flagRow),
  connectionModeRow('httpclose', 'Close the connection after each HTTP response (both sides).'),
  connectionModeRow('http-server-close', 'Close the server connection after each response, keep the client one.'),
  connectionModeRow('http-keep-alive', 'Keep both HTTP connections alive between requests (the default).'),
  removedRow('forceclose', "is not supported any more since HAProxy 2.0, please just remove it, or use 'option httpclose' if absolutely needed."),
  removedRow('http-tunnel', "is not supported any more since HAProxy 2.1, please just remove it, it shouldn't be needed."),
  removedRow(
    'http_proxy',
    "is not supported any more since HAProxy 2.5. This option stopped working in HAProxy 1.9 and usually had nasty side effects. It can be more reliably implemented with combinations of 'http-request set-dst' and 'http-request set-uri', and even 'http-request do-resolve' if DNS resolution is desired.",
  ),
  redispatch,
  tcpka,
  httplog,
  httpslog,
  tcplog,
  forwardedRow('forwardfor', 'X-Forwarded-For', 'Add the client address in an X-Forwarded-For header (or another one).'),
  forwardedRow('originalto', 'X-Original-To', 'Add the original destination address in an X-Original-To header (or another one).'),
  restrictReqHdrNames,
];

/** What HAProxy compares an unknown option with for its suggestion. */
const SUGGESTIONS = [
  ...FLAGS.map((f) => f.name),
  // Measured on haproxy 2.6.12: "http" suggests httpchk (so it comes before httplog), and
  // mysql, pgsql, ldap or spop suggest nothing (their check options are not compared).
  'httpclose',
  'http-server-close',
  'http-keep-alive',
  'httpchk',
  'redispatch',
  'httplog',
  'tcplog',
  'tcpka',
  'ssl-hello-chk',
  'smtpchk',
  'redis-check',
  'tcp-check',
  'external-check',
  'forwardfor',
  'original-to',
];

/** "option <unknown>": the prefix is refused first, then the option, with a suggestion. */
const optionFamily: FamilyHandler<ProxyModel> = (ctx, words) => {
  // After "default", HAProxy 2.6 sees the last word twice (see the proxy section).
  const args = ctx.modifier === 'default' ? [...words, words[words.length - 1]!] : words;
  const name = args[1];
  if (name === undefined || name === '') {
    ctx.alert("'option' expects an option name.", 'tight');
    return;
  }
  if (ctx.modifier) {
    negationNotSupported(ctx, name);
    return;
  }
  const best = haproxyBestMatch(name, SUGGESTIONS);
  ctx.alert(`unknown option '${name}'${best ? `; did you mean '${best}' maybe ?` : '.'}`);
};

export function families(table: KeywordTable<ProxyModel>): void {
  table.onUnknownMember('option', optionFamily);
}
