/**
 * `stick-table type {ip | ipv6 | integer | string [len <n>] | binary [len <n>]} size <n>[k|m|g]
 *  [expire <time>] [nopurge] [peers <section>] [srvkey name|addr] [store <data>[,<data>]...]*`
 * (configuration.txt 4.2 "stick-table"). `parseStickTable` also serves the `table` lines of
 * peers sections (3.5), which share the grammar.
 *
 * Findings (haproxy 2.6 -c): options come in any order and may repeat (the last wins);
 * `write-to` does not exist in 2.6; a zero size is reported as a missing size; `len` takes
 * C's atol() of its value (0 → "unknown type '<value>'"); sizes accept k, m and g and report
 * the character where a 32-bit overflow happens; stored data types are checked when read (a
 * repeated one is a warning), and after each `store` list the gpt/gpt0, gpc/gpc0-1 and
 * gpc_rate/gpc0-1_rate pairs are refused together. A second table in a proxy, or any table
 * whose name is already taken (tables are named after their proxy), is refused first.
 */
import type { KeywordContext, KeywordRow } from '../../keywords.js';
import type { LoadState } from '../../load-state.js';
import type { ProxyModel } from '../../model/proxy.js';
import type { StickTableDataModel, StickTableKeyType, StickTableModel } from '../../model/stick-table.js';
import { CAP_ALL, type Where } from '../../types.js';
import { parseTime, TIMER_MAX_MS } from '../../units.js';

type Ctx = KeywordContext<unknown>;

/** How each stored data type takes its argument. */
type DataArg = 'none' | 'period' | 'count' | 'count+period';

/** The data types of HAProxy 2.6 (stktable_data_types). */
export const STICK_TABLE_DATA_TYPES: Readonly<Record<string, DataArg>> = {
  server_id: 'none',
  server_key: 'none',
  server_name: 'none',
  gpt0: 'none',
  gpt: 'count',
  gpc0: 'none',
  gpc0_rate: 'period',
  gpc1: 'none',
  gpc1_rate: 'period',
  gpc: 'count',
  gpc_rate: 'count+period',
  conn_cnt: 'none',
  conn_cur: 'none',
  conn_rate: 'period',
  sess_cnt: 'none',
  sess_rate: 'period',
  http_req_cnt: 'none',
  http_req_rate: 'period',
  http_err_cnt: 'none',
  http_err_rate: 'period',
  http_fail_cnt: 'none',
  http_fail_rate: 'period',
  bytes_in_cnt: 'none',
  bytes_in_rate: 'period',
  bytes_out_cnt: 'none',
  bytes_out_rate: 'period',
};

const KEY_TYPES: readonly StickTableKeyType[] = ['ip', 'ipv6', 'integer', 'string', 'binary'];

/** Arrays (gpc, gpc_rate, gpt) hold 1 to 100 elements. */
const MAX_ARRAY = 100;

/** Where each table name was declared, per configuration (tables share one namespace). */
const declared = new WeakMap<LoadState, Map<string, { readonly owner: string; readonly where: Where }>>();

/**
 * Claims a table name; returns HAProxy's message when it is already taken. `owner` names the
 * section for later messages: "backend 'b'", "proxy 'l'", "peers 'p'".
 */
export function claimStickTableName(load: LoadState, name: string, owner: string, where: Where): string | undefined {
  let names = declared.get(load);
  if (!names) declared.set(load, (names = new Map()));
  const prev = names.get(name);
  if (prev) return `stick-table name '${name}' conflicts with table declared in ${prev.owner} at ${prev.where.file}:${prev.where.line}.`;
  names.set(name, { owner, where });
  return undefined;
}

/** C's atol(): leading blanks, sign and digits; 0 without digits. */
function atol(text: string): number {
  const m = /^[ \t]*([-+]?[0-9]+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** HAProxy's parse_size_err: a 32-bit size with k/m/g units; the offending character, if any. */
export function parseStickSize(text: string): { value: number } | { char: string } {
  if (!/^[0-9]/.test(text)) return { char: text[0] ?? '' };
  let value = 0;
  let i = 0;
  for (; i < text.length && text[i]! >= '0' && text[i]! <= '9'; i++) {
    value = value * 10 + Number(text[i]);
    if (value > 0xffffffff) return { char: text[i]! };
  }
  if (i === text.length) return { value };
  const mult = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[text[i]!.toLowerCase()];
  if (mult === undefined) return { char: text[i]! };
  if (value * mult > 0xffffffff) return { char: text[i]! };
  if (i + 1 < text.length) return { char: text[i + 1]! };
  return { value: value * mult };
}

/** One `store` list: "gpc0,conn_rate(10s),gpc_rate(2,1m)". Returns false after an alert. */
function parseStore(ctx: Ctx, kw: string, list: string, store: StickTableDataModel[]): boolean {
  let pos = 0;
  while (pos < list.length) {
    const start = pos;
    let name: string | undefined;
    let arg: string | undefined;
    while (pos < list.length && list[pos] !== ',') {
      if (list[pos] === '(' && name === undefined) {
        name = list.slice(start, pos);
        const close = list.indexOf(')', pos);
        if (close < 0) {
          ctx.alert(`${kw}: missing closing parenthesis after store option '${name}'.`);
          return false;
        }
        arg = list.slice(pos + 1, close);
        pos = close;
      }
      pos++;
    }
    name ??= list.slice(start, pos);
    pos++;
    const kind = STICK_TABLE_DATA_TYPES[name];
    if (kind === undefined) {
      ctx.alert(`${kw}: unknown store option '${name}'.`);
      return false;
    }
    if (store.some((d) => d.name === name)) {
      ctx.warning(`${kw}: store option '${name}' already enabled, ignored.`, 'tight');
      continue;
    }
    const data = storeArgument(name, kind, arg);
    if ('error' in data) {
      ctx.alert(`${kw}: ${data.error}`);
      return false;
    }
    store.push(data);
  }
  const has = (n: string): boolean => store.some((d) => d.name === n);
  const exclusive: [string, string, string][] = [
    ['gpt', 'gpt0', "simultaneous usage of 'gpt' and 'gpt0' in a same table is not permitted as 'gpt' overrides 'gpt0'."],
    ['gpc', 'gpc[01]', "simultaneous usage of 'gpc' and 'gpc[0/1]' in a same table is not permitted as 'gpc' overrides 'gpc[0/1]'."],
    ['gpc_rate', 'gpc[01]_rate', "simultaneous usage of 'gpc_rate' and 'gpc[0/1]_rate' in a same table is not permitted as 'gpc_rate' overrides 'gpc[0/1]_rate'."],
  ];
  for (const [array, legacy, message] of exclusive) {
    const legacyNames = legacy.includes('[01]') ? [legacy.replace('[01]', '0'), legacy.replace('[01]', '1')] : [legacy];
    if (has(array) && legacyNames.some(has)) {
      ctx.alert(`${kw}: ${message}`);
      return false;
    }
  }
  return true;
}

/** The argument of one stored data type, with HAProxy's messages. */
function storeArgument(name: string, kind: DataArg, arg: string | undefined): StickTableDataModel | { error: string } {
  const period = (text: string): number | undefined => {
    const r = parseTime(text, 'ms');
    if ('value' in r) return r.value;
    // A sub-millisecond period is accepted by HAProxy (it rounds to 0).
    return r.error === 'underflow' ? 0 : undefined;
  };
  const processing = { error: `error when processing store option '${name}'.` };
  const missing = { error: `missing argument to store option '${name}'.` };
  const unexpected = { error: `unexpected argument to store option '${name}'.` };
  switch (kind) {
    case 'none':
      return arg === undefined ? { name } : unexpected;
    case 'period': {
      if (arg === undefined) return missing;
      // Only the text before a comma is the period.
      const p = period(arg.split(',')[0]!);
      return p === undefined ? processing : { name, period: p };
    }
    case 'count':
    case 'count+period': {
      if (arg === undefined) return missing;
      const comma = arg.indexOf(',');
      const count = atol(comma < 0 ? arg : arg.slice(0, comma));
      if (count < 1 || count > MAX_ARRAY) {
        return { error: `array size is out of allowed range (1-${MAX_ARRAY}) for store option '${name}'.` };
      }
      if (kind === 'count') return comma < 0 ? { name, count } : unexpected;
      if (comma < 0) return missing;
      const p = period(arg.slice(comma + 1));
      return p === undefined ? processing : { name, count, period: p };
    }
  }
}

/**
 * Parses the options of a stick table from `args[start]` on (args[0] names the keyword in the
 * messages). Returns the table, or undefined after an alert.
 */
export function parseStickTable(ctx: Ctx, args: readonly string[], start: number, name: string): StickTableModel | undefined {
  const kw = args[0]!;
  let type: StickTableKeyType | undefined;
  let keyLength: number | undefined;
  let size = 0;
  let expire: number | undefined;
  let nopurge = false;
  let peers: string | undefined;
  let srvkey: 'name' | 'addr' = 'name';
  const store: StickTableDataModel[] = [];
  const missingAfter = (w: string): undefined => {
    ctx.alert(`${kw}: missing argument after '${w}'.`);
    return undefined;
  };
  for (let i = start; i < args.length && args[i] !== ''; i++) {
    const w = args[i]!;
    const v = args[i + 1] ?? '';
    switch (w) {
      case 'size': {
        if (v === '') return missingAfter(w);
        const r = parseStickSize(v);
        if ('char' in r) {
          ctx.alert(`${kw}: unexpected character '${r.char}' in argument of 'size'.`);
          return undefined;
        }
        size = r.value;
        i++;
        break;
      }
      case 'peers':
        if (v === '') return missingAfter(w);
        peers = v;
        i++;
        break;
      case 'expire': {
        if (v === '') return missingAfter(w);
        const r = parseTime(v, 'ms');
        if ('value' in r) {
          expire = r.value;
        } else if (r.error === 'overflow') {
          ctx.alert(`${kw}: timer overflow in argument <${v}> to <expire>, maximum value is ${TIMER_MAX_MS} ms (~24.8 days).`, 'tight');
          return undefined;
        } else if (r.error === 'underflow') {
          expire = 0;
        } else {
          ctx.alert(`${kw}: unexpected character '${r.char ?? ''}' in argument of 'expire'.`);
          return undefined;
        }
        i++;
        break;
      }
      case 'nopurge':
        nopurge = true;
        break;
      case 'type': {
        i++;
        const t = KEY_TYPES.find((k) => k === (args[i] ?? ''));
        if (!t) {
          ctx.alert(`${kw}: unknown type '${args[i] ?? ''}'.`);
          return undefined;
        }
        type = t;
        keyLength = t === 'string' || t === 'binary' ? 32 : undefined;
        if ((t === 'string' || t === 'binary') && args[i + 1] === 'len') {
          i += 2;
          const n = atol(args[i] ?? '');
          if (n === 0) {
            ctx.alert(`${kw}: unknown type '${args[i] ?? ''}'.`);
            return undefined;
          }
          keyLength = n;
        }
        break;
      }
      case 'srvkey':
        if (v !== 'name' && v !== 'addr') {
          ctx.alert(`${kw} : unknown server key type '${v}'.`);
          return undefined;
        }
        srvkey = v;
        i++;
        break;
      case 'store':
        i++;
        if (!parseStore(ctx, kw, args[i] ?? '', store)) return undefined;
        break;
      default:
        ctx.alert(`${kw}: unknown argument '${w}'.`);
        return undefined;
    }
  }
  if (!size) {
    ctx.alert(`${kw}: missing size.`);
    return undefined;
  }
  if (!type) {
    ctx.alert(`${kw}: missing type.`);
    return undefined;
  }
  return {
    where: ctx.where,
    name,
    type,
    ...(keyLength !== undefined ? { keyLength } : {}),
    size,
    ...(expire !== undefined ? { expire } : {}),
    nopurge,
    ...(peers !== undefined ? { peers } : {}),
    srvkey,
    store,
  };
}

function describe(p: ProxyModel): string {
  return `${p.kind === 'listen' ? 'proxy' : p.kind} '${p.name}'`;
}

/**
 * Open to every proxy (CAP_ALL): HAProxy refuses it in defaults sections with its own message
 * ("'stick-table' is not supported in 'defaults' section."), not the generic one;
 * configuration.txt 4.1 lists it for frontend, listen and backend.
 */
const stickTable: KeywordRow<ProxyModel> = {
  name: 'stick-table',
  cap: CAP_ALL,
  status: 'notyet',
  summary: 'The stick table of the proxy: key type, size, expiry, replication and stored counters.',
  parse(ctx, args) {
    const p = ctx.state;
    if (p.kind === 'defaults') {
      ctx.alert("'stick-table' is not supported in 'defaults' section.");
      return;
    }
    const names = declared.get(ctx.load)?.get(p.name);
    if (names) {
      ctx.alert(`stick-table name '${p.name}' conflicts with table declared in ${names.owner} at ${names.where.file}:${names.where.line}.`);
      return;
    }
    const table = parseStickTable(ctx, args, 1, p.name);
    if (!table) return;
    claimStickTableName(ctx.load, p.name, describe(p), ctx.where);
    p.stickTable = table;
  },
};

export const rows: KeywordRow<ProxyModel>[] = [stickTable];
