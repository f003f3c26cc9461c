/**
 * What an agent's reply does (HAProxy's tcpcheck_agent_expect_reply, in its order): the
 * administrative word first (ready, drain, maint), then the weight and the connection limit,
 * then the health word sets the agent's health and the check's status and info:
 * "via agent : up", "via agent : down (the description)", "agent reports an error : xyz",
 * "agent warns : <what the weight change said>". Without a health word the status is
 * CHECKED: no change.
 */
import type { RuntimeBackend } from '../runtime/backend.js';
import { AdminFlag } from '../runtime/server-flags.js';
import { clearAdminFlag, setAdminFlag, setWeight } from '../runtime/server-state.js';
import type { RuntimeServer } from '../runtime/server.js';
import type { AgentReply } from './agent.js';
import type { ExpectVerdict } from './expect-tcp.js';
import type { HealthCheck } from './health.js';
import { statusRow, type CheckStatusName } from './status.js';

function setMaxconn(s: RuntimeServer, text: string): string | undefined {
  if (text === '') return 'Require <maxconn>.\n';
  const m = /^\s*([-+]?\d+)(.*)$/.exec(text);
  if (!m) return 'maxconn string empty or preceded by garbage';
  if (m[2] !== '') return 'Trailing garbage in maxconn string';
  s.setMaxconn(Number(m[1]));
  return undefined;
}

export function applyAgentReply(be: RuntimeBackend, s: RuntimeServer, agent: HealthCheck, r: AgentReply): ExpectVerdict {
  if (r.incomplete) {
    const current = statusRow(agent.status).name as CheckStatusName;
    return { kind: 'done', outcome: { status: current, desc: 'Ignoring incomplete line from agent' } };
  }
  const admin = r.admin?.toLowerCase();
  if (admin === 'drain') {
    setAdminFlag(be, s, AdminFlag.ForcedDrain);
    clearAdminFlag(be, s, AdminFlag.ForcedMaint);
  } else if (admin === 'maint') {
    setAdminFlag(be, s, AdminFlag.ForcedMaint);
    clearAdminFlag(be, s, AdminFlag.ForcedDrain);
  } else if (admin === 'ready') {
    clearAdminFlag(be, s, AdminFlag.ForcedDrain);
    clearAdminFlag(be, s, AdminFlag.ForcedMaint);
  }
  let warning: string | undefined;
  if (r.weight !== undefined) warning = setWeight(be, s, r.weight);
  if (r.maxconn !== undefined) {
    const w = setMaxconn(s, r.maxconn);
    if (!warning) warning = w;
    be.dequeue(s);
  }
  let status: CheckStatusName = 'CHECKED';
  if (r.health !== undefined) {
    const up = r.health.toLowerCase() === 'up';
    const st = agent.settings;
    agent.health = up ? st.rise + st.fall - 1 : 0;
    status = up ? 'L7OK' : 'L7STS';
    let msg = r.description;
    if (msg === '' || up) msg = r.error || warning || msg;
    return { kind: 'done', outcome: { status, desc: `via agent : ${r.health}${msg ? ` (${msg})` : ''}` } };
  }
  if (r.error) return { kind: 'done', outcome: { status, desc: `agent reports an error : ${r.error}` } };
  if (warning) return { kind: 'done', outcome: { status, desc: `agent warns : ${warning}` } };
  return { kind: 'done', outcome: { status } };
}
