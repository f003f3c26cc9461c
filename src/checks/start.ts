/**
 * Starts the health checks of every checked server (configuration.txt 5.2 "check"; HAProxy's
 * start_checks): one HealthCheck per server with `check`, their first runs spread over the
 * shortest interval so that many servers are not all checked at the same moment, as HAProxy
 * does (the n-th of N checks starts at interval * n / N; `max-spread-checks` bounds it).
 */
import type { ConfigModel } from '../config/model/index.js';
import type { RuntimeBackend } from '../runtime/backend.js';
import { hostname } from 'node:os';
import { OpState } from '../runtime/server-flags.js';
import { HealthCheck, type HealthCheckSettings } from './health.js';
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
  return {
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
    for (const s of be.servers) {
      if (s.model.options.check !== true) continue;
      const settings = checkSettings(s.model.options, logResults, spread);
      const live: LiveServer = {
        stopped: () => s.opState === OpState.Stopped,
        serverState: () => serverStateHeader(be, s, { health: s.check?.health ?? 0, rise: settings.rise, fall: settings.fall }, node),
      };
      const plan = buildCheckPlan(p, s.model, {
        live,
        inter: settings.inter,
        connectTimeout: p.timeouts['connect'] ?? 0,
        checkTimeout: p.timeouts['check'] ?? 0,
        neverSendLocal,
      });
      s.check = new HealthCheck(be, s, plan, settings);
      checks.push(s.check);
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
