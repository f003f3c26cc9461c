/**
 * Runtime API commands on servers (management.txt 9.3): `show servers state`, `disable server`,
 * `enable server`, `set server <b>/<s> state ready|drain|maint`, `set server <b>/<s> weight`,
 * `set weight`, `get weight`. The other `set server` settings (health, agent, addr, ...) come
 * with the administration work and answer that they are not supported yet.
 */
import { AdminFlag } from '../runtime/server-flags.js';
import { clearAdminFlag, setAdminFlag, setWeight } from '../runtime/server-state.js';
import type { RuntimeBackend } from '../runtime/backend.js';
import type { RuntimeServer } from '../runtime/server.js';
import type { CliSession } from './cli-types.js';

/** The server-state file format version and its columns (HAProxy's SRV_STATE_FILE_*). */
const STATE_VERSION = 1;
const STATE_COLUMNS =
  'be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change ' +
  'srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn ' +
  'srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port';

/** HAProxy's proxy_be_by_name: a name, or "#<id>". */
function findBackend(s: CliSession, name: string): RuntimeBackend | undefined {
  const all = s.process.backends();
  if (name.startsWith('#')) return all.find((b) => b.id === Number(name.slice(1)));
  return all.find((b) => b.name === name);
}

/** "backend/server" (or "backend/#id") to a server, or HAProxy's error text. */
export function findServer(s: CliSession, arg: string | undefined): { be: RuntimeBackend; srv: RuntimeServer } | string {
  const text = arg ?? '';
  const slash = text.indexOf('/');
  const bk = slash < 0 ? text : text.slice(0, slash);
  const sv = slash < 0 ? '' : text.slice(slash + 1);
  if (bk === '' || sv === '') return "Require 'backend/server'.\n";
  const be = findBackend(s, bk);
  if (!be) return 'No such backend.\n';
  const srv = sv.startsWith('#') ? be.servers.find((x) => x.id === Number(sv.slice(1))) : be.servers.find((x) => x.name === sv);
  if (!srv) return 'No such server.\n';
  return { be, srv };
}

function stateLine(be: RuntimeBackend, s: RuntimeServer): string {
  const a = s.model.address;
  const o = s.model.options;
  const ip = a.family === 'ipv4' || a.family === 'ipv6' ? (a.ip ?? '-') : '-';
  const port = a.family === 'unix' || a.family === 'abns' ? 0 : (a.port ?? 0);
  const c = s.check;
  const check = c ? [c.status, c.result, c.health, c.stateBits] : [1, 0, s.uncheckedHealth, 0];
  const since = Math.floor(performance.now() / 1000) - s.lastChange;
  const checkPort = typeof o.port === 'number' ? o.port : 0;
  const checkAddr = o.addr?.ip ?? '-';
  const agent = s.agent;
  const agentAddr = agent ? ((o['agent-addr'] as { ip?: string } | undefined)?.ip ?? o.addr?.ip ?? '-') : '-';
  const agentPort = agent && typeof o['agent-port'] === 'number' ? o['agent-port'] : 0;
  return [
    be.id, be.name, s.id, s.name, ip,
    s.opState, s.admin, s.weight, s.initialWeight, since,
    ...check, agent ? agent.stateBits : 0,
    be.model.idWhere !== undefined ? 1 : 0, typeof o.id === 'number' ? 1 : 0, '-',
    port, '-', o.ssl === true ? 1 : 0, checkPort,
    checkAddr, agentAddr, agentPort,
  ].join(' ') + '\n';
}

export function showServersState(s: CliSession, args: readonly string[]): string {
  const name = args[3];
  let list = s.process.backends();
  if (name !== undefined && name !== '') {
    const be = findBackend(s, name);
    if (!be) return "Can't find backend.\n";
    list = [be];
  }
  let out = `${STATE_VERSION}\n# ${STATE_COLUMNS}\n`;
  for (const be of list) for (const srv of be.servers) out += stateLine(be, srv);
  return out;
}

/** `disable server`: forced maintenance (HAProxy's srv_adm_set_maint). */
export function disableServer(s: CliSession, args: readonly string[]): string {
  const f = findServer(s, args[2]);
  if (typeof f === 'string') return f;
  setAdminFlag(f.be, f.srv, AdminFlag.ForcedMaint);
  clearAdminFlag(f.be, f.srv, AdminFlag.ForcedDrain);
  return '';
}

/** `enable server`: ready again (HAProxy's srv_adm_set_ready). */
export function enableServer(s: CliSession, args: readonly string[]): string {
  const f = findServer(s, args[2]);
  if (typeof f === 'string') return f;
  clearAdminFlag(f.be, f.srv, AdminFlag.ForcedDrain);
  clearAdminFlag(f.be, f.srv, AdminFlag.ForcedMaint);
  return '';
}

/** `set server <b>/<s> state ready|drain|maint`. */
export function setServer(s: CliSession, args: readonly string[]): string {
  const f = findServer(s, args[2]);
  if (typeof f === 'string') return f;
  const what = args[3] ?? '';
  if (what === 'weight') return setWeight(f.be, f.srv, args[4] ?? '') ?? '';
  if (what !== 'state') {
    if (['health', 'agent', 'agent-addr', 'agent-port', 'agent-send', 'check-addr', 'check-port', 'addr', 'fqdn', 'ssl'].includes(what)) {
      return `'set server <srv> ${what}' is not supported yet.\n`;
    }
    return 'usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | check-addr | check-port | fqdn | health | ssl | state | weight\n';
  }
  const { be, srv } = f;
  switch (args[4]) {
    case 'ready':
      clearAdminFlag(be, srv, AdminFlag.ForcedDrain);
      clearAdminFlag(be, srv, AdminFlag.ForcedMaint);
      return '';
    case 'drain':
      setAdminFlag(be, srv, AdminFlag.ForcedDrain);
      clearAdminFlag(be, srv, AdminFlag.ForcedMaint);
      return '';
    case 'maint':
      setAdminFlag(be, srv, AdminFlag.ForcedMaint);
      clearAdminFlag(be, srv, AdminFlag.ForcedDrain);
      return '';
    default:
      return "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n";
  }
}

/** `get weight <b>/<s>`: "<current> (initial <configured>)". */
export function getWeight(s: CliSession, args: readonly string[]): string {
  const f = findServer(s, args[2]);
  if (typeof f === 'string') return f;
  return `${f.srv.weight} (initial ${f.srv.initialWeight})\n`;
}

/** `set weight <b>/<s> <weight>[%]`. */
export function setWeightCommand(s: CliSession, args: readonly string[]): string {
  const f = findServer(s, args[2]);
  if (typeof f === 'string') return f;
  return setWeight(f.be, f.srv, args[3] ?? '') ?? '';
}
