/**
 * Whole-configuration checks of proxies (HAProxy's check_config_validity), run once every
 * section is read. HAProxy walks the proxies in declaration order and runs all its checks on
 * one proxy before the next; disabled proxies are skipped. The steps below are in the order
 * HAProxy 2.6 reports their messages for a proxy.
 */
import { KeywordContext } from '../keywords.js';
import type { LoadState } from '../load-state.js';
import type { ProxyModel } from '../model/proxy.js';
import { HTTP_ONLY_OPTIONS } from '../sections/proxy/options.js';
import { describe } from '../sections/proxy/support.js';
import { CAP_BE, CAP_FE, type Where } from '../types.js';
import { parseLogFormat, type LogFormatPart } from '../../log/log-format.js';
import { sampleNotYet } from '../../sample/compile.js';
import { parseSampleExpr } from '../../sample/expr.js';
import type { PostCheck } from './types.js';

type Step = (load: LoadState, p: ProxyModel, state: ProxyCheckState) => void;

/** What earlier steps found out about a proxy, for later ones. */
interface ProxyCheckState {
  /** A log format (log-format or a predefined one) / a log-format-sd string compiled. */
  logFormatCompiled: boolean;
  logFormatSdCompiled: boolean;
}

const at = (w: Where): string => `${w.file}:${w.line}`;

/** A backend named by default_backend (HAProxy looks it up among proxies with a backend side). */
function findBackend(load: LoadState, name: string): ProxyModel | undefined {
  return load.proxies.find((q) => q.name === name && q.cap & CAP_BE);
}

/** "cookie", "monitor-uri", Layer 7 hashing: HTTP features in a tcp proxy are dropped. */
const httpFeaturesInTcp: Step = (load, p) => {
  if (p.mode === 'http') return;
  if (p.cookie) load.diag.warning(undefined, `cookie will be ignored for ${describe(p)} (needs 'mode http').`);
  if (p.monitorUri !== undefined) load.diag.warning(undefined, `monitor-uri will be ignored for ${describe(p)} (needs 'mode http').`);
  const alg = p.balance?.algorithm;
  if (alg === 'uri' || alg === 'url_param' || alg === 'hdr') {
    load.diag.warning(undefined, `Layer 7 hash not possible for ${describe(p)} (needs 'mode http'). Falling back to round robin.`);
    p.balance = { algorithm: 'roundrobin', args: {}, where: p.balance!.where };
  }
  const lf = p.logFormat;
  if (lf && (lf.kind === 'httplog' || lf.kind === 'httplog clf' || lf.kind === 'httpslog')) {
    const name = lf.kind === 'httpslog' ? 'httpslog' : 'httplog';
    load.diag.warning(lf.where, `'option ${name}' not usable with ${describe(p)} (needs 'mode http'). Falling back to 'option tcplog'.`);
    p.logFormat = { where: lf.where, kind: 'tcplog' };
  }
};

/** A frontend without bind line accepts nothing. */
const frontendHasBind: Step = (load, p) => {
  if (p.cap & CAP_FE && p.binds.length === 0) {
    load.diag.warning(undefined, `${describe(p)} has no 'bind' directive. Please declare it as a backend if this was intended.`);
  }
};

/** email-alert needs from, mailers and to, and the mailers section must exist. */
const emailAlert: Step = (load, p) => {
  const e = p.emailAlert;
  if (!e) return;
  if (e.from === undefined || e.mailers === undefined || e.to === undefined) {
    load.diag.warning(
      undefined,
      `'email-alert' will be ignored for ${describe(p)} (the presence any of 'email-alert from', 'email-alert level' 'email-alert mailers', 'email-alert myhostname', or 'email-alert to' requires each of 'email-alert from', 'email-alert mailers' and 'email-alert to' to be present).`,
    );
    return;
  }
  if (!load.mailers.some((m) => m.name === e.mailers)) {
    load.diag.alert(undefined, `Proxy '${p.name}': unable to find mailers '${e.mailers}'.`);
  }
};

/** default_backend names a backend, not the proxy itself, of a compatible mode. */
const defaultBackend: Step = (load, p) => {
  if (!p.defaultBackend) return;
  const name = p.defaultBackend.name;
  const target = findBackend(load, name);
  if (!target) {
    load.diag.alert(undefined, `Proxy '${p.name}': unable to find required default_backend: '${name}'.`);
  } else if (target === p) {
    load.diag.alert(undefined, `Proxy '${p.name}': loop detected for default_backend: '${name}'.`);
  } else if (p.mode === 'http' && target.mode !== 'http') {
    load.diag.alert(
      undefined,
      `http ${describe(p)} (${at(p.where)}) tries to use incompatible ${target.mode} ${describe(target)} (${at(target.where)}) as its default backend (see 'mode').`,
    );
  }
};

/** errorfiles name an http-errors section holding the statuses asked for. */
const errorFiles: Step = (load, p) => {
  for (const m of p.errorMessages) {
    if (m.kind !== 'errorfiles') continue;
    const section = load.httpErrors.find((s) => s.name === m.section);
    if (!section) {
      load.diag.alert(undefined, `proxy '${p.name}': unknown http-errors section '${m.section}' (at ${at(m.where)}).`);
      continue;
    }
    const declared = new Set(section.errorfiles.map((e) => e.status));
    for (const s of m.statuses) {
      if (!declared.has(s)) {
        load.diag.warning(undefined, `config: proxy '${p.name}' : status '${s}' not declared in http-errors section '${m.section}' (at ${at(m.where)}).`);
      }
    }
  }
};

/**
 * Filters referring to other sections (cache, fcgi-app); compression settings need a
 * compression filter when the proxy declares filters explicitly.
 */
const filterReferences: Step = (load, p) => {
  const before = load.diag.count('alert');
  for (const f of p.filters) {
    if (f.name === 'cache') {
      const name = f.args['cache'] as string;
      if (!load.caches.some((c) => c.name === name)) {
        load.diag.alert(undefined, `config: ${describe(p)}: unable to find the cache '${name}' referenced by the filter 'cache'.`);
      }
    } else if (f.name === 'fcgi-app') {
      const name = f.args['app'] as string;
      if (!load.fcgiApps.some((a) => a.name === name)) load.diag.alert(undefined, `proxy '${p.name}' : fcgi-app '${name}' not found.`);
      if (p.mode !== 'http') load.diag.alert(undefined, `proxy '${p.name}': FCGI application cannot be used in non-HTTP mode.`);
      else if (!p.servers.some((s) => s.options['proto'] === 'fcgi')) {
        load.diag.alert(undefined, `proxy '${p.name}': FCGI app configured but no FCGI server found.`);
      }
    }
  }
  if (load.diag.count('alert') !== before) return;
  const c = p.compression;
  const compressing = c.algorithms.length > 0 || c.types.length > 0 || c.offload;
  if (compressing && p.filters.length > 0 && !p.filters.some((f) => f.name === 'compression')) {
    load.diag.alert(undefined, `config: ${describe(p)}: require an explicit filter declaration to use HTTP compression`);
  }
};

/**
 * Compiles one format string where HAProxy does ("Parsing [file:line]: failed to parse
 * log-format : <why>."). The format parser is given the proxy, whose mode decides which
 * variables are allowed. Returns false when it was refused.
 */
function compileFormat(load: LoadState, p: ProxyModel, where: Where, text: string, what: string): LogFormatPart[] | undefined {
  const ctx = new KeywordContext<unknown>(load, p, where, [what, text]);
  const r = parseLogFormat(ctx, text, 'log');
  if ('error' in r) {
    load.diag.alert(where, `failed to parse ${what} : ${r.error}.`, 'capital');
    return undefined;
  }
  return r.parts;
}

/** log-format strings are compiled for frontends only; unique-id-format everywhere. */
const formats: Step = (load, p, state) => {
  if (p.cap & CAP_FE) {
    const lf = p.logFormat;
    if (lf && lf.kind === 'custom' && lf.text !== undefined) {
      // The runtime uses these parts: their sample expressions are parsed only here.
      const parts = compileFormat(load, p, lf.where, lf.text, 'log-format');
      state.logFormatCompiled = parts !== undefined;
      if (parts) p.logFormat = { ...lf, parts };
    } else if (lf) {
      state.logFormatCompiled = true;
    }
    // HAProxy reports log-format-sd errors at the line of the log format ("(null):0" without one).
    if (p.logFormatSd) {
      state.logFormatSdCompiled = compileFormat(load, p, lf?.where ?? { file: '(null)', line: 0 }, p.logFormatSd.text, 'log-format-sd') !== undefined;
    }
    if (p.errorLogFormat) compileFormat(load, p, p.errorLogFormat.where, p.errorLogFormat.text, 'error-log-format');
  }
  if (p.uniqueIdFormat) compileFormat(load, p, p.uniqueIdFormat.where, p.uniqueIdFormat.text, 'unique-id');
};

/** balance hash <expr>: the expression is checked once every section is known. */
const balanceHash: Step = (load, p) => {
  const b = p.balance;
  if (b?.algorithm !== 'hash') return;
  const expr = b.args['expr'] as string;
  const ctx = new KeywordContext<unknown>(load, p, b.where ?? p.where, ['balance', 'hash', expr]);
  const r = parseSampleExpr(ctx, expr, 'be-use-server');
  if ('error' in r) {
    load.diag.alert(undefined, `${describe(p)} [${at(p.where)}]: failed to parse 'balance hash' expression '${expr}' in : ${r.error}.`);
    return;
  }
  const missing = sampleNotYet(r.expr);
  if (missing.length > 0) load.diag.notYet(b.where ?? p.where, `'balance hash ${expr}' with ${missing.join(', ')}`);
  p.balance = { ...b, expr: r.expr };
};

/**
 * HAProxy warns about a proxy that may wait forever: a frontend without client timeout, a
 * backend with servers but no connect timeout, or no server timeout (a tunnel timeout will
 * do in tcp mode).
 */
const missingTimeouts: Step = (load, p) => {
  const t = p.timeouts;
  const client = p.cap & CAP_FE && !t['client'];
  const server = p.cap & CAP_BE && p.servers.length > 0 && (!t['connect'] || (!t['server'] && (p.mode === 'http' || !t['tunnel'])));
  if (client || server) {
    load.diag.warning(
      undefined,
      `missing timeouts for ${describe(p)}.\n` +
        '   | While not properly invalid, you will certainly encounter various problems\n' +
        '   | with such a configuration. To fix this, please ensure that all following\n' +
        "   | timeouts are set to a non-zero value: 'client', 'connect', 'server'.",
    );
  }
};

/** load-server-state-from-file global needs the global server-state-file. */
const serverStateFile: Step = (load, p) => {
  if (p.loadServerStateFromFile?.from !== 'global') return;
  if (load.global.serverStateFile === undefined) {
    load.diag.warning(
      undefined,
      `backend '${p.name}' configured to load server state file from global section 'server-state-file' directive. Unfortunately, 'server-state-file' is not set!`,
    );
  }
};

/** A log format without any log target has nothing to format (formats that failed do not count). */
const logFormatIgnored: Step = (load, p, state) => {
  if (!(p.cap & CAP_FE) || p.logs.length > 0) return;
  if (state.logFormatCompiled || state.logFormatSdCompiled) {
    load.diag.warning(undefined, `log format ignored for ${describe(p)} since it has no log address.`);
  }
};

/** HTTP-only settings of a proxy in tcp mode are ignored, each with a warning. */
const httpOnlyInTcp: Step = (load, p) => {
  if (p.mode === 'http') return;
  if (p.captures.cookie) load.diag.warning(undefined, `'capture' statement ignored for ${describe(p)} as it requires HTTP mode.`);
  if (p.forwardFor) load.diag.warning(undefined, `'option forwardfor' ignored for ${describe(p)} as it requires HTTP mode.`);
  if (p.originalTo) load.diag.warning(undefined, `'option originalto' ignored for ${describe(p)} as it requires HTTP mode.`);
  for (const { name, cap } of HTTP_ONLY_OPTIONS) {
    if (p.cap & cap && p.options[name]?.enabled) load.diag.warning(undefined, `'option ${name}' ignored for ${describe(p)} as it requires HTTP mode.`);
  }
  const u = p.source?.usesrc;
  if (u?.kind === 'hdr_ip') {
    load.diag.warning(undefined, `${describe(p)} : ignoring use of header ${u.header} as source IP in non-HTTP mode.`);
  }
};

const STEPS: readonly Step[] = [
  httpFeaturesInTcp,
  frontendHasBind,
  emailAlert,
  defaultBackend,
  errorFiles,
  filterReferences,
  formats,
  balanceHash,
  missingTimeouts,
  serverStateFile,
  logFormatIgnored,
  httpOnlyInTcp,
];

/** Runs every step on each enabled proxy, in declaration order. */
const perProxy: PostCheck = (load) => {
  for (const p of load.proxies) {
    if (p.disabled) continue;
    const state: ProxyCheckState = { logFormatCompiled: false, logFormatSdCompiled: false };
    for (const step of STEPS) step(load, p, state);
  }
};

/**
 * Proxies without `id` get the lowest free numbers, in declaration order (as HAProxy). With a
 * stats socket, HAProxy's own CLI proxy ("GLOBAL") takes 1 first.
 */
const assignIds: PostCheck = (load) => {
  const used = new Set(load.proxies.map((p) => p.id).filter((id): id is number => id !== undefined));
  if (load.global.statsSockets.length > 0) used.add(1);
  let next = 1;
  for (const p of load.proxies) {
    if (p.id !== undefined) continue;
    while (used.has(next)) next++;
    p.id = next;
    used.add(next);
  }
};

export const proxyChecks: PostCheck[] = [perProxy, assignIds];
