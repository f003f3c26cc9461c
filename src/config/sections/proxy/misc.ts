/**
 * Other proxy keywords of configuration.txt 4.2: rate-limit, TCP keep-alive tuning, source,
 * persist, http-reuse, http-send-name-header, max-keep-alive-queue, monitor-uri, server state
 * files, cookie, dynamic-cookie-key, capture, compression, filter, email-alert and the error
 * pages (errorfile, errorfiles, errorloc*).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseAddress, type AddressRules } from '../../address.js';
import type { KeywordContext } from '../../keywords.js';
import type { Mutable } from '../../load-state.js';
import type { AddressModel } from '../../model/address.js';
import type { CookieModel, FilterModel, ProxyModel, SourceModel } from '../../model/proxy.js';
import { CAP_ALL, CAP_BE, CAP_DEF, CAP_FE } from '../../types.js';
import { ERROR_STATUSES, readErrorFile } from './errorfile.js';
import { LOG_LEVELS } from '../../log-target.js';
import { atol, describe, hasCap, locationPrefix, modifierNotSupported, parseHaTime, resolveAddress, secondsArg, strtolArg, tooManyArgs, typeName, warnIfNotCap, warnTimeTrailing, type ProxyRow } from './support.js';

type Ctx = KeywordContext<ProxyModel>;

/** "<kw> will be ignored because frontend 'x' has no backend capability" (proxy.c wording). */
function ignoredForCap(ctx: Ctx, cap: number, kw: string): boolean {
  const p = ctx.state;
  if (hasCap(p, cap)) return false;
  ctx.warning(`${kw} will be ignored because ${describe(p)} has no ${cap & CAP_FE ? 'frontend' : 'backend'} capability`);
  return true;
}

/** An integer read by proxy.c keywords: missing, then bad characters, are errors. */
function integerArg(ctx: Ctx, text: string | undefined, kw: string, expects: string): number | undefined {
  if (text === undefined || text === '') {
    ctx.alert(`'${kw}' ${expects}`);
    return undefined;
  }
  const r = strtolArg(text);
  if ('char' in r) {
    ctx.alert(`'${kw}' : unexpected character '${r.char}' in integer value '${text}'`);
    return undefined;
  }
  return r.value;
}

const rateLimit: ProxyRow = {
  name: 'rate-limit sessions',
  cap: CAP_FE | CAP_DEF,
  capByParse: true,
  status: 'notyet',
  summary: 'Most new sessions per second a frontend accepts.',
  parse(ctx, args) {
    const v = integerArg(ctx, args[2], 'rate-limit sessions', 'expects expects an integer value (in sessions/second)');
    if (v === undefined) return;
    if (ignoredForCap(ctx, CAP_FE, 'rate-limit sessions')) return;
    ctx.state.rateLimitSessions = v;
  },
};

/** clitcpka-cnt/idle/intvl and srvtcpka-cnt/idle/intvl: keep-alive probe settings. */
function keepAliveRow(side: 'cli' | 'srv', what: 'cnt' | 'idle' | 'intvl'): ProxyRow {
  const name = `${side}tcpka-${what}`;
  const cap = side === 'cli' ? CAP_FE : CAP_BE;
  const summaries = {
    cnt: 'number of unanswered keep-alive probes before the connection is dropped',
    idle: 'idle time before the first keep-alive probe',
    intvl: 'time between keep-alive probes',
  };
  return {
    name,
    cap: cap | CAP_DEF,
    capByParse: true,
    // Node.js sets the idle delay of keep-alive probes, not their count nor their interval.
    status: what === 'idle' ? 'supported' : 'notyet',
    note: what === 'idle' ? undefined : 'Node.js cannot set TCP_KEEPCNT/TCP_KEEPINTVL on a socket',
    summary: `TCP keep-alive on the ${side === 'cli' ? 'client' : 'server'} side: ${summaries[what]}.`,
    parse(ctx, args) {
      let v: number | undefined;
      if (what === 'cnt') {
        v = integerArg(ctx, args[1], name, 'expects an integer value');
      } else if (!args[1]) {
        ctx.alert(`'${name}' expects an integer value`);
      } else {
        // Seconds, with proxy.c's words: the overflow message of millisecond timers, and a
        // line feed at the end of the bad-character one (printed as an empty line).
        const r = parseHaTime(args[1], 's');
        if ('error' in r) {
          if (r.error === 'char') ctx.alert(`unexpected character '${r.char}' in argument to <${name}>.\n`);
          else if (r.error === 'overflow') ctx.alert(`timer overflow in argument '${args[1]}' to '${name}' (maximum value is 2147483647 ms or ~24.8 days)`);
          else ctx.alert(`timer underflow in argument '${args[1]}' to '${name}' (minimum non-null value is 1 ms)`);
        } else {
          warnTimeTrailing(ctx, r, args[1]);
          v = r.value;
        }
      }
      if (v === undefined) return;
      if (ignoredForCap(ctx, cap, name)) return;
      (side === 'cli' ? ctx.state.clientKeepAlive : ctx.state.serverKeepAlive)[what] = v;
    },
  };
}

const maxKeepAliveQueue: ProxyRow = {
  name: 'max-keep-alive-queue',
  cap: CAP_BE | CAP_DEF,
  capByParse: true,
  status: 'notyet',
  summary: 'Queue length above which a kept-alive request may go to another server.',
  parse(ctx, args) {
    const v = integerArg(ctx, args[1], 'max-keep-alive-queue', 'expects expects an integer value (or -1 to disable)');
    if (v === undefined) return;
    if (ignoredForCap(ctx, CAP_BE, 'max-keep-alive-queue')) return;
    ctx.state.maxKeepAliveQueue = v;
  },
};

/** Addresses of `source` and `usesrc`: stream sockets, a port but no range. */
const SOURCE_ADDRESS: AddressRules = { defaultSocket: 'stream', accept: ['stream'], portAllowed: true, portZero: true };

function sourceAddress(ctx: Ctx, kw: string, text: string): AddressModel | undefined {
  const r = parseAddress(text, SOURCE_ADDRESS);
  if ('error' in r) {
    // Some of HAProxy's address messages end with a line feed, printed as an empty line.
    ctx.alert(`'${kw} ${text}' : ${r.error}${r.newline ? '\n' : ''}`);
    return undefined;
  }
  const address = r.address;
  const ok = resolveAddress(ctx, address, () => ctx.alert(`'${kw} ${text}' : invalid address: '${address.hostname}' in '${text}'\n`));
  if (!ok) return undefined;
  return address;
}

/** "hdr_ip(<name>[,<occ>])" of usesrc. */
function parseHdrIp(ctx: Ctx, text: string): SourceModel['usesrc'] | undefined {
  let rest = text.slice(7).replace(/^\s+/, '');
  const name = /^[^\s,)]*/.exec(rest)![0];
  rest = rest.slice(name.length).replace(/^\s+/, '');
  let occurrence = -1;
  if (rest.startsWith(',')) {
    const m = /^-?[0-9]*/.exec(rest.slice(1))![0];
    occurrence = m === '' || m === '-' ? 0 : Number(m);
  }
  if (occurrence < -10) {
    ctx.alert('usesrc hdr_ip(name,num) does not support negative occurrences values smaller than 10.');
    return undefined;
  }
  return { kind: 'hdr_ip', header: name, occurrence };
}

const source: ProxyRow = {
  name: 'source',
  cap: CAP_BE | CAP_DEF,
  capThenParse: true,
  status: 'partial',
  note: 'usesrc and interface need kernel features Node.js cannot reach (IP_TRANSPARENT, SO_BINDTODEVICE): refused',
  summary: 'Local address (and port) of connections to servers, with optional transparent "usesrc" and "interface".',
  parse(ctx, args) {
    if (!args[1]) {
      ctx.alert("'source' expects <addr>[:<port>], and optionally 'usesrc' <addr>, and 'interface' <name>.");
      return;
    }
    const address = sourceAddress(ctx, 'source', args[1]);
    if (!address) return;
    const model: Mutable<SourceModel> = { where: ctx.where, address };
    for (let i = 2; i < args.length; i += 2) {
      const w = args[i]!;
      if (w === 'usesrc') {
        const v = args[i + 1];
        if (!v) {
          ctx.alert("'usesrc' expects <addr>[:<port>], 'client', or 'clientip' as argument.");
          return;
        }
        if (v === 'client' || v === 'clientip') model.usesrc = { kind: v };
        else if (v.startsWith('hdr_ip(')) {
          const u = parseHdrIp(ctx, v);
          if (!u) return;
          model.usesrc = u;
        } else {
          const a = sourceAddress(ctx, 'usesrc', v);
          if (!a) return;
          model.usesrc = { kind: 'address', address: a };
        }
      } else if (w === 'interface') {
        if (!args[i + 1]) {
          ctx.alert("'source' : missing interface name.");
          return;
        }
        model.interface = args[i + 1];
      } else {
        ctx.alert("'source' only supports optional keywords 'interface' and 'usesrc'.");
        return;
      }
    }
    // Node.js opens sockets without IP_TRANSPARENT nor SO_BINDTODEVICE: these parts cannot run.
    if (model.usesrc) ctx.notYet("keyword 'source ... usesrc' (transparent proxying needs IP_TRANSPARENT, which Node.js cannot set)");
    if (model.interface !== undefined) ctx.notYet("keyword 'source ... interface' (SO_BINDTODEVICE cannot be set from Node.js)");
    ctx.state.source = model;
  },
};

const usesrc: ProxyRow = {
  name: 'usesrc',
  cap: CAP_ALL,
  capByParse: true,
  status: 'supported',
  summary: 'Only valid as part of a "source" line: refused alone, as by HAProxy.',
  parse(ctx) {
    ctx.alert("'usesrc' only allowed after a 'source' statement.");
  },
};

const persist: ProxyRow = {
  name: 'persist',
  cap: CAP_BE | CAP_DEF,
  capByParse: true, // HAProxy does not check where it is used
  status: 'notyet',
  summary: 'persist rdp-cookie[(<name>)]: stick RDP clients to the server named by their cookie.',
  parse(ctx, args) {
    const w = args[1];
    if (!w) {
      ctx.alert('missing persist method.');
      return;
    }
    if (!w.startsWith('rdp-cookie')) {
      ctx.alert('unknown persist method.');
      return;
    }
    const rest = w.slice(10);
    const refused = (): void => ctx.alert("persist rdp-cookie(name)' requires an rdp cookie name.");
    if (rest === '') {
      ctx.state.persistRdpCookie = 'msts';
      return;
    }
    if (rest[0] !== '(') return refused();
    if (tooManyArgs(ctx, args, 1)) return;
    const close = rest.indexOf(')');
    if (close <= 1) return refused();
    ctx.state.persistRdpCookie = rest.slice(1, close);
  },
};

const REUSE = ['never', 'safe', 'aggressive', 'always'] as const;

const httpReuse: ProxyRow = {
  name: 'http-reuse',
  cap: CAP_BE | CAP_DEF,
  capThenParse: true,
  status: 'notyet',
  summary: 'When idle server connections may be shared between client connections.',
  parse(ctx, args) {
    const v = args[1] as (typeof REUSE)[number];
    if (!REUSE.includes(v)) {
      ctx.alert("'http-reuse' only supports 'never', 'safe', 'aggressive', 'always'.");
      return;
    }
    ctx.state.httpReuse = v;
    tooManyArgs(ctx, args, 0, 1);
  },
};

const httpSendNameHeader: ProxyRow = {
  name: 'http-send-name-header',
  cap: CAP_BE | CAP_DEF,
  capThenParse: true,
  status: 'notyet',
  summary: 'Add a request header holding the name of the chosen server.',
  parse(ctx, args) {
    if (!args[1]) {
      ctx.alert("'http-send-name-header' requires a header string.");
      return;
    }
    ctx.state.sendNameHeader = args[1].toLowerCase();
  },
};

const monitorUri: ProxyRow = {
  name: 'monitor-uri',
  cap: CAP_FE | CAP_DEF,
  capThenParse: true,
  status: 'notyet',
  summary: 'URI answered with 200 by the frontend itself, for monitoring.',
  parse(ctx, args) {
    if (tooManyArgs(ctx, args, 1)) return;
    if (!args[1]) {
      ctx.alert("'monitor-uri' expects an URI.");
      return;
    }
    ctx.state.monitorUri = args[1];
  },
};

const loadServerState: ProxyRow = {
  name: 'load-server-state-from-file',
  cap: CAP_BE | CAP_DEF,
  capThenParse: true,
  status: 'notyet',
  summary: 'Where server states are loaded from at startup: global, local or none.',
  parse(ctx, args) {
    const v = args[1];
    if (v !== 'global' && v !== 'local' && v !== 'none') {
      ctx.alert(`'load-server-state-from-file' expects 'global', 'local' or 'none'. Got '${v ?? ''}'`);
      return;
    }
    ctx.state.loadServerStateFromFile = { from: v, where: ctx.where };
  },
};

const serverStateFileName: ProxyRow = {
  name: 'server-state-file-name',
  cap: CAP_BE | CAP_DEF,
  capThenParse: true,
  status: 'notyet',
  summary: 'File the backend\'s server states are loaded from ("use-backend-name": the backend\'s name).',
  parse(ctx, args) {
    if (tooManyArgs(ctx, args, 1)) return;
    const v = args[1];
    ctx.state.serverStateFileName = !v || v === 'use-backend-name' ? ctx.state.name : v;
  },
};

const dynamicCookieKey: ProxyRow = {
  name: 'dynamic-cookie-key',
  cap: CAP_BE | CAP_DEF,
  capThenParse: true,
  status: 'notyet',
  summary: 'Secret key of the "cookie ... dynamic" server cookies.',
  parse(ctx, args) {
    if (!args[1]) {
      ctx.alert("'dynamic-cookie-key' expects <secret_key> as argument.");
      return;
    }
    ctx.state.dynamicCookieKey = args[1];
  },
};

/** Characters allowed in a cookie domain (HAProxy's invalid_domainchar). */
function invalidDomainChar(domain: string): string | undefined {
  return /[^A-Za-z0-9_.-]/.exec(domain)?.[0];
}

const COOKIE_FLAGS: Record<string, 'indirect' | 'nocache' | 'postonly' | 'preserve' | 'httponly' | 'secure'> = {
  indirect: 'indirect',
  nocache: 'nocache',
  postonly: 'postonly',
  preserve: 'preserve',
  httponly: 'httponly',
  secure: 'secure',
};

/** `cookie <name> [options]` (configuration.txt 4.2 "cookie"). */
function parseCookie(ctx: Ctx, args: readonly string[]): void {
  if (!args[1]) {
    ctx.alert("'cookie' expects <cookie_name> as argument.");
    return;
  }
  const c: Mutable<CookieModel> & Record<string, unknown> = {
    where: ctx.where,
    name: args[1],
    indirect: false,
    nocache: false,
    postonly: false,
    preserve: false,
    httponly: false,
    secure: false,
    dynamic: false,
    domains: [],
    attrs: [],
  };
  const modes = new Set<string>();
  for (let i = 2; i < args.length; i++) {
    const w = args[i]!;
    const value = args[i + 1];
    if (w === 'rewrite' || w === 'insert' || w === 'prefix') {
      modes.add(w);
      c.mode = w;
    } else if (COOKIE_FLAGS[w]) {
      (c as Record<string, unknown>)[COOKIE_FLAGS[w]] = true;
    } else if (w === 'domain') {
      if (!value) return ctx.alert("'domain' expects <domain> as argument.", 'tight');
      if (!value.includes('.')) {
        ctx.warning(`domain '${value}' contains no embedded dot, this configuration may not work properly (see RFC6265#5.2.3).`, 'tight');
      }
      const bad = invalidDomainChar(value);
      if (bad !== undefined) return ctx.alert(`character '${bad}' is not permitted in domain name '${value}'.`, 'tight');
      (c.domains as string[]).push(value);
      i++;
    } else if (w === 'maxidle' || w === 'maxlife') {
      if (!value) return ctx.alert(`'${w}' expects <${w === 'maxidle' ? 'idletime' : 'lifetime'}> in seconds as argument.`, 'tight');
      const v = secondsArg(ctx, value, w);
      if (v === undefined) return;
      c[w] = v;
      i++;
    } else if (w === 'dynamic') {
      warnIfNotCap(ctx, CAP_BE, 'dynamic');
      c.dynamic = true;
    } else if (w === 'attr') {
      if (!value) return ctx.alert("'attr' expects <value> as argument.", 'tight');
      for (const ch of value) {
        const code = ch.charCodeAt(0);
        if (code < 32 || code === 127 || ch === ';') {
          return ctx.alert(`character '%x${code.toString(16).toUpperCase().padStart(2, '0')}' is not permitted in attribute value.`, 'tight');
        }
      }
      (c.attrs as string[]).push(value);
      i++;
    } else {
      return ctx.alert(
        "'cookie' supports 'rewrite', 'insert', 'prefix', 'indirect', 'nocache', 'postonly', 'domain', 'maxidle', 'dynamic', 'maxlife' and 'attr' options.",
      );
    }
  }
  // HAProxy checks the combinations once the whole line is read, and reports each problem.
  let ok = true;
  if (modes.has('rewrite') && c.indirect) {
    ctx.alert("cookie 'rewrite' and 'indirect' modes are incompatible.");
    ok = false;
  }
  if (modes.size > 1) {
    ctx.alert("cookie 'rewrite', 'insert' and 'prefix' modes are incompatible.");
    ok = false;
  }
  if (c.preserve && !modes.has('insert') && !c.indirect) {
    ctx.alert("cookie 'preserve' requires at least 'insert' or 'indirect'.");
    ok = false;
  }
  if (ok) ctx.state.cookie = c;
}

const cookie: ProxyRow = {
  name: 'cookie',
  cap: CAP_BE | CAP_DEF,
  capThenParse: true,
  status: 'notyet',
  summary: 'Cookie-based persistence: cookie name, insert/rewrite/prefix mode and attributes.',
  parse: parseCookie,
};

/** `capture cookie <name> len <n>`, `capture request|response header <name> len <n>`. */
const capture: ProxyRow = {
  name: 'capture',
  cap: CAP_FE,
  capByParse: true, // capability first (warning only), then refused in defaults per form
  status: 'notyet',
  summary: 'capture cookie|request header|response header <name> len <n>: copy a value into the logs.',
  parse(ctx, args) {
    const p = ctx.state;
    warnIfNotCap(ctx, CAP_FE, 'capture');
    const notInDefaults = (): boolean => {
      if (p.kind !== 'defaults') return false;
      ctx.alert(`'capture ${args[1]}' not allowed in 'defaults' section.`);
      return true;
    };
    if (args[1] === 'cookie') {
      if (notInDefaults() || tooManyArgs(ctx, args, 4, 1)) return;
      if (!args[4]) {
        ctx.alert("'capture' expects 'cookie' <cookie_name> 'len' <len>.");
        return;
      }
      p.captures.cookie = { name: args[2]!, length: atol(args[4]) | 0, where: ctx.where };
      return;
    }
    const dir = args[1];
    if ((dir === 'request' || dir === 'response') && args[2] === 'header') {
      if (notInDefaults() || tooManyArgs(ctx, args, 4, 1)) return;
      if (!args[3] || args[4] !== 'len' || !args[5]) {
        ctx.alert(`'capture ${dir}' expects 'header' <header_name> 'len' <len>.`);
        return;
      }
      const list = dir === 'request' ? p.captures.requestHeaders : p.captures.responseHeaders;
      list.push({ name: args[3], length: atol(args[5]) | 0, where: ctx.where });
      return;
    }
    ctx.alert("'capture' expects 'cookie' or 'request header' or 'response header'.");
  },
};

const COMPRESSION_ALGOS = new Set(['identity', 'deflate', 'raw-deflate', 'gzip']);

const compression: ProxyRow = {
  name: 'compression',
  cap: CAP_ALL,
  status: 'notyet',
  summary: 'HTTP response compression: algo <list>, type <mime types>, offload.',
  parse(ctx, args) {
    const c = ctx.state.compression;
    const what = args[1];
    if (what === 'algo') {
      if (!args[2]) {
        // HAProxy puts the location in this message twice.
        ctx.alert(`${locationPrefix(ctx)}'compression' expects <algorithm>.`);
        return;
      }
      for (const a of args.slice(2)) {
        if (!COMPRESSION_ALGOS.has(a)) {
          ctx.alert(`'compression' : '${a}' is not a supported algorithm.`);
          return;
        }
        c.algorithms.push(a);
      }
    } else if (what === 'type') {
      if (!args[2]) {
        ctx.alert("'compression' expects <type>.");
        return;
      }
      c.types.push(...args.slice(2));
    } else if (what === 'offload') {
      if (ctx.state.kind === 'defaults') {
        ctx.warning("'compression' : 'offload' ignored in 'defaults' section.");
        return;
      }
      c.offload = true;
    } else {
      ctx.alert("'compression' expects 'algo', 'type' or 'offload'");
    }
  },
};

const FILTER_LIST = "Registered keywords :\n    [CACHE] cache\n    [COMP] compression\n    [FCGI] fcgi-app\n    [  OT] opentracing\n    [SPOE] spoe\n    [TRACE] trace";

/** Each filter's arguments (configuration.txt 9), with HAProxy's messages. */
const FILTERS: Record<FilterModel['name'], (ctx: Ctx, args: readonly string[]) => Record<string, unknown> | undefined> = {
  compression(ctx, args) {
    if (args[2] !== undefined) return void ctx.alert(`'filter compression' : unknown keyword '${args[2]}'.`);
    if (ctx.state.filters.some((f) => f.name === 'compression')) {
      return void ctx.alert(`'filter' : '${ctx.state.name}: Proxy supports only one compression filter\n'`);
    }
    return {};
  },
  trace(ctx, args) {
    const out: Record<string, unknown> = {};
    for (let i = 2; i < args.length; i++) {
      const w = args[i]!;
      if (w === 'name') {
        if (!args[i + 1]) return void ctx.alert("'filter' : ''trace' : 'name' option without value'");
        out['name'] = args[++i];
      } else if (w === 'random-parsing' || w === 'random-forwarding' || w === 'hexdump') out[w] = true;
      else return void ctx.alert(`'filter trace' : unknown keyword '${w}'.`);
    }
    return out;
  },
  cache(ctx, args) {
    if (!args[2]) return void ctx.alert("'filter' : 'cache : expects a <name> argument'");
    if (args[3] !== undefined) return void ctx.alert(`'filter cache' : unknown keyword '${args[3]}'.`);
    return { cache: args[2] };
  },
  'fcgi-app'(ctx, args) {
    if (!args[2]) return void ctx.alert("'filter' : 'fcgi-app : expects a <name> argument'");
    if (args[3] !== undefined) return void ctx.alert(`'filter fcgi-app' : unknown keyword '${args[3]}'.`);
    return { app: args[2] };
  },
  spoe(ctx, args) {
    const out: Record<string, unknown> = {};
    for (let i = 2; i < args.length; i++) {
      const w = args[i]!;
      if (w === 'engine' || w === 'config') {
        if (!args[i + 1]) return void ctx.alert(`'filter' : ''spoe' : '${w}' option without value'`);
        out[w] = args[++i];
      } else return void ctx.alert(`'filter' : 'unknown keyword '${w}''`);
    }
    const file = out['config'] as string | undefined;
    if (!file) return void ctx.alert("'filter' : ''spoe' : missing config file'");
    const err = unreadable(file);
    if (err) return void ctx.alert(`'filter' : 'Could not open configuration file ${file} : ${err}'`);
    return out;
  },
  opentracing(ctx, args) {
    const out: Record<string, unknown> = {};
    for (let i = 2; i < args.length; i++) {
      const w = args[i]!;
      if ((w === 'id' || w === 'config') && args[i + 1]) out[w] = args[++i];
    }
    const noId = (): void => {
      if (out['id'] === undefined) ctx.load.diag.warning(undefined, "parsing : 'filter' : 'opentracing' : 'no filter id set, using default id 'ot-filter'");
    };
    const file = out['config'] as string | undefined;
    if (!file) {
      noId();
      return void ctx.alert("'filter' : ''opentracing' : no configuration file specified'");
    }
    const err = unreadable(file);
    if (err) return void ctx.alert(`'filter' : ''${file}' : ${err}'`);
    noId();
    return out;
  },
};

/** strerror() of a file that cannot be read, or undefined. */
function unreadable(file: string): string | undefined {
  try {
    readFileSync(file);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'No such file or directory';
    if (code === 'EACCES') return 'Permission denied';
    if (code === 'EISDIR') return 'Is a directory';
    return existsSync(file) ? 'Input/output error' : 'No such file or directory';
  }
}

const filter: ProxyRow = {
  name: 'filter',
  cap: CAP_FE | CAP_BE,
  capByParse: true,
  status: 'notyet',
  note: 'the configuration files of the spoe and opentracing filters are checked for existence only',
  summary: 'Adds a filter to the streams of the proxy: trace, compression, spoe, cache, fcgi-app, opentracing.',
  parse(ctx, args) {
    const p = ctx.state;
    if (p.kind === 'defaults') {
      ctx.alert(`${locationPrefix(ctx)}filter is not allowed in a 'default' section.`);
      return;
    }
    const name = args[1];
    if (!name) {
      ctx.alert(`${locationPrefix(ctx)}missing argument for 'filter' in ${typeName(p)} '${p.name}'.`);
      return;
    }
    const parse = FILTERS[name as FilterModel['name']];
    if (!parse) {
      ctx.alert(`'filter' : unknown keyword '${name}'. ${FILTER_LIST}`);
      return;
    }
    const out = parse(ctx, args);
    if (!out) return;
    p.filters.push({ where: ctx.where, name: name as FilterModel['name'], args: out });
  },
};

const emailAlert: ProxyRow = {
  name: 'email-alert',
  cap: CAP_ALL,
  status: 'notyet',
  summary: 'email-alert from|to|mailers|myhostname|level <value>: mails sent on server state changes.',
  parse(ctx, args) {
    const what = args[1];
    if (!what) {
      ctx.alert("missing argument after 'email-alert'.");
      return;
    }
    const p = ctx.state;
    const e = (p.emailAlert ??= {});
    if (what === 'from' || what === 'to' || what === 'mailers' || what === 'myhostname') {
      // HAProxy accepts a missing value (it checks the wrong word): an empty setting.
      e[what] = args[2] ?? '';
    } else if (what === 'level') {
      if (!LOG_LEVELS.includes(args[2] ?? '')) {
        // HAProxy's message names the words the other way round.
        ctx.alert(`unknown log level '${what}' after '${args[2] ?? ''}'`);
        return;
      }
      e.level = args[2];
    } else {
      ctx.alert(`email-alert: unknown argument '${what}'.`);
    }
  },
};

/** errorfile <code> <file>: the file is read now; a missing or malformed one is an error. */
const errorfile: ProxyRow = {
  name: 'errorfile',
  cap: CAP_ALL,
  status: 'notyet',
  summary: 'Replaces the response sent for an HTTP status by the content of a file.',
  parse(ctx, args) {
    if (!args[1] || !args[2]) {
      ctx.alert('errorfile : expects <status_code> and <file> as arguments.\n');
      return;
    }
    const status = atol(args[1]) | 0;
    if (!ERROR_STATUSES.has(status)) {
      ctx.alert(`errorfile : status code '${status}' not handled.`);
      return;
    }
    const r = readErrorFile(args[2]);
    if ('error' in r ? r.truncated : r.file.truncated) ctx.load.diag.warning(undefined, `custom error message file '${args[2]}' larger than 16384 bytes. Truncating.`);
    if ('error' in r) {
      ctx.alert(`errorfile : ${r.error}`);
      return;
    }
    ctx.state.errorMessages.push({ kind: 'errorfile', where: ctx.where, status, file: args[2], content: r.file.content });
  },
};

function errorloc(name: 'errorloc' | 'errorloc302' | 'errorloc303'): ProxyRow {
  return {
    name,
    cap: CAP_ALL,
    status: 'notyet',
    summary: `Replaces the response sent for an HTTP status by a ${name === 'errorloc303' ? '303' : '302'} redirect to a URL.`,
    parse(ctx, args) {
      if (!args[1] || !args[2]) {
        ctx.alert(`${name} : expects <status_code> and <url> as arguments.\n`);
        return;
      }
      const status = atol(args[1]) | 0;
      if (!ERROR_STATUSES.has(status)) {
        ctx.alert(`${name} : status code '${status}' not handled.`);
        return;
      }
      ctx.state.errorMessages.push({ kind: name === 'errorloc303' ? 'errorloc303' : 'errorloc302', where: ctx.where, status, url: args[2] });
    },
  };
}

const errorfiles: ProxyRow = {
  name: 'errorfiles',
  cap: CAP_ALL,
  status: 'notyet',
  summary: 'Uses the error pages of an http-errors section (all, or the listed statuses).',
  parse(ctx, args) {
    if (!args[1]) {
      ctx.alert('errorfiles : expects <name> as argument.');
      return;
    }
    const statuses: number[] = [];
    for (const w of args.slice(2)) {
      const status = atol(w) | 0;
      if (!ERROR_STATUSES.has(status)) {
        ctx.alert(`errorfiles : status code '${status}' not handled.`);
        return;
      }
      statuses.push(status);
    }
    ctx.state.errorMessages.push({ kind: 'errorfiles', where: ctx.where, section: args[1], statuses });
  },
};

const useFcgiApp: ProxyRow = {
  name: 'use-fcgi-app',
  cap: CAP_BE,
  capByParse: true, // an error outside backends, checked before the argument
  status: 'notyet',
  summary: 'FastCGI application (fcgi-app section) the backend\'s servers speak to.',
  parse(ctx, args) {
    const p = ctx.state;
    if (!(p.cap & CAP_BE)) {
      ctx.alert("'use-fcgi-app' only available in backend or listen section");
      return;
    }
    if (!args[1]) {
      ctx.alert("'use-fcgi-app' expects <name> as argument");
      return;
    }
    // HAProxy declares it as a filter of the proxy.
    p.filters.push({ where: ctx.where, name: 'fcgi-app', args: { app: args[1] } });
  },
};

export const rows: ProxyRow[] = [
  rateLimit,
  keepAliveRow('cli', 'cnt'),
  keepAliveRow('cli', 'idle'),
  keepAliveRow('cli', 'intvl'),
  keepAliveRow('srv', 'cnt'),
  keepAliveRow('srv', 'idle'),
  keepAliveRow('srv', 'intvl'),
  maxKeepAliveQueue,
  source,
  usesrc,
  persist,
  httpReuse,
  httpSendNameHeader,
  monitorUri,
  loadServerState,
  serverStateFileName,
  dynamicCookieKey,
  cookie,
  capture,
  compression,
  filter,
  emailAlert,
  errorfile,
  errorloc('errorloc'),
  errorloc('errorloc302'),
  errorloc('errorloc303'),
  errorfiles,
  useFcgiApp,
];

/** "rate-limit <other>": HAProxy's message for the unknown kinds. */
export function families(table: import('../../keywords.js').KeywordTable<ProxyModel>): void {
  table.onUnknownMember('rate-limit', (ctx, words) => {
    if (ctx.modifier) modifierNotSupported(ctx);
    const args = ctx.modifier === 'default' ? [...words, words[words.length - 1]!] : words;
    ctx.alert(`'rate-limit' only supports 'sessions' (got '${args[1] ?? ''}')`);
  });
}
