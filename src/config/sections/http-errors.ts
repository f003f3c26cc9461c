/**
 * `http-errors <name>` (configuration.txt 3.8): a named set of error pages that proxies import
 * with `errorfiles <name>`.
 *
 *   errorfile <code> <file>
 *
 * As HAProxy does, the file is read while parsing: a missing file, a status code HAProxy does
 * not produce, or a file that is not an HTTP response is an error on the line.
 */
import { readFileSync } from 'node:fs';
import { BUFSIZE, loadErrorfile } from '../../actions/errorfile.js';
import type { KeywordRow } from '../keywords.js';
import type { HttpErrorsModel } from '../model/sections.js';
import { atoi } from './global/helpers.js';
import { resolveConfigPath } from './global/paths.js';
import { at, checkHeader, simpleSection, unknownIn } from './simple.js';

/** The status codes HAProxy can produce and therefore lets one replace (http_err_codes). */
export const ERRORFILE_CODES = [200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 421, 422, 425, 429, 500, 501, 502, 503, 504];

/**
 * Reads an error file the way HAProxy checks it (src/actions/errorfile.ts), naming it as
 * written in the messages. Returns its content or HAProxy's message (without the
 * "errorfile : " prefix), and the truncation warning if any.
 */
export function readErrorfile(path: string, shown: string): ({ content: string } | { error: string }) & { warning?: string } {
  const rename = (text: string | undefined): string | undefined => (text === undefined || path === shown ? text : text.split(`'${path}'`).join(`'${shown}'`));
  const r = loadErrorfile(path);
  const warning = rename(r.warning);
  if ('error' in r) return { error: rename(r.error)!, warning };
  return { content: readFileSync(path, 'latin1').slice(0, BUFSIZE), warning };
}

const errorfile: KeywordRow<HttpErrorsModel> = {
  name: 'errorfile',
  status: 'notyet',
  summary: 'The page (a whole HTTP response in a file) returned for a status code.',
  parse(ctx, args) {
    if (!args[1] || !args[2]) {
      ctx.alert('errorfile: expects <status_code> and <file> as arguments.');
      return;
    }
    const status = atoi(args[1]);
    if (!ERRORFILE_CODES.includes(status)) {
      ctx.alert(`errorfile : status code '${status}' not handled.`);
      return;
    }
    const r = readErrorfile(resolveConfigPath(ctx.load, ctx.where, args[2]), args[2]);
    if (r.warning) ctx.load.diag.warning(undefined, r.warning);
    if ('error' in r) {
      ctx.alert(`errorfile : ${r.error}`);
      return;
    }
    // Words after the file are ignored. A later line for the same code replaces the page.
    const list = ctx.state.errorfiles;
    const i = list.findIndex((e) => e.status === status);
    const entry = { where: ctx.where, status, file: args[2], content: r.content };
    if (i >= 0) list[i] = entry;
    else list.push(entry);
  },
};

export const httpErrorsSection = simpleSection<HttpErrorsModel>({
  kind: 'http-errors',
  summary: 'Error pages shared by proxies.',
  status: 'notyet',
  rows: [errorfile],
  unknown: unknownIn('http-errors'),
  open(ctx, args) {
    // Words after the name are ignored.
    const h = checkHeader(ctx, args, {
      missing: { message: 'missing name for http-errors section.', then: 'abort' },
      invalid: { message: (c, n) => `character '${c}' is not permitted in 'http-errors' name '${n}'.`, then: 'continue' },
    });
    if ('failed' in h) return h.failed === 'continue' ? { where: ctx.where, name: args[1] ?? '', errorfiles: [] } : undefined;
    const prev = ctx.load.httpErrors.find((e) => e.name === h.name);
    if (prev) ctx.alert(`http-errors section '${h.name}' already exists (declared at ${at(prev.where)}).`, 'tight');
    const model: HttpErrorsModel = { where: ctx.where, name: h.name, errorfiles: [] };
    ctx.load.httpErrors.push(model);
    return model;
  },
});
