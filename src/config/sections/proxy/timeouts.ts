/**
 * `timeout <name> <time>` (configuration.txt 4.2, "timeout ..."), and the old forms removed in
 * HAProxy 2.1 (clitimeout, contimeout, srvtimeout), which are refused with HAProxy's message.
 */
import type { FamilyHandler, KeywordTable } from '../../keywords.js';
import type { ProxyModel } from '../../model/proxy.js';
import { CAP_ALL, CAP_BE, CAP_DEF, CAP_FE, type KeywordStatus } from '../../types.js';
import { describe, hasCap, modifierNotSupported, msArg, type ProxyRow } from './support.js';

/** The order HAProxy lists them in its message for an unknown timeout. */
const ORDER = ['client', 'server', 'connect', 'check', 'queue', 'http-keep-alive', 'http-request', 'tunnel', 'tarpit', 'client-fin', 'server-fin'];

/**
 * One timeout. HAProxy checks the value, then extra words, then the capability: a timeout on
 * a proxy without the side it applies to is ignored with a warning of its own wording.
 */
function timeout(name: string, cap: number, status: KeywordStatus, summary: string): ProxyRow {
  const kw = `timeout ${name}`;
  return {
    name: kw,
    cap,
    capByParse: true,
    status,
    summary,
    parse(ctx, args) {
      const v = msArg(ctx, args[2], kw);
      if (v === undefined) return;
      if (args[3] !== undefined) {
        ctx.alert(`'${kw}' : unexpected extra argument '${args[3]}' after value '${args[2]}'.`);
        return;
      }
      const p = ctx.state;
      if (!hasCap(p, cap)) {
        const missing = cap & CAP_FE ? 'frontend' : 'backend';
        ctx.warning(`'${kw}' will be ignored because ${describe(p)} has no ${missing} capability`);
        return;
      }
      p.timeouts[name] = v;
    },
  };
}

/** clitimeout, contimeout, srvtimeout (also written "timeout clitimeout"): removed in 2.1. */
function removed(name: string, replacement: string, words: string): ProxyRow {
  return {
    name: words,
    cap: CAP_ALL,
    capByParse: true,
    status: 'supported',
    summary: `Removed in HAProxy 2.1: refused, with HAProxy's advice to use 'timeout ${replacement}'.`,
    parse(ctx) {
      ctx.alert(`the '${name}' directive is not supported anymore since HAProxy 2.1. Use 'timeout ${replacement}'.`);
    },
  };
}

const OLD: [string, string][] = [
  ['clitimeout', 'client'],
  ['contimeout', 'connect'],
  ['srvtimeout', 'server'],
];

export const rows: ProxyRow[] = [
  timeout('client', CAP_FE | CAP_DEF, 'supported', 'Maximum inactivity time on the client side.'),
  timeout('server', CAP_BE | CAP_DEF, 'supported', 'Maximum inactivity time on the server side.'),
  timeout('connect', CAP_BE | CAP_DEF, 'supported', 'Maximum time to wait for a connection to a server to succeed.'),
  timeout('check', CAP_BE | CAP_DEF, 'supported', 'Additional read timeout of health checks once connected.'),
  timeout('queue', CAP_BE | CAP_DEF, 'supported', 'Maximum time a request may wait in a queue for a free slot.'),
  timeout('http-keep-alive', CAP_ALL, 'notyet', 'Maximum time to wait for a new HTTP request on a kept-alive connection.'),
  timeout('http-request', CAP_ALL, 'notyet', 'Maximum time to wait for a complete HTTP request.'),
  timeout('tunnel', CAP_BE | CAP_DEF, 'supported', 'Inactivity timeout of both sides once a tunnel is established.'),
  timeout('tarpit', CAP_ALL, 'notyet', 'How long tarpitted connections are held.'),
  timeout('client-fin', CAP_FE | CAP_DEF, 'supported', 'Inactivity timeout on the client side once half-closed.'),
  timeout('server-fin', CAP_BE | CAP_DEF, 'supported', 'Inactivity timeout on the server side once half-closed.'),
  ...OLD.map(([old, rep]) => removed(old, rep, old)),
  ...OLD.map(([old, rep]) => removed(old, rep, `timeout ${old}`)),
];

const timeoutFamily: FamilyHandler<ProxyModel> = (ctx, words) => {
  if (ctx.modifier) modifierNotSupported(ctx);
  // After "default", HAProxy 2.6 sees the last word twice (see the proxy section).
  const args = ctx.modifier === 'default' ? [...words, words[words.length - 1]!] : words;
  const list = ORDER.map((n) => `'${n}'`);
  ctx.alert(`'timeout' supports ${list.slice(0, -1).join(', ')} and ${list[list.length - 1]} (got '${args[1] ?? ''}')`);
};

export function families(table: KeywordTable<ProxyModel>): void {
  table.onUnknownMember('timeout', timeoutFamily);
}
