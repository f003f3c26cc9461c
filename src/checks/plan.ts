/**
 * Compiles a server's health check into the engine's plan, once at startup: the rule list of
 * the backend's check type (an implicit connect for the plain check, the section's rules for
 * `option tcp-check` and `option httpchk`, a built-in list for the protocol checks), each step
 * with its data decoded and its matcher compiled, and where a connect step goes
 * (configuration.txt 4.2 "tcp-check connect", "http-check connect", 5.2 "port", "addr",
 * "check-send-proxy").
 */
import type { Socket } from 'node:net';
import type { CheckConnectRule, CheckExpectRule, CheckRuleModel, CheckSendRule, HealthCheckModel } from '../config/model/check.js';
import type { ProxyModel } from '../config/model/proxy.js';
import type { ServerModel } from '../config/model/server.js';
import type { GlobalModel } from '../config/model/global.js';
import { checkSendsProxy, makeProxyLine, serverPpBits } from '../net/proxy-protocol.js';
import { serverTls, serverTlsForCheckRule } from '../net/server-tls.js';
import type { CheckPlan, CheckStep, ConnectTarget, ExpectStep } from './engine.js';
import { compileHttpExpect } from './expect-http.js';
import type { SampleExprModel } from '../config/model/sample.js';
import { compileSampleAs } from '../sample/compile.js';
import type { SampleEnv } from '../sample/types.js';
import type { CheckIdentity } from './check-env.js';
import { compileCheckFormat } from './check-format.js';
import { compileTcpExpect, parseHexText } from './expect-tcp.js';
import { expectTexts } from './expect-texts.js';
import { compileVarAction } from './var-action.js';
import { httpRequest } from './protocols/http.js';
import { isProtocolCheck, PROTOCOL_CHECKS } from './protocols/index.js';

const EMPTY = Buffer.alloc(0);

/** The connect step HAProxy puts in front of a list without one. */
const IMPLICIT_CONNECT: CheckConnectRule = {
  action: 'connect',
  index: 0,
  default: true,
  implicit: true,
  sendProxy: false,
  viaSocks4: false,
  ssl: false,
  linger: false,
};

/** The rules the backend's checks run: the plain check is one implicit connect. */
function rulesOf(hc: HealthCheckModel | undefined): readonly CheckRuleModel[] {
  if (!hc || hc.type === 'tcp') return [IMPLICIT_CONNECT];
  if (hc.type === 'tcp-check' || hc.type === 'http') return hc.rules ?? [IMPLICIT_CONNECT];
  throw new Error(`check type '${hc.type}' does not run yet`);
}

/** HAProxy's step number: the implicit connect is step 0, the others their place + 1. */
function stepId(r: CheckRuleModel): number {
  return r.action === 'connect' && r.implicit ? 0 : r.index + 1;
}

/** What the http-check rules need from the running server (send-state, disable-on-404). */
export interface LiveServer {
  /** The server is down (HAProxy's next_state == STOPPED). */
  stopped(): boolean;
  /** The value of X-Haproxy-Server-State. */
  serverState(): string;
}

interface CompileContext {
  readonly generic: boolean;
  readonly hc?: HealthCheckModel;
  readonly proxy: ProxyModel;
  readonly live?: LiveServer;
}

function compileSteps(rules: readonly CheckRuleModel[], c: CompileContext): CheckStep[] {
  const steps: CheckStep[] = [];
  const hc = c.hc;
  const closeMode = c.proxy.httpConnectionMode === 'httpclose' || c.proxy.httpConnectionMode === 'http-server-close';
  const serverState = hc?.sendState && c.live ? (): string => c.live!.serverState() : undefined;
  const pass404 = hc?.disableOn404 && c.live ? (): boolean => !c.live!.stopped() : undefined;
  let method = '';
  for (const r of rules) {
    const id = stepId(r);
    if (r.action === 'connect') steps.push({ action: 'connect', rule: r, id, comment: r.comment });
    else if (r.action === 'send' && r.type === 'string') steps.push({ action: 'send', data: Buffer.from(r.data ?? '', 'latin1'), id, comment: r.comment });
    else if (r.action === 'send' && r.type === 'binary') steps.push({ action: 'send', data: Buffer.from(r.data ?? '', 'hex'), id, comment: r.comment });
    else if (r.action === 'send' && (r.type === 'string-lf' || r.type === 'binary-lf')) {
      steps.push({ action: 'send', data: formatSendData(r, id), id, comment: r.comment });
    } else if (r.action === 'set-var' || r.action === 'set-var-fmt' || r.action === 'unset-var') {
      steps.push({ action: 'action', run: compileVarAction(r), id, comment: r.comment });
    } else if (r.action === 'send' && r.type === 'http') {
      method = r.method ?? 'OPTIONS';
      steps.push({ action: 'send', data: httpRequest(r, { closeMode, serverState }), id, comment: r.comment });
    } else if (r.action === 'expect' && r.protocol === 'tcp') {
      steps.push({ action: 'expect', rule: r, evaluate: compileTcpExpect(r, c.generic), id, comment: r.comment, ...successInfoOf(r, c.generic) });
    } else if (r.action === 'expect' && r.protocol === 'http') {
      steps.push({ action: 'expect', rule: r, evaluate: compileHttpExpect(r, { bodyless: method === 'HEAD', pass404 }), id, comment: r.comment, ...successInfoOf(r, false) });
    } else if (r.action === 'comment') continue;
    else throw new Error(`health-check rule '${r.action}' does not run yet`);
  }
  return steps;
}

/**
 * What a rule ending a check says of its success (HAProxy's tcpcheck_expect_onsuccess_message):
 * its on-success text, else "(tcp-check)" for `option tcp-check` (also for an empty
 * on-success); and the code of its status-code.
 */
function successInfoOf(r: CheckExpectRule, generic: boolean): Pick<ExpectStep, 'successInfo'> {
  const t = expectTexts(r);
  if (!t.onSuccess && !t.statusCode) return {};
  const empty = r.onSuccess === undefined || r.onSuccess.parts.length === 0;
  return {
    successInfo: (_received, env) => {
      const code = t.statusCode?.(env);
      const desc = empty ? (generic ? '(tcp-check)' : '') : t.onSuccess!(env);
      return { status: r.okStatus ?? 'L7OK', desc, ...(code !== undefined ? { code } : {}) };
    },
  };
}

/**
 * send-lf, send-binary-lf: the bytes of the format when the step runs; nothing is sent when it
 * is empty; a binary one that is not hexadecimal ends the check (HAProxy's texts).
 */
function formatSendData(r: CheckSendRule, id: number): Extract<CheckStep, { action: 'send' }>['data'] {
  const text = compileCheckFormat(r.format ?? { text: '', parts: [] });
  if (r.type === 'string-lf') return (env) => Buffer.from(text(env), 'latin1');
  return (env) => {
    const t = text(env);
    if (t === '') return EMPTY;
    return parseHexText(t) ?? { status: 'L7RSP', desc: `tcp-check send : failed to build log-format string at step ${id}` };
  };
}

/**
 * Links each expect to the head of its chain (HAProxy's expect.head): the first inverted expect
 * among the expects just before it, or itself. A wait resumes there.
 */
export function linkHeads(steps: CheckStep[]): void {
  steps.forEach((step, i) => {
    if (step.action !== 'expect') return;
    let head = i;
    for (let j = i - 1; j >= 0; j--) {
      const prev = steps[j]!;
      // Variable actions do not break a chain (nor do comments, which are not steps).
      if (prev.action === 'action') continue;
      if (prev.action !== 'expect') break;
      if (prev.rule.inverse) head = j;
    }
    if (head !== i) step.head = head;
  });
}

/** The steps of a check: the rules compiled, or a protocol's list, after a connect. */
function stepsOf(hc: HealthCheckModel | undefined, c: CompileContext): CheckStep[] {
  let steps: CheckStep[];
  if (hc && isProtocolCheck(hc.type)) {
    steps = PROTOCOL_CHECKS[hc.type](hc.args);
    if (steps[0]?.action !== 'connect') steps.unshift({ action: 'connect', rule: IMPLICIT_CONNECT, id: 0 });
  } else {
    steps = compileSteps(rulesOf(hc), c);
  }
  linkHeads(steps);
  return steps;
}

export interface PlanSettings {
  readonly inter: number;
  readonly connectTimeout: number;
  readonly checkTimeout: number;
  /** Global `pp2-never-send-local`. */
  readonly neverSendLocal: boolean;
  /** The running server, for send-state and disable-on-404. */
  readonly live?: LiveServer;
  /** The global section: server-side TLS defaults (ssl-server-verify, ssl-default-server-*). */
  readonly global?: GlobalModel;
  /** The checked server and its backend, as sample fetches see them. */
  readonly identity: CheckIdentity;
}

/** `connect port <expr>`: the expression read as an integer (0 or none: the next source of a port). */
function compilePortExpr(expr: SampleExprModel): (env: SampleEnv) => number | undefined {
  const port = compileSampleAs(expr, 'sint');
  return (env) => port(env)?.num;
}

/** The plan of `server`'s health check in backend `proxy`. */
export function buildCheckPlan(proxy: ProxyModel, server: ServerModel, settings: PlanSettings): CheckPlan {
  const hc = proxy.healthCheck;
  const generic = hc?.type === 'tcp-check';
  const steps = stepsOf(hc, { generic, hc, proxy, live: settings.live });
  const o = server.options;
  const a = server.address;
  const checkAddr = o.addr;
  const checkPort = typeof o.port === 'number' && o.port > 0 ? o.port : undefined;
  const sendsProxy = checkSendsProxy(o);
  const bits = serverPpBits(o);
  const header = (socket: Socket | undefined): Buffer | undefined =>
    makeProxyLine(bits, {
      check: true,
      neverSendLocal: settings.neverSendLocal,
      src: socket?.localAddress ? { address: socket.localAddress, port: socket.localPort ?? 0 } : undefined,
      dst: socket?.remoteAddress ? { address: socket.remoteAddress, port: socket.remotePort ?? 0 } : undefined,
    } as Parameters<typeof makeProxyLine>[1]);
  // TLS (configuration.txt 5.2 "check-ssl", 4.2 "tcp-check connect"): a connect with the
  // server's settings follows check-ssl (or the server's ssl when checked on its own address);
  // `connect ... ssl` asks for it itself, with its own sni and alpn. Compiled once, shared with
  // the server's traffic.
  const global = settings.global;
  const serverTlsForChecks = global ? serverTls(server, global, true, proxy.name) : undefined;
  const tlsOf = (rule: CheckConnectRule): Pick<ConnectTarget, 'tls' | 'servername' | 'alpn'> => {
    if (rule.ssl && global) return { tls: serverTlsForCheckRule(server, global, proxy.name), servername: rule.sni, alpn: rule.alpn };
    if (rule.implicit === true || rule.default) return { tls: serverTlsForChecks };
    return {};
  };
  const portExprs = new Map<CheckConnectRule, (env: SampleEnv) => number | undefined>();
  for (const s of steps) if (s.action === 'connect' && s.rule.portExpr) portExprs.set(s.rule, compilePortExpr(s.rule.portExpr));
  const target = (rule: CheckConnectRule, env: SampleEnv): ConnectTarget => {
    const serverSettings = rule.implicit === true || rule.default;
    const proxyHeader = rule.sendProxy || (serverSettings && sendsProxy) ? header : undefined;
    const tls = tlsOf(rule);
    if (a.family === 'unix' && !rule.addr && !checkAddr) return { path: a.path!, proxyHeader, ...tls };
    const host = rule.addr?.ip ?? checkAddr?.ip ?? a.ip;
    // HAProxy's order (tcpcheck_eval_connect): the rule's port, its port expression, the port
    // of its addr, the server's check port, the port of its check addr, the server's port.
    const port = rule.port || portExprs.get(rule)?.(env) || rule.addr?.port || checkPort || checkAddr?.port || a.port;
    return { host, port, proxyHeader, ...tls };
  };
  const live = settings.live;
  const conditionalOn404 = hc?.type === 'http' && hc.disableOn404 && live ? (): boolean => !live.stopped() : undefined;
  return {
    steps,
    generic,
    target,
    identity: settings.identity,
    inter: settings.inter,
    connectTimeout: settings.connectTimeout,
    checkTimeout: settings.checkTimeout,
    ...(conditionalOn404 ? { conditionalOn404 } : {}),
  };
}
