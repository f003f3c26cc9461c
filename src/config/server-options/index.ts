/**
 * The server option table and the loop that reads the options of a server, default-server or
 * server-template line (configuration.txt 5.2). Rows live in one file per area: core (weight,
 * limits, state, persistence), checks (health and agent checks), network (PROXY protocol,
 * source, socks4, name resolution), ssl (TLS to the server).
 */
import type { KeywordContext } from '../keywords.js';
import type { ProxyModel } from '../model/proxy.js';
import type { SampleExprModel } from '../model/sample.js';
import { sampleNotYet } from '../../sample/compile.js';
import { parseSampleExpr } from '../../sample/expr.js';
import { bestMatch } from '../suggest.js';
import { checkServerOptions } from './checks.js';
import { coreServerOptions } from './core.js';
import { ServerMessages } from './messages.js';
import { networkServerOptions } from './network.js';
import { sslServerOptions } from './ssl.js';
import type { ServerOptionEnv, ServerOptionRow } from './types.js';

export const serverOptionRows: readonly ServerOptionRow[] = [...coreServerOptions, ...checkServerOptions, ...networkServerOptions, ...sslServerOptions].sort(
  (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
);

const byName = new Map(serverOptionRows.map((r) => [r.name, r]));

/** Values of other keywords HAProxy also proposes in "did you mean" (its extra_kw_list). */
const EXTRA_WORDS = ['ipv4', 'ipv6', 'legacy', 'octet-count', 'fail-check', 'sudden-death', 'mark-down'];

export interface ServerParseExtra {
  /** HAProxy's args[0]: 'server' (default), 'default-server', 'server-template'. */
  readonly keyword?: string;
  /** The line's message context, when the caller already printed in it. */
  readonly messages?: ServerMessages;
  readonly proxy?: ProxyModel;
}

function isProxy(state: unknown): state is ProxyModel {
  return typeof state === 'object' && state !== null && 'servers' in state && 'defaultServer' in state;
}

/** The message context of a server line: "[file:line] : 'server be/srv' : " first. */
export function serverMessages(ctx: KeywordContext<unknown>, label: string, isDefaultServer: boolean): ServerMessages {
  return new ServerMessages(ctx.diag, ctx.where, isDefaultServer ? '' : `${label} : `);
}

/**
 * Reads `args[from..]` as server options into a copy of `inherited` (the default-server
 * options). `label` prefixes messages ("'server be/srv'"); `serverName` is the name HAProxy
 * puts in some messages ("default-server" on a default-server line). Returns the options, or
 * undefined after a fatal alert. Options that Portier does not run yet are reported as such.
 */
export function parseServerOptions(
  ctx: KeywordContext<unknown>,
  args: readonly string[],
  from: number,
  inherited: Readonly<Record<string, unknown>>,
  label: string,
  serverName: string,
  isDefaultServer: boolean,
  extra: ServerParseExtra = {},
): Record<string, unknown> | undefined {
  const options: Record<string, unknown> = { ...inherited };
  const messages = extra.messages ?? serverMessages(ctx, label, isDefaultServer);
  const env: ServerOptionEnv = {
    proxy: extra.proxy ?? (isProxy(ctx.state) ? ctx.state : undefined),
    serverName,
    isDefaultServer,
    keyword: extra.keyword ?? (isDefaultServer ? 'default-server' : 'server'),
    messages,
  };
  let i = from;
  // HAProxy stops at the first empty word.
  while (i < args.length && args[i] !== '') {
    const name = args[i]!;
    const row = byName.get(name);
    if (!row) {
      const best = bestMatch(name, [...byName.keys(), ...EXTRA_WORDS]);
      const hint = isDefaultServer ? ' Hint: no address was expected for this server.' : '';
      messages.alert(`unknown keyword '${name}'${best ? `; did you mean '${best}' maybe ?` : '.'}${hint}`);
      return undefined;
    }
    if (isDefaultServer && row.onDefaultServer === false) {
      // An alert that leaves the configuration valid; the option is skipped.
      messages.alertContinuing(`'${name}' option is not accepted in default-server sections`);
      i += 1 + Math.max(row.values, 0);
      continue;
    }
    const values = row.values < 0 ? args.slice(i + 1) : Array.from({ length: row.values }, (_, k) => args[i + 1 + k] ?? '');
    const out = row.parse(ctx, values, options, env);
    let consumed = Math.max(row.values, 0);
    if (typeof out === 'string') {
      if (out === '') messages.alert(`error encountered while processing '${name}'.`);
      else messages.parserError(out);
      return undefined;
    }
    if (out) {
      if (out.processing !== undefined) {
        messages.alert(`error encountered while processing '${out.processing}'.`);
        return undefined;
      }
      if (out.message !== undefined) {
        const severity = out.severity ?? 'alert';
        messages.parserError(out.message, severity === 'alert-continuing' ? 'alertContinuing' : severity);
        if (severity === 'alert') return undefined;
      }
      if (out.consumed !== undefined) consumed = out.consumed;
    }
    if (row.status === 'notyet') ctx.notYet(`server option '${name}'`);
    i += 1 + consumed;
  }
  return options;
}

/** What finalizeServer adds to a server line: its SNI expression, parsed. */
export interface FinalizedServer {
  readonly sniExpr?: SampleExprModel;
}

/**
 * What HAProxy checks once a server line is read (not for default-server): checks and
 * tracking together, an agent without port, the SNI expression. Returns false after an alert.
 */
export function finalizeServer(ctx: KeywordContext<unknown>, options: Readonly<Record<string, unknown>>, serverName: string, messages: ServerMessages): FinalizedServer | false {
  if (options['check'] === true && typeof options['track'] === 'string') {
    messages.alert('unable to enable checks and tracking at the same time!');
    return false;
  }
  if (options['agent-check'] === true && !(Number(options['agent-port'] ?? options['port'] ?? 0) > 0)) {
    messages.alert(`server ${serverName} does not have agent port. Agent check has been disabled.`);
    return false;
  }
  const sni = options['sni'];
  if (typeof sni === 'string') {
    const r = parseSampleExpr(ctx, sni, 'be-server-source');
    if ('error' in r) {
      messages.alert(`error detected while parsing sni expression : ${r.error}`);
      return false;
    }
    // Evaluated on each connection, with what the stream knows then.
    const missing = sampleNotYet(r.expr);
    if (options['ssl'] === true && missing.length > 0) ctx.notYet(`server option 'sni ${sni}' with ${missing.join(', ')}`);
    return { sniExpr: r.expr };
  }
  return {};
}
