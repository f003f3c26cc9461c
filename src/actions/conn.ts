/**
 * Connection actions (configuration.txt 4.2, "tcp-request connection"): set-src,
 * set-src-port, set-dst, set-dst-port, set-mark, set-tos, and the tcp-request connection
 * built-ins expect-proxy layer4 and expect-netscaler-cip layer4.
 */
import { cStrtol, proxyLabel, ruleUses, sampleArg } from './args.js';
import type { ActionInput, ActionResult, ActionRow } from './types.js';

/**
 * set-src / set-src-port / set-dst / set-dst-port <expr>. HAProxy checks the expression
 * against the http-request places in every rule set.
 */
function parseSetAddr(a: ActionInput): ActionResult {
  const s = sampleArg(a, a.arg(1), a.arg(1), ruleUses('http-request', a.proxy));
  if ('error' in s) return s;
  return { next: 2, args: { expr: s.expr } };
}

/** set-mark / set-tos <integer or hex>: read by strtoul in base 0. */
function parseSetNumber(a: ActionInput): ActionResult {
  if (a.arg(1) === '') return { error: 'expects exactly 1 argument (integer/hex value)' };
  const r = cStrtol(a.arg(1), 0);
  if (r.rest !== '') return { error: `invalid character starting at '${r.rest}' (integer/hex value expected)` };
  return { next: 2, args: { value: r.value } };
}

/** expect-proxy layer4, expect-netscaler-cip layer4 (tcp-request connection only). */
function parseExpect(a: ActionInput): ActionResult {
  if (a.arg(1) !== 'layer4') {
    return { error: `'${a.ruleset} ${a.name}' only supports 'layer4' in ${proxyLabel(a.proxy)} (got '${a.arg(1)}')` };
  }
  if (a.ruleset !== 'tcp-request connection') {
    return { error: `'${a.name} ${a.arg(1)}' is not allowed in '${a.ruleset}' rules in ${proxyLabel(a.proxy)}` };
  }
  return { next: 2, args: {} };
}

const ADDR_SETS = ['http-request', 'tcp-request connection', 'tcp-request session', 'tcp-request content'] as const;
const MARK_SETS = ['http-request', 'http-response', 'tcp-request connection', 'tcp-request session', 'tcp-request content', 'tcp-response content'] as const;
const TCP_REQ = ['tcp-request connection', 'tcp-request session', 'tcp-request content'] as const;

export const rows: ActionRow[] = [
  { name: 'set-src', rulesets: ADDR_SETS, status: 'notyet', summary: "Replaces the client's source address with the result of an expression.", parse: parseSetAddr },
  { name: 'set-src-port', rulesets: ADDR_SETS, status: 'notyet', summary: "Replaces the client's source port with the result of an expression.", parse: parseSetAddr },
  { name: 'set-dst', rulesets: ADDR_SETS, status: 'notyet', summary: 'Replaces the destination address with the result of an expression.', parse: parseSetAddr },
  { name: 'set-dst-port', rulesets: ADDR_SETS, status: 'notyet', summary: 'Replaces the destination port with the result of an expression.', parse: parseSetAddr },
  { name: 'set-mark', rulesets: MARK_SETS, status: 'notyet', summary: 'Sets the netfilter mark (SO_MARK) of the client connection.', parse: parseSetNumber },
  { name: 'set-tos', rulesets: MARK_SETS, status: 'notyet', summary: 'Sets the TOS/DSCP field of the packets sent to the client.', parse: parseSetNumber },
  {
    name: 'expect-proxy',
    rulesets: TCP_REQ,
    builtin: true,
    status: 'notyet',
    summary: 'Reads a PROXY protocol header from the connection (expect-proxy layer4).',
    parse: parseExpect,
  },
  {
    name: 'expect-netscaler-cip',
    rulesets: TCP_REQ,
    builtin: true,
    status: 'notyet',
    summary: 'Reads a NetScaler Client IP insertion header from the connection (expect-netscaler-cip layer4).',
    parse: parseExpect,
  },
];
