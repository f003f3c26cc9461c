/**
 * One ACL expression (configuration.txt 7.1): "<criterion> [flags] [operator] [<value>] ...",
 * as written after "acl <name>", between braces, or in a predefined ACL. Follows HAProxy's
 * order of checks, so the first error reported is HAProxy's:
 *   1. the criterion: an ACL keyword ("hdr_beg(host)") or a sample expression;
 *   2. the flags, before the first pattern: -i -n -u <id> -f <file> -m <method> -M --;
 *   3. the patterns, parsed by the match method ("gt 5" operators for integers).
 * Messages are returned without HAProxy's prefix ("error detected while parsing ACL 'x' : ")
 * and without the final period: the caller words those.
 */
import type { KeywordContext } from '../config/keywords.js';
import type { AclModel, AclPattern, AclPatternFile, MatchMethod, PatternKind } from '../config/model/acl.js';
import type { Where } from '../config/types.js';
import { findAclKeyword, ID_CHARS } from './keywords.js';
import { defaultMatcher, findMatcher, matcherAccepts } from './matchers.js';
import { addPatternRef, parseUniqueId, patternIdUsed, usePatternFile } from './pattern-files.js';
import { applyOperator, INT_OPERATORS, parsePattern, type IntOperator } from './patterns.js';
import { parseCriterion, type Criterion } from './sample-bridge.js';
import type { HostPattern } from './ip.js';
import type { PatternOptions } from './types.js';

export interface AclExprOptions {
  /** The ACL name ('' for anonymous ones): only for the messages that name it. */
  readonly name: string;
  /**
   * Turns an inner message into the full one, for errors found after parsing (a host name in
   * an IP pattern that does not resolve): e.g. "error detected while parsing ACL 'x' : <msg>.".
   */
  readonly late: (msg: string) => string;
  readonly predefined?: boolean;
}

export type AclExprParse = { acl: AclModel } | { error: string };

/** Words up to the first empty one: HAProxy's argument lists end at an empty word. */
export function cutAtEmpty(words: readonly string[]): readonly string[] {
  const k = words.indexOf('');
  return k < 0 ? words : words.slice(0, k);
}

/** Rewords a sample error for an ACL keyword, as HAProxy's ACL keyword parser words it. */
function keywordError(kw: string, msg: string): string {
  let m = /^fetch method '[^']*' : (.*)$/s.exec(msg);
  if (m) return `ACL keyword '${kw}' : ${m[1]}`;
  m = /^invalid args in fetch method '[^']*' : (.*)$/s.exec(msg);
  if (m) return `in argument to '${kw}', ${m[1]}`;
  if (/^missing comma after fetch keyword/.test(msg)) return `ACL keyword '${kw}' : missing comma after fetch keyword.`;
  // Converter errors: HAProxy adds a period of its own here.
  return `ACL keyword '${kw}' : ${msg}.`;
}

/** Parses the criterion (step 1). */
function parseAclCriterion(
  ctx: KeywordContext<unknown>,
  criterion: string,
): { c: Criterion; kw: string; method?: MatchMethod; kind?: PatternKind } | { error: string } {
  const aclkw = findAclKeyword(criterion);
  if (aclkw) {
    const rest = criterion.slice(ID_CHARS.exec(criterion)![0].length);
    const r = parseCriterion(ctx, aclkw.fetch + rest);
    if ('error' in r) return { error: keywordError(aclkw.name, r.error) };
    // A converter after an ACL keyword drops its match method (HAProxy's acl_conv_found).
    if (r.expr.converters.length > 0) return { c: r, kw: r.expr.fetch.name, ...methodOf(r) };
    return { c: r, kw: aclkw.name, method: aclkw.match, kind: aclkw.patterns ?? aclkw.match };
  }
  const r = parseCriterion(ctx, criterion);
  if ('error' in r) return { error: `${r.error} in ACL expression '${criterion}'` };
  return { c: r, kw: r.expr.fetch.name, ...methodOf(r) };
}

/** The default method of a sample type; strings when the sample layer gives no type. */
function methodOf(c: Criterion): { method?: MatchMethod; kind?: PatternKind } {
  const method = c.type === undefined ? 'str' : defaultMatcher(c.type);
  return method === undefined ? {} : { method, kind: method };
}

const NO_PATTERN_WARNING = [
  '  no pattern to match against were provided, so this ACL will never match.',
  "  If this is what you intended, please add '--' to get rid of this warning.",
  "  If you intended to match only for existence, please use '-m found'.",
  "  If you wanted to force an int to match as a bool, please use '-m bool'.",
  '',
].join('\n');

/**
 * Parses "<criterion> [flags] [patterns...]" (`words`, already cut at the first empty word).
 * Warnings (no pattern, suspicious patterns) are reported through `ctx`.
 */
export function parseAclExpr(ctx: KeywordContext<unknown>, words: readonly string[], opts: AclExprOptions): AclExprParse {
  const load = ctx.load;
  const where: Where = ctx.where;
  const criterion = words[0] ?? '';
  const crit = parseAclCriterion(ctx, criterion);
  if ('error' in crit) return crit;
  const { c, kw } = crit;
  let method = crit.method;
  let kind = crit.kind;

  // HAProxy's warning has no location and spans several lines.
  const isKeyword = kw !== c.expr.fetch.name || findAclKeyword(criterion) !== undefined;
  if (method !== undefined && c.type !== 'bool' && (c.type !== undefined || isKeyword) && words.length === 1) {
    ctx.diag.warning(undefined, `parsing acl keyword '${criterion}' :\n${NO_PATTERN_WARNING}`);
  }

  const popts: { ignoreCase: boolean; noDns: boolean } = { ignoreCase: false, noDns: false };
  let uniqueId: number | undefined;
  let map = false;
  let forcedMatch = false;
  let loaded = false;
  const patterns: AclPattern[] = [];
  const files: AclPatternFile[] = [];
  const pending: { host: HostPattern; suffix: string }[] = [];
  const needMethod = `matching method must be specified first (using '-m') when using a sample fetch of this type ('${kw}')`;

  let k = 1;
  while (k < words.length && words[k]![0] === '-') {
    const flag = words[k]!;
    const arg = words[k + 1] ?? '';
    if (flag === '-i') {
      popts.ignoreCase = true;
    } else if (flag === '-n') {
      popts.noDns = true;
    } else if (flag === '-u') {
      const id = parseUniqueId(arg);
      if (id === undefined) return { error: 'the argument of -u must be an integer' };
      if (patternIdUsed(load, id)) return { error: 'the id is already used' };
      uniqueId = id;
      k++;
    } else if (flag === '-f') {
      if (method === undefined || kind === undefined) return { error: needMethod };
      const file = usePatternFile(load, arg, map);
      if ('error' in file) return file;
      for (const e of file.entries) {
        const r = parsePattern(kind, e.key, popts);
        if ('error' in r) return { error: `${r.error} at line ${e.line} of file '${arg}'` };
        if ('resolve' in r) pending.push({ host: r.resolve, suffix: ` at line ${e.line} of file '${arg}'` });
        else patterns.push(r.pattern);
      }
      files.push({ path: arg, map, count: file.entries.length });
      loaded = true;
      k++;
    } else if (flag === '-m') {
      if (loaded) return { error: "'-m' must only be specified before patterns and files in parsing ACL expression" };
      const m = findMatcher(arg);
      if (!m) return { error: `unknown matching method '${arg}' when parsing ACL expression` };
      if (c.type !== undefined && !matcherAccepts(m, c.type)) return { error: `matching method '${arg}' cannot be used with fetch keyword '${kw}'` };
      method = m.name;
      kind = m.patterns;
      forcedMatch = true;
      k++;
    } else if (flag === '-M') {
      map = true;
    } else if (flag === '--') {
      k++;
      break;
    } else {
      return { error: `'${flag}' is not a valid ACL option. Please use '--' before any pattern beginning with a '-'` };
    }
    k++;
  }
  if (method === undefined || kind === undefined) return { error: needMethod };
  addPatternRef(load, uniqueId ?? -1);

  // The patterns; integers and versions accept the comparison operators of 7.1.2.
  const ranged = kind === 'int' || kind === 'len' || kind === 'ver';
  let operator: IntOperator = 'eq';
  for (; k < words.length; k++) {
    let text = words[k]!;
    if (ranged) {
      if (INT_OPERATORS.includes(text)) {
        operator = text as IntOperator;
        continue;
      }
      const op = applyOperator(operator, text, kind === 'ver');
      if ('error' in op) return op;
      text = op.text;
    }
    const r = parsePattern(kind, text, popts);
    if ('error' in r) return r;
    if ('resolve' in r) pending.push({ host: r.resolve, suffix: '' });
    else patterns.push(r.pattern);
  }

  const acl: AclModel = {
    where,
    name: opts.name,
    predefined: opts.predefined || undefined,
    kw,
    expr: c.expr,
    outType: c.type,
    uses: c.uses,
    flags: { ignoreCase: popts.ignoreCase, noDns: popts.noDns, uniqueId, map, forcedMatch: forcedMatch || undefined },
    match: method,
    patternKind: kind,
    patterns,
    files,
  };
  for (const p of pending) resolveLater(ctx, acl, p.host, p.suffix, opts);
  return { acl };
}

/**
 * A host name in an IP pattern: HAProxy resolves it while parsing (IPv4 only); Portier after
 * the last line, reporting a failure on the ACL's line with the caller's wording.
 */
function resolveLater(ctx: KeywordContext<unknown>, acl: AclModel, host: HostPattern, suffix: string, opts: AclExprOptions): void {
  const where = ctx.where;
  const diag = ctx.diag;
  const patterns = acl.patterns as AclPattern[];
  ctx.load.resolutions.push({
    where,
    hostname: host.host,
    family: 'ipv4',
    resolved(ip) {
      patterns.push({ type: 'ipv4', text: host.text, addr: ip, mask: host.mask });
    },
    failed() {
      diag.alert(where, opts.late(`'${host.text}' is not a valid IPv4 or IPv6 address${suffix}`));
    },
  });
}

export type { PatternOptions };
