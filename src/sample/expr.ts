/**
 * Sample expressions (configuration.txt 7.3): "fetch[(args)][,converter[(args)]]...".
 *
 * CONTRACT for callers (rules, ACLs, log-format, stick, balance, global set-var, ...):
 *
 *   parseSampleExpr(ctx, text, use, opts?) → { expr } | { error, code?, fetch?, source? }
 *
 * - `text` is one configuration word (first-level quotes already removed by the lexer); the
 *   arguments' second-level quoting is handled here (args.ts).
 * - `use`: where the expression is evaluated. The fetch must be available in at least one of
 *   the places given, as HAProxy checks: a listen or defaults section gives both the fe- and
 *   the be- place of its rule ('fe-http-request' and 'be-http-request'), a frontend only fe-,
 *   a backend only be-. An empty array skips the check: ACLs are checked where they are used,
 *   and log-format strings word the error their own way (see `fetchUnavailable`).
 * - On error, `error` is HAProxy's inner message, WITHOUT a trailing period and without
 *   location. HAProxy wraps it per keyword (all found by experiment):
 *     http-request/-response rules: "error detected in frontend 'f' while parsing 'http-request set-var(txn.x)' rule : <error>."
 *     tcp-request/-response rules:  "<error>" (bare, no period)
 *     ACLs:                          "error detected while parsing ACL 'a' : <error> in ACL expression '<text>'."
 *     global set-var:               "<error>" (bare, no period)
 *   Messages:
 *     missing fetch method
 *     unknown fetch method 'x'
 *     fetch method 'int' : failed to parse 'abc' as type 'integer' at position 1
 *     fetch method 'req.hdr' : expected ')' before ',2)'
 *     invalid args in fetch method 'var' : invalid variable name 'x'. ...
 *     missing comma after fetch keyword 'src'
 *     unknown converter 'foo'
 *     converter 'neg' cannot be applied                       (no cast to its input type)
 *     invalid arg 2 in converter 'ipmask' : failed to parse '129' as type 'IPv6 mask' at position 2
 *     invalid args in converter 'field' : Unexpected value 0 for index
 *     missing comma after converter 'lower'
 *     fetch method '<word>' extracts information from 'HTTP response headers', none of which is available here
 *   In the last one (code 'unavailable') HAProxy names a word of the statement, not the
 *   fetch: the action keyword for set-var ("fetch method 'set-var(txn.x)'"), the expression
 *   itself for track-sc0 or capture. Pass it as `opts.fetchWord` (default: the expression).
 * - References to backends, frontends, servers, tables, userlists and regexes are checked once
 *   the whole configuration is read (config/checks/samples.ts), worded with `opts.context`,
 *   HAProxy's argument context (default derived from `use`). HAProxy's contexts, by
 *   experiment: 'http-request' for http-request set-var/set-header/return..., 'http-response'
 *   for http-response and http-after-response, 'log-format', 'unique-id-format', 'redirect',
 *   'use_backend', 'stick' (stick on/match/store), 'use-server' (balance hash), 'server'
 *   (server sni, tcp-check send-lf/expect -lf), 'tcp-check' (tcp-check and http-check
 *   set-var), 'tcp-request connection/session/content', 'tcp-response content', 'capture'
 *   (tcp-request content capture), 'http-error', and 'acl' for ACLs and for the http-request
 *   actions capture, track-sc*, do-resolve, set-src, sc-set-gpt0, set-priority-class.
 *   With context 'config' and no proxy (global set-var) they are resolved at once, as HAProxy
 *   does, and a failure is the error ("parsing [t.cfg:2]: unable to find table ... in proxy 'CFG'.").
 * - It does not report "not supported yet": the rule using the expression does. See
 *   `unsupportedParts` for the fetches and converters that do not run yet.
 */
import type { KeywordContext } from '../config/keywords.js';
import type { SampleCallModel, SampleExprModel } from '../config/model/sample.js';
import type { ProxyModel } from '../config/model/proxy.js';
import { configProxy, recordSampleRefs, resolveSampleRefsNow, type SampleRef, type SampleRefProxy } from '../config/checks/samples.js';
import { parseArgSpec, readArgList } from './args.js';
import { canCast } from './casts.js';
import { converterTable } from './converters/index.js';
import { fetchTable } from './fetches/index.js';
import type { ConverterRow, FetchRow, SampleArgContext, SampleTypeName, SampleUse } from './types.js';
import { sourceLabel, usesOf } from './usage.js';

export type SampleParseError = {
  error: string;
  /** 'unavailable' when the fetch cannot be used here (see `fetch` and `source`). */
  code?: 'unavailable';
  fetch?: string;
  source?: string;
};

export type SampleParse = { expr: SampleExprModel } | SampleParseError;

export interface SampleExprOptions {
  /** The word HAProxy names in "fetch method '<word>' extracts information ..." (default: text). */
  readonly fetchWord?: string;
  /** HAProxy's argument context for the messages of late-checked references. */
  readonly context?: SampleArgContext;
  /** The proxy the expression belongs to (default: ctx.state when it is a proxy). */
  readonly proxy?: ProxyModel;
}

/** Characters of fetch and converter names (others end the name). */
const NAME_CHAR = /[A-Za-z0-9_.+:-]/;

function readName(text: string, i: number): number {
  while (i < text.length && NAME_CHAR.test(text[i]!)) i++;
  return i;
}

function isProxy(state: unknown): state is ProxyModel {
  if (typeof state !== 'object' || state === null) return false;
  const kind = (state as { kind?: unknown }).kind;
  return (kind === 'defaults' || kind === 'frontend' || kind === 'backend' || kind === 'listen') && 'rules' in state;
}

export function parseSampleExpr(
  ctx: KeywordContext<unknown>,
  text: string,
  use: SampleUse | readonly SampleUse[],
  opts: SampleExprOptions = {},
): SampleParse {
  const uses: readonly SampleUse[] = typeof use === 'string' ? [use] : use;
  const proxy = opts.proxy ?? (isProxy(ctx.state) ? ctx.state : undefined);
  const currentProxy = proxy?.name ?? '';

  // The fetch.
  let i = readName(text, 0);
  const name = text.slice(0, i);
  if (name === '') return { error: 'missing fetch method' };
  const row = fetchTable.get(name);
  if (!row) return { error: `unknown fetch method '${name}'` };
  const fargs = readArgList(text, i, parseArgSpec(row.args), currentProxy);
  if ('error' in fargs) return { error: `fetch method '${name}' : ${fargs.error}` };
  i = fargs.end;
  if (row.validate) {
    const msg = row.validate(fargs.values, { ctx, kind: 'fetch', name });
    if (msg !== undefined) return { error: `invalid args in fetch method '${name}' : ${msg}` };
  }
  if (i < text.length && text[i] !== ',') return { error: `missing comma after fetch keyword '${name}'` };
  const fetch: SampleCallModel = { name, args: fargs.args, values: fargs.values };

  // The converters.
  const converters: SampleCallModel[] = [];
  let type: SampleTypeName = row.out;
  while (i < text.length) {
    i++; // the comma
    if (i >= text.length) break;
    if (text[i] === ',') continue; // empty converters are skipped
    const start = i;
    i = readName(text, i);
    const cname = text.slice(start, i);
    const crow = converterTable.get(cname);
    if (!crow) return { error: `unknown converter '${cname}'` };
    if (!canCast(type, crow.in)) return { error: `converter '${cname}' cannot be applied` };
    const cargs = readArgList(text, i, parseArgSpec(crow.args), currentProxy);
    if ('error' in cargs) return { error: `invalid arg ${cargs.argNumber} in converter '${cname}' : ${cargs.error}` };
    i = cargs.end;
    if (crow.validate) {
      const msg = crow.validate(cargs.values, { ctx, kind: 'converter', name: cname });
      if (msg !== undefined) return { error: `invalid args in converter '${cname}' : ${msg}` };
    }
    if (i < text.length && text[i] !== ',') return { error: `missing comma after converter '${cname}'` };
    converters.push({ name: cname, args: cargs.args, values: cargs.values });
    type = crow.out;
  }

  // Where it may be used: checked last, as HAProxy does.
  if (uses.length > 0 && !availableIn(row, uses)) {
    const source = sourceLabel(row.src);
    return {
      error: `fetch method '${opts.fetchWord ?? text}' extracts information from '${source}', none of which is available here`,
      code: 'unavailable',
      fetch: name,
      source,
    };
  }

  const expr: SampleExprModel = { text, fetch, converters, type, uses: usesOf(row.src) };
  const context = opts.context ?? contextOf(uses);
  if (proxy) {
    recordSampleRefs(ctx.load, text, refsOf(ctx, proxy, expr, context), opts.context !== undefined);
  } else if (context === 'config') {
    // Global set-var: HAProxy resolves at once, in a pseudo-proxy named 'CFG'.
    const msg = resolveSampleRefsNow(ctx.load, refsOf(ctx, configProxy(), expr, context));
    if (msg !== undefined) return { error: msg };
  }
  return { expr };
}

function availableIn(row: FetchRow, uses: readonly SampleUse[]): boolean {
  const avail = usesOf(row.src);
  return uses.some((u) => avail.includes(u));
}

/**
 * For log-format strings and ACLs, which check availability themselves: the label of the
 * information the expression's fetch needs when none of `use` provides it, else undefined.
 */
export function fetchUnavailable(expr: SampleExprModel, use: SampleUse | readonly SampleUse[]): string | undefined {
  const uses: readonly SampleUse[] = typeof use === 'string' ? [use] : use;
  const row = fetchTable.get(expr.fetch.name);
  if (!row || uses.length === 0 || availableIn(row, uses)) return undefined;
  return sourceLabel(row.src);
}

/** The fetch and converter names of an expression whose status is not 'supported'. */
export function unsupportedParts(expr: SampleExprModel): string[] {
  const out: string[] = [];
  const f = fetchTable.get(expr.fetch.name);
  if (!f || f.status !== 'supported') out.push(expr.fetch.name);
  for (const c of expr.converters) {
    const row = converterTable.get(c.name);
    if (!row || row.status !== 'supported') out.push(c.name);
  }
  return out;
}

export function fetchRow(name: string): FetchRow | undefined {
  return fetchTable.get(name);
}

export function converterRow(name: string): ConverterRow | undefined {
  return converterTable.get(name);
}

/** The argument context HAProxy uses for a place, when the caller does not say. */
function contextOf(uses: readonly SampleUse[]): SampleArgContext {
  const u = uses[0];
  switch (u) {
    case undefined:
      return 'acl';
    case 'fe-tcp-request-connection':
      return 'tcp-request connection';
    case 'fe-tcp-request-session':
      return 'tcp-request session';
    case 'fe-tcp-request-content':
    case 'be-tcp-request-content':
      return 'tcp-request content';
    case 'fe-http-request':
    case 'be-http-request':
    case 'fe-http-request-body':
    case 'be-http-request-body':
      return 'http-request';
    case 'fe-use-backend':
      return 'use_backend';
    case 'be-use-server':
      return 'use-server';
    case 'be-server-source':
      return 'server';
    case 'be-tcp-response-content':
    case 'fe-tcp-response-content':
      return 'tcp-response content';
    case 'be-http-response':
    case 'fe-http-response':
    case 'be-http-response-body':
    case 'fe-http-response-body':
      return 'http-response';
    case 'be-stick-store':
      return 'stick';
    case 'log':
      return 'log-format';
    case 'tcp-check':
      return 'tcp-check';
    case 'config':
      return 'config';
    case 'cli':
      return 'cli';
  }
}

/** The arguments that name other sections, to check once they are all known. */
function refsOf(ctx: KeywordContext<unknown>, proxy: SampleRefProxy, expr: SampleExprModel, context: SampleArgContext): SampleRef[] {
  const refs: SampleRef[] = [];
  const add = (call: SampleCallModel, converter: boolean) => {
    call.values.forEach((arg, n) => {
      if (arg.type === 'be' || arg.type === 'fe' || arg.type === 'tab' || arg.type === 'usr' || arg.type === 'srv' || arg.type === 'reg') {
        refs.push({
          where: ctx.where,
          proxy,
          context,
          fetch: expr.fetch.name,
          converter: converter ? call.name : undefined,
          argNumber: n + 1,
          arg,
        });
      }
    });
  };
  add(expr.fetch, false);
  for (const c of expr.converters) add(c, true);
  return refs;
}
