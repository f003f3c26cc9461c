/**
 * Loading an errorfile: a file holding a whole HTTP/1 response (status line, headers, blank
 * line, payload), as "http-request deny errorfile <file>", "http-error ... errorfile" and
 * HAProxy's "errorfile" keyword use it (configuration.txt 4.2, "errorfile"). The checks and
 * their messages follow HAProxy's: the file must open and read, its head must parse as a
 * response, chunked payloads are refused, and a Content-Length must match the payload.
 * Files larger than a buffer (16384 bytes) are truncated with a warning.
 */
import { readFileSync, statSync } from 'node:fs';

/** HAProxy's default tune.bufsize. */
export const BUFSIZE = 16384;

export interface LoadedErrorfile {
  readonly status: number;
  readonly size: number;
}

export type ErrorfileResult =
  | { file: LoadedErrorfile; warning?: string }
  | { error: string; warning?: string };

/** Token characters of a header name (RFC 7230). */
const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;

/** Characters of the version token HAProxy's response parser accepts ("HTTP/1.1"). */
const VERCHAR = /^[A-Z0-9/.]$/;

/**
 * Parses the head of a response as HAProxy's HTTP/1 parser does for errorfiles. Returns the
 * version, status, header list and where the payload starts, or the offset of the first bad
 * character (-2 when the head is incomplete).
 */
function parseHead(data: Buffer): { version: string; status: number; headers: [string, string][]; body: number } | { offset: number } {
  const text = data.toString('latin1');
  let i = 0;
  const n = text.length;
  while (i < n && VERCHAR.test(text[i]!)) i++;
  if (i >= n) return { offset: -2 };
  if (text[i] !== ' ' || i === 0) return { offset: i };
  const version = text.slice(0, i);
  while (i < n && text[i] === ' ') i++;
  if (i >= n) return { offset: -2 };
  const st = i;
  while (i < n && /[0-9]/.test(text[i]!)) i++;
  if (i >= n) return { offset: -2 };
  if (i === st || (text[i] !== ' ' && text[i] !== '\r' && text[i] !== '\n')) return { offset: i };
  const status = Number(text.slice(st, i));
  // reason: up to the end of line
  while (i < n && text[i] !== '\n') i++;
  if (i >= n) return { offset: -2 };
  i++;
  const headers: [string, string][] = [];
  for (;;) {
    if (i >= n) return { offset: -2 };
    if (text[i] === '\r' && i + 1 >= n) return { offset: -2 };
    if (text[i] === '\r' && text[i + 1] === '\n') return { version, status, headers, body: i + 2 };
    if (text[i] === '\n') return { version, status, headers, body: i + 1 };
    const ns = i;
    while (i < n && TCHAR.test(text[i]!)) i++;
    if (i >= n) return { offset: -2 };
    if (text[i] !== ':' || i === ns) return { offset: i };
    const name = text.slice(ns, i);
    i++;
    const vs = i;
    while (i < n && text[i] !== '\n') i++;
    if (i >= n) return { offset: -2 };
    headers.push([name, text.slice(vs, i).replace(/\r$/, '').trim()]);
    i++;
  }
}

/**
 * Reads and checks an errorfile. Error texts are HAProxy's, without the caller's prefix
 * ("error opening file '<f>'.", "'<f>': chunk-encoded payload not supported", ...).
 */
export function loadErrorfile(path: string): ErrorfileResult {
  let data: Buffer;
  try {
    statSync(path);
  } catch {
    return { error: `error opening file '${path}'.` };
  }
  try {
    data = readFileSync(path);
  } catch {
    return { error: `error reading file '${path}'.` };
  }
  let warning: string | undefined;
  if (data.length > BUFSIZE) {
    warning = `custom error message file '${path}' larger than ${BUFSIZE} bytes. Truncating.`;
    data = data.subarray(0, BUFSIZE);
  }
  if (data.length === 0) return { file: { status: 0, size: 0 }, warning };
  const head = parseHead(data);
  if ('offset' in head) return { error: `'${path}': unable to parse headers (error offset: ${head.offset})`, warning };
  if (head.version.length !== 8) return { error: `'${path}': invalid http version (${head.version})`, warning };
  const payload = data.length - head.body;
  let contentLength: number | undefined;
  for (const [name, value] of head.headers) {
    const lname = name.toLowerCase();
    if (lname === 'transfer-encoding' && /chunked/i.test(value)) {
      return { error: `'${path}': chunk-encoded payload not supported`, warning };
    }
    if (lname === 'content-length' && /^[0-9]+$/.test(value)) contentLength = Number(value);
  }
  const bodyless = head.status === 204 || head.status === 304 || (head.status >= 100 && head.status < 200);
  if (bodyless && (payload > 0 || (contentLength ?? 0) > 0)) return { error: `'${path}': message payload not expected`, warning };
  if (contentLength !== undefined && contentLength !== payload) {
    return { error: `'${path}': payload size does not match the announced content-length (${payload} != ${contentLength})`, warning };
  }
  return { file: { status: head.status, size: data.length }, warning };
}
