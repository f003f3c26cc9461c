/**
 * The steps of tcp-check and http-check rule lists (configuration.txt 4.2 "tcp-check connect",
 * "tcp-check send", "tcp-check expect", "http-check send", "http-check expect", ... "comment").
 * Each parser reads the statement's words and returns a rule, or HAProxy's message for the part
 * after "'tcp-check expect' : " (the caller adds that prefix and a final '.', as HAProxy does).
 *
 * As in HAProxy, an empty word ("") ends the list of options: what follows it is not read.
 */
import { parseAddress, type AddressRules } from '../../address.js';
import type { KeywordContext } from '../../keywords.js';
import type {
  CheckCommentRule,
  CheckConnectRule,
  CheckExpectMatch,
  CheckExpectRule,
  CheckFormatModel,
  CheckHeaderPattern,
  CheckHttpSendRule,
  CheckRuleModel,
  CheckSendRule,
} from '../../model/check.js';
import type { Mutable } from '../../load-state.js';
import type { AddressModel } from '../../model/address.js';
import type { SampleExprModel } from '../../model/sample.js';
import { parseLogFormat } from '../../../log/log-format.js';
import { parseSampleExpr } from '../../../sample/expr.js';
import { regexError } from './checks-regex.js';

/** A rule before the rule list gives it its position. */
export type NewRule<R extends CheckRuleModel = CheckRuleModel> = R extends CheckRuleModel ? Omit<R, 'index'> : never;
export type RuleParse<R extends CheckRuleModel = CheckRuleModel> = { rule: NewRule<R> } | { error: string };

type Ctx = KeywordContext<unknown>;

/** Word i, '' past the end (HAProxy's args[] end with empty strings). */
const at = (args: readonly string[], i: number): string => args[i] ?? '';

/** Compiles a log-format string used by a check rule ('tcp-check' sample context). */
function checkFormat(ctx: Ctx, text: string): CheckFormatModel | { error: string } {
  const r = parseLogFormat(ctx, text, 'tcp-check');
  if ('error' in r) return { error: r.error };
  return { text, parts: r.parts };
}

/** "'<fmt>' invalid log-format string (<why>).\n", HAProxy's wording for a bad format. */
function badFormat(text: string, why: string): string {
  return `'${text}' invalid log-format string (${why}).\n`;
}

/** Leading decimal digits as HAProxy's read_uint reads them: returns the value and what is left. */
function readUint(text: string): { value: number; rest: string } {
  const m = /^[0-9]*/.exec(text)![0];
  return { value: m === '' ? 0 : Math.min(Number(m), 0xffffffff), rest: text.slice(m.length) };
}

/** Hex digits to bytes (HAProxy's parse_binary): lower-case hex, or the reason it is not. */
export function parseHexString(text: string): { hex: string } | { error: string } {
  if (text.length % 2 !== 0) return { error: 'an even number of hex digit is expected' };
  const bad = /[^0-9a-fA-F]/.exec(text);
  if (bad) return { error: `an hex digit is expected (found '${bad[0]}')` };
  return { hex: text.toLowerCase() };
}

/** Multiplexer protocols of `haproxy -vv` that `proto` may name, and their mode. */
const MUX_PROTOCOLS: Record<string, 'http' | 'tcp'> = { h2: 'http', fcgi: 'http', h1: 'http', none: 'tcp' };

const CONNECT_ADDRESS: AddressRules = { defaultSocket: 'stream', accept: ['stream'], portAllowed: true, portZero: true };

// ---------------------------------------------------------------------------------------------
// connect

/** `connect` options. `kw` is args[0] ('tcp-check' or 'http-check'). */
export function parseConnect(ctx: Ctx, args: readonly string[], kw: string): RuleParse<CheckConnectRule> {
  const rule: Mutable<NewRule<CheckConnectRule>> = {
    where: ctx.where,
    action: 'connect',
    default: false,
    sendProxy: false,
    viaSocks4: false,
    ssl: false,
    linger: false,
  };
  let hostname: AddressModel | undefined;
  for (let i = 2; at(args, i) !== ''; i++) {
    const w = args[i]!;
    const v = at(args, i + 1);
    switch (w) {
      case 'default':
        rule.default = true;
        break;
      case 'send-proxy':
        rule.sendProxy = true;
        break;
      case 'via-socks4':
        rule.viaSocks4 = true;
        break;
      case 'linger':
        rule.linger = true;
        break;
      case 'ssl':
        rule.ssl = true;
        break;
      case 'addr': {
        if (v === '') return { error: `'addr' expects <ipv4|ipv6> as argument.` };
        const r = connectAddress(v);
        if ('error' in r) return { error: `'addr' : ${r.error}.` };
        rule.addr = r.address;
        if (r.address.hostname) hostname = r.address;
        i++;
        break;
      }
      case 'port': {
        if (v === '') return { error: `'port' expects a port number or a sample expression as argument.` };
        i++;
        rule.port = undefined;
        rule.portExpr = undefined;
        const { value, rest } = readUint(v);
        if (rest !== '') {
          const r = checkExpr(ctx, v, 'port');
          if ('error' in r) return r;
          rule.portExpr = r.expr;
        } else if (value < 1 || value > 65535) {
          return { error: `expects a valid TCP port (from range 1 to 65535) or a sample expression, got ${v}.` };
        } else {
          rule.port = value;
        }
        break;
      }
      case 'proto': {
        if (v === '') return { error: `'proto' expects a MUX protocol as argument.` };
        const mode = MUX_PROTOCOLS[v];
        if (!mode) return { error: `'proto' : unknown MUX protocol '${v}'.` };
        const want = kw === 'tcp-check' ? 'tcp' : 'http';
        if (mode !== want) return { error: `'proto' : invalid MUX protocol '${v}' for ${kw}` };
        rule.proto = v;
        i++;
        break;
      }
      case 'comment':
      case 'sni':
        if (v === '') return { error: `'${w}' expects a string as argument.` };
        if (w === 'comment') rule.comment = v;
        else rule.sni = v;
        i++;
        break;
      case 'alpn': {
        const r = parseAlpn(v);
        if ('error' in r) return { error: `'alpn' : ${r.error}` };
        rule.alpn = r.protocols;
        i++;
        break;
      }
      default:
        return {
          error: `expects 'comment', 'port', 'addr', 'send-proxy', 'ssl', 'sni', 'alpn' or 'via-socks4', 'linger', 'default' but got '${w}' as argument.`,
        };
    }
  }
  if (hostname) {
    // HAProxy resolves the name while parsing; Portier resolves every name after the last line.
    const addr = hostname as Mutable<AddressModel>;
    const name = hostname.hostname!;
    ctx.load.resolutions.push({
      where: ctx.where,
      hostname: name,
      family: hostname.anyFamily ? 'any' : hostname.family === 'ipv6' ? 'ipv6' : 'ipv4',
      resolved(ip, family) {
        addr.ip = ip;
        addr.family = family;
      },
      failed() {
        ctx.load.diag.alert(ctx.where, `'${kw} connect' : 'addr' : invalid address: '${name}' in '${hostname!.raw}'\n..`);
      },
    });
  }
  return { rule };
}

/** `addr <ip>`: a stream address, without port range, as HAProxy's str2sa_range words it. */
function connectAddress(text: string): { address: AddressModel } | { error: string } {
  const body = text.replace(/^(stream|dgram)\+/, '');
  if (/^(fd|sockpair)@/.test(body)) return { error: `a file descriptor is not acceptable here in '${text}'\n` };
  const r = parseAddress(text, CONNECT_ADDRESS);
  if ('error' in r) {
    const nl = /^(invalid address|dgram-type)/.test(r.error) ? '\n' : '';
    return { error: `${r.error}${nl}` };
  }
  return r;
}

/** A comma-separated ALPN protocol list (ssl_sock_parse_alpn). */
export function parseAlpn(text: string): { protocols: string[] } | { error: string } {
  if (text === '') return { error: 'missing the comma-delimited ALPN protocol suite' };
  const protocols = text.split(',');
  const long = protocols.find((p) => p.length > 255);
  if (long !== undefined) return { error: `ALPN protocol name too long : '${long}'` };
  return { protocols: protocols.filter((p) => p !== '') };
}

// ---------------------------------------------------------------------------------------------
// send

/** `tcp-check send|send-lf|send-binary|send-binary-lf <data> [comment <msg>]`. */
export function parseTcpSend(ctx: Ctx, args: readonly string[]): RuleParse<CheckSendRule> {
  const kw = args[1]!;
  const type = kw.slice(5) === '' ? 'string' : (kw.slice(5) as 'lf' | 'binary' | 'binary-lf');
  const data = at(args, 2);
  if (data === '') return { error: `'${type === 'binary' ? 'binary string' : 'string'}' expects a ${kw} as argument` };
  let comment: string | undefined;
  for (let i = 3; at(args, i) !== ''; i++) {
    if (args[i] !== 'comment') return { error: `expects 'comment' but got '${args[i]}' as argument.` };
    if (at(args, i + 1) === '') return { error: `'comment' expects a string as argument.` };
    comment = args[++i];
  }
  const base = { where: ctx.where, action: 'send' as const, comment };
  switch (type) {
    case 'string':
      return { rule: { ...base, type: 'string', data } };
    case 'binary': {
      const r = parseHexString(data);
      if ('error' in r) return { error: `'${data}' invalid binary string (${r.error}).\n` };
      return { rule: { ...base, type: 'binary', data: r.hex } };
    }
    default: {
      const f = checkFormat(ctx, data);
      if ('error' in f) return { error: badFormat(data, f.error) };
      return { rule: { ...base, type: type === 'lf' ? 'string-lf' : 'binary-lf', format: f } };
    }
  }
}

/** `http-check send [meth] [uri|uri-lf] [ver] [hdr <name> <fmt>]* [body|body-lf] [comment]`. */
export function parseHttpSend(ctx: Ctx, args: readonly string[]): RuleParse<CheckHttpSendRule> {
  let method: string | undefined;
  let uri: string | undefined;
  let uriLf = false;
  let version: string | undefined;
  let body: string | undefined;
  let bodyLf = false;
  let comment: string | undefined;
  const headers: { name: string; value: string }[] = [];
  let host: string | undefined;
  for (let i = 2; at(args, i) !== ''; i++) {
    const w = args[i]!;
    const v = at(args, i + 1);
    switch (w) {
      case 'meth':
      case 'uri':
      case 'uri-lf':
      case 'ver':
      case 'body':
      case 'body-lf':
      case 'comment':
        if (v === '') return { error: `'${w}' expects a string as argument.` };
        if (w === 'meth') method = v;
        else if (w === 'ver') version = v;
        else if (w === 'comment') comment = v;
        else if (w.startsWith('uri')) [uri, uriLf] = [v, w === 'uri-lf'];
        else [body, bodyLf] = [v, w === 'body-lf'];
        i++;
        break;
      case 'hdr': {
        const value = at(args, i + 2);
        if (v === '' || value === '') return { error: `'hdr' expects <name> and <value> as arguments` };
        const lower = v.toLowerCase();
        if (lower === 'host') {
          if (host !== undefined) return { error: `'${v}' header already defined (previous value is '${host}')` };
          host = value;
        }
        // Content-Length and Transfer-Encoding are computed by HAProxy: dropped.
        if (lower !== 'content-length' && lower !== 'transfer-encoding') headers.push({ name: v, value });
        i += 2;
        break;
      }
      default:
        return {
          error: `expects 'comment', 'meth', 'uri', 'uri-lf', 'ver', 'hdr', 'body' or 'body-lf' but got '${w}' as argument.`,
        };
    }
  }
  const rule: Mutable<NewRule<CheckHttpSendRule>> = { where: ctx.where, action: 'send', type: 'http', headers: [], comment };
  if (method !== undefined) rule.method = method;
  if (version !== undefined) rule.version = version;
  if (uri !== undefined) {
    if (uriLf) {
      const f = checkFormat(ctx, uri);
      if ('error' in f) return { error: badFormat(uri, f.error) };
      rule.uriFormat = f;
    } else {
      rule.uri = uri;
    }
  }
  const hdrs: { name: string; value: CheckFormatModel }[] = [];
  for (const h of headers) {
    const f = checkFormat(ctx, h.value);
    if ('error' in f) return { error: f.error };
    hdrs.push({ name: h.name, value: f });
  }
  rule.headers = hdrs;
  if (body !== undefined) {
    if (bodyLf) {
      const f = checkFormat(ctx, body);
      if ('error' in f) return { error: badFormat(body, f.error) };
      rule.bodyFormat = f;
    } else {
      rule.body = body;
    }
  }
  return { rule };
}

// ---------------------------------------------------------------------------------------------
// comment

/** `comment <string>` (words after it are ignored, as HAProxy does). */
export function parseComment(ctx: Ctx, args: readonly string[]): RuleParse<CheckCommentRule> {
  const text = at(args, 2);
  if (text === '') return { error: 'expects a string as argument' };
  return { rule: { where: ctx.where, action: 'comment', text } };
}

// ---------------------------------------------------------------------------------------------
// expect

const OK_STATUSES = ['L7OK', 'L7OKC', 'L6OK', 'L4OK'] as const;
const ERROR_STATUSES = ['L7RSP', 'L7STS', 'L7OKC', 'L6RSP', 'L4CON'] as const;
const TOUT_STATUSES = ['L7TOUT', 'L6TOUT', 'L4TOUT'] as const;

function pickStatus<T extends string>(list: readonly T[], text: string): T | undefined {
  return list.find((s) => s.toLowerCase() === text.toLowerCase());
}

const BAD_HTTP_KW = (w: string): string =>
  `'only supports min-recv, [!]string', '[!]rstring', '[!]string-lf', '[!]status', '[!]rstatus', [!]hdr, [!]fhdr or comment but got '${w}' as argument.`;
const BAD_TCP_KW = (w: string): string =>
  `'only supports min-recv, '[!]binary', '[!]string', '[!]rstring', '[!]string-lf''[!]rbinary', '[!]binary-lf' or comment but got '${w}' as argument.`;

/** One of "-m str|beg|end|sub|reg" after a header name or value keyword. */
function headerMethod(kw: string, args: readonly string[], i: number): { method?: CheckHeaderPattern['method']; error?: string } {
  const m = at(args, i + 1);
  if (m === '') return { error: `'${kw}' : '-m' expects at a matching pattern ('str', 'beg', 'end', 'sub' or 'reg')` };
  if (m === 'str' || m === 'beg' || m === 'end' || m === 'sub' || m === 'reg') return { method: m };
  return { error: `'${kw}' : '-m' only supports 'str', 'beg', 'end', 'sub' or 'reg' (got '${m}')` };
}

/**
 * A sample expression of a connect port or an expect status-code, worded as HAProxy's
 * tcpcheck parser (which reports an unavailable fetch itself, with an extra space and a
 * newline); late-checked references are named "in server directive" as HAProxy does.
 */
function checkExpr(ctx: Ctx, text: string, what: string): { expr: SampleExprModel } | { error: string } {
  const r = parseSampleExpr(ctx, text, 'tcp-check', { context: 'server' });
  if ('error' in r) {
    const detail = r.code === 'unavailable' ? ` ${r.error}.\n` : r.error;
    return { error: `error detected while parsing ${what} expression : ${detail}` };
  }
  return r;
}

/**
 * `expect [min-recv <n>] [comment <msg>] [ok-status <st>] [error-status <st>] [tout-status <st>]
 * [on-success <fmt>] [on-error <fmt>] [status-code <expr>] [!] <match> <pattern>`.
 * `protocol` is 'http' for http-check (status, rstatus, hdr, fhdr; string matches the body).
 */
export function parseExpect(ctx: Ctx, args: readonly string[], protocol: 'http' | 'tcp'): RuleParse<CheckExpectRule> {
  if (at(args, 2) === '') return { error: 'expects at least a matching pattern as arguments' };
  const http = protocol === 'http';
  const badKw = (w: string): { error: string } => ({ error: http ? BAD_HTTP_KW(w) : BAD_TCP_KW(w) });
  const onlyOne = { error: 'only on pattern expected' };
  let match: CheckExpectMatch | undefined;
  let inverse = false;
  let pattern: string | undefined;
  let minRecv = -1;
  let comment: string | undefined;
  let onSuccess: string | undefined;
  let onError: string | undefined;
  let okStatus: CheckExpectRule['okStatus'];
  let errorStatus: CheckExpectRule['errorStatus'];
  let toutStatus: CheckExpectRule['toutStatus'];
  let statusCode: SampleExprModel | undefined;
  let header: { full: boolean; name: { method: CheckHeaderPattern['method']; text: string; lf: boolean }; value?: { method: CheckHeaderPattern['method']; text: string; lf: boolean } } | undefined;

  const words = [...args];
  let i = 2;
  while (at(words, i) !== '') {
    let inPattern = false;
    // A '!' prefix (alone or glued to the match keyword) negates the match.
    while (at(words, i).startsWith('!')) {
      inPattern = true;
      let w = words[i]!;
      while (w.startsWith('!')) {
        inverse = !inverse;
        w = w.slice(1);
      }
      if (w === '') i++;
      else words[i] = w;
    }
    const w = at(words, i);
    const v = at(words, i + 1);
    const notWithBang = (): { error: string } | undefined => (inPattern ? { error: `[!] not supported with '${w}'` } : undefined);
    switch (w) {
      case 'min-recv': {
        const e = notWithBang();
        if (e) return e;
        if (v === '') return { error: `'min-recv' expects a integer as argument` };
        const n = atol(v);
        if (n < -1 || n > 2147483647) return { error: `'min-recv' expects -1 or an integer from 0 to INT_MAX` };
        minRecv = n;
        i++;
        break;
      }
      case 'string':
      case 'rstring':
      case 'binary':
      case 'rbinary':
      case 'string-lf':
      case 'binary-lf':
      case 'status':
      case 'rstatus': {
        const isHttpOnly = w === 'status' || w === 'rstatus';
        if (http && (w === 'binary' || w === 'rbinary' || w === 'binary-lf')) return badKw(w);
        if (!http && isHttpOnly) return badKw(w);
        if (match !== undefined) return onlyOne;
        if (v === '') return { error: `'${w}' expects a <pattern> as argument` };
        match = w;
        pattern = v;
        i++;
        break;
      }
      case 'custom': {
        const e = notWithBang();
        if (e) return e;
        if (match !== undefined) return onlyOne;
        match = 'custom';
        break;
      }
      case 'hdr':
      case 'fhdr': {
        if (!http) return badKw(w);
        if (match !== undefined) return onlyOne;
        match = w;
        const nameKw = at(words, i + 1);
        if (at(words, i + 1) === '' || at(words, i + 2) === '' || (nameKw !== 'name' && nameKw !== 'name-lf')) {
          return { error: `'${w}' expects at the name keyword as first argument followed by a pattern` };
        }
        const nameLf = nameKw === 'name-lf';
        i += 2;
        let nameMethod: CheckHeaderPattern['method'] = 'str';
        if (words[i] === '-m') {
          const m = headerMethod(w, words, i);
          if (m.error) return { error: m.error };
          if (m.method === 'reg' && nameLf) return { error: `'${w}': log-format string is not supported with a regex matching method` };
          nameMethod = m.method!;
          i += 2;
        }
        header = { full: w === 'fhdr', name: { method: nameMethod, text: at(words, i), lf: nameLf } };
        const valueKw = at(words, i + 1);
        if (valueKw !== 'value' && valueKw !== 'value-lf') break;
        const valueLf = valueKw === 'value-lf';
        let valueMethod: CheckHeaderPattern['method'] = 'str';
        if (words[i + 2] === '-m') {
          i += 2;
          const m = headerMethod(w, words, i);
          if (m.error) return { error: m.error };
          if (m.method === 'reg' && valueLf) return { error: `'${w}': log-format string is not supported with a regex matching method` };
          valueMethod = m.method!;
        }
        if (at(words, i + 2) === '') return { error: `'${w}' expect a pattern with the value keyword` };
        header.value = { method: valueMethod, text: words[i + 2]!, lf: valueLf };
        i += 2;
        break;
      }
      case 'comment':
      case 'on-success':
      case 'on-error': {
        const e = notWithBang();
        if (e) return e;
        if (v === '') return { error: `'${w}' expects a string as argument` };
        if (w === 'comment') comment = v;
        else if (w === 'on-success') onSuccess = v;
        else onError = v;
        i++;
        break;
      }
      case 'ok-status':
      case 'error-status':
      case 'tout-status': {
        const e = notWithBang();
        if (e) return e;
        if (v === '') return { error: `'${w}' expects a string as argument` };
        if (w === 'ok-status') {
          okStatus = pickStatus(OK_STATUSES, v);
          if (!okStatus) return { error: `'${w}' only supports 'L4OK', 'L6OK', 'L7OK' or 'L7OKC' status (got '${v}').` };
        } else if (w === 'error-status') {
          errorStatus = pickStatus(ERROR_STATUSES, v);
          if (!errorStatus) return { error: `'${w}' only supports 'L4CON', 'L6RSP', 'L7RSP' or 'L7STS' status (got '${v}').` };
        } else {
          toutStatus = pickStatus(TOUT_STATUSES, v);
          if (!toutStatus) return { error: `'${w}' only supports 'L4TOUT', 'L6TOUT' or 'L7TOUT' status (got '${v}').` };
        }
        i++;
        break;
      }
      case 'status-code': {
        const e = notWithBang();
        if (e) return e;
        if (v === '') return { error: `'${w}' expects an expression as argument` };
        const r = checkExpr(ctx, v, 'status-code');
        if ('error' in r) return r;
        statusCode = r.expr;
        i++;
        break;
      }
      default:
        return badKw(w);
    }
    i++;
  }

  const rule: Mutable<NewRule<CheckExpectRule>> = {
    where: ctx.where,
    action: 'expect',
    protocol,
    match: match ?? 'custom',
    inverse,
    minRecv,
    comment,
    okStatus,
    errorStatus,
    toutStatus,
    statusCode,
  };
  for (const [text, key] of [
    [onSuccess, 'onSuccess'],
    [onError, 'onError'],
  ] as const) {
    if (text === undefined) continue;
    const f = checkFormat(ctx, text);
    if ('error' in f) return { error: badFormat(text, f.error) };
    rule[key] = f;
  }
  if (match === undefined) return { error: 'pattern not found' };
  if (pattern !== undefined) rule.pattern = pattern;
  switch (match) {
    case 'status': {
      const codes = parseStatusCodes(pattern!);
      if ('error' in codes) return codes;
      rule.codes = codes.codes;
      break;
    }
    case 'binary': {
      const r = parseHexString(pattern!);
      if ('error' in r) return { error: `invalid binary string (${r.error})` };
      rule.data = r.hex;
      break;
    }
    case 'rstring':
    case 'rbinary':
    case 'rstatus': {
      const e = regexError(pattern!);
      if (e) return { error: e };
      break;
    }
    case 'string-lf':
    case 'binary-lf': {
      const f = checkFormat(ctx, pattern!);
      if ('error' in f) return { error: badFormat(pattern!, f.error) };
      rule.format = f;
      break;
    }
    case 'hdr':
    case 'fhdr': {
      const h = header!;
      const name = headerPattern(ctx, h.name, h.name.text);
      if ('error' in name) return name;
      let value: CheckHeaderPattern | undefined;
      if (h.value) {
        // HAProxy names the header-name pattern in the message of a bad value format.
        const v = headerPattern(ctx, h.value, h.name.text);
        if ('error' in v) return v;
        value = v;
      }
      rule.header = { full: h.full, name, value };
      break;
    }
    default:
      break;
  }
  return { rule };
}

function headerPattern(ctx: Ctx, p: { method: CheckHeaderPattern['method']; text: string; lf: boolean }, shown: string): CheckHeaderPattern | { error: string } {
  if (p.method === 'reg') {
    const e = regexError(p.text);
    if (e) return { error: e };
  }
  if (p.lf) {
    const f = checkFormat(ctx, p.text);
    if ('error' in f) return { error: badFormat(shown, f.error) };
    return { method: p.method, pattern: p.text, format: f };
  }
  return { method: p.method, pattern: p.text };
}

/** "200,300-399": HAProxy reads leading digits (none = 0) and refuses other characters. */
export function parseStatusCodes(text: string): { codes: [number, number][] } | { error: string } {
  const codes: [number, number][] = [];
  let rest = text;
  for (;;) {
    let r = readUint(rest);
    const lo = r.value;
    let hi = lo;
    rest = r.rest;
    if (rest.startsWith('-')) {
      r = readUint(rest.slice(1));
      hi = r.value;
      rest = r.rest;
    }
    if (lo > hi) return { error: `invalid range of status codes '${text}'` };
    codes.push([lo, hi]);
    if (rest === '') break;
    if (rest[0] !== ',') return { error: `invalid character '${rest[0]}' in the list of status codes` };
    rest = rest.slice(1);
  }
  return { codes };
}

/** C's atol: optional blanks and sign, then digits; 0 when there are none. */
function atol(text: string): number {
  const m = /^[ \t]*([-+]?[0-9]+)/.exec(text);
  return m ? Number(m[1]) : 0;
}
