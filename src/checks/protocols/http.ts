/**
 * `option httpchk` (configuration.txt 4.2 "option httpchk", "http-check send",
 * "http-check send-state"): the request of an http-check send rule, as HAProxy's check builds
 * it and its HTTP/1 multiplexer writes it (found by capturing haproxy 2.6's check requests):
 *
 * - request line: the method as written (OPTIONS by default), the URI ("/"), and the version
 *   (HTTP/1.0); a version of 1.1 or more ("HTTP/1.1", "HTTP/2", "http/1.1") is written
 *   "HTTP/1.1", any other as written;
 * - the headers of the rule in their order, names lower-case, those whose value is empty
 *   left out; then `x-haproxy-server-state` (send-state); then `content-length` when there is a
 *   body or the method is not OPTIONS, GET, HEAD or DELETE (case matters: "get" is another
 *   method);
 * - the connection header: HAProxy adds "Connection: close" unless the rule has one, and the
 *   multiplexer rewrites it: "close" and "keep-alive" tokens are removed (a header left empty
 *   is dropped), then at the end of the headers "connection: close" is written for an HTTP/1.1
 *   request in close mode, "connection: keep-alive" for an HTTP/1.0 one in keep-alive mode,
 *   nothing when an "upgrade" token was seen. Close mode: a close token, or no keep-alive token
 *   and `option httpclose` / `http-server-close` on the backend;
 * - "te" is kept only as "te: trailers" when its value names trailers;
 * - then the body.
 */
import type { CheckHttpSendRule, CheckFormatModel } from '../../config/model/check.js';
import type { SampleEnv } from '../../sample/types.js';
import { compileCheckFormat, constantText, type CheckText } from '../check-format.js';

/** What a request needs to know that only the running process knows. */
export interface HttpSendContext {
  /** `option httpclose` or `option http-server-close` on the backend. */
  readonly closeMode: boolean;
  /** `http-check send-state`: the X-Haproxy-Server-State value, computed when sent. */
  readonly serverState?: () => string;
}

/** Methods that get no Content-Length without a body (HAProxy's enum, case-sensitive). */
const NO_LENGTH_METHODS = new Set(['OPTIONS', 'GET', 'HEAD', 'DELETE']);

/** A version string of 1.1 or more, as HAProxy's HTX start line flags it. */
function lineIs11(v: string): boolean {
  return (v.length === 6 && v[5] === '2') || (v.length === 8 && (v[5]! > '1' || (v[5] === '1' && v[7]! >= '1')));
}

/** The same test as the multiplexer makes on the version it writes. */
function muxIs11(v: string): boolean {
  return v.length === 8 && (v[5]! > '1' || (v[5] === '1' && v[7]! >= '1'));
}

/** The texts of a request's formats, once evaluated (uri-lf, header values, body-lf). */
interface RequestTexts {
  /** undefined: no uri-lf (the rule's uri, or "/"); '' also means "/". */
  readonly uri?: string;
  readonly headerValues: readonly string[];
  readonly body?: string;
}

/** Connection tokens: the value without close/keep-alive, and which were seen. */
function connectionTokens(value: string): { rest: string; close: boolean; keepAlive: boolean; upgrade: boolean } {
  let close = false;
  let keepAlive = false;
  let upgrade = false;
  const kept: string[] = [];
  for (const raw of value.split(',')) {
    const word = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (word === '') continue;
    const lower = word.toLowerCase();
    if (lower === 'close') close = true;
    else if (lower === 'keep-alive') keepAlive = true;
    else {
      if (lower === 'upgrade') upgrade = true;
      kept.push(word);
    }
  }
  return { rest: kept.join(','), close, keepAlive, upgrade };
}

/**
 * The request of an http-check send rule; a function when it depends on the moment it is sent
 * (send-state, or formats with sample expressions, evaluated in the check's environment).
 */
export function httpRequest(rule: CheckHttpSendRule, ctx: HttpSendContext): Buffer | ((env: SampleEnv) => Buffer) {
  const formats: (CheckFormatModel | undefined)[] = [rule.uriFormat, ...rule.headers.map((h) => h.value), rule.bodyFormat];
  if (!ctx.serverState && formats.every((f) => f === undefined || constantText(f) !== undefined)) {
    return buildRequest(rule, ctx, textsOf(rule, (f) => constantText(f)!));
  }
  const compiled = new Map<CheckFormatModel, CheckText>();
  for (const f of formats) if (f) compiled.set(f, compileCheckFormat(f));
  return (env) => buildRequest(rule, ctx, textsOf(rule, (f) => compiled.get(f)!(env)));
}

function textsOf(rule: CheckHttpSendRule, text: (f: CheckFormatModel) => string): RequestTexts {
  return {
    ...(rule.uriFormat ? { uri: text(rule.uriFormat) } : {}),
    headerValues: rule.headers.map((h) => text(h.value)),
    ...(rule.bodyFormat ? { body: text(rule.bodyFormat) } : {}),
  };
}

function buildRequest(rule: CheckHttpSendRule, ctx: HttpSendContext, texts: RequestTexts): Buffer {
  const method = rule.method ?? 'OPTIONS';
  const uri = (rule.uriFormat ? texts.uri : rule.uri) || '/';
  const version = rule.version ?? 'HTTP/1.0';
  const body = rule.bodyFormat ? (texts.body ?? '') : (rule.body ?? '');
  // The headers as HAProxy's check puts them in the message, before the multiplexer's rules.
  const headers: [string, string][] = [];
  let hasConnection = false;
  for (const [i, h] of rule.headers.entries()) {
    const v = texts.headerValues[i] ?? '';
    if (v === '') continue;
    headers.push([h.name.toLowerCase(), v]);
    if (h.name.toLowerCase() === 'connection') hasConnection = true;
  }
  if (ctx.serverState) headers.push(['x-haproxy-server-state', ctx.serverState()]);
  if (!hasConnection) headers.push(['connection', 'close']);
  const bodyBytes = Buffer.from(body, 'latin1');
  if (!NO_LENGTH_METHODS.has(method) || bodyBytes.length > 0) headers.push(['content-length', String(bodyBytes.length)]);

  let out = `${method} ${uri} ${lineIs11(version) ? 'HTTP/1.1' : version}\r\n`;
  let close = false;
  let keepAlive = false;
  let upgrade = false;
  for (const [name, value] of headers) {
    let v = value;
    if (name === 'connection') {
      const t = connectionTokens(value);
      close ||= t.close;
      keepAlive ||= t.keepAlive;
      upgrade ||= t.upgrade;
      v = t.rest;
      if (v === '') continue;
    } else if (name === 'te') {
      const at = value.indexOf('trailers');
      if (at < 0 || (value.length > at + 8 && value[at + 8] !== ',')) continue;
      v = 'trailers';
    }
    out += `${name}: ${v}\r\n`;
  }
  if (!upgrade) {
    const closeMode = close || (!keepAlive && ctx.closeMode);
    const is11 = muxIs11(version);
    if (closeMode && is11) out += 'connection: close\r\n';
    else if (!closeMode && !is11) out += 'connection: keep-alive\r\n';
  }
  out += '\r\n';
  return Buffer.concat([Buffer.from(out, 'latin1'), bodyBytes]);
}
