/**
 * `http-check expect` on the server's HTTP response (configuration.txt 4.2 "http-check
 * expect"; HAProxy's tcpcheck_eval_expect_http): the status code (a list of ranges or a
 * regex), a header (name and value patterns), or the body (string or regex), with `!`,
 * min-recv and the rule's statuses. Each evaluation parses what was received so far
 * (http-response.ts) and waits while the answer may still change.
 *
 * Info texts as HAProxy words them: the reason phrase when the status or a header does not
 * match, "HTTP content check did not match" / "HTTP check matched unwanted content" /
 * "HTTP content check could not find a response body" for the body, nothing for a response
 * that cannot be parsed; then " comment: <comment>". A failure carries the response's code.
 * With `http-check disable-on-404`, a 404 passes every rule while the server is not down (the
 * engine then ends with a conditional success).
 */
import { compileRegex } from '../acl/regex.js';
import type { CheckExpectRule, CheckHeaderPattern } from '../config/model/check.js';
import { CHECK_BUFFER_SIZE, staticText, type TcpExpect } from './expect-tcp.js';
import { parseHttpCheckResponse, type HttpCheckResponse } from './http-response.js';
import type { CheckStatusName } from './status.js';

function regexOf(pattern: string, ignoreCase = false): RegExp {
  const c = compileRegex(pattern);
  if ('error' in c) throw new Error(c.error);
  const flags = ignoreCase && !c.flags.includes('i') ? `${c.flags}i` : c.flags;
  return new RegExp(c.source, flags);
}

export interface HttpExpectOptions {
  /** The request was HEAD: the response has no body. */
  readonly bodyless?: boolean;
  /** `http-check disable-on-404` is set and the server is not down. */
  readonly pass404?: () => boolean;
}

/** A header value list split at the commas outside quotes (HAProxy's http_find_hdr_value_end). */
function splitValues(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted) {
      cur += c;
      if (c === '\\' && i + 1 < value.length) cur += value[++i];
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    if (c === ',') {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out.map((v) => v.replace(/^[ \t]+|[ \t]+$/g, ''));
}

/** A name or value pattern as a predicate (names: case-insensitive, values: exact). */
function patternTest(p: CheckHeaderPattern, isName: boolean): (text: string) => boolean {
  if (p.method === 'reg') {
    const re = regexOf(p.pattern, isName);
    return (t) => re.test(t);
  }
  const pat = p.format ? (staticText(p.format) ?? '') : p.pattern;
  const want = isName ? pat.toLowerCase() : pat;
  const norm = isName ? (t: string): string => t.toLowerCase() : (t: string): string => t;
  switch (p.method) {
    case 'str':
      return (t) => norm(t) === want;
    case 'beg':
      return (t) => norm(t).startsWith(want);
    case 'end':
      return (t) => norm(t).endsWith(want);
    case 'sub':
      return (t) => norm(t).includes(want);
  }
}

type Matcher = (r: HttpCheckResponse) => boolean;

function headerMatcher(rule: CheckExpectRule): Matcher {
  const h = rule.header!;
  const name = patternTest(h.name, true);
  const value = h.value ? patternTest(h.value, false) : undefined;
  // Without a value pattern, or with fhdr, the whole value counts; hdr tests each value.
  const full = h.full || !value;
  return (r) => {
    for (const [n, v] of r.headers) {
      if (!name(n)) continue;
      if (!value) return true;
      const values = full ? [v] : splitValues(v);
      if (values.some(value)) return true;
    }
    return false;
  };
}

/** Compiles an http-check expect rule. */
export function compileHttpExpect(rule: CheckExpectRule, opts: HttpExpectOptions = {}): TcpExpect {
  const onError = staticText(rule.onError);
  const comment = rule.comment ? ` comment: ${rule.comment}` : '';
  const fail = (status: CheckStatusName, info: string, code: number): ReturnType<TcpExpect> => {
    // HAProxy: the info text first, else the on-error text; then the comment.
    const desc = (info !== '' ? info : (onError ?? '')) + comment;
    return { kind: 'fail', outcome: { status, desc, code } };
  };
  const statusRe = rule.match === 'rstatus' ? regexOf(rule.pattern ?? '') : undefined;
  const bodyRe = rule.match === 'rstring' ? regexOf(rule.pattern ?? '') : undefined;
  const needle = rule.match === 'string' ? Buffer.from(rule.pattern ?? '', 'latin1') : rule.match === 'string-lf' ? Buffer.from(staticText(rule.format) ?? '', 'latin1') : undefined;
  const hdr = rule.match === 'hdr' || rule.match === 'fhdr' ? headerMatcher(rule) : undefined;
  const codes = rule.codes ?? [];

  return (received, eof) => {
    const r = parseHttpCheckResponse(received, eof, opts.bodyless);
    let lastRead = eof || received.length >= CHECK_BUFFER_SIZE;
    if (r.kind === 'error') return fail('L7RSP', '', 0);
    if (r.kind === 'incomplete') return lastRead ? fail('L7RSP', '', 0) : { kind: 'wait' };
    lastRead ||= r.complete;
    const code = r.status;
    if (code === 404 && opts.pass404?.()) return { kind: 'next', code };
    let match: boolean;
    let status: CheckStatusName;
    let info: string;
    switch (rule.match) {
      case 'status':
        match = codes.some(([lo, hi]) => code >= lo && code <= hi);
        status = rule.errorStatus ?? 'L7STS';
        info = onError !== undefined ? '' : r.reason;
        break;
      case 'rstatus':
        match = statusRe!.test(r.statusText);
        status = rule.errorStatus ?? 'L7STS';
        info = onError !== undefined ? '' : r.reason;
        break;
      case 'hdr':
      case 'fhdr':
        match = hdr!(r);
        status = rule.errorStatus ?? 'L7STS';
        info = onError !== undefined ? '' : r.reason;
        break;
      case 'string':
      case 'string-lf':
      case 'rstring': {
        const body = r.body;
        status = rule.errorStatus ?? 'L7RSP';
        if (body.length === 0) {
          if (!lastRead) return { kind: 'wait' };
          return fail(status, onError !== undefined ? '' : 'HTTP content check could not find a response body', code);
        }
        if (!lastRead && ((needle && body.length < needle.length) || (rule.minRecv > 0 && body.length < rule.minRecv))) return { kind: 'wait' };
        match = needle ? body.indexOf(needle) >= 0 : bodyRe!.test(body.toString('latin1'));
        // Without min-recv, a mismatch may still become a match with more data.
        if (!match && !lastRead && rule.minRecv === -1) return { kind: 'wait' };
        info = onError !== undefined ? '' : rule.inverse ? 'HTTP check matched unwanted content' : 'HTTP content check did not match';
        break;
      }
      default:
        // "expect custom" and the binary matches have no meaning for HTTP: HAProxy fails.
        return fail(rule.errorStatus ?? 'L7RSP', '', code);
    }
    if (match === rule.inverse) return fail(status, info, code);
    return { kind: 'next', code };
  };
}
