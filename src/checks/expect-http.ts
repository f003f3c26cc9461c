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
import type { SampleEnv } from '../sample/types.js';
import { compileCheckFormat } from './check-format.js';
import { CHECK_BUFFER_SIZE, type TcpExpect } from './expect-tcp.js';
import { expectTexts } from './expect-texts.js';
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

type TextTest = (text: string) => boolean;

/** HAProxy's text when a format (name-lf, value-lf, string-lf) gives nothing to look for. */
const EMPTY_FORMAT = 'log-format string evaluated to an empty string';

/** A fixed pattern as a predicate (names: case-insensitive, values: exact). */
function textTest(method: Exclude<CheckHeaderPattern['method'], 'reg'>, pat: string, isName: boolean): TextTest {
  const want = isName ? pat.toLowerCase() : pat;
  const norm = isName ? (t: string): string => t.toLowerCase() : (t: string): string => t;
  switch (method) {
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

/**
 * A name or value pattern as a predicate, made in the check's environment (a name-lf or
 * value-lf format is evaluated each time); a string when the format gave nothing.
 */
function patternTest(p: CheckHeaderPattern, isName: boolean): (env: SampleEnv) => TextTest | string {
  if (p.method === 'reg') {
    const re = regexOf(p.pattern, isName);
    const test: TextTest = (t) => re.test(t);
    return () => test;
  }
  const method = p.method;
  if (!p.format) {
    const test = textTest(method, p.pattern, isName);
    return () => test;
  }
  const text = compileCheckFormat(p.format);
  return (env) => {
    const pat = text(env);
    return pat === '' ? EMPTY_FORMAT : textTest(method, pat, isName);
  };
}

type Matcher = (r: HttpCheckResponse) => boolean;

function headerMatcher(rule: CheckExpectRule): (env: SampleEnv) => Matcher | string {
  const h = rule.header!;
  const nameOf = patternTest(h.name, true);
  const valueOf = h.value ? patternTest(h.value, false) : undefined;
  // Without a value pattern, or with fhdr, the whole value counts; hdr tests each value.
  const full = h.full || !valueOf;
  return (env) => {
    const name = nameOf(env);
    if (typeof name === 'string') return name;
    const value = valueOf?.(env);
    if (typeof value === 'string') return value;
    return (r) => {
      for (const [n, v] of r.headers) {
        if (!name(n)) continue;
        if (!value) return true;
        const values = full ? [v] : splitValues(v);
        if (values.some(value)) return true;
      }
      return false;
    };
  };
}

/** Compiles an http-check expect rule. */
export function compileHttpExpect(rule: CheckExpectRule, opts: HttpExpectOptions = {}): TcpExpect {
  const texts = expectTexts(rule);
  const onError = texts.onError !== undefined ? '' : undefined;
  const comment = rule.comment ? ` comment: ${rule.comment}` : '';
  const statusRe = rule.match === 'rstatus' ? regexOf(rule.pattern ?? '') : undefined;
  const bodyRe = rule.match === 'rstring' ? regexOf(rule.pattern ?? '') : undefined;
  const fixedNeedle = rule.match === 'string' ? Buffer.from(rule.pattern ?? '', 'latin1') : undefined;
  const needleText = rule.match === 'string-lf' ? compileCheckFormat(rule.format ?? { text: '', parts: [] }) : undefined;
  const hdrOf = rule.match === 'hdr' || rule.match === 'fhdr' ? headerMatcher(rule) : undefined;
  const codes = rule.codes ?? [];

  return (received, eof, _stepId, env) => {
    const fail = (status: CheckStatusName, info: string, code: number): ReturnType<TcpExpect> => {
      // HAProxy: the info text first, else the on-error text; then the comment; then status-code.
      const desc = (info !== '' ? info : (texts.onError?.(env) ?? '')) + comment;
      return { kind: 'fail', outcome: { status, desc, code: texts.statusCode?.(env) ?? code } };
    };
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
      case 'fhdr': {
        const hdr = hdrOf!(env);
        if (typeof hdr === 'string') return fail('L7RSP', hdr, code);
        match = hdr(r);
        status = rule.errorStatus ?? 'L7STS';
        info = onError !== undefined ? '' : r.reason;
        break;
      }
      case 'string':
      case 'string-lf':
      case 'rstring': {
        const body = r.body;
        status = rule.errorStatus ?? 'L7RSP';
        if (body.length === 0) {
          if (!lastRead) return { kind: 'wait' };
          return fail(status, onError !== undefined ? '' : 'HTTP content check could not find a response body', code);
        }
        let needle = fixedNeedle;
        if (needleText) {
          const t = needleText(env);
          if (t === '') return fail('L7RSP', EMPTY_FORMAT, code);
          needle = Buffer.from(t, 'latin1');
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
