/**
 * Actions that decide the fate of a request or response (configuration.txt 4.2):
 * allow, deny, tarpit, reject, return, auth, redirect, silent-drop, and the tcp rule sets'
 * accept, reject and close.
 */
import { parseHttpReply } from './http-reply.js';
import { parseRedirect } from './redirect.js';
import type { ActionFn, ActionInput, ActionResult, ActionRow } from './types.js';
import { isCondWord, proxyLabel } from './args.js';

/** tcp rules' accept: the rule set stops and lets the connection or data through. */
const actAccept: ActionFn = () => 'stop';
/** tcp rules' reject: the connection is closed (counted as denied). */
const actReject: ActionFn = () => 'deny';

const noArgs = (final: boolean) => (): ActionResult => ({ next: 1, args: {}, ...(final ? { final: true } : {}) });

/**
 * deny / tarpit: without arguments, or with only "deny_status <code>", the proxy's default
 * error pages are used; otherwise the arguments are an HTTP reply ("deny_status" then reads
 * as "status"). Default status: 403 (deny), 500 (tarpit), 502 (http-response deny).
 */
function parseDeny(a: ActionInput): ActionResult {
  const defaultStatus = a.ruleset === 'http-request' ? (a.name === 'tarpit' ? 500 : 403) : 502;
  const first = a.arg(1);
  if (first === '' || isCondWord(first)) {
    const r = parseHttpReply(a.ctx, ['default-errorfiles'], 0, defaultStatus, a.uses);
    if ('error' in r) return r;
    return { next: 1, args: { reply: r.reply }, final: true };
  }
  if (first === 'deny_status' && (a.arg(3) === '' || isCondWord(a.arg(3)))) {
    const r = parseHttpReply(a.ctx, ['status', a.arg(2), 'default-errorfiles'], 0, defaultStatus, a.uses);
    if ('error' in r) return r;
    return { next: 3, args: { reply: r.reply }, final: true };
  }
  const words = Array.from({ length: a.count }, (_, i) => a.arg(i));
  if (first === 'deny_status') words[1] = 'status';
  const r = parseHttpReply(a.ctx, words, 1, defaultStatus, a.uses);
  if ('error' in r) return r;
  return { next: r.next, args: { reply: r.reply }, final: true };
}

function parseReturn(a: ActionInput): ActionResult {
  const words = Array.from({ length: a.count }, (_, i) => a.arg(i));
  const r = parseHttpReply(a.ctx, words, 1, 200, a.uses);
  if ('error' in r) return r;
  return { next: r.next, args: { reply: r.reply }, final: true };
}

/** auth [realm <realm>] */
function parseAuth(a: ActionInput): ActionResult {
  if (a.arg(1) === 'realm') {
    if (a.arg(2) === '') return { error: 'missing realm value.\n' };
    return { next: 3, args: { realm: a.arg(2) }, final: true };
  }
  return { next: 1, args: {}, final: true };
}

/** redirect <rule>: the rule takes all the remaining words, its condition included. */
function parseRedirectAction(a: ActionInput): ActionResult {
  const late = (msg: string): string =>
    `error detected in ${proxyLabel(a.proxy)} while parsing '${a.ruleset} ${a.name}' rule : error in condition: ${msg}.`;
  const r = parseRedirect(a.ctx, a.words, a.at + 1, true, a.ruleset !== 'http-request', a.uses, late);
  if ('error' in r) return r;
  return { next: a.count, args: { redirect: r.redirect }, condition: r.condition, final: !r.redirect.ignoreEmpty };
}

export const rows: ActionRow[] = [
  {
    name: 'allow',
    rulesets: ['http-request', 'http-response', 'http-after-response'],
    status: 'notyet',
    summary: 'Stops evaluating the rules of this set and lets the message through.',
    parse: noArgs(true),
  },
  {
    name: 'deny',
    rulesets: ['http-request', 'http-response'],
    status: 'notyet',
    summary: 'Stops evaluating the rules and answers with an error (403, or 502 on responses), optionally customised as with "return".',
    parse: parseDeny,
  },
  {
    name: 'tarpit',
    rulesets: ['http-request'],
    status: 'notyet',
    summary: 'Holds the request for "timeout tarpit", then answers with an error (500 by default).',
    parse: parseDeny,
  },
  {
    name: 'return',
    rulesets: ['http-request', 'http-response'],
    status: 'notyet',
    summary: 'Stops evaluating the rules and answers with a response built from a status, a payload and headers.',
    parse: parseReturn,
  },
  {
    name: 'auth',
    rulesets: ['http-request'],
    status: 'notyet',
    summary: 'Answers 401 (or 407) asking for basic authentication in an optional realm.',
    parse: parseAuth,
  },
  {
    name: 'redirect',
    rulesets: ['http-request', 'http-response'],
    status: 'notyet',
    summary: 'Answers with a redirection (see the "redirect" keyword for the rule syntax).',
    parse: parseRedirectAction,
  },
  {
    name: 'reject',
    rulesets: ['http-request'],
    status: 'notyet',
    summary: 'Closes the connection at once without any response.',
    parse: noArgs(false),
  },
  {
    name: 'silent-drop',
    rulesets: ['http-request', 'http-response', 'tcp-request connection', 'tcp-request session', 'tcp-request content', 'tcp-response content'],
    status: 'notyet',
    summary: 'Drops the connection without telling the client, which keeps waiting.',
    parse: noArgs(false),
  },
  {
    name: 'wait-for-handshake',
    rulesets: ['http-request'],
    status: 'notyet',
    summary: 'Waits for the TLS handshake to complete before going on (protects against 0-RTT replay).',
    parse: noArgs(false),
  },
  {
    name: 'disable-l7-retry',
    rulesets: ['http-request'],
    status: 'notyet',
    summary: 'Disables layer 7 retries (retry-on) for this request.',
    parse: noArgs(false),
  },
  {
    name: 'accept',
    rulesets: ['tcp-request connection', 'tcp-request session', 'tcp-request content', 'tcp-response content'],
    builtin: true,
    status: 'partial',
    note: 'runs in tcp-request connection and tcp-request content rules',
    summary: 'Stops evaluating the rules of this set and accepts the connection or data.',
    parse: noArgs(true),
    run: () => actAccept,
  },
  {
    name: 'reject',
    rulesets: ['tcp-request connection', 'tcp-request session', 'tcp-request content', 'tcp-response content'],
    builtin: true,
    status: 'partial',
    note: 'runs in tcp-request connection and tcp-request content rules',
    summary: 'Stops evaluating the rules and closes the connection.',
    parse: noArgs(true),
    run: () => actReject,
  },
  {
    name: 'close',
    rulesets: ['tcp-response content'],
    builtin: true,
    status: 'notyet',
    summary: 'Closes the connection with the server once the response data is forwarded.',
    parse: noArgs(true),
  },
];
