/**
 * Starts the health checks of every checked server (configuration.txt 5.2 "check"; HAProxy's
 * start_checks): one HealthCheck per server with `check`, their first runs spread over the
 * shortest interval so that many servers are not all checked at the same moment, as HAProxy
 * does (the n-th of N checks starts at interval * n / N; `max-spread-checks` bounds it).
 */
import type { CheckIdentity } from './check-env.js';
import type { ConfigModel } from '../config/model/index.js';
import type { RuntimeBackend } from '../runtime/backend.js';
import { hostname } from 'node:os';
import { OpState } from '../runtime/server-flags.js';
import { HealthCheck, type HealthCheckSettings } from './health.js';
import { buildAgentPlan } from './agent.js';
import { applyAgentReply } from './agent-reply.js';
import { buildCheckPlan, type LiveServer } from './plan.js';
import { serverStateHeader } from './send-state.js';

/** HAProxy's SRV_CHK_INTER_THRES: shorter intervals do not dictate the startup spread. */
const INTER_THRESHOLD = 1000;

export interface HealthChecks {
  stop(): void;
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

/** The settings of a server's check from its options (times in ms). */
export function checkSettings(options: Readonly<Record<string, unknown>>, logResults: boolean, spread: number): HealthCheckSettings {
  const onError = options['on-error'];
  return {
    agent: false,
    observe: options['observe'] === 'layer4',
    errorLimit: num(options['error-limit'], 10),
    onError: onError === 'fail-check' || onError === 'sudden-death' || onError === 'mark-down' ? onError : 'fastinter',
    rise: num(options['rise'], 2),
    fall: num(options['fall'], 3),
    inter: num(options['inter'], 2000),
    fastinter: num(options['fastinter'], 0),
    downinter: num(options['downinter'], 0),
    logResults,
    spread,
  };
}

export function startHealthChecks(model: ConfigModel, backends: readonly RuntimeBackend[]): HealthChecks {
  const tune = (model.global.tune ?? {}) as Readonly<Record<string, unknown>>;
  const spread = num(tune['spread-checks'], 0);
  const maxSpread = num(tune['max-spread-checks'], 0);
  const neverSendLocal = model.global.settings['pp2-never-send-local'] !== undefined;
  const node = model.global.node ?? hostname();
  const checks: HealthCheck[] = [];
  for (const be of backends) {
    const p = be.model;
    const logResults = p.options['log-health-checks']?.enabled === true;
    const timeouts = { connectTimeout: p.timeouts['connect'] ?? 0, checkTimeout: p.timeouts['check'] ?? 0 };
    for (const s of be.servers) {
      const o = s.model.options;
      const identity: CheckIdentity = { backendName: be.name, backendId: be.id, server: { name: s.name, id: s.id } };
      // As HAProxy: each server's health check, then its agent, in declaration order.
      if (o.check === true) {
        const settings = checkSettings(o, logResults, spread);
        const live: LiveServer = {
          stopped: () => s.opState === OpState.Stopped,
          serverState: () => serverStateHeader(be, s, { health: s.check?.health ?? 0, rise: settings.rise, fall: settings.fall }, node),
        };
        const plan = buildCheckPlan(p, s.model, { ...timeouts, live, inter: settings.inter, neverSendLocal, global: model.global, identity });
        s.check = new HealthCheck(be, s, plan, settings);
        checks.push(s.check);
      }
      if (o['agent-check'] === true && typeof o['agent-port'] === 'number') {
        // HAProxy's agent: rise and fall of 1, agent-inter (else inter), not observed.
        const inter = num(o['agent-inter'], num(o['inter'], 2000));
        const settings: HealthCheckSettings = { ...checkSettings({}, logResults, spread), agent: true, rise: 1, fall: 1, inter, observe: false };
        const plan = buildAgentPlan(s.model, { ...timeouts, inter, identity }, (reply) => applyAgentReply(be, s, s.agent!, reply));
        s.agent = new HealthCheck(be, s, plan, settings);
        checks.push(s.agent);
      }
    }
  }
  let minInter = 0;
  for (const c of checks) {
    const i = c.interval();
    if (i >= INTER_THRESHOLD && (minInter === 0 || i < minInter)) minInter = i;
  }
  checks.forEach((c, position) => {
    let inter = Math.max(minInter, c.interval());
    if (maxSpread > 0 && inter > maxSpread) inter = maxSpread;
    c.start(Math.floor((inter * position) / checks.length));
  });
  return { stop: () => checks.forEach((c) => c.stop()) };
}
