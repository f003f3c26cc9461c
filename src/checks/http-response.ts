/**
 * The HTTP/1 response of an HTTP health check, read as HAProxy's H1 parser reads a server's
 * answer before `http-check expect` looks at it (findings from HAProxy 2.6's h1 parser and by
 * experiment against it): the status line (a version of exactly "XXXX/d.d", a code of one or
 * more digits, a reason), the headers (token names, stored lower-case; values without the
 * blanks around them), then the body as the framing says: nothing after a 1xx, 204 or 304 or
 * for a HEAD request, chunked, Content-Length, or up to the close.
 *
 * The parser runs on all the bytes received so far each time more arrive (a check's answer is
 * at most one buffer): "incomplete" while the headers are not all there, "error" for what
 * HAProxy refuses (its check then reports "Layer7 invalid response").
 */

export interface HttpCheckResponse {
  readonly kind: 'response';
  readonly status: number;
  /** The status code as received (rstatus matches it). */
  readonly statusText: string;
  readonly reason: string;
  /** Names lower-case, values trimmed, in order. */
  readonly headers: readonly (readonly [string, string])[];
  /** The body received so far (chunks decoded). */
  readonly body: Buffer;
  /** The whole message is there (HAProxy's end of message). */
  readonly complete: boolean;
}

export type HttpCheckParse = HttpCheckResponse | { readonly kind: 'incomplete' } | { readonly kind: 'error' };

const INCOMPLETE = { kind: 'incomplete' } as const;
const ERROR = { kind: 'error' } as const;

/** RFC 7230 token characters (HAProxy's HTTP_IS_TOKEN). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Characters of a version ("HTTP/1.1"): HAProxy's HTTP_FLG_VER class. */
const VERSION_CHAR = /[A-Z0-9./]/;

const isLws = (c: number): boolean => c === 0x20 || c === 0x09;

/** The end of the line starting at `from` (index of its CR or LF), or -1 when not there yet. */
function lineEnd(b: Buffer, from: number): number {
  for (let i = from; i < b.length; i++) if (b[i] === 0x0d || b[i] === 0x0a) return i;
  return -1;
}

/** After a CR/LF at `at`: the start of the next line, -1 when the LF is missing, -2 when invalid. */
function skipEol(b: Buffer, at: number): number {
  if (b[at] === 0x0a) return at + 1;
  if (at + 1 >= b.length) return -1;
  return b[at + 1] === 0x0a ? at + 2 : -2;
}

function trim(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '');
}

interface Head {
  readonly kind: 'head';
  readonly status: number;
  readonly statusText: string;
  readonly reason: string;
  readonly headers: [string, string][];
  readonly bodyStart: number;
}

/** The status line and headers, or why there are none yet. */
function parseHead(b: Buffer): Head | typeof INCOMPLETE | typeof ERROR {
  let pos = 0;
  // Empty lines before the status line are skipped.
  while (pos < b.length && (b[pos] === 0x0d || b[pos] === 0x0a)) pos++;
  const end = lineEnd(b, pos);
  if (end < 0) return partialStatusLine(b.subarray(pos).toString('latin1'));
  const line = b.subarray(pos, end).toString('latin1');
  const m = /^([A-Z0-9./]+)[ \t]+([0-9]+)(?:[ \t]+(.*))?$/s.exec(line);
  if (!m) return ERROR;
  const version = m[1]!;
  if (!/^.{4}\/[0-9]\.[0-9]$/.test(version)) return ERROR;
  let next = skipEol(b, end);
  if (next === -1) return INCOMPLETE;
  if (next < 0) return ERROR;
  const headers: [string, string][] = [];
  for (;;) {
    const e = lineEnd(b, next);
    if (e < 0) return INCOMPLETE;
    if (e === next) {
      const bodyStart = skipEol(b, e);
      if (bodyStart === -1) return INCOMPLETE;
      if (bodyStart < 0) return ERROR;
      return { kind: 'head', status: Number(m[2]), statusText: m[2]!, reason: m[3] ?? '', headers, bodyStart };
    }
    const text = b.subarray(next, e).toString('latin1');
    if (isLws(b[next]!)) {
      // A folded line continues the previous header's value.
      const last = headers[headers.length - 1];
      if (!last) return ERROR;
      last[1] = trim(`${last[1]} ${trim(text)}`);
    } else {
      const colon = text.indexOf(':');
      if (colon <= 0 || !TOKEN.test(text.slice(0, colon))) return ERROR;
      headers.push([text.slice(0, colon).toLowerCase(), trim(text.slice(colon + 1))]);
    }
    next = skipEol(b, e);
    if (next === -1) return INCOMPLETE;
    if (next < 0) return ERROR;
  }
}

/** A status line cut short is an error as soon as a character cannot belong to one. */
function partialStatusLine(text: string): typeof INCOMPLETE | typeof ERROR {
  let i = 0;
  while (i < text.length && VERSION_CHAR.test(text[i]!)) i++;
  if (i === text.length) return INCOMPLETE;
  if (i === 0 || !isLws(text.charCodeAt(i))) return ERROR;
  while (i < text.length && isLws(text.charCodeAt(i))) i++;
  while (i < text.length && /[0-9]/.test(text[i]!)) i++;
  if (i < text.length && !isLws(text.charCodeAt(i))) return ERROR;
  return INCOMPLETE;
}

type Framing = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' };

function framingOf(head: Head, bodyless: boolean): Framing | typeof ERROR {
  const s = head.status;
  if (bodyless || (s >= 100 && s < 200) || s === 204 || s === 304) return { kind: 'none' };
  const te = head.headers.filter(([n]) => n === 'transfer-encoding').map(([, v]) => v);
  if (te.length > 0) {
    const codings = te.join(',').split(',').map((c) => trim(c).toLowerCase()).filter((c) => c !== '');
    return codings[codings.length - 1] === 'chunked' ? { kind: 'chunked' } : { kind: 'close' };
  }
  let length: number | undefined;
  for (const [n, v] of head.headers) {
    if (n !== 'content-length') continue;
    for (const part of v.split(',')) {
      const p = trim(part);
      if (!/^[0-9]+$/.test(p)) return ERROR;
      const l = Number(p);
      if (length !== undefined && l !== length) return ERROR;
      length = l;
    }
  }
  return length !== undefined ? { kind: 'length', length } : { kind: 'close' };
}

/** Decodes the chunks received so far; `done` once the last chunk and the trailers are in. */
function dechunk(b: Buffer, from: number): { kind: 'body'; body: Buffer; done: boolean } | typeof ERROR {
  const parts: Buffer[] = [];
  let pos = from;
  for (;;) {
    const e = lineEnd(b, pos);
    if (e < 0) break;
    const m = /^([0-9A-Fa-f]+)[ \t]*(;.*)?$/s.exec(b.subarray(pos, e).toString('latin1'));
    if (!m) return ERROR;
    const size = parseInt(m[1]!, 16);
    const dataStart = skipEol(b, e);
    if (dataStart === -1) break;
    if (dataStart < 0) return ERROR;
    if (size === 0) {
      // Trailers, up to an empty line.
      let t = dataStart;
      for (;;) {
        const te = lineEnd(b, t);
        if (te < 0) return { kind: 'body', body: Buffer.concat(parts), done: false };
        const after = skipEol(b, te);
        if (after === -1) return { kind: 'body', body: Buffer.concat(parts), done: false };
        if (after < 0) return ERROR;
        if (te === t) return { kind: 'body', body: Buffer.concat(parts), done: true };
        t = after;
      }
    }
    const available = Math.min(size, b.length - dataStart);
    parts.push(b.subarray(dataStart, dataStart + available));
    if (available < size) break;
    const crlf = dataStart + size;
    if (crlf >= b.length) break;
    if (b[crlf] !== 0x0d && b[crlf] !== 0x0a) return ERROR;
    const next = skipEol(b, crlf);
    if (next === -1) break;
    if (next < 0) return ERROR;
    pos = next;
  }
  return { kind: 'body', body: Buffer.concat(parts), done: false };
}

/**
 * Parses what was received. `eof`: the server closed (a body up to the close is then
 * complete, a message cut short is an error). `bodyless`: the request was HEAD.
 */
export function parseHttpCheckResponse(b: Buffer, eof: boolean, bodyless = false): HttpCheckParse {
  const head = parseHead(b);
  if (head.kind === 'error') return ERROR;
  if (head.kind === 'incomplete') return eof ? ERROR : INCOMPLETE;
  const framing = framingOf(head, bodyless);
  if (framing.kind === 'error') return ERROR;
  const rest = b.subarray(head.bodyStart);
  const base = { kind: 'response' as const, status: head.status, statusText: head.statusText, reason: head.reason, headers: head.headers };
  switch (framing.kind) {
    default:
      return { ...base, body: Buffer.alloc(0), complete: true };
    case 'length': {
      const body = rest.subarray(0, framing.length);
      return { ...base, body, complete: body.length === framing.length };
    }
    case 'close':
      return { ...base, body: rest, complete: eof };
    case 'chunked': {
      const d = dechunk(b, head.bodyStart);
      if (d.kind === 'error') return ERROR;
      return { ...base, body: d.body, complete: d.done };
    }
  }
}
