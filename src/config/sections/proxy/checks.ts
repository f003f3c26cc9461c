/**
 * Health-check keywords of proxies (configuration.txt 4.2): the check options (`option httpchk`,
 * `option ldap-check`, `option mysql-check`, `option pgsql-check`, `option redis-check`,
 * `option smtpchk`, `option spop-check`, `option ssl-hello-chk`, `option tcp-check`,
 * `option external-check`), the `http-check` and `tcp-check` rule lists, and
 * `external-check command|path`. How options and rules combine is in checks-state.ts, the rule
 * grammar in checks-rules.ts.
 *
 * Capabilities: HAProxy checks them inside these parsers, names the keyword family in its
 * warning ("'http-check' ignored because frontend 'f' has no backend capability.") and then
 * parses the statement all the same (its errors still count). The rows are therefore open to
 * every proxy (CAP_ALL) and do that check themselves; configuration.txt 4.1 lists them as
 * defaults, listen and backend keywords. `option external-check` and `external-check` are not
 * checked at all by HAProxy.
 */
import { noExtraArgs } from '../../args.js';
import type { FamilyHandler, KeywordContext, KeywordRow, KeywordTable } from '../../keywords.js';
import type { CheckHttpSendRule, CheckFormatModel, CheckOptionArgs, CheckRuleModel, CheckType } from '../../model/check.js';
import type { SampleExprModel } from '../../model/sample.js';
import { formatNotYet } from '../../../checks/check-format.js';
import { sampleNotYet } from '../../../sample/compile.js';
import type { ProxyModel } from '../../model/proxy.js';
import { runRow } from '../../parser.js';
import { CAP_ALL, CAP_BE } from '../../types.js';
import { parseLogFormat } from '../../../log/log-format.js';
import { parseComment, parseConnect, parseExpect, parseHttpSend, parseTcpSend, type NewRule, type RuleParse } from './checks-rules.js';
import {
  addHttpCheckRule,
  addOptionRequest,
  addTcpCheckRule,
  connectPlacementError,
  healthCheckOf,
  ownRules,
  setCheckType,
} from './checks-state.js';
import { parseVarRule, varActionOf } from './checks-vars.js';

type Row = KeywordRow<ProxyModel>;
type Ctx = KeywordContext<ProxyModel>;

/** "frontend 'f'", "backend 'b'", "proxy 'l'" (a listen section), as HAProxy names proxies. */
function describe(p: ProxyModel): string {
  return `${p.kind === 'listen' ? 'proxy' : p.kind} '${p.name}'`;
}

/**
 * HAProxy's warnifnotcap(PR_CAP_BE): a warning naming `what`, after which the statement is
 * parsed anyway. Returns true when it warned.
 */
export function warnIfNotBackend(ctx: Ctx, what: string): boolean {
  const p = ctx.state;
  if (p.kind === 'defaults' || p.cap & CAP_BE) return false;
  ctx.warning(`'${what}' ignored because ${describe(p)} has no backend capability.`);
  return true;
}

/**
 * HAProxy refuses 'no'/'default' before anything but options and a few keywords, then parses
 * the statement all the same (so its own errors are reported too).
 */
function refuseModifier(ctx: Ctx): void {
  if (!ctx.modifier) return;
  ctx.alert(
    'negation/default currently supported only for options, log, busy-polling, set-dumpable, strict-limits, insecure-fork-wanted and numa-cpu-mapping.',
    'tight',
  );
}

// ---------------------------------------------------------------------------------------------
// option xxx-check

/**
 * The request of `option httpchk [<method>] <uri> [<version>]`. Headers and a body may hide
 * after the version ("HTTP/1.1\r\nHost: x\r\n\r\nbody", deprecated, HAProxy warns).
 */
function parseOptionRequest(ctx: Ctx, args: readonly string[]): { rule: NewRule<CheckHttpSendRule>; args: CheckOptionArgs; hidden: boolean } | { error: string } {
  const a = args[2] ?? '';
  const b = args[3] ?? '';
  let version = args[4] ?? '';
  let method: string | undefined;
  let uri: string | undefined;
  if (a !== '') {
    if (b === '') uri = a;
    else method = a;
  }
  if (b !== '') uri = b;
  let hdrs: string | undefined;
  let body: string | undefined;
  if (version !== '') {
    const h = version.indexOf('\r\n');
    const bd = version.indexOf('\r\n\r\n');
    if (bd >= 0) body = version.slice(bd + 4);
    if (h >= 0 && h !== bd) hdrs = version.slice(h + 2, bd >= 0 ? bd : undefined);
    const cut = Math.min(...[h, bd].filter((x) => x >= 0));
    if (Number.isFinite(cut)) version = version.slice(0, cut);
  }
  const headers: { name: string; value: CheckFormatModel }[] = [];
  if (hdrs !== undefined) {
    const request = `${hdrs}\r\n\r\n`;
    for (const line of hdrs.split('\r\n')) {
      const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/s.exec(line);
      if (!m) return { error: `unable to parse the request '${request}'.` };
      const r = parseLogFormat(ctx, m[2]!, 'tcp-check');
      if ('error' in r) return { error: r.error };
      headers.push({ name: m[1]!, value: { text: m[2]!, parts: r.parts } });
    }
  }
  const rule: NewRule<CheckHttpSendRule> = {
    where: ctx.where,
    action: 'send',
    type: 'http',
    headers,
    ...(method !== undefined ? { method } : {}),
    ...(uri !== undefined ? { uri } : {}),
    ...(version !== '' ? { version } : {}),
    ...(body !== undefined ? { body } : {}),
  };
  const optArgs: CheckOptionArgs = {
    ...(method !== undefined ? { method } : {}),
    ...(uri !== undefined ? { uri } : {}),
    ...(version !== '' ? { version } : {}),
  };
  return { rule, args: optArgs, hidden: hdrs !== undefined || body !== undefined };
}

const optionHttpchk: Row = {
  name: 'option httpchk',
  cap: CAP_ALL,
  status: 'supported',
  summary: 'Checks servers with an HTTP request (OPTIONS / HTTP/1.0 unless told otherwise); 2xx and 3xx are good.',
  parse(ctx, args) {
    warnIfNotBackend(ctx, 'httpchk');
    if (!noExtraArgs(ctx, args, 3, 2)) return;
    const r = parseOptionRequest(ctx, args);
    if ('error' in r) {
      ctx.alert(`'option httpchk' : ${r.error}.`);
      return;
    }
    if (r.hidden) {
      ctx.warning(
        "'option httpchk' : hiding headers or body at the end of the version string is deprecated. Please, consider to use 'http-check send' directive instead.",
        'tight',
      );
    }
    const hc = setCheckType(ctx, 'http', r.args);
    const err = addOptionRequest(hc, r.rule);
    if (err) ctx.alert(`'option httpchk' : ${err}.`);
  },
};

/** An option without arguments that selects a check type. */
function simpleOption(name: string, type: CheckType, summary: string, status: Row['status'] = 'notyet'): Row {
  return {
    name: `option ${name}`,
    cap: CAP_ALL,
    status,
    summary,
    parse(ctx, args) {
      if (type !== 'external') warnIfNotBackend(ctx, name);
      if (!noExtraArgs(ctx, args, 0, 2)) return;
      setCheckType(ctx, type, {});
    },
  };
}

const optionMysqlCheck: Row = {
  name: 'option mysql-check',
  cap: CAP_ALL,
  status: 'supported',
  summary: 'Checks MySQL servers: reads the handshake, or logs in as a user without password and quits.',
  parse(ctx, args) {
    warnIfNotBackend(ctx, 'mysql-check');
    if (!noExtraArgs(ctx, args, 3, 2)) return;
    const kw = args[2];
    if (kw === undefined || kw === '') {
      setCheckType(ctx, 'mysql', {});
      return;
    }
    if (kw !== 'user') {
      ctx.alert(`'option mysql-check' only supports optional values: 'user' (got '${kw}').`);
      return;
    }
    const user = args[3] ?? '';
    if (user === '') {
      ctx.alert("'option mysql-check user' expects <username> as argument.");
      return;
    }
    const variant = args[4] ?? '';
    if (variant !== '' && variant !== 'post-41' && variant !== 'pre-41') {
      ctx.alert(`keyword 'user' only supports 'post-41' and 'pre-41' (got '${variant}').`);
      return;
    }
    setCheckType(ctx, 'mysql', { user, mysqlVariant: variant === 'pre-41' ? 'pre-41' : 'post-41' });
  },
};

const optionPgsqlCheck: Row = {
  name: 'option pgsql-check',
  cap: CAP_ALL,
  status: 'supported',
  summary: 'Checks PostgreSQL servers with a startup message for a user.',
  parse(ctx, args) {
    warnIfNotBackend(ctx, 'pgsql-check');
    if (!noExtraArgs(ctx, args, 2, 2)) return;
    if (!args[2] || !args[3]) {
      ctx.alert("'option pgsql-check' expects 'user <username>' as argument.");
      return;
    }
    if (args[2] !== 'user') {
      ctx.alert("'option pgsql-check' only supports optional values: 'user'.");
      return;
    }
    setCheckType(ctx, 'pgsql', { user: args[3] });
  },
};

const optionSmtpchk: Row = {
  name: 'option smtpchk',
  cap: CAP_ALL,
  status: 'supported',
  summary: 'Checks SMTP servers: greeting, then HELO/EHLO <domain>; 2xx replies are good.',
  parse(ctx, args) {
    warnIfNotBackend(ctx, 'smtpchk');
    if (!noExtraArgs(ctx, args, 2, 2)) return;
    // Anything but "HELO <domain>" / "EHLO <domain>" means the default greeting.
    const hello = args[2] ?? '';
    const domain = args[3] ?? '';
    const smtpCommand = domain !== '' && (hello === 'HELO' || hello === 'EHLO') ? `${hello} ${domain}` : 'HELO localhost';
    setCheckType(ctx, 'smtp', { smtpCommand });
  },
};

// ---------------------------------------------------------------------------------------------
// external-check command|path

function externalSetting(which: 'command' | 'path', summary: string): Row {
  return {
    name: `external-check ${which}`,
    cap: CAP_ALL,
    status: 'notyet',
    summary,
    parse(ctx, args) {
      if (!noExtraArgs(ctx, args, 2, 1)) return;
      if (!args[2]) {
        ctx.alert(`missing argument after '${which}'.`);
        return;
      }
      const hc = healthCheckOf(ctx.state);
      if (which === 'command') hc.externalCommand = { value: args[2], where: ctx.where };
      else hc.externalPath = { value: args[2], where: ctx.where };
    },
  };
}

const externalCheckFamily: FamilyHandler<ProxyModel> = (ctx, args) => {
  refuseModifier(ctx);
  if (args[1] === undefined) {
    ctx.alert("missing argument after 'external-check'.\n");
    return;
  }
  ctx.alert(`'external-check' only supports 'command' and 'path'. but got '${args[1]}'.`);
};

// ---------------------------------------------------------------------------------------------
// http-check and tcp-check rules

type RuleParser = (ctx: Ctx, args: readonly string[]) => RuleParse;

/**
 * Parses a rule, then adds it to the section's list; reports HAProxy's messages. Returns the
 * rule as written (before an http-check send is merged with the option's request).
 */
function checkRule(kind: 'http' | 'tcp', ctx: Ctx, args: readonly string[], parse: RuleParser): NewRule | undefined {
  const kw = `${args[0]} ${args[1]}`;
  const warned = warnIfNotBackend(ctx, args[0]!);
  const hc = healthCheckOf(ctx.state);
  if (args[1] === 'connect') {
    const e = connectPlacementError(ownRules(hc, kind));
    if (e) {
      ctx.alert(`'${kw}' : ${e}.`);
      return undefined;
    }
  }
  const r = parse(ctx, args);
  if ('error' in r) {
    ctx.alert(`'${kw}' : ${r.error}.`);
    return undefined;
  }
  if (kind === 'tcp') {
    addTcpCheckRule(hc, r.rule);
    // HAProxy prints its (empty) message after a tcp-check statement it warned about.
    if (warned) ctx.warning('(null)');
    return r.rule;
  }
  const err = addHttpCheckRule(hc, r.rule);
  if (err) ctx.alert(`'${kw}' : ${err}.`);
  return err ? undefined : r.rule;
}

function ruleRow(kind: 'http' | 'tcp', sub: string, summary: string, parse: RuleParser, runs?: RuleRuns): Row {
  return {
    name: `${kind}-check ${sub}`,
    cap: CAP_ALL,
    status: runs ? runs.status : 'notyet',
    note: runs?.note,
    summary,
    parse: (ctx, args) => {
      const added = checkRule(kind, ctx, args, parse);
      // What the check engine does not run yet is refused here, where it is written.
      const missing = added && runs?.refuse?.(added as CheckRuleModel);
      if (missing) ctx.notYet(`'${kind}-check ${sub}' ${missing}`);
    },
  };
}

/** Which tcp-check rules run: their status and, for partial ones, what is still refused. */
interface RuleRuns {
  readonly status: Row['status'];
  readonly note?: string;
  refuse?(rule: CheckRuleModel): string | undefined;
}

/** Options of a connect rule that do not run yet; `h1` is what an HTTP check speaks anyway. */
function connectRuns(kind: 'http' | 'tcp'): RuleRuns {
  return {
    status: 'partial',
    note: 'proto (other than h1 for HTTP checks) and via-socks4 are refused until they run',
    refuse(r) {
      if (r.action !== 'connect') return samplesNotYet(r);
      const proto = r.proto !== undefined && !(kind === 'http' && r.proto === 'h1');
      const missing = [proto && 'proto', r.viaSocks4 && 'via-socks4'].filter(Boolean);
      return missing.length > 0 ? `option ${missing.map((m) => `'${m}'`).join(', ')}` : samplesNotYet(r);
    },
  };
}

/**
 * What a rule's log-format strings and sample expressions use that does not run in checks:
 * the %-variables of log lines (a check has no stream), and fetches or converters without a
 * run-time implementation.
 */
function samplesNotYet(r: CheckRuleModel): string | undefined {
  const formats: (CheckFormatModel | undefined)[] = [];
  const exprs: (SampleExprModel | undefined)[] = [];
  if (r.action === 'send' && r.type === 'http') formats.push(r.uriFormat, r.bodyFormat, ...r.headers.map((h) => h.value));
  else if (r.action === 'send') formats.push(r.format);
  else if (r.action === 'expect') {
    formats.push(r.format, r.header?.name.format, r.header?.value?.format, r.onSuccess, r.onError);
    exprs.push(r.statusCode);
  } else if (r.action === 'connect') exprs.push(r.portExpr);
  else if (r.action !== 'comment') {
    formats.push(r.format);
    exprs.push(r.expr);
  }
  for (const f of formats) {
    const v = formatNotYet(f);
    if (v) return `with a ${v}`;
    for (const p of f?.parts ?? []) if (p.expr) exprs.push(p.expr);
  }
  for (const e of exprs) {
    const missing = e ? sampleNotYet(e) : [];
    if (missing.length > 0) return `with ${missing.join(', ')}`;
  }
  return undefined;
}

const RUNS: RuleRuns = { status: 'supported', refuse: samplesNotYet };
const SAMPLES_NOTE = 'log-format strings run with text and %[...] sample expressions; the %-variables of log lines are refused (a check has no stream)';
const SAMPLE_RUNS: RuleRuns = { status: 'supported', note: SAMPLES_NOTE, refuse: samplesNotYet };

const varParser: RuleParser = (ctx, args) => parseVarRule(ctx, args);

/** `http-check disable-on-404` / `http-check send-state`: settings, not rules. */
function httpCheckFlag(sub: 'disable-on-404' | 'send-state', summary: string): Row {
  return {
    name: `http-check ${sub}`,
    cap: CAP_ALL,
    status: 'supported',
    summary,
    parse(ctx, args) {
      const warned = warnIfNotBackend(ctx, 'http-check');
      const hc = healthCheckOf(ctx.state);
      if (sub === 'disable-on-404') hc.disableOn404 = true;
      else hc.sendState = true;
      if (args[2] !== undefined) {
        ctx.alert(`'http-check' cannot handle unexpected argument '${args[2]}'.`);
        return;
      }
      if (warned) ctx.warning('(null)');
    },
  };
}

const HTTP_CHECK_MEMBERS = "'disable-on-404', 'send-state', 'comment', 'connect', 'send', 'expect', 'set-var-fmt(*)', 'set-var(*)', 'unset-var(*)'";
const TCP_CHECK_MEMBERS = "'comment', 'connect', 'send', 'send-binary', 'expect', 'set-var-fmt(*)', 'set-var(*)', 'unset-var(*)'";

/**
 * "http-check set-var(check.x) ..." reaches the family handler (the action word carries its
 * argument): it is given to the set-var rows; anything else gets HAProxy's list of members.
 */
function ruleFamily(kind: 'http' | 'tcp', table: KeywordTable<ProxyModel>): FamilyHandler<ProxyModel> {
  return (ctx, args) => {
    refuseModifier(ctx);
    const action = varActionOf(args[1] ?? '');
    const found = action ? table.lookup([`${kind}-check`, action]) : undefined;
    if (found?.kind === 'row') {
      runRow(ctx, found.row, args);
      return;
    }
    warnIfNotBackend(ctx, `${kind}-check`);
    const members = kind === 'http' ? HTTP_CHECK_MEMBERS : TCP_CHECK_MEMBERS;
    ctx.alert(`'${kind}-check' only supports ${members}. but got '${args[1] ?? ''}'`);
  };
}

export const rows: Row[] = [
  optionHttpchk,
  simpleOption('ldap-check', 'ldap', 'Checks LDAPv3 servers with an anonymous bind.', 'supported'),
  optionMysqlCheck,
  optionPgsqlCheck,
  simpleOption('redis-check', 'redis', 'Checks Redis servers with PING, expecting +PONG.', 'supported'),
  optionSmtpchk,
  simpleOption('spop-check', 'spop', 'Checks SPOE agents with a HELLO handshake.', 'supported'),
  simpleOption('ssl-hello-chk', 'ssl-hello', 'Checks servers with an SSLv3 client hello, expecting a server hello.', 'supported'),
  simpleOption('tcp-check', 'tcp-check', 'Checks servers with the tcp-check rules of the section.', 'supported'),
  simpleOption('external-check', 'external', 'Checks servers by running the external-check command.'),
  externalSetting('command', 'Program run for each external check.'),
  externalSetting('path', 'PATH given to the external-check command.'),

  ruleRow('http', 'comment', 'Comment reported when the next http-check rule fails.', parseComment, RUNS),
  ruleRow('http', 'connect', 'Opens the connection of an HTTP check (port, address, TLS, PROXY protocol...).', (c, a) => parseConnect(c, a, 'http-check'), connectRuns('http')),
  ruleRow('http', 'send', 'Request sent by an HTTP check: method, URI, version, headers, body.', parseHttpSend, SAMPLE_RUNS),
  ruleRow('http', 'expect', 'What an HTTP check response must match: status, header, body.', (c, a) => parseExpect(c, a, 'http'), SAMPLE_RUNS),
  ruleRow('http', 'set-var', 'Sets a variable during an HTTP check.', varParser, SAMPLE_RUNS),
  ruleRow('http', 'set-var-fmt', 'Sets a variable from a log-format string during an HTTP check.', varParser, SAMPLE_RUNS),
  ruleRow('http', 'unset-var', 'Removes a variable during an HTTP check.', varParser, SAMPLE_RUNS),
  httpCheckFlag('disable-on-404', 'A 404 response to an HTTP check puts the server in maintenance for new traffic (NOLB).'),
  httpCheckFlag('send-state', 'Adds an X-Haproxy-Server-State header to HTTP checks.'),

  ruleRow('tcp', 'comment', 'Comment reported when the next tcp-check rule fails.', parseComment, RUNS),
  ruleRow('tcp', 'connect', 'Opens a connection during a tcp-check sequence (port, address, TLS, PROXY protocol...).', (c, a) => parseConnect(c, a, 'tcp-check'), connectRuns('tcp')),
  ruleRow('tcp', 'send', 'Sends a string during a tcp-check sequence.', parseTcpSend, RUNS),
  ruleRow('tcp', 'send-lf', 'Sends a log-format string during a tcp-check sequence.', parseTcpSend, SAMPLE_RUNS),
  ruleRow('tcp', 'send-binary', 'Sends bytes written in hex during a tcp-check sequence.', parseTcpSend, RUNS),
  ruleRow('tcp', 'send-binary-lf', 'Sends bytes from a hex log-format string during a tcp-check sequence.', parseTcpSend, SAMPLE_RUNS),
  ruleRow('tcp', 'expect', 'What the server must answer during a tcp-check sequence (string, regex, binary).', (c, a) => parseExpect(c, a, 'tcp'), SAMPLE_RUNS),
  ruleRow('tcp', 'set-var', 'Sets a variable during a tcp-check sequence.', varParser, SAMPLE_RUNS),
  ruleRow('tcp', 'set-var-fmt', 'Sets a variable from a log-format string during a tcp-check sequence.', varParser, SAMPLE_RUNS),
  ruleRow('tcp', 'unset-var', 'Removes a variable during a tcp-check sequence.', varParser, SAMPLE_RUNS),
];

export function families(table: KeywordTable<ProxyModel>): void {
  table.onUnknownMember('http-check', ruleFamily('http', table));
  table.onUnknownMember('tcp-check', ruleFamily('tcp', table));
  table.onUnknownMember('external-check', externalCheckFamily);
}
