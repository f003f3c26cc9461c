/**
 * Compiles a server's health check into the engine's plan, once at startup: the rule list of
 * the backend's check type (an implicit connect for the plain check, the section's rules for
 * `option tcp-check`), each step with its data decoded and its matcher compiled, and where a
 * connect step goes (configuration.txt 4.2 "tcp-check connect", 5.2 "port", "addr",
 * "check-send-proxy").
 */
import type { Socket } from 'node:net';
import type { CheckConnectRule, CheckRuleModel, HealthCheckModel } from '../config/model/check.js';
import type { ProxyModel } from '../config/model/proxy.js';
import type { ServerModel } from '../config/model/server.js';
import { checkSendsProxy, makeProxyLine, serverPpBits } from '../net/proxy-protocol.js';
import type { CheckPlan, CheckStep, ConnectTarget } from './engine.js';
import { compileTcpExpect } from './expect-tcp.js';

/** The connect step HAProxy puts in front of a list without one. */
const IMPLICIT_CONNECT: CheckConnectRule = {
  action: 'connect',
  index: 0,
  default: false,
  implicit: true,
  sendProxy: false,
  viaSocks4: false,
  ssl: false,
  linger: false,
};

/** The rules the backend's checks run: the plain check is one implicit connect. */
function rulesOf(hc: HealthCheckModel | undefined): readonly CheckRuleModel[] {
  if (!hc || hc.type === 'tcp') return [IMPLICIT_CONNECT];
  if (hc.type === 'tcp-check') return hc.rules ?? [IMPLICIT_CONNECT];
  throw new Error(`check type '${hc.type}' does not run yet`);
}

/** HAProxy's step number: the implicit connect is step 0, the others their place + 1. */
function stepId(r: CheckRuleModel): number {
  return r.action === 'connect' && r.implicit ? 0 : r.index + 1;
}

function compileSteps(rules: readonly CheckRuleModel[], generic: boolean): CheckStep[] {
  const steps: CheckStep[] = [];
  for (const r of rules) {
    const id = stepId(r);
    if (r.action === 'connect') steps.push({ action: 'connect', rule: r, id, comment: r.comment });
    else if (r.action === 'send' && r.type === 'string') steps.push({ action: 'send', data: Buffer.from(r.data ?? '', 'latin1'), id, comment: r.comment });
    else if (r.action === 'send' && r.type === 'binary') steps.push({ action: 'send', data: Buffer.from(r.data ?? '', 'hex'), id, comment: r.comment });
    else if (r.action === 'expect' && r.protocol === 'tcp') {
      steps.push({ action: 'expect', rule: r, evaluate: compileTcpExpect(r, generic), id, comment: r.comment });
    } else if (r.action === 'comment') continue;
    else throw new Error(`health-check rule '${r.action}' does not run yet`);
  }
  return steps;
}

export interface PlanSettings {
  readonly inter: number;
  readonly connectTimeout: number;
  readonly checkTimeout: number;
  /** Global `pp2-never-send-local`. */
  readonly neverSendLocal: boolean;
}

/** The plan of `server`'s health check in backend `proxy`. */
export function buildCheckPlan(proxy: ProxyModel, server: ServerModel, settings: PlanSettings): CheckPlan {
  const hc = proxy.healthCheck;
  const generic = hc?.type === 'tcp-check';
  const steps = compileSteps(rulesOf(hc), generic);
  const o = server.options;
  const a = server.address;
  const checkAddr = o.addr;
  const checkPort = typeof o.port === 'number' && o.port > 0 ? o.port : undefined;
  const sendsProxy = checkSendsProxy(o);
  const bits = serverPpBits(o);
  const header = (socket: Socket): Buffer | undefined =>
    makeProxyLine(bits, {
      check: true,
      neverSendLocal: settings.neverSendLocal,
      src: socket.localAddress ? { address: socket.localAddress, port: socket.localPort ?? 0 } : undefined,
      dst: socket.remoteAddress ? { address: socket.remoteAddress, port: socket.remotePort ?? 0 } : undefined,
    } as Parameters<typeof makeProxyLine>[1]);
  const target = (rule: CheckConnectRule): ConnectTarget => {
    const serverSettings = rule.implicit === true || rule.default;
    const proxyHeader = rule.sendProxy || (serverSettings && sendsProxy) ? header : undefined;
    if (a.family === 'unix' && !rule.addr && !checkAddr) return { path: a.path!, proxyHeader };
    const host = rule.addr?.ip ?? checkAddr?.ip ?? a.ip;
    const port = rule.port ?? checkPort ?? a.port;
    return { host, port, proxyHeader };
  };
  return { steps, generic, target, inter: settings.inter, connectTimeout: settings.connectTimeout, checkTimeout: settings.checkTimeout };
}
