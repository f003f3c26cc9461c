/**
 * The agent check (configuration.txt 5.2 "agent-check", "agent-port", "agent-addr",
 * "agent-inter", "agent-send"; HAProxy's tcpcheck_agent_expect_reply): a TCP connection to an
 * agent beside the server, an optional string sent, and one line read back. The line is made
 * of words separated by spaces, tabs or commas, in any order, the last of each kind winning:
 *   - "up", "down", "stopped", "fail": the agent's health (anything but "up" takes it down);
 *   - "ready", "drain", "maint": the administrative state;
 *   - "75%": a weight relative to the initial one; "maxconn:30": the connection limit;
 *   - "# text": a description, reported with a health word.
 * Agent checks run beside health checks, are not paused by maintenance, and only take a server
 * down when the agent says so (a failure to reach the agent changes nothing).
 */
import type { CheckIdentity } from './check-env.js';
import type { CheckConnectRule, CheckExpectRule } from '../config/model/check.js';
import type { ServerModel } from '../config/model/server.js';
import type { CheckPlan, CheckStep } from './engine.js';
import type { ExpectVerdict } from './expect-tcp.js';

export interface AgentReply {
  /** The line had no end (the agent closed first). */
  readonly incomplete?: boolean;
  readonly health?: string;
  readonly admin?: string;
  readonly weight?: string;
  readonly maxconn?: string;
  /** The first word not understood. */
  readonly error?: string;
  /** After '#'. */
  readonly description: string;
}

const HEALTH = new Set(['up', 'down', 'stopped', 'fail']);
const ADMIN = new Set(['ready', 'drain', 'maint']);

/** Parses the agent's line (up to the first CR or LF). */
export function parseAgentLine(line: string): AgentReply {
  let health: string | undefined;
  let admin: string | undefined;
  let weight: string | undefined;
  let maxconn: string | undefined;
  let error: string | undefined;
  let description = '';
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === ',') {
      i++;
      continue;
    }
    if (c === '#') {
      description = line.slice(i + 1).replace(/^[\t ]+/, '');
      break;
    }
    let end = i + 1;
    while (end < line.length && !' \t,'.includes(line[end]!)) end++;
    const word = line.slice(i, end);
    const lower = word.toLowerCase();
    if (HEALTH.has(lower)) health = word;
    else if (ADMIN.has(lower)) admin = word;
    else if (/^[0-9]/.test(word) && word.includes('%')) weight = word;
    else if (lower.startsWith('maxconn:')) maxconn = word.slice('maxconn:'.length);
    else error ??= word;
    i = end;
  }
  return { health, admin, weight, maxconn, error, description: description.replace(/^[ \n]+/, '') };
}

/** The connect step of an agent: the agent's address and port, never a PROXY header. */
const AGENT_CONNECT: CheckConnectRule = {
  action: 'connect',
  index: 0,
  default: false,
  implicit: true,
  sendProxy: false,
  viaSocks4: false,
  ssl: false,
  linger: false,
};

/** The expect step's rule (for messages and statuses: none of its own). */
const AGENT_EXPECT: CheckExpectRule = { action: 'expect', index: 2, protocol: 'tcp', match: 'custom', inverse: false, minRecv: -1 };

export interface AgentSettings {
  readonly inter: number;
  readonly connectTimeout: number;
  readonly checkTimeout: number;
  readonly identity: CheckIdentity;
}

/**
 * The agent's plan. `onReply` applies a reply to the server and returns the check outcome; it
 * runs inside the check, as HAProxy applies the agent's words before reporting the result.
 */
export function buildAgentPlan(server: ServerModel, settings: AgentSettings, onReply: (r: AgentReply) => ExpectVerdict): CheckPlan {
  const o = server.options;
  const steps: CheckStep[] = [{ action: 'connect', rule: AGENT_CONNECT, id: 0 }];
  const send = o['agent-send'];
  if (typeof send === 'string') steps.push({ action: 'send', data: Buffer.from(send, 'latin1'), id: 2 });
  steps.push({
    action: 'expect',
    rule: AGENT_EXPECT,
    id: steps.length + 1,
    evaluate: (received, lastRead) => {
      const text = received.toString('latin1');
      const end = text.search(/[\r\n]/);
      if (end < 0) return lastRead ? onReply({ incomplete: true, description: '' }) : { kind: 'wait' };
      return onReply(parseAgentLine(text.slice(0, end)));
    },
  });
  const agentAddr = o['agent-addr'] as { ip?: string } | undefined;
  const host = agentAddr?.ip ?? o.addr?.ip ?? server.address.ip;
  const port = o['agent-port'];
  return {
    steps,
    generic: false,
    target: () => ({ host, port }),
    identity: settings.identity,
    inter: settings.inter,
    connectTimeout: settings.connectTimeout,
    checkTimeout: settings.checkTimeout,
  };
}
