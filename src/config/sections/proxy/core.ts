/**
 * Core proxy keywords (configuration.txt 4.2): mode, description, default_backend, balance,
 * hash-type, hash-balance-factor, id, disabled, enabled, maxconn, backlog, fullconn, retries,
 * bind-process, transparent, max-session-srv-conns.
 */
import type { BalanceModel, ProxyModel } from '../../model/proxy.js';
import { CAP_ALL, CAP_BE, CAP_DEF, CAP_FE } from '../../types.js';
import { atoi, atol, tooManyArgs, type ProxyRow } from './support.js';

const mode: ProxyRow = {
  name: 'mode',
  cap: CAP_ALL,
  status: 'partial',
  note: 'mode http is not supported yet',
  summary: 'Protocol the proxy speaks: tcp (layer 4) or http (layer 7).',
  parse(ctx, args) {
    if (tooManyArgs(ctx, args, 1)) return;
    const m = args[1] ?? '';
    if (m === 'health') {
      ctx.alert("'mode health' doesn't exist anymore. Please use 'http-request return status 200' instead.");
      return;
    }
    if (m !== 'tcp' && m !== 'http') {
      ctx.alert(`unknown proxy mode '${m}'.`);
      return;
    }
    ctx.state.mode = m;
    if (m === 'http') ctx.notYet("keyword 'mode http'");
  },
};

const description: ProxyRow = {
  name: 'description',
  cap: CAP_FE | CAP_BE,
  capByParse: true,
  status: 'supported',
  summary: 'Text shown on the stats page and in the runtime API.',
  parse(ctx, args) {
    if (ctx.state.kind === 'defaults') {
      ctx.alert("'description' not allowed in 'defaults' section.", 'tight');
      return;
    }
    if (args.length < 2) {
      // HAProxy returns -1 here: reading stops, reported as if the file could not be opened.
      ctx.alert("'description' expects a string argument.", 'tight');
      ctx.abort();
      ctx.load.diag.alert(undefined, `Could not open configuration file ${ctx.where.file} : Success`);
      return;
    }
    ctx.state.description = args.slice(1).join(' ');
  },
};

const defaultBackend: ProxyRow = {
  name: 'default_backend',
  cap: CAP_FE | CAP_DEF,
  capThenParse: true,
  status: 'supported',
  summary: 'Backend used when no use_backend rule matches.',
  parse(ctx, args) {
    if (!args[1]) {
      ctx.alert("'default_backend' expects a backend name.");
      return;
    }
    ctx.state.defaultBackend = { name: args[1], where: ctx.where };
    tooManyArgs(ctx, args, 1);
  },
};

const BALANCE_USAGE =
  "balance only supports 'roundrobin', 'static-rr', 'leastconn', 'source', 'uri', 'url_param', 'hdr(name)' and 'rdp-cookie(name)' options.";

type BalanceResult = Omit<BalanceModel, 'where'> | { error: string };

/** "uri [len <n>] [depth <n>] [whole] [path-only]" (4.2 "balance"). */
function balanceUri(args: readonly string[]): BalanceResult {
  const out: Record<string, unknown> = {};
  for (let i = 2; i < args.length; i++) {
    const w = args[i]!;
    if (w === 'len' || w === 'depth') {
      const v = atoi(args[i + 1]);
      if (v <= 0) return { error: `balance uri : '${w}' expects a positive integer (got '${args[i + 1] ?? ''}').` };
      out[w] = v;
      i++;
    } else if (w === 'whole') out['whole'] = true;
    else if (w === 'path-only') out['pathOnly'] = true;
    else return { error: `balance uri only accepts parameters 'len', 'depth', 'path-only', and 'whole' (got '${w}').` };
  }
  return { algorithm: 'uri', args: out };
}

/** "url_param <param> [check_post]": anything after check_post is ignored, as by HAProxy. */
function balanceUrlParam(args: readonly string[]): BalanceResult {
  const param = args[2];
  if (!param) return { error: 'balance url_param requires an URL parameter name.' };
  const mod = args[3];
  if (mod !== undefined && mod !== 'check_post') return { error: `balance url_param only accepts 'check_post' modifier (got '${mod}').` };
  return { algorithm: 'url_param', args: mod ? { param, checkPost: true } : { param } };
}

/** "hdr(<name>) [use_domain_only]": text after the closing parenthesis is ignored. */
function balanceHdr(args: readonly string[]): BalanceResult {
  const word = args[1]!;
  const close = word.indexOf(')', 4);
  if (close <= 4) return { error: 'balance hdr requires an http header field name.' };
  const name = word.slice(4, close);
  const mod = args[2];
  if (mod !== undefined && mod !== 'use_domain_only') return { error: `balance hdr(${name}) only accepts 'use_domain_only' modifier (got '${mod}').` };
  return { algorithm: 'hdr', args: mod ? { name, useDomainOnly: true } : { name } };
}

/** "random[(<draws>)]": HAProxy matches the prefix "random" (so "randomx" is random too). */
function balanceRandom(args: readonly string[]): BalanceResult {
  const rest = args[1]!.slice(6);
  if (!rest.startsWith('(')) return { algorithm: 'random', args: { draws: 2 } };
  const close = rest.indexOf(')');
  if (close < 0) return { error: 'balance random : missing closing parenthesis.' };
  const inner = rest.slice(1, close);
  if (inner === '') return { algorithm: 'random', args: { draws: 2 } };
  const m = /^\s*[-+]?[0-9]*/.exec(inner)!;
  if (m[0].length < inner.length) return { error: `balance random : unexpected character '${inner[m[0].length]}' after argument.` };
  const draws = Number(m[0].trim()) || 0;
  if (draws < 1) return { error: 'balance random : number of draws must be at least 1.' };
  return { algorithm: 'random', args: { draws } };
}

/** "rdp-cookie[(<name>)]": prefix match; a name is required once a parenthesis is open. */
function balanceRdpCookie(args: readonly string[]): BalanceResult {
  const rest = args[1]!.slice(10);
  if (rest === '') return { algorithm: 'rdp-cookie', args: { name: 'mstshash' } };
  const close = rest.indexOf(')');
  if (rest[0] !== '(' || close <= 1) return { error: 'balance rdp-cookie : missing cookie name.' };
  return { algorithm: 'rdp-cookie', args: { name: rest.slice(1, close) } };
}

/** "hash <expr>": the expression is checked once every section is read (checks/proxy.ts). */
function balanceHash(args: readonly string[]): BalanceResult {
  if (!args[2]) return { error: 'balance hash requires a sample expression.' };
  if (args[3] !== undefined) return { error: `balance hash takes no other argument (got '${args[3]}').` };
  return { algorithm: 'hash', args: { expr: args[2] } };
}

/** Algorithms without arguments: anything after them is ignored, as by HAProxy. */
const SIMPLE = new Set(['roundrobin', 'static-rr', 'leastconn', 'first', 'source']);

function parseBalance(args: readonly string[]): BalanceResult {
  const w = args[1];
  if (w === undefined) return { algorithm: 'roundrobin', args: {} };
  if (SIMPLE.has(w)) return { algorithm: w as BalanceModel['algorithm'], args: {} };
  if (w.startsWith('random')) return balanceRandom(args);
  if (w === 'uri') return balanceUri(args);
  if (w === 'url_param') return balanceUrlParam(args);
  if (w.startsWith('hdr(')) return balanceHdr(args);
  if (w.startsWith('rdp-cookie')) return balanceRdpCookie(args);
  if (w === 'hash') return balanceHash(args);
  return { error: BALANCE_USAGE };
}

/**
 * Hash-based algorithms whose key (URI, parameter, header: HTTP) is not read yet;
 * `balance hash <expr>` runs when its expression's fetches do (checked once every section is
 * known, config/checks/proxy.ts).
 */
const KEY_NOT_YET = new Set<string>(['uri', 'url_param', 'hdr']);

const balance: ProxyRow = {
  name: 'balance',
  cap: CAP_BE | CAP_DEF,
  capThenParse: true,
  status: 'partial',
  note: 'uri, url_param, hdr, rdp-cookie and hash do not run yet (they need HTTP or sample expressions at run time)',
  summary: 'Load-balancing algorithm of a backend, with its arguments.',
  parse(ctx, args) {
    const r = parseBalance(args);
    if ('error' in r) {
      ctx.alert(r.error);
      return;
    }
    ctx.state.balance = { ...r, where: ctx.where };
    // src/lb runs every algorithm; these lack their key at run time (docs/balancing.md).
    if (KEY_NOT_YET.has(r.algorithm)) ctx.notYet(`'balance ${r.algorithm}'`);
  },
};

const HASH_FUNCTIONS = new Set(['sdbm', 'djb2', 'wt6', 'crc32']);

const hashType: ProxyRow = {
  name: 'hash-type',
  cap: CAP_BE | CAP_DEF,
  capThenParse: true,
  status: 'supported',
  summary: 'How hash-based algorithms map a hash to a server: map-based or consistent, hash function, avalanche.',
  parse(ctx, args) {
    const method = args[1];
    if (method === 'avalanche') {
      ctx.alert("experimental feature 'hash-type avalanche' is not supported anymore, please use 'hash-type map-based sdbm avalanche' instead.");
      return;
    }
    if (method !== 'consistent' && method !== 'map-based') {
      ctx.alert("'hash-type' only supports 'consistent' and 'map-based'.");
      return;
    }
    const fn = args[2];
    if (fn === undefined) {
      // Without a function: sdbm, with avalanche for consistent hashing.
      ctx.state.hashType = { method, function: 'sdbm', avalanche: method === 'consistent' };
      return;
    }
    if (!HASH_FUNCTIONS.has(fn)) {
      ctx.alert("'hash-type' only supports 'sdbm', 'djb2', 'crc32', or 'wt6' hash functions.");
      return;
    }
    const mod = args[3];
    if (mod !== undefined && mod !== 'avalanche') {
      ctx.alert("'hash-type' only supports 'avalanche' as a modifier for hash functions.");
      return;
    }
    ctx.state.hashType = { method, function: fn as 'sdbm', avalanche: mod === 'avalanche' };
  },
};

const hashBalanceFactor: ProxyRow = {
  name: 'hash-balance-factor',
  cap: CAP_BE | CAP_DEF,
  capByParse: true, // HAProxy does not check where it is used
  status: 'supported',
  summary: 'Bounded load for consistent hashing: a server takes at most this percentage of the average load.',
  parse(ctx, args) {
    if (!args[1]) {
      ctx.alert("'hash-balance-factor' expects an integer argument.");
      return;
    }
    const v = atoi(args[1]);
    if (v !== 0 && v <= 100) {
      ctx.alert("'hash-balance-factor' must be 0 or greater than 100.");
      return;
    }
    ctx.state.hashBalanceFactor = v;
  },
};

/** Proxy ids given with `id`, per configuration being loaded. */
const usedIds = new WeakMap<object, Map<number, ProxyModel>>();

const id: ProxyRow = {
  name: 'id',
  cap: CAP_FE | CAP_BE,
  capByParse: true,
  status: 'supported',
  summary: 'Numeric identifier of the proxy (stats, runtime API); unique among proxies.',
  parse(ctx, args) {
    const p = ctx.state;
    if (p.kind === 'defaults') {
      ctx.alert("'id' not allowed in 'defaults' section.", 'tight');
      return;
    }
    if (tooManyArgs(ctx, args, 1)) return;
    if (!args[1]) {
      ctx.alert("'id' expects an integer argument.", 'tight');
      return;
    }
    const v = atoi(args[1]);
    p.id = v;
    p.idWhere = ctx.where;
    if (v <= 0) {
      ctx.alert('custom id has to be > 0.', 'tight');
      return;
    }
    let ids = usedIds.get(ctx.load);
    if (!ids) usedIds.set(ctx.load, (ids = new Map()));
    // HAProxy changes the key of a proxy already indexed by a first `id` in place: a second
    // one finds the proxy itself, and the proxy is then known under the new number.
    const previous = [...ids.entries()].find(([, q]) => q === p);
    if (previous) {
      ids.delete(previous[0]);
      ids.set(v, p);
    }
    const other = previous ? p : ids.get(v);
    if (other) {
      const t = (q: ProxyModel): string => (q.kind === 'listen' ? 'proxy' : q.kind);
      ctx.alert(`${t(p)} ${p.name} reuses same custom id as ${t(other)} ${other.name} (declared at ${other.where.file}:${other.where.line}).`, 'tight');
      return;
    }
    ids.set(v, p);
  },
};

function flag(name: 'disabled' | 'enabled', summary: string): ProxyRow {
  return {
    name,
    cap: CAP_ALL,
    status: 'supported',
    summary,
    parse(ctx, args) {
      if (tooManyArgs(ctx, args, 0)) return;
      ctx.state.disabled = name === 'disabled';
    },
  };
}

/** maxconn, backlog, fullconn: "<kw> <integer>", read with atol, extra words refused after. */
function counter(name: 'maxconn' | 'backlog' | 'fullconn', cap: number, summary: string, hint?: string): ProxyRow {
  return {
    name,
    cap,
    capThenParse: true,
    capHint: hint,
    status: 'supported',
    summary,
    parse(ctx, args) {
      if (!args[1]) {
        ctx.alert(`'${name}' expects an integer argument.`);
        return;
      }
      ctx.state[name] = atoi(args[1]);
      tooManyArgs(ctx, args, 1);
    },
  };
}

/** What `retry-on` accepts (configuration.txt 4.2 "retry-on"). */
const RETRY_ON = new Set([
  'none', 'conn-failure', 'empty-response', 'junk-response', 'response-timeout', '0rtt-rejected',
  '401', '403', '404', '408', '425', '500', '501', '502', '503', '504', 'all-retryable-errors',
]);

const retryOn: ProxyRow = {
  name: 'retry-on',
  cap: CAP_BE | CAP_DEF,
  capByParse: true, // an error, not a warning, in a frontend; and only once the words are read
  status: 'partial',
  note: 'conn-failure and none apply; the HTTP cases come with HTTP mode',
  summary: 'Which failures of a request are retried (connection failures, timeouts, statuses, ...).',
  parse(ctx, args) {
    if (args.length < 2) {
      ctx.alert("'retry-on' needs at least one keyword to specify when to retry");
      return;
    }
    const p = ctx.state;
    if (p.kind === 'frontend') {
      ctx.alert("'retry-on' only available in backend or listen section");
      return;
    }
    const on: string[] = [];
    for (const w of args.slice(1)) {
      if (w === 'none' && args.length !== 2) {
        ctx.alert("'retry-on' 'none' keyworld only usable alone");
        return;
      }
      if (!RETRY_ON.has(w)) {
        ctx.alert(`'retry-on': unknown keyword '${w}'`);
        return;
      }
      on.push(w);
    }
    p.retryOn = on;
  },
};

const retries: ProxyRow = {
  name: 'retries',
  cap: CAP_BE | CAP_DEF,
  capThenParse: true,
  status: 'supported',
  summary: 'How many times a failed connection to a server is retried.',
  parse(ctx, args) {
    if (tooManyArgs(ctx, args, 1)) return;
    if (!args[1]) {
      ctx.alert("'retries' expects an integer argument (dispatch counts for one).");
      return;
    }
    ctx.state.retries = atoi(args[1]);
  },
};

/**
 * One word of `bind-process` (HAProxy's parse_process_number with a single process): all,
 * odd, even, or numbers/ranges that must stay within 1..1.
 */
function processSetError(word: string): string | undefined {
  if (word === 'all' || word === 'odd' || word === 'even') return undefined;
  let dash = -1;
  for (let i = 0; i < word.length; i++) {
    if (word[i] === '-' && dash < 0) dash = i;
    else if (!/[0-9]/.test(word[i]!)) return `'${word}' is not a valid number/range.`;
  }
  const num = (s: string): number => Number(/^[0-9]*/.exec(s)![0] || '0') >>> 0;
  let low = num(word);
  let high = dash < 0 ? low : word.slice(dash + 1) === '' ? 1 : num(word.slice(dash + 1));
  if (high < low) [low, high] = [high, low];
  // This message of HAProxy's ends with a line feed (printed as an empty line).
  if (low < 1 || low > 1 || high > 1) return `'${word}' is not a valid number/range. It supports numbers from 1 to 1.\n`;
  return undefined;
}

const bindProcess: ProxyRow = {
  name: 'bind-process',
  cap: CAP_ALL,
  status: 'nomeaning',
  note: 'HAProxy 2.6 runs a single process and ignores it too',
  summary: 'Deprecated: processes a proxy runs on (HAProxy 2.6 has one process).',
  parse(ctx, args) {
    for (const w of args.slice(1)) {
      const err = processSetError(w);
      if (err) {
        ctx.alert(`bind-process : ${err}`);
        return;
      }
    }
    ctx.warning("'bind-process' has no effect, is deprecated, and will be removed in version 2.7.", 'tight');
  },
};

const transparent: ProxyRow = {
  name: 'transparent',
  cap: CAP_BE | CAP_DEF,
  capByParse: true, // HAProxy accepts it anywhere
  status: 'notyet',
  summary: 'Deprecated form of "option transparent": connect to the address the client targeted.',
  parse(ctx, args) {
    if (tooManyArgs(ctx, args, 0)) return;
    ctx.state.transparent = true;
  },
};

const maxSessionSrvConns: ProxyRow = {
  name: 'max-session-srv-conns',
  cap: CAP_FE | CAP_DEF,
  capThenParse: true,
  status: 'notyet',
  summary: 'Undocumented: most server connections one client session may keep idle.',
  parse(ctx, args) {
    if (!args[1]) {
      // HAProxy's own spelling of its location prefix.
      ctx.load.diag.alert(undefined, `parsine [${ctx.where.file}:${ctx.where.line}] : 'max-session-srv-conns' expects a number. Got no argument`);
      return;
    }
    ctx.state.maxSessionSrvConns = atol(args[1]) | 0;
  },
};

/** Keywords removed from HAProxy: refused with its message. */
function removed(name: string, message: (args: readonly string[]) => string, tight = false): ProxyRow {
  return {
    name,
    cap: CAP_ALL,
    capByParse: true,
    status: 'supported',
    summary: 'Removed from HAProxy: refused with its explanation.',
    parse(ctx, args) {
      ctx.alert(message(args), tight ? 'tight' : 'spaced');
    },
  };
}

/** The header rewriting keywords removed in HAProxy 2.1, with its advice for each. */
const REMOVED_21: [string, string][] = [
  ['block', " Use 'http-request deny' which uses the exact same syntax."],
  ['cliexp', " Use 'http-request replace-path', 'http-request replace-uri' or 'http-request replace-header' instead."],
  ['reqrep', " Use 'http-request replace-path', 'http-request replace-uri' or 'http-request replace-header' instead."],
  ['reqdel', " Use 'http-request del-header' instead."],
  ['reqallow', " Use 'http-request allow' instead."],
  ['reqtarpit', " Use 'http-request tarpit' instead."],
  ['reqirep', " Use 'http-request replace-header' instead."],
  ['reqidel', " Use 'http-request del-header' instead."],
  ['reqideny', " Use 'http-request deny' instead."],
  ['reqipass', ''],
  ['reqiallow', " Use 'http-request allow' instead."],
  ['reqitarpit', " Use 'http-request tarpit' instead."],
  ['reqadd', " Use 'http-request add-header' instead."],
  ['srvexp', " Use 'http-response replace-header' instead."],
  ['rsprep', " Use 'http-response replace-header' instead."],
  ['rspdel', " Use 'http-response del-header' ."],
  ['rspdeny', " Use 'http-response deny' instead."],
  ['rspirep', " Use 'http-response replace-header' instead."],
  ['rspidel', " Use 'http-response del-header' instead."],
  ['rspideny', " Use 'http-response deny' instead."],
  ['rspadd', " Use 'http-response add-header' instead."],
];

const REMOVED: ProxyRow[] = [
  ...REMOVED_21.map(([name, advice]) => removed(name, () => `The '${name}' directive is not supported anymore since HAProxy 2.1.${advice}`)),
  // These two lack the word "directive" in HAProxy's message.
  removed('reqdeny', () => "The 'reqdeny' not supported anymore since HAProxy 2.1. Use 'http-request deny' instead."),
  removed('reqpass', () => "The 'reqpass' not supported anymore since HAProxy 2.1."),
  removed('monitor-net', (a) => `'monitor-net' doesn't exist anymore. Please use 'http-request return status 200 if { src ${a[1] ?? ''} }' instead.`),
  removed('appsession', () => "'appsession' is not supported anymore since HAProxy 1.6."),
  removed('redispatch', () => "keyword 'redispatch' directive is not supported anymore since HAProxy 2.1. Use 'option redispatch'."),
  removed('redisp', () => "keyword 'redisp' directive is not supported anymore since HAProxy 2.1. Use 'option redispatch'."),
  removed('grace', () => "the 'grace' keyword is not supported any more since HAProxy version 2.5.", true),
];

export const rows: ProxyRow[] = [
  mode,
  description,
  defaultBackend,
  balance,
  hashType,
  hashBalanceFactor,
  id,
  flag('disabled', 'Disables the proxy: it is parsed but does not run.'),
  flag('enabled', 'Enables a proxy that a defaults section disabled.'),
  counter('maxconn', CAP_FE | CAP_DEF, 'Most concurrent client connections on the frontend.', " Maybe you want 'fullconn' instead ?"),
  counter('backlog', CAP_FE | CAP_DEF, 'Length of the listening sockets\' accept queue.'),
  counter('fullconn', CAP_BE | CAP_DEF, 'Backend load at which servers reach their maxconn (dynamic minconn).', " Maybe you want 'maxconn' instead ?"),
  retries,
  retryOn,
  bindProcess,
  transparent,
  maxSessionSrvConns,
  ...REMOVED,
];
