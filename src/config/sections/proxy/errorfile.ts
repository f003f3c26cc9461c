/**
 * Custom error pages (configuration.txt 4.2 "errorfile"): a file holding a complete HTTP/1
 * response, read and checked while the configuration is parsed, as HAProxy does (a missing
 * or malformed file is a configuration error). Shared with the http-errors section.
 */
import { readFileSync } from 'node:fs';

/** The status codes HAProxy lets a configuration replace (errorfile, errorloc, http-error). */
export const ERROR_STATUSES: ReadonlySet<number> = new Set([200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 421, 422, 425, 429, 500, 501, 502, 503, 504]);

/** HAProxy's buffer size (tune.bufsize): larger error files are truncated. */
const BUFSIZE = 16384;
/**
 * What a response may hold in one buffer once HAProxy has indexed it: found by measuring
 * haproxy 2.6 (16291 bytes, less the start line's parts and 8 bytes + name + value per header).
 */
const HTX_ROOM = 16291;

export interface ParsedErrorFile {
  readonly status: number;
  readonly content: string;
  /** "custom error message file ... Truncating." when the file is larger than a buffer. */
  readonly truncated: boolean;
}

/**
 * Reads and checks an error file. Returns its content, or HAProxy's message (without the
 * "errorfile : " prefix) when it is refused.
 */
export function readErrorFile(path: string): { file: ParsedErrorFile } | { error: string; truncated?: boolean } {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'EISDIR' ? `error reading file '${path}'.` : `error opening file '${path}'.` };
  }
  let truncated = false;
  if (data.length > BUFSIZE) {
    truncated = true;
    data = data.subarray(0, BUFSIZE);
  }
  const text = data.toString('latin1');
  if (text === '') return { file: { status: 0, content: '', truncated } };
  const r = checkHttpResponse(text);
  if ('error' in r) return { error: `'${path}': ${r.error}`, truncated };
  return { file: { status: r.status, content: text, truncated } };
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Checks an HTTP/1 response head and body as HAProxy's errorfile loader does: its parser
 * (with the offset of the first bad byte, -2 when the head is incomplete), the version, the
 * content-length, chunked bodies (refused) and the room left in one buffer.
 */
export function checkHttpResponse(text: string): { status: number } | { error: string } {
  const bad = (offset: number): { error: string } => ({ error: `unable to parse headers (error offset: ${offset})` });
  let i = 0;
  // Empty lines before the status line are skipped.
  while (text[i] === '\r' || text[i] === '\n') {
    if (text[i] === '\r' && text[i + 1] !== '\n') return i + 1 < text.length ? bad(i + 1) : bad(-2);
    i += text[i] === '\r' ? 2 : 1;
  }
  /** Ends a line at i: CRLF or LF; returns the next offset, -1 when incomplete, or an error. */
  const eol = (at: number): number | { error: string } => {
    if (text[at] === '\n') return at + 1;
    if (text[at] === '\r') {
      if (at + 1 >= text.length) return -1;
      return text[at + 1] === '\n' ? at + 2 : bad(at + 1);
    }
    return -1;
  };
  // Version: upper-case letters, digits, '/' and '.'.
  const vStart = i;
  while (i < text.length && /[A-Z0-9./]/.test(text[i]!)) i++;
  if (i >= text.length) return bad(-2);
  if (i === vStart || text[i] !== ' ') return bad(i);
  const version = text.slice(vStart, i);
  while (text[i] === ' ') i++;
  // Status code: digits.
  const sStart = i;
  while (i < text.length && /[0-9]/.test(text[i]!)) i++;
  if (i >= text.length) return bad(-2);
  if (i === sStart || (text[i] !== ' ' && text[i] !== '\r' && text[i] !== '\n')) return bad(i);
  const statusText = text.slice(sStart, i);
  while (text[i] === ' ') i++;
  // Reason: anything up to the end of the line.
  const rStart = i;
  while (i < text.length && text[i] !== '\r' && text[i] !== '\n') i++;
  const reason = text.slice(rStart, i);
  let next = eol(i);
  if (typeof next === 'object') return next;
  if (next < 0) return bad(-2);
  i = next;

  const headers: { name: string; value: string; valueAt: number }[] = [];
  for (;;) {
    if (i >= text.length) return bad(-2);
    if (text[i] === '\r' || text[i] === '\n') {
      next = eol(i);
      if (typeof next === 'object') return next;
      if (next < 0) return bad(-2);
      i = next;
      break;
    }
    if (text[i] === ' ' || text[i] === '\t') {
      // Continuation of the previous header (obs-fold); none before the first header.
      if (headers.length === 0) return bad(i);
      while (i < text.length && text[i] !== '\r' && text[i] !== '\n') i++;
      next = eol(i);
      if (typeof next === 'object') return next;
      if (next < 0) return bad(-2);
      i = next;
      continue;
    }
    const nStart = i;
    while (i < text.length && TOKEN.test(text[i]!)) i++;
    if (i >= text.length) return bad(-2);
    if (i === nStart || text[i] !== ':') return bad(i);
    const name = text.slice(nStart, i);
    i++;
    while (text[i] === ' ' || text[i] === '\t') i++;
    const valueAt = i;
    while (i < text.length && text[i] !== '\r' && text[i] !== '\n') i++;
    const value = text.slice(valueAt, i).replace(/[ \t]+$/, '');
    next = eol(i);
    if (typeof next === 'object') return next;
    if (next < 0) return bad(-2);
    i = next;
    headers.push({ name, value, valueAt });
  }

  // Content-Length: a list of identical numbers; another value than the first is an error.
  let contentLength: number | undefined;
  for (const h of headers) {
    if (h.name.toLowerCase() !== 'content-length') continue;
    for (const part of h.value.split(',')) {
      const v = part.trim();
      if (!/^[0-9]+$/.test(v) || (contentLength !== undefined && Number(v) !== contentLength)) return bad(h.valueAt);
      contentLength = Number(v);
    }
  }
  if (!/^HTTP\/[0-9]\.[0-9]$/.test(version)) return { error: `invalid http version (${version})` };
  const body = text.length - i;
  if (headers.some((h) => h.name.toLowerCase() === 'transfer-encoding' && /(^|,)\s*chunked\s*$/i.test(h.value))) {
    return { error: 'chunk-encoded payload not supported' };
  }
  if (contentLength !== undefined && body !== contentLength) {
    return { error: `payload size does not match the announced content-length (${body} != ${contentLength})` };
  }
  const used = version.length + statusText.length + reason.length + headers.reduce((n, h) => n + 8 + h.name.length + h.value.length, 0);
  if (body > HTX_ROOM - used) return { error: 'unable to add payload into the HTX message' };
  return { status: Number(statusText) };
}
