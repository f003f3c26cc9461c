/**
 * The server state machine (configuration.txt 5.2 "check", management.txt 9.3 "disable
 * server", "set server ... state"): health checks move a server between running and stopped
 * (or stopping), the configuration and the runtime API set and clear maintenance and drain.
 * Each change has HAProxy's effects, in HAProxy's order (srv_update_status):
 *   - the balance algorithm learns it (lb.update),
 *   - going down: `on-marked-down shutdown-sessions` cuts the server's streams, and the streams
 *     waiting in its own queue are redistributed;
 *   - coming up: `on-marked-up shutdown-backup-sessions` cuts the backups' streams, and the
 *     server takes what it can from the backend's queue;
 *   - one log line with HAProxy's words (also on stderr as a warning), and "backend X has no
 *     server available!" when the last usable server goes.
 */
import type { CheckOutcome } from '../checks/status.js';
import { L57DATA, statusCode, statusRow } from '../checks/status.js';
import type { LogLevelName } from '../log/targets.js';
import type { RuntimeBackend } from './backend.js';
import { AdminFlag, OpState } from './server-flags.js';
import type { RuntimeServer } from './server.js';

/** Why the operational state changed: a check's outcome (with its duration) or a plain reason. */
export type StateReason =
  | { readonly kind: 'check'; readonly outcome: CheckOutcome; readonly duration: number }
  | { readonly kind: 'text'; readonly text: string }
  | undefined;

const nowSeconds = (): number => Math.floor(performance.now() / 1000);

/** Usable active and backup servers of the backend (HAProxy's srv_act, srv_bck). */
function counts(be: RuntimeBackend): { active: number; backup: number } {
  let active = 0;
  let backup = 0;
  for (const s of be.servers) {
    if (!s.usable()) continue;
    if (s.backup) backup++;
    else active++;
  }
  return { active, backup };
}

/**
 * The status part of a state-change line (HAProxy's srv_append_status): the reason, then, when
 * streams moved (`xferred` >= 0), what is left.
 */
function appendStatus(be: RuntimeBackend, s: RuntimeServer, reason: StateReason, xferred: number): string {
  let out = '';
  if (reason?.kind === 'check') {
    out += outcomeText(reason.outcome, reason.duration);
  } else if (reason?.kind === 'text' && reason.text !== '') {
    out += `, ${reason.text}`;
  }
  if (xferred >= 0) {
    const { active, backup } = counts(be);
    const onBackup = backup > 0 && active === 0 ? ' Running on backup.' : '';
    if (s.opState === OpState.Stopped) {
      out += `. ${active} active and ${backup} backup servers left.${onBackup} ${s.sessions} sessions active, ${xferred} requeued, ${s.queue.length} remaining in queue`;
    } else {
      out += `. ${active} active and ${backup} backup servers online.${onBackup} ${xferred} sessions requeued, ${s.queue.length} total in queue`;
    }
  }
  return out;
}

/** ", reason: ..., code: N, info: "...", check duration: Nms" (shared with check reports). */
export function outcomeText(o: CheckOutcome, duration: number): string {
  const code = statusCode(o.status);
  let out = `, reason: ${statusRow(code).desc}`;
  if (code >= L57DATA) out += `, code: ${o.code ?? 0}`;
  if (o.desc) out += `, info: "${asciiEncode(o.desc)}"`;
  if (duration >= 0) out += `, check duration: ${duration}ms`;
  return out;
}

/** HAProxy's chunk_asciiencode with '"': non-printable bytes and quotes as \xHH. */
function asciiEncode(text: string): string {
  return text.replace(/[^\x20-\x7e]|"/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Sends one state-change line: logs at `level`, stderr as a warning. */
function announce(be: RuntimeBackend, level: LogLevelName, text: string): void {
  be.events.warn(`${text}.`);
  be.events.log(level, `${text}.`);
}

/** HAProxy's set_backend_down: the last usable server went. */
function checkBackendDown(be: RuntimeBackend, before: number): void {
  const { active, backup } = counts(be);
  if (before === 0 || active + backup > 0) return;
  be.lastChange = nowSeconds();
  be.downTransitions++;
  const text = `${be.typeName} ${be.name} has no server available!`;
  be.events.alert(`${be.typeName} '${be.name}' has no server available!`);
  be.events.log('emerg', text);
}

function usableCount(be: RuntimeBackend): number {
  const c = counts(be);
  return c.active + c.backup;
}

/** The server left the usable set: tell the balancer, cut or move its streams. */
function leaveService(be: RuntimeBackend, s: RuntimeServer): number {
  be.lb.update(s);
  if (s.shutdownOnDown) be.shutdownStreams(s, 'D');
  return be.redistribute(s);
}

/** The server may be usable again: tell the balancer, cut backups' streams, take waiters. */
function enterService(be: RuntimeBackend, s: RuntimeServer): number {
  be.lb.update(s);
  if (s.shutdownBackupsOnUp && !s.backup && s.usable()) {
    for (const b of be.servers) if (b.backup) be.shutdownStreams(b, 'U');
  }
  return be.dequeue(s);
}

/**
 * The server comes up: with `slowstart`, it starts (weight and connection limit ramping up,
 * re-evaluated each second as HAProxy's warmup task) and runs once the time is over.
 */
function comeUp(be: RuntimeBackend, s: RuntimeServer): void {
  s.lastChange = nowSeconds();
  if (s.slowstart === 0) {
    s.opState = OpState.Running;
    return;
  }
  s.opState = OpState.Starting;
  const tick = (): void => {
    s.warmup = undefined;
    if (s.admin & AdminFlag.Maint || s.opState !== OpState.Starting) return;
    const done = s.slowStartStep === undefined;
    if (done) s.opState = OpState.Running;
    be.lb.update(s);
    const xferred = be.dequeue(s);
    // Reaching full speed is a state change of its own for HAProxy: "is UP" again.
    if (done) announce(be, 'notice', `${s.kindForLogs} ${be.name}/${s.name} is UP${appendStatus(be, s, undefined, xferred)}`);
    if (s.opState === OpState.Starting) s.warmup = setTimeout(tick, 1000).unref();
  };
  if (s.warmup) clearTimeout(s.warmup);
  s.warmup = setTimeout(tick, 1000).unref();
}

/** A check (or the runtime API) says the server is down (HAProxy's srv_set_stopped). */
export function setStopped(be: RuntimeBackend, s: RuntimeServer, reason: StateReason): void {
  if (s.admin & AdminFlag.Maint || s.opState === OpState.Stopped) return;
  const before = usableCount(be);
  const wasStopping = s.opState === OpState.Stopping || (s.admin & AdminFlag.Drain) !== 0;
  s.opState = OpState.Stopped;
  s.lastChange = nowSeconds();
  const xferred = leaveService(be, s);
  // A server that was already draining or stopping going down is no news worth an alert.
  announce(be, wasStopping ? 'notice' : 'alert', `${s.kindForLogs} ${be.name}/${s.name} is DOWN${appendStatus(be, s, reason, xferred)}`);
  checkBackendDown(be, before);
  s.downTransitions++;
}

/** A check says the server is up (HAProxy's srv_set_running). */
export function setRunning(be: RuntimeBackend, s: RuntimeServer, reason: StateReason): void {
  if (s.admin & AdminFlag.Maint) return;
  if (s.opState === OpState.Running || s.opState === OpState.Starting) return;
  if (usableCount(be) === 0) be.lastChange = nowSeconds();
  comeUp(be, s);
  const xferred = enterService(be, s);
  announce(be, 'notice', `${s.kindForLogs} ${be.name}/${s.name} is UP${appendStatus(be, s, reason, xferred)}`);
}

/** A check says the server wants no new traffic (HAProxy's srv_set_stopping). */
export function setStopping(be: RuntimeBackend, s: RuntimeServer, reason: StateReason): void {
  if (s.admin & AdminFlag.Maint || s.opState === OpState.Stopping) return;
  const before = usableCount(be);
  s.opState = OpState.Stopping;
  s.lastChange = nowSeconds();
  be.lb.update(s);
  const xferred = be.redistribute(s);
  announce(be, 'notice', `${s.kindForLogs} ${be.name}/${s.name} is stopping${appendStatus(be, s, reason, xferred)}`);
  checkBackendDown(be, before);
}

/**
 * `set weight`, `set server ... weight`, an agent's "75%" (HAProxy's
 * server_parse_weight_change_request): an absolute weight 0..256, or a percentage of the
 * initial weight. Returns HAProxy's complaint, or undefined when applied. No log line; the
 * backend may lose its last usable server (weight 0).
 */
export function setWeight(be: RuntimeBackend, s: RuntimeServer, text: string): string | undefined {
  if (text === '') return 'Require <weight> or <weight%>.\n';
  const m = /^\s*([-+]?\d+)(.*)$/.exec(text);
  if (!m) return 'Empty weight string empty or preceded by garbage';
  let w = Number(m[1]);
  if (m[2] === '%') {
    if (w < 0) return 'Relative weight must be positive.\n';
    w = Math.min(256, Math.floor((s.initialWeight * Math.min(w, 25600)) / 100));
  } else if (w < 0 || w > 256) {
    return 'Absolute weight can only be between 0 and 256 inclusive.\n';
  } else if (m[2] !== '') {
    return 'Trailing garbage in weight string';
  }
  if (w !== 0 && w !== s.initialWeight && !be.dynamicWeights) return "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n";
  if (w === s.weight) return undefined;
  const before = usableCount(be);
  s.weight = w;
  be.lb.update(s);
  if (s.usable()) be.dequeue(s);
  checkBackendDown(be, before);
  return undefined;
}

/**
 * Sets an administrative flag (HAProxy's srv_set_admin_flag): maintenance stops the server
 * and pauses its health check; drain keeps it running for its current streams only.
 */
export function setAdminFlag(be: RuntimeBackend, s: RuntimeServer, flag: AdminFlag.ForcedMaint | AdminFlag.ForcedDrain): void {
  if (s.admin & flag) return;
  const before = usableCount(be);
  const wasStopping = s.opState === OpState.Stopping || (s.admin & AdminFlag.Drain) !== 0;
  const wasMaint = (s.admin & AdminFlag.Maint) !== 0;
  const wasDrain = (s.admin & AdminFlag.Drain) !== 0;
  s.admin |= flag;
  if (flag === AdminFlag.ForcedMaint) {
    if (wasMaint) return;
    s.check?.pause();
    if (s.opState === OpState.Stopped) {
      announce(be, 'notice', `${s.kindForLogs} ${be.name}/${s.name} was DOWN and now enters maintenance${appendStatus(be, s, undefined, -1)}`);
      return;
    }
    s.opState = OpState.Stopped;
    s.lastChange = nowSeconds();
    if (!s.check) s.uncheckedHealth = 0;
    const xferred = leaveService(be, s);
    announce(
      be,
      wasStopping ? 'notice' : 'alert',
      `${s.kindForLogs} ${be.name}/${s.name} is going DOWN for maintenance${appendStatus(be, s, undefined, xferred)}`,
    );
    checkBackendDown(be, before);
    s.downTransitions++;
    return;
  }
  // Drain, applied only outside maintenance.
  if (wasMaint || wasDrain) return;
  s.lastChange = nowSeconds();
  be.lb.update(s);
  const xferred = be.redistribute(s);
  announce(be, 'notice', `${s.kindForLogs} ${be.name}/${s.name} enters drain state${appendStatus(be, s, undefined, xferred)}`);
  checkBackendDown(be, before);
}

/** Clears an administrative flag (HAProxy's srv_clr_admin_flag). */
export function clearAdminFlag(be: RuntimeBackend, s: RuntimeServer, flag: AdminFlag.ForcedMaint | AdminFlag.ForcedDrain): void {
  if (!(s.admin & flag)) return;
  const before = usableCount(be);
  s.admin &= ~flag;
  const who = `${s.kindForLogs} ${be.name}/${s.name}`;
  if (flag === AdminFlag.ForcedMaint) {
    if (s.admin & AdminFlag.Maint) {
      announce(be, 'notice', `${who} is leaving forced maintenance but remains in maintenance`);
      return;
    }
    // Leaving maintenance: the check starts again from "just up" and runs at once; the server
    // is up unless its check says otherwise.
    s.check?.resume();
    if (!s.check || s.check.isUp()) comeUp(be, s);
    const state = s.opState === OpState.Stopped ? 'DOWN' : 'UP';
    const mode = s.admin & AdminFlag.Drain ? 'DRAIN' : 'READY';
    announce(be, 'notice', `${who} is ${state}/${mode} (leaving forced maintenance)`);
    if (before === 0 && usableCount(be) > 0) be.lastChange = nowSeconds();
    enterService(be, s);
    checkBackendDown(be, before);
    return;
  }
  if (s.admin & AdminFlag.Maint) return; // leaving drain while in maintenance says nothing
  if (s.admin & AdminFlag.Drain) {
    announce(be, 'notice', `${who} remains in forced drain mode`);
    return;
  }
  if (before === 0) be.lastChange = nowSeconds();
  s.lastChange = nowSeconds();
  announce(be, 'notice', `${who} is ${s.opState === OpState.Stopped ? 'DOWN' : 'UP'} (leaving forced drain)`);
  enterService(be, s);
}
