/**
 * Whole-configuration checks of servers and bind lines, as HAProxy makes them once every line
 * is read (cfgparse.c check_config_validity, ssl_sock.c context preparation, check.c
 * init_srv_check), in HAProxy's order: for each proxy, its servers (TLS context, TCP Fast Open,
 * tracking), what needs HTTP mode, multiplexers, resolvers, then its bind lines (multiplexer,
 * threads, TLS context); health check ports come after every proxy.
 */
import { cipherListOk, cipherSuitesOk, curvesOk } from '../bind-options/tls/openssl.js';
import { bindTlsDefaults, serverTlsDefaults, serverVerifyDefault } from '../bind-options/tls/defaults.js';
import { loadCertFile, loadServerCrt } from '../bind-options/tls/files.js';
import { tlsVersions } from '../bind-options/tls/versions.js';
import { parseNumberSet, MAX_THREADS, threadCount } from '../bind-options/threads.js';
import type { LoadState } from '../load-state.js';
import type { BindModel, CrtListEntryModel } from '../model/bind.js';
import type { ProxyModel } from '../model/proxy.js';
import type { ServerModel, ServerSourceModel } from '../model/server.js';
import { ServerMessages } from '../server-options/messages.js';
import { CAP_BE, CAP_FE } from '../types.js';
import type { PostCheck } from './types.js';

/** "backend 'b'", "frontend 'f'", "proxy 'l'". */
function describe(p: ProxyModel): string {
  return `${p.kind === 'listen' ? 'proxy' : p.kind} '${p.name}'`;
}

/** "[file:line]" of a server or bind line. */
function where(_p: ProxyModel, s: { where: { file: string; line: number } }): string {
  return `[${s.where.file}:${s.where.line}]`;
}

const VERIFY_WITHOUT_CA =
  "verify is enabled by default but no CA file specified. If you're running on a LAN where you're certain to trust the server's certificate, please set an explicit 'verify none' statement on the 'server' line, or use 'ssl-server-verify none' in the global section to disable server-side verifications by default.";

/** Multiplexers by mode (haproxy -vv "Available multiplexer protocols"). */
const MUX_MODE: Record<string, 'http' | 'tcp'> = { h1: 'http', h2: 'http', fcgi: 'http', none: 'tcp' };
/** fcgi only talks to servers. */
const MUX_BACKEND_ONLY = new Set(['fcgi']);

function usesTls(s: ServerModel): boolean {
  return s.options['ssl'] === true || s.options['check-ssl'] === true;
}

/** The TLS context of a server: client certificate, versions, verification, cipher lists. */
function serverTls(load: LoadState, p: ProxyModel, s: ServerModel, m: ServerMessages): void {
  const o = s.options;
  const defaults = serverTlsDefaults(load);
  const crt = o['crt'];
  if (typeof crt === 'string') {
    const r = loadServerCrt(load, crt);
    if ('error' in r) m.alert(r.error.replace(/\n$/, ''));
  }
  const v = tlsVersions(defaults.options, o);
  if (v.flagsIgnored) m.warning("no-sslv3/no-tlsv1x are ignored for this server. Use only 'ssl-min-ver' and 'ssl-max-ver' to fix.");
  if (!v.range) m.alert(`${describe(p)}: all SSL/TLS versions are disabled for server '${s.name}'.`);
  const verify = (o['verify'] as string | undefined) ?? serverVerifyDefault(load);
  if (verify === 'required' && typeof o['ca-file'] !== 'string') m.alert(VERIFY_WITHOUT_CA);
  const ciphers = (o['ciphers'] as string | undefined) ?? defaults.ciphers;
  if (ciphers !== undefined && !cipherListOk(ciphers)) m.alert(`unable to set SSL cipher list to '${ciphers}'.`);
  const suites = (o['ciphersuites'] as string | undefined) ?? defaults.ciphersuites;
  if (suites !== undefined && !cipherSuitesOk(suites)) m.alert(`unable to set TLS 1.3 cipher suites to '${suites}'.`);
}

/** retry-on as the proxy section recorded it (default: conn-failure). */
function retryOn(p: ProxyModel): readonly string[] {
  return p.retryOn ?? ['conn-failure'];
}

function tfoRetriesOk(p: ProxyModel): boolean {
  const r = retryOn(p);
  const all = r.includes('all-retryable-errors');
  return all || (r.includes('empty-response') && r.includes('response-timeout'));
}

/** [<backend>/]<server> of `track`, resolved to a server, or HAProxy's message. */
function findTracked(load: LoadState, p: ProxyModel, spec: string): ServerModel | string {
  const slash = spec.indexOf('/');
  let proxy = p;
  let name = spec;
  if (slash >= 0) {
    const pname = spec.slice(0, slash);
    name = spec.slice(slash + 1);
    const found = load.proxies.find((q) => q.name === pname && q.cap & CAP_BE);
    if (!found) return `unable to find required proxy '${pname}' for tracking.`;
    proxy = found;
  }
  const target = proxy.servers.find((s) => s.name === name);
  if (!target) return `unable to find required server '${name}' for tracking.`;
  return target;
}

/** Per-proxy checks of servers and bind lines. */
const proxyServersAndBinds: PostCheck = (load) => {
  const tracked = new Map<ServerModel, ServerModel>();
  const proxyOf = new Map<ServerModel, ProxyModel>();
  for (const p of load.proxies) for (const s of p.servers) proxyOf.set(s, p);

  for (const p of load.proxies) {
    if (p.cap & CAP_BE) {
      for (const s of p.servers) {
        const m = new ServerMessages(load.diag, s.where, `'server ${p.name}/${s.name}' : `);
        if (usesTls(s)) serverTls(load, p, s, m);
        if (s.options['tfo'] === true && !tfoRetriesOk(p)) {
          m.warning(
            "server has tfo activated, the backend should be configured with at least 'conn-failure', 'empty-response' and 'response-timeout' or we wouldn't be able to retry the connection on failure.",
          );
        }
        const spec = s.options['track'];
        if (typeof spec === 'string') {
          const target = findTracked(load, p, spec);
          if (typeof target === 'string') {
            m.alert(target);
            continue;
          }
          const tp = proxyOf.get(target)!;
          const t = target.options;
          if (t['check'] !== true && t['agent-check'] !== true && typeof t['track'] !== 'string') {
            m.alert(`unable to use ${tp.name}/${target.name} for tracking as it does not have any check nor agent enabled.`);
            continue;
          }
          let loop: ServerModel | undefined = target;
          let looped = false;
          while (loop) {
            if (loop === s) {
              looped = true;
              break;
            }
            loop = tracked.get(loop);
          }
          if (looped) {
            m.alert(`unable to track ${tp.name}/${target.name} as it belongs to a tracking chain looping back to ${p.name}/${s.name}.`);
            continue;
          }
          tracked.set(s, target);
        }
      }
      if (p.mode !== 'http') {
        for (const s of p.servers) {
          if (typeof s.options['redir'] === 'string') load.diag.alert(undefined, `${describe(p)} : server cannot have cookie or redirect prefix in non-HTTP mode.`);
          if (typeof s.options['cookie'] === 'string') load.diag.warning(undefined, `${describe(p)} : ignoring cookie for server '${s.name}' as HTTP mode is disabled.`);
          const usesrc = (s.options['source'] as ServerSourceModel | undefined)?.usesrc;
          if (usesrc?.kind === 'hdr_ip') {
            load.diag.warning(undefined, `${describe(p)} : server ${s.name} cannot use header ${usesrc.header} as source IP in non-HTTP mode.`);
          }
        }
      }
      for (const s of p.servers) {
        const proto = s.options['proto'];
        if (typeof proto === 'string' && MUX_MODE[proto] !== (p.mode === 'http' ? 'http' : 'tcp')) {
          load.diag.alert(undefined, `${describe(p)} : MUX protocol '${proto}' is not usable for server '${s.name}' at ${where(p, s)}.`);
        }
      }
      for (const s of p.servers) {
        const r = s.options['resolvers'];
        if (typeof r === 'string' && !load.resolvers.some((x) => x.name === r)) {
          load.diag.alert(undefined, `${describe(p)}, server '${s.name}': unable to find required resolvers '${r}'`);
        }
      }
    }
    if (p.cap & CAP_FE) for (const b of p.binds) bindSocketChecks(load, p, b);
  }
};

/** TLS contexts of the bind lines, once every proxy was checked. */
const bindTlsContexts: PostCheck = (load) => {
  for (const p of load.proxies) {
    if (!(p.cap & CAP_FE)) continue;
    for (const b of p.binds) if (b.options['ssl'] === true) bindTls(load, p, b);
  }
};

/** Multiplexer and threads of a bind line. */
function bindSocketChecks(load: LoadState, p: ProxyModel, b: BindModel): void {
  const text = b.text ?? '';
  const proto = b.options['proto'];
  if (typeof proto === 'string' && (MUX_MODE[proto] !== (p.mode === 'http' ? 'http' : 'tcp') || MUX_BACKEND_ONLY.has(proto))) {
    load.diag.alert(undefined, `${describe(p)} : MUX protocol '${proto}' is not usable for 'bind ${text}' at ${where(p, b)}.`);
  }
  const thread = b.options['thread'];
  if (typeof thread === 'string') {
    const set = thread.includes('/') ? thread.slice(thread.indexOf('/') + 1) : thread;
    const r = parseNumberSet(set, MAX_THREADS);
    // Threads beyond nbthread are dropped; only a set with none left is an error.
    if (!('error' in r) && r.lowest > threadCount(load)) {
      load.diag.alert(undefined, `Proxy '${p.name}': 'thread' directive contains threads that belong to no group in 'bind ${text}' at ${where(p, b)}.`);
    }
  }
}

/**
 * The TLS contexts of an `ssl` bind line: one for the line, one per certificate (crt files,
 * crt-list entries with their own settings). Errors of all the contexts make one alert.
 */
function bindTls(load: LoadState, p: ProxyModel, b: BindModel): void {
  const o = b.options;
  const text = b.text ?? '';
  const at = `for bind '${text}' at ${where(p, b)}`;
  const crts = (o['crt'] as readonly unknown[] | undefined) ?? [];
  const list = (o['crt-list'] as readonly CrtListEntryModel[] | undefined) ?? [];
  const listCerts = list.reduce((n, e) => n + e.certificates.length, 0);
  if (crts.length === 0 && listCerts === 0) {
    load.diag.alert(undefined, `Proxy '${p.name}': no SSL certificate specified for bind '${text}' at ${where(p, b)} (use 'crt').`);
    return;
  }
  const defaults = bindTlsDefaults(load);
  const v = tlsVersions(defaults.options, o, 'TLSv1.2');
  if (v.flagsIgnored) {
    load.diag.warning(undefined, `Proxy '${p.name}': no-sslv3/no-tlsv1x are ignored ${at}. Use only 'ssl-min-ver' and 'ssl-max-ver' to fix.`);
  }
  if (v.ambiguous) {
    load.diag.warning(
      undefined,
      `Proxy '${p.name}': Ambiguous configuration ${at}: the ssl-min-ver value is not configured and the ssl-max-ver value is lower than the default ssl-min-ver value (TLSv1.2). Setting the ssl-min-ver to ${v.ambiguous}. Use 'ssl-min-ver' to fix this.`,
    );
  }
  if (!v.range) load.diag.alert(undefined, `Proxy '${p.name}': all SSL/TLS versions are disabled ${at}.`);
  // crt-list entries with their own versions get their own context.
  for (const e of list) {
    if (e.options['ssl-min-ver'] === undefined && e.options['ssl-max-ver'] === undefined) continue;
    if (!tlsVersions(defaults.options, { ...o, ...e.options }, 'TLSv1.2').range) {
      load.diag.alert(undefined, `Proxy '${p.name}': all SSL/TLS versions are disabled ${at}.`);
    }
  }

  const contextErrors = (conf: Readonly<Record<string, unknown>>): string[] => {
    const errs: string[] = [];
    const verify = conf['verify'];
    if ((verify === 'optional' || verify === 'required') && typeof conf['ca-file'] !== 'string') {
      errs.push(`Proxy '${p.name}': verify is enabled but no CA file specified ${at}.`);
    }
    const ciphers = (conf['ciphers'] as string | undefined) ?? defaults.ciphers;
    if (ciphers !== undefined && !cipherListOk(ciphers)) errs.push(`Proxy '${p.name}': unable to set SSL cipher list to '${ciphers}' ${at}.`);
    const suites = (conf['ciphersuites'] as string | undefined) ?? defaults.ciphersuites;
    if (suites !== undefined && !cipherSuitesOk(suites)) errs.push(`Proxy '${p.name}': unable to set TLS 1.3 cipher suites to '${suites}' ${at}.`);
    const curves = (conf['curves'] as string | undefined) ?? defaults.curves;
    if (curves !== undefined) {
      if (!curvesOk(curves)) errs.push(`Proxy '${p.name}': unable to set SSL curves list to '${curves}' ${at}.`);
    } else if (typeof conf['ecdhe'] === 'string' && !curvesOk(conf['ecdhe'])) {
      errs.push(`Proxy '${p.name}': unable to set elliptic named curve to '${conf['ecdhe']}' ${at}.`);
    }
    return errs;
  };
  const errors: string[] = [];
  const lineErrors = contextErrors(o);
  // The line's own context, then one per certificate loaded by `crt`.
  for (let k = 0; k <= crts.length; k++) errors.push(...lineErrors);
  for (const e of list) {
    const merged = { ...o, ...e.options };
    for (let k = 0; k < e.certificates.length; k++) errors.push(...contextErrors(merged));
  }
  if (errors.length > 0) load.diag.alert(undefined, errors.join('\n'));

  if (o['generate-certificates'] === true) {
    const file = o['ca-sign-file'];
    if (typeof file !== 'string') {
      load.diag.alert(undefined, `Proxy '${p.name}': cannot enable certificate generation, no CA certificate File configured at ${where(p, b)}.`);
    } else {
      const r = loadCertFile(load, file, true);
      if ('error' in r) {
        load.diag.alert(undefined, `Proxy '${p.name}': Failed to read CA certificate file '${file}' at ${where(p, b)}. Chain loading failed: ${r.error}`);
      }
    }
  }
}

/** Health check ports and protocols (check.c init_srv_check), after every proxy. */
const healthCheckPorts: PostCheck = (load) => {
  // Backends without a check configuration of their own share a default rule set created by
  // the first of them: later ones are told about "tcp_check rule 'connect'" too.
  let sharedRules = false;
  for (const p of load.proxies) {
    if (!(p.cap & CAP_BE)) continue;
    const hc = p.healthCheck;
    const written = !hc ? [] : hc.type === 'http' ? hc.http.rules : hc.type === 'tcp-check' ? hc.tcp.rules : [];
    const plain = !hc || hc.type === 'tcp' || (hc.type === 'tcp-check' && written.length === 0 && (hc.inherited ?? []).length === 0);
    const firstRule = (hc?.rules ?? written).find((r) => r.action !== 'comment');
    const connectPort =
      firstRule?.action === 'connect' && ((firstRule.port ?? 0) > 0 || firstRule.portExpr !== undefined || (firstRule.addr?.port ?? 0) > 0);
    for (const s of p.servers) {
      if (s.options['check'] !== true) continue;
      const proto = s.options['check-proto'];
      if (typeof proto === 'string' && MUX_MODE[proto] !== (hc?.type === 'http' ? 'http' : 'tcp')) {
        load.diag.alert(undefined, `config: ${describe(p)}: server '${s.name}' uses an incompatible MUX protocol for the selected check type`);
        continue;
      }
      const a = s.address;
      const inet = a.family === 'ipv4' || a.family === 'ipv6';
      const checkAddr = s.options['addr'] as { port?: number; family?: string } | undefined;
      const port = Number(s.options['port'] ?? 0) > 0 || (a.port !== undefined && a.port > 0) || (checkAddr?.port ?? 0) > 0;
      const inetCheck = checkAddr ? checkAddr.family === 'ipv4' || checkAddr.family === 'ipv6' : inet;
      if (!port && inetCheck) {
        if (plain && !sharedRules) load.diag.alert(undefined, `config: ${describe(p)}: server '${s.name}' has neither service port nor check port.`);
        else if (!connectPort) {
          load.diag.alert(undefined, `config: ${describe(p)}: server '${s.name}' has neither service port nor check port nor tcp_check rule 'connect' with port information.`);
        } else continue;
        continue;
      }
    }
    if (plain) sharedRules = true;
  }
};

export const serverChecks: PostCheck[] = [proxyServersAndBinds, bindTlsContexts, healthCheckPorts];
