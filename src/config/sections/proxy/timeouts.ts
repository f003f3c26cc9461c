/** `timeout <name> <time>` (configuration.txt 4.2, "timeout ..."). */
import { timeArg } from '../../args.js';
import type { FamilyHandler, KeywordRow, KeywordTable } from '../../keywords.js';
import type { ProxyModel } from '../../model/proxy.js';
import { CAP_ALL, CAP_BE, CAP_DEF, CAP_FE, type KeywordStatus } from '../../types.js';

const ORDER = ['client', 'server', 'connect', 'check', 'queue', 'http-keep-alive', 'http-request', 'tunnel', 'tarpit', 'client-fin', 'server-fin'];

function timeout(name: string, cap: number, status: KeywordStatus, summary: string): KeywordRow<ProxyModel> {
  const kw = `timeout ${name}`;
  return {
    name: kw,
    cap,
    status,
    summary,
    parse(ctx, args) {
      if (args[3] !== undefined) {
        ctx.alert(`'${kw}' : unexpected extra argument '${args[3]}' after value '${args[2]}'.`);
        return;
      }
      const v = timeArg(ctx, args[2], kw);
      if (v === undefined) return;
      ctx.state.timeouts[name] = v;
    },
  };
}

export const rows: KeywordRow<ProxyModel>[] = [
  timeout('client', CAP_FE | CAP_DEF, 'supported', 'Maximum inactivity time on the client side.'),
  timeout('server', CAP_BE | CAP_DEF, 'supported', 'Maximum inactivity time on the server side.'),
  timeout('connect', CAP_BE | CAP_DEF, 'supported', 'Maximum time to wait for a connection to a server to succeed.'),
  timeout('check', CAP_BE | CAP_DEF, 'notyet', 'Additional read timeout of health checks once connected.'),
  timeout('queue', CAP_BE | CAP_DEF, 'notyet', 'Maximum time a request may wait in a queue for a free slot.'),
  timeout('http-keep-alive', CAP_ALL, 'notyet', 'Maximum time to wait for a new HTTP request on a kept-alive connection.'),
  timeout('http-request', CAP_ALL, 'notyet', 'Maximum time to wait for a complete HTTP request.'),
  timeout('tunnel', CAP_BE | CAP_DEF, 'notyet', 'Inactivity timeout of both sides once a tunnel is established.'),
  timeout('tarpit', CAP_ALL, 'notyet', 'How long tarpitted connections are held.'),
  timeout('client-fin', CAP_FE | CAP_DEF, 'notyet', 'Inactivity timeout on the client side once half-closed.'),
  timeout('server-fin', CAP_BE | CAP_DEF, 'notyet', 'Inactivity timeout on the server side once half-closed.'),
];

const timeoutFamily: FamilyHandler<ProxyModel> = (ctx, args) => {
  const list = ORDER.map((n) => `'${n}'`);
  ctx.alert(`'timeout' supports ${list.slice(0, -1).join(', ')} and ${list[list.length - 1]} (got '${args[1] ?? ''}')`);
};

export function families(table: KeywordTable<ProxyModel>): void {
  table.onUnknownMember('timeout', timeoutFamily);
}
