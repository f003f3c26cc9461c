/**
 * The HTTP reply of "http-request return", "deny", "tarpit", "http-response deny|return" and
 * "http-error" (configuration.txt 4.2, "http-request return"):
 *
 *   [status <code>] [content-type <type>]
 *   [ default-errorfiles | errorfile <file> | errorfiles <name> |
 *     file <file> | lf-file <file> | string <str> | lf-string <fmt> ]
 *   [ hdr <name> <fmt> ]*
 *
 * Parsed as HAProxy parses it: options in any order until an unknown word, one payload kind,
 * then consistency checks (a content type for a payload, a status HAProxy has a default
 * message for when default or named errorfiles are used, no body for 204/304). Warnings for
 * ignored parts are printed at once, as HAProxy does.
 */
import { readFileSync, statSync } from 'node:fs';
import type { KeywordContext } from '../config/keywords.js';
import type { ProxyModel } from '../config/model/proxy.js';
import type { SampleUse } from '../sample/types.js';
import { cStrtol, logFormatAt } from './args.js';
import { BUFSIZE, loadErrorfile } from './errorfile.js';

/** Statuses HAProxy has a default error message for (http_err_codes in 2.6). */
export const HTTP_ERR_CODES: readonly number[] = [200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 421, 422, 425, 429, 500, 501, 502, 503, 504];

/** HAProxy's default tune.maxrewrite. */
const MAXREWRITE = 1024;

export type ReplyKind = 'empty' | 'default-errorfiles' | 'errorfile' | 'errorfiles' | 'file' | 'string' | 'lf-file' | 'lf-string';

/** What a reply is made of (plain data for the model). */
export interface HttpReplyModel {
  readonly status: number;
  readonly kind: ReplyKind;
  readonly contentType?: string;
  /** errorfile / file / lf-file path, errorfiles section name, string / lf-string text. */
  readonly source?: string;
  readonly headers: readonly { readonly name: string; readonly value: string }[];
}

export type ReplyParse = { reply: HttpReplyModel; next: number } | { error: string };

/** `args[i]`, or '' past the end (HAProxy's argument arrays end with empty strings). */
const at = (args: readonly string[], i: number): string => args[i] ?? '';

const IGNORED_HEADERS = new Set(['content-length', 'transfer-encoding', 'content-type']);

/**
 * Parses a reply from `args[start]` on. `uses` is where its log-format strings are evaluated.
 * Returns the reply and the index of the first word not used.
 */
export function parseHttpReply(
  ctx: KeywordContext<ProxyModel>,
  args: readonly string[],
  start: number,
  defaultStatus: number,
  uses: readonly SampleUse[],
): ReplyParse {
  let status = defaultStatus;
  let kind: ReplyKind = 'empty';
  /** The word that set the kind, for "already defined". */
  let kindArg = '';
  let contentType: string | undefined;
  let source: string | undefined;
  let payloadLength = 0;
  const headers: { name: string; value: string }[] = [];
  const lf = (text: string): string | undefined => {
    const r = logFormatAt(ctx, text, uses);
    return 'error' in r ? r.error : undefined;
  };
  const setKind = (word: string, k: ReplyKind): string | undefined => {
    if (kind !== 'empty') return `unexpected '${word}' argument, '${kindArg}' already defined`;
    kind = k;
    kindArg = word;
    return undefined;
  };

  let i = start;
  while (at(args, i) !== '') {
    const w = at(args, i);
    if (w === 'status') {
      i++;
      if (at(args, i) === '') return { error: `'${w}' expects <status_code> as argument` };
      status = cStrtol(at(args, i)).value;
      if (status < 200 || status > 599) return { error: `Unexpected status code '${status}'` };
      i++;
    } else if (w === 'content-type') {
      i++;
      if (at(args, i) === '') return { error: `'${w}' expects <ctype> as argument` };
      contentType = at(args, i);
      i++;
    } else if (w === 'errorfiles') {
      const e = setKind(w, 'errorfiles');
      if (e) return { error: e };
      i++;
      if (at(args, i) === '') return { error: `'${w}' expects <name> as argument` };
      source = at(args, i);
      i++;
    } else if (w === 'default-errorfiles') {
      const e = setKind(w, 'default-errorfiles');
      if (e) return { error: e };
      i++;
    } else if (w === 'errorfile') {
      const e = setKind(w, 'errorfile');
      if (e) return { error: e };
      i++;
      if (at(args, i) === '') return { error: `'${w}' expects <fmt> as argument` };
      source = at(args, i);
      const loaded = loadErrorfile(source);
      if (loaded.warning) ctx.diag.warning(undefined, loaded.warning);
      if ('error' in loaded) return { error: loaded.error };
      i++;
    } else if (w === 'file' || w === 'lf-file') {
      const e = setKind(w, w);
      if (e) return { error: e };
      i++;
      if (at(args, i) === '') return { error: `'${w}' expects <file> as argument` };
      source = at(args, i);
      let size: number;
      try {
        size = statSync(source).size;
      } catch {
        return { error: `error opening file '${source}'` };
      }
      if (size > BUFSIZE) return { error: `file '${source}' exceeds the buffer size (${size} > ${BUFSIZE})` };
      let content: string;
      try {
        content = readFileSync(source, 'latin1');
      } catch {
        return { error: `error reading file '${source}'` };
      }
      payloadLength = content.length;
      if (w === 'lf-file') {
        const err = lf(content);
        if (err) return { error: err };
      }
      i++;
    } else if (w === 'string' || w === 'lf-string') {
      const e = setKind(w, w);
      if (e) return { error: e };
      i++;
      if (at(args, i) === '') return { error: `'${w}' expects <${w === 'string' ? 'str' : 'fmt'}> as argument` };
      source = at(args, i);
      payloadLength = Buffer.byteLength(source, 'latin1');
      if (w === 'lf-string') {
        const err = lf(source);
        if (err) return { error: err };
      }
      i++;
    } else if (w === 'hdr') {
      i++;
      if (at(args, i) === '' || at(args, i + 1) === '') return { error: `'${w}' expects <name> and <value> as arguments` };
      const name = at(args, i);
      if (IGNORED_HEADERS.has(name.toLowerCase())) {
        ctx.warning(`header '${name}' always ignored by the http reply.`);
        i += 2;
        continue;
      }
      const err = lf(at(args, i + 1));
      if (err) return { error: err };
      headers.push({ name, value: at(args, i + 1) });
      i += 2;
    } else break;
  }

  if (kind === 'empty') {
    if (contentType !== undefined) {
      ctx.warning(`content-type '${contentType}' ignored by the http reply because neither errorfile nor payload defined.`);
      contentType = undefined;
    }
  } else if (kind === 'errorfiles' || kind === 'default-errorfiles' || kind === 'errorfile') {
    if (kind !== 'errorfile' && !HTTP_ERR_CODES.includes(status)) {
      return { error: `status code '${status}' not handled by default with '${kindArg}' argument.` };
    }
    if (contentType !== undefined) {
      ctx.warning(`content-type '${contentType}' ignored by the http reply when used with an erorrfile.`);
      contentType = undefined;
    }
    if (headers.length > 0) {
      ctx.warning('hdr parameters ignored by the http reply when used with an erorrfile.');
      headers.length = 0;
    }
  } else if (kind === 'file' || kind === 'string') {
    if ((status === 204 || status === 304) && payloadLength > 0) return { error: `No body expected for ${status} responses` };
    if (contentType === undefined && payloadLength > 0) return { error: 'a content type must be defined when non-empty payload is configured' };
    if (contentType !== undefined && payloadLength === 0) {
      ctx.warning(`content-type '${contentType}' ignored by the http reply when used with an empty payload.`);
      contentType = undefined;
    }
    if (BUFSIZE - payloadLength < MAXREWRITE) {
      ctx.warning(
        'http reply payload runs over the buffer space reserved to headers rewriting. It may lead to internal errors if strict rewriting mode is enabled.',
      );
    }
  } else {
    if (status === 204 || status === 304) return { error: `No body expected for ${status} responses` };
    if (contentType === undefined) return { error: 'a content type must be defined with a log-format payload' };
  }
  return {
    reply: { status, kind, ...(contentType !== undefined ? { contentType } : {}), ...(source !== undefined ? { source } : {}), headers },
    next: i,
  };
}
