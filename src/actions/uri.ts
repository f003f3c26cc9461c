/**
 * Request line actions (configuration.txt 4.2): set-method, set-path, set-pathq, set-query,
 * set-uri, replace-path, replace-pathq, replace-uri, normalize-uri.
 */
import { formatArg, isCondWord } from './args.js';
import { regexError } from './regex.js';
import type { ActionInput, ActionResult, ActionRow } from './types.js';

/** set-method / set-path / set-pathq / set-query / set-uri <fmt> */
function parseSetLine(a: ActionInput): ActionResult {
  if (a.arg(1) === '' || (a.arg(2) !== '' && !isCondWord(a.arg(2)))) return { error: 'expects exactly 1 argument <format>' };
  const f = formatArg(a, a.arg(1));
  if ('error' in f) return f;
  return { next: 2, args: { format: f.format } };
}

/** replace-path / replace-pathq / replace-uri <match-regex> <replace-fmt> */
function parseReplaceUri(a: ActionInput): ActionResult {
  if (a.arg(1) === '' || a.arg(2) === '' || (a.arg(3) !== '' && !isCondWord(a.arg(3)))) {
    return { error: 'expects exactly 2 arguments <match-regex> and <replace-format>' };
  }
  const e = regexError(a.arg(1));
  if (e) return { error: `failed to parse the regex : ${e}` };
  const f = formatArg(a, a.arg(2));
  if ('error' in f) return f;
  return { next: 3, args: { regex: a.arg(1), format: f.format } };
}

/** Normalizers, with the optional word some of them take. */
const NORMALIZERS: Readonly<Record<string, string | undefined>> = {
  'path-merge-slashes': undefined,
  'path-strip-dot': undefined,
  'path-strip-dotdot': 'full',
  'query-sort-by-name': undefined,
  'percent-to-uppercase': 'strict',
  'percent-decode-unreserved': 'strict',
  'fragment-strip': undefined,
  'fragment-encode': undefined,
};

/** normalize-uri <normalizer> [full|strict] */
function parseNormalizeUri(a: ActionInput): ActionResult {
  const n = a.arg(1);
  if (n === '') return { error: 'missing argument <normalizer>' };
  if (!(n in NORMALIZERS)) return { error: `unknown normalizer '${n}'` };
  const option = NORMALIZERS[n];
  if (option !== undefined) {
    const o = a.arg(2);
    if (o === option) return { next: 3, args: { normalizer: n, [option]: true } };
    if (o !== '' && !isCondWord(o)) return { error: `unknown argument '${o}' for '${n}' normalizer` };
  }
  return { next: 2, args: { normalizer: n } };
}

const line = (name: string, summary: string): ActionRow => ({ name, rulesets: ['http-request'], status: 'notyet', summary, parse: parseSetLine });
const replace = (name: string, summary: string): ActionRow => ({
  name,
  rulesets: ['http-request'],
  status: 'notyet',
  summary,
  parse: parseReplaceUri,
});

export const rows: ActionRow[] = [
  line('set-method', 'Replaces the request method with a log-format string.'),
  line('set-path', 'Replaces the request path (query string kept) with a log-format string.'),
  line('set-pathq', 'Replaces the request path and query string with a log-format string.'),
  line('set-query', 'Replaces the query string with a log-format string.'),
  line('set-uri', 'Replaces the whole request URI with a log-format string.'),
  replace('replace-path', 'Rewrites the request path with a regex and a log-format replacement.'),
  replace('replace-pathq', 'Rewrites the request path and query string with a regex and a log-format replacement.'),
  replace('replace-uri', 'Rewrites the request URI with a regex and a log-format replacement.'),
  {
    name: 'normalize-uri',
    rulesets: ['http-request'],
    experimental: true,
    status: 'notyet',
    summary: 'Normalizes the request URI (merge slashes, resolve dot segments, sort the query, ...); experimental.',
    parse: parseNormalizeUri,
  },
];
