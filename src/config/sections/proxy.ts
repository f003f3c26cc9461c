/**
 * Proxy sections: defaults, frontend, backend, listen (configuration.txt 4). They share one
 * keyword table; each row says where it applies (capabilities, 4.1's matrix). A new proxy
 * starts as a copy of the defaults section it inherits from: the one named by "from", or the
 * last defaults section read (a defaults section without "from" starts afresh).
 */
import { KeywordContext, KeywordTable, type KeywordRow } from '../keywords.js';
import type { LoadState } from '../load-state.js';
import type { ProxyKind, ProxyModel } from '../model/proxy.js';
import { runRow, type SectionRow } from '../parser.js';
import { CAP_ALL, CAP_BE, CAP_DEF, CAP_FE, CAP_NAMED_DEF_ONLY, type Where } from '../types.js';
import { invalidNameChar } from './names.js';
import { OPTION_CAPS } from './proxy/options.js';
import { proxyRows, setupProxyFamilies } from './proxy/index.js';
import { describe, haproxyBestMatch, hasCap, locationPrefix, modifierNotSupported, tooManyArgs, typeName, warnIfNotCap, type ProxyRow } from './proxy/support.js';

export const proxyKeywords = new KeywordTable<ProxyModel>('proxy', proxyRows);
setupProxyFamilies(proxyKeywords);

const CAPS: Record<ProxyKind, number> = {
  defaults: CAP_DEF,
  frontend: CAP_FE,
  backend: CAP_BE,
  listen: CAP_FE | CAP_BE,
};

/** "frontend 'fe'", "backend 'be'", "proxy 'li'" (HAProxy calls a listen section a proxy). */
export function proxyTypeName(p: ProxyModel): string {
  return typeName(p);
}

export function describeProxy(p: ProxyModel): string {
  return describe(p);
}

/**
 * A proxy as the built-in defaults make it (before any defaults section applies). Exported for
 * tests that call keyword parsers directly.
 */
export function builtinProxy(kind: ProxyKind, name: string, where: Where): ProxyModel {
  return {
    kind,
    name,
    where,
    cap: CAPS[kind],
    mode: 'tcp',
    disabled: false,
    binds: [],
    servers: [],
    defaultServer: {},
    timeouts: {},
    options: {},
    clientKeepAlive: {},
    serverKeepAlive: {},
    captures: { requestHeaders: [], responseHeaders: [] },
    compression: { algorithms: [], types: [], offload: false },
    filters: [],
    errorMessages: [],
    logs: [],
    acls: [],
    rules: [],
    settings: {},
  };
}

/** Settings a defaults section passes on to frontends (and listen sections) only. */
const FRONTEND_ONLY: readonly (keyof ProxyModel)[] = [
  'maxconn',
  'backlog',
  'rateLimitSessions',
  'monitorUri',
  'defaultBackend',
  'maxSessionSrvConns',
  'logFormat',
  'logFormatSd',
  'errorLogFormat',
];
/** Settings a defaults section passes on to backends (and listen sections) only. */
const BACKEND_ONLY: readonly (keyof ProxyModel)[] = [
  'balance',
  'hashType',
  'hashBalanceFactor',
  'fullconn',
  'retries',
  'retryOn',
  'redispatchInterval',
  'maxKeepAliveQueue',
  'cookie',
  'persistRdpCookie',
  'dynamicCookieKey',
  'source',
  'serverStateFileName',
  'loadServerStateFromFile',
  'sendNameHeader',
];
const FRONTEND_TIMEOUTS = ['client', 'client-fin'];
const BACKEND_TIMEOUTS = ['server', 'connect', 'server-fin', 'check', 'queue', 'tunnel'];

/**
 * What a proxy takes from its defaults section: everything but identity, listeners, servers,
 * ACLs and rules (named defaults' rules run from the defaults section itself), captures and
 * filters; and only the settings of the sides it has (configuration.txt 4.1).
 */
function newProxy(kind: ProxyKind, name: string, where: Where, from: ProxyModel | undefined): ProxyModel {
  if (!from) return builtinProxy(kind, name, where);
  const base = structuredClone(from) as ProxyModel & Record<string, unknown>;
  const cap = CAPS[kind];
  if (!(cap & CAP_FE)) {
    for (const k of FRONTEND_ONLY) delete base[k];
    for (const t of FRONTEND_TIMEOUTS) delete base.timeouts[t];
    base.clientKeepAlive = {};
  }
  if (!(cap & CAP_BE)) {
    for (const k of BACKEND_ONLY) delete base[k];
    for (const t of BACKEND_TIMEOUTS) delete base.timeouts[t];
    base.serverKeepAlive = {};
  }
  for (const [opt, optCap] of OPTION_CAPS) if (!(optCap & cap) && base.options[opt]) delete base.options[opt];
  return {
    ...base,
    kind,
    name,
    where,
    cap: CAPS[kind],
    from: from.name,
    fromWhere: from.where,
    id: undefined,
    idWhere: undefined,
    description: undefined,
    binds: [],
    servers: [],
    acls: [],
    rules: [],
    captures: { requestHeaders: [], responseHeaders: [] },
    filters: [],
  };
}

/**
 * How a defaults section has been used so far: referenced by name ("from") and/or implicitly
 * (as the last defaults section), and, when it holds rules, by which kind of proxy
 * (configuration.txt 4 "defaults": such a section serves frontends or backends, not both).
 */
interface DefaultsUse {
  explicit: boolean;
  implicit: boolean;
  ruleCap: number;
}
const uses = new WeakMap<ProxyModel, DefaultsUse>();
function useOf(d: ProxyModel): DefaultsUse {
  let u = uses.get(d);
  if (!u) uses.set(d, (u = { explicit: false, implicit: false, ruleCap: 0 }));
  return u;
}

const RULESETS = new Set([
  'http-request',
  'http-response',
  'http-after-response',
  'tcp-request connection',
  'tcp-request session',
  'tcp-request content',
  'tcp-response content',
]);

/**
 * A defaults section defining TCP/HTTP rules can only serve proxies of one kind, and not the
 * layer-4/5 rules to backends nor tcp-response rules to frontends. Returns false after an
 * alert (which stops reading, as in HAProxy).
 */
function checkRuleInheritance(ctx: KeywordContext<undefined>, kind: ProxyKind, parent: ProxyModel): boolean {
  const rulesets = new Set(parent.rules.map((r) => r.ruleset).filter((r) => RULESETS.has(r)));
  if (rulesets.size === 0) return true;
  const at = `${parent.where.file}:${parent.where.line}`;
  const fail = (msg: string): false => {
    ctx.alert(msg, 'tight');
    ctx.abort();
    return false;
  };
  if (kind === 'defaults') return fail(`a defaults section cannot inherit from a defaults section defining TCP/HTTP rules (defaults section at ${at}).`);
  if (kind === 'listen') return fail('a listen section cannot inherit from a defaults section defining TCP/HTTP rules.');
  const use = useOf(parent);
  const cap = CAPS[kind];
  if (use.ruleCap !== 0 && use.ruleCap !== cap) {
    return fail(`frontends and backends cannot inherit from the same defaults section if it defines TCP/HTTP rules (defaults section at ${at}).`);
  }
  if (!(cap & CAP_FE) && (rulesets.has('tcp-request connection') || rulesets.has('tcp-request session'))) {
    return fail(
      `a backend section cannot inherit from a defaults section defining 'tcp-request connection' or 'tcp-request session' rules (defaults section at ${at}).`,
    );
  }
  if (!(cap & CAP_BE) && rulesets.has('tcp-response content')) {
    return fail(`a frontend section cannot inherit from a defaults section defining 'tcp-response content' rules (defaults section at ${at}).`);
  }
  use.ruleCap = cap;
  return true;
}

/**
 * Another proxy this one's name clashes with: frontends and listen sections share one name
 * space, backends and listen sections another (HAProxy looks a new frontend or listen up
 * among frontends, a new backend among backends).
 */
function clashingProxy(load: LoadState, kind: ProxyKind, name: string): ProxyModel | undefined {
  const cap = CAPS[kind] & CAP_FE ? CAP_FE : CAP_BE;
  return load.proxies.find((p) => p.name === name && (p.cap & cap) !== 0);
}

/** Opens a defaults, frontend, backend or listen section (HAProxy's checks, in its order). */
function openProxy(kind: ProxyKind, ctx: KeywordContext<undefined>, args: readonly string[]): ProxyModel | undefined {
  const shown = kind === 'listen' ? 'proxy' : kind;
  let name = args[1] ?? '';
  let arg = 2;
  if (kind !== 'defaults') {
    if (name === '') {
      ctx.alert(`'${kind}' expects an <id> argument`);
      ctx.abort();
      return undefined;
    }
    const bad = invalidNameChar(name);
    if (bad !== undefined) ctx.alert(`character '${bad}' is not permitted in '${kind}' name '${name}'.`);
    const other = clashingProxy(ctx.load, kind, name);
    if (other) {
      ctx.alert(`${shown} '${name}' has the same name as ${typeName(other)} '${other.name}' declared at ${other.where.file}:${other.where.line}.`, 'capital');
    }
    const forward = ctx.load.logForwards.find((f) => f.name === name);
    if (forward) {
      ctx.alert(`${shown} '${name}' has the same name as log forward section '${name}' declared at ${forward.where.file}:${forward.where.line}.`, 'capital');
    }
    if ((args[2] !== undefined && (args[3] === undefined || args[2] !== 'from')) || tooManyArgs(ctx, args, 3)) {
      // A backend with stray words is refused silently; its lines are then orphans.
      if (CAPS[kind] & CAP_FE) ctx.alert("please use the 'bind' keyword for listening addresses.");
      return undefined;
    }
  } else if (args[1] === 'from' && args[2] !== undefined && args[3] === undefined) {
    // "defaults from <name>": an anonymous defaults section inheriting from a named one.
    arg = 1;
    name = '';
  }

  let parent: ProxyModel | undefined;
  if (args[arg] === 'from') {
    const fromName = args[arg + 1] ?? '';
    const found = ctx.load.defaults.filter((d) => d.name === fromName);
    if (found.length === 0) {
      ctx.alert(`defaults section '${fromName}' not found for ${shown} '${name}'.`);
      ctx.abort();
      return undefined;
    }
    parent = found[0]!;
    if (found.length > 1) {
      const a = found[0]!.where;
      const b = found[1]!.where;
      ctx.alert(
        `ambiguous defaults section name '${fromName}' referenced by ${shown} '${name}' exists at least at ${a.file}:${a.line} and ${b.file}:${b.line}.`,
      );
    }
    const bad = invalidNameChar(fromName);
    if (bad !== undefined) {
      ctx.alert(
        `character '${bad}' is not permitted in defaults section name '${fromName}' when designated by its name (section found at ${parent.where.file}:${parent.where.line}).`,
      );
    }
    useOf(parent).explicit = true;
  } else if (kind !== 'defaults' && ctx.load.lastDefaults) {
    parent = ctx.load.lastDefaults;
    useOf(parent).implicit = true;
  }
  if (parent) {
    const use = useOf(parent);
    if (use.explicit && use.implicit) {
      // Printed as an alert, but HAProxy only counts it as a warning.
      ctx.alertContinuing(
        `defaults section '${parent.name}' (declared at ${parent.where.file}:${parent.where.line}) is explicitly referenced by another proxy and implicitly used here. To avoid any ambiguity don't mix both usage. Add a last defaults section not explicitly used or always use explicit references.`,
      );
    }
  }

  const proxy = newProxy(kind, name, ctx.where, parent);
  if (kind === 'defaults') {
    ctx.load.defaults.push(proxy);
    ctx.load.lastDefaults = proxy;
  } else {
    ctx.load.proxies.push(proxy);
  }
  if (parent) checkRuleInheritance(ctx, kind, parent);
  return proxy;
}

/**
 * What HAProxy compares a mistyped proxy keyword with: its registered proxy keywords
 * (`haproxy -dKall`), then those it parses without registering them (its common_kw_list).
 */
const SUGGESTED_KEYWORDS = [
  'clitcpka-cnt', 'clitcpka-idle', 'clitcpka-intvl', 'clitimeout', 'compression', 'contimeout', 'declare', 'errorfile',
  'errorfiles', 'errorloc', 'errorloc302', 'errorloc303', 'external-check', 'filter', 'http-after-response', 'http-check',
  'http-error', 'http-request', 'http-response', 'max-keep-alive-queue', 'option', 'rate-limit', 'retry-on', 'srvtcpka-cnt',
  'srvtcpka-idle', 'srvtcpka-intvl', 'srvtimeout', 'tcp-check', 'tcp-request', 'tcp-response', 'timeout', 'use-fcgi-app',
  'listen', 'frontend', 'backend', 'defaults', 'server', 'default-server', 'server-template', 'bind', 'monitor-net',
  'monitor-uri', 'mode', 'id', 'description', 'disabled', 'enabled', 'bind-process', 'acl', 'dynamic-cookie-key', 'cookie',
  'email-alert', 'persist', 'appsession', 'load-server-state-from-file', 'server-state-file-name', 'max-session-srv-conns',
  'capture', 'retries', 'http-request', 'http-response', 'http-after-response', 'http-send-name-header', 'block', 'redirect',
  'use_backend', 'use-server', 'force-persist', 'ignore-persist', 'stick-table', 'stick', 'stats', 'option', 'default_backend',
  'http-reuse', 'monitor', 'transparent', 'maxconn', 'backlog', 'fullconn', 'dispatch', 'balance', 'hash-type',
  'hash-balance-factor', 'unique-id-format', 'unique-id-header', 'log-format', 'log-format-sd', 'log-tag', 'log', 'source',
  'usesrc', 'error-log-format',
];

/** A context whose "not supported yet" notes are dropped: for statements HAProxy ignores. */
class IgnoredStatementContext<S> extends KeywordContext<S> {
  override notYet(): void {}
}

/**
 * HAProxy 2.6 shifts the words after a "default" prefix without clearing the last one: the
 * keyword sees its last word twice ("default option httpclose" reads "option httpclose
 * httpclose"). Reproduced, since it decides which statements are errors.
 */
function effectiveContext(ctx: KeywordContext<ProxyModel>): KeywordContext<ProxyModel> {
  if (ctx.modifier !== 'default') return ctx;
  const words = [...ctx.words, ctx.words[ctx.words.length - 1]!];
  return new KeywordContext(ctx.load, ctx.state, ctx.where, words, ctx.modifier);
}

/**
 * Runs a proxy keyword: capability checks of configuration.txt 4.1 (with HAProxy's messages
 * and its exceptions, see ProxyRow), then the row's parser.
 */
function runProxyRow(ctx: KeywordContext<ProxyModel>, row: KeywordRow<ProxyModel>): void {
  const r = row as ProxyRow;
  const args = ctx.words;
  const proxy = ctx.state;
  const cap = r.cap ?? CAP_ALL;
  const shown = r.name.startsWith('option ') ? r.name.slice(7) : r.name;
  if (!r.capByParse) {
    if (proxy.kind === 'defaults') {
      if (!(cap & CAP_DEF)) {
        // The server keywords (capMismatch 'alert') word it "[file:line] : ...".
        ctx.alert(`'${shown}' not allowed in 'defaults' section.`, r.capMismatch === 'alert' ? 'bare' : r.defaultsTight ? 'tight' : 'spaced');
        return;
      }
      if (cap & CAP_NAMED_DEF_ONLY && proxy.name === '') {
        ctx.alert(`'${shown}' not allowed in anonymous 'defaults' section.`);
        return;
      }
    } else if (!hasCap(proxy, cap)) {
      if (r.capMismatch === 'alert') {
        // HAProxy's server parser puts the location twice: "[f:l] : parsing [f:l] : ...".
        const missing = proxy.cap & CAP_FE ? 'backend' : 'frontend';
        ctx.alert(`${locationPrefix(ctx)}'${shown}' not allowed because ${describe(proxy)} has no ${missing} capability.`, 'bare');
        return;
      }
      warnIfNotCap(ctx, cap, shown, r.capHint);
      if (r.capThenParse) {
        // HAProxy parses the statement anyway: its errors count, but it does not apply.
        r.parse(new IgnoredStatementContext(ctx.load, ctx.state, ctx.where, ctx.words, ctx.modifier), args);
      }
      return;
    }
  }
  runRow(ctx, r, args);
}

function proxySection(kind: ProxyKind, summary: string): SectionRow<ProxyModel> {
  return {
    name: kind,
    kind,
    status: 'supported',
    summary,
    keywords: proxyKeywords,
    modifiers: true,
    open(ctx, args) {
      return openProxy(kind, ctx, args);
    },
    orphan(ctx) {
      ctx.alert("'listen' or 'defaults' expected.");
    },
    admit(ctx, row) {
      // Every proxy row runs here (capabilities, "default" prefix); the parser's own run is skipped.
      runProxyRow(effectiveContext(ctx), row);
      return false;
    },
    unknown(ctx, args) {
      let word = args[0]!;
      if (ctx.modifier) modifierNotSupported(ctx);
      else if ((word === 'no' || word === 'default') && args.length === 1) {
        // A lone prefix: HAProxy takes it as a prefix to an empty keyword.
        modifierNotSupported(ctx);
        word = '';
      }
      const best = word === '' ? undefined : haproxyBestMatch(word, SUGGESTED_KEYWORDS);
      ctx.alert(`unknown keyword '${word}' in '${kind}' section${best ? `; did you mean '${best}' maybe ?` : ''}`);
    },
    badModifier(ctx, row) {
      if (row.name.startsWith('option ')) {
        ctx.alert(`negation/default is not supported for option '${row.name.slice(7)}'.`, 'tight');
        return;
      }
      // HAProxy reports the prefix, then parses the statement all the same.
      modifierNotSupported(ctx);
      runProxyRow(effectiveContext(ctx), row);
    },
  };
}

export const proxySections: SectionRow<ProxyModel>[] = [
  proxySection('defaults', 'Default settings for the proxies that follow (optionally named, see "from").'),
  proxySection('frontend', 'Accepts client connections (bind lines) and picks a backend.'),
  proxySection('backend', 'A set of servers and how to balance connections across them.'),
  proxySection('listen', 'A frontend and a backend in one section.'),
];
