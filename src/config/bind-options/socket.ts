/**
 * Bind options about the listening socket and its connections (configuration.txt 5.1):
 * backlog, maxconn, PROXY protocol, TCP tuning, threads, multiplexer...
 */
import { existsSync } from 'node:fs';
import { atoi, atou, parseTimeErr, strtol, trailingTimeWarning } from './c-parse.js';
import { MAX_THREADS, parseNumberSet, threadGroups } from './threads.js';
import type { BindOptionRow, OptionOutcome } from './types.js';

/** A flag without value. */
export function flag(name: string, summary: string, status: BindOptionRow['status'] = 'notyet', extra: Partial<BindOptionRow> = {}): BindOptionRow {
  return {
    name,
    values: 0,
    status,
    summary,
    ...extra,
    parse(_ctx, _v, options) {
      options[name] = true;
      return undefined;
    },
  };
}

/** The multiplexers HAProxy 2.6 knows (`haproxy -vv`): their use is checked per proxy mode. */
export const MUX_PROTOCOLS = ['h2', 'fcgi', 'h1', 'none'] as const;

/** Bind ids used per proxy, to report duplicates as HAProxy does. */
const usedIds = new WeakMap<object, Map<number, { file: string; line: number; text: string }>>();

export const socketBindOptions: BindOptionRow[] = [
  {
    name: 'accept-netscaler-cip',
    values: 1,
    status: 'notyet',
    summary: 'Expect a NetScaler Client IP insertion header with this magic number.',
    parse(_ctx, [v], options) {
      if (!v) return "'accept-netscaler-cip' : missing value";
      // Read into an unsigned int: only 0 is refused (HAProxy's message says ">= 0").
      const n = atou(v);
      if (n === 0) return "'accept-netscaler-cip' : invalid value 0, must be >= 0";
      options['accept-netscaler-cip'] = n;
      return undefined;
    },
  },
  flag('accept-proxy', 'Expect a PROXY protocol header (v1 or v2) before anything else.', 'supported'),
  {
    name: 'backlog',
    values: 1,
    status: 'supported',
    summary: 'Length of the kernel queue of connections not yet accepted.',
    parse(_ctx, [v], options) {
      if (!v) return "'backlog' : missing value";
      const n = atoi(v);
      if (n < 0) return `'backlog' : invalid value ${n}, must be > 0`;
      options['backlog'] = n;
      return undefined;
    },
  },
  flag('defer-accept', 'Accept a connection only once data arrived (TCP_DEFER_ACCEPT).'),
  {
    name: 'id',
    values: 1,
    status: 'supported',
    summary: 'Numeric identifier of the listener (logs of unix-socket clients, stats, SNMP).',
    parse(ctx, [v], options, env) {
      if ((env.sockets ?? 1) > 1) return "'id' can only be used with a single socket";
      if (!v) return "'id' : expects an integer argument";
      const r = strtol(v);
      if (r.end !== v.length) return `'id' : expects an integer argument, found '${v}'`;
      const n = Number(BigInt.asIntN(32, r.value));
      if (n <= 0) return "'id' : custom id has to be > 0";
      const owner = ctx.state as object;
      let ids = usedIds.get(owner);
      if (!ids) usedIds.set(owner, (ids = new Map()));
      const prev = ids.get(n);
      if (prev) return `'id' : custom id ${n} already used at ${prev.file}:${prev.line} ('bind ${prev.text}')`;
      ids.set(n, { file: ctx.where.file, line: ctx.where.line, text: env.addressText ?? '' });
      options['id'] = n;
      return undefined;
    },
  },
  {
    name: 'interface',
    values: 1,
    status: 'notyet',
    summary: 'Listen on this network interface only (SO_BINDTODEVICE).',
    parse(_ctx, [v], options) {
      if (!v) return "'interface' : missing interface name";
      options['interface'] = v;
      return undefined;
    },
  },
  {
    name: 'maxconn',
    values: 1,
    status: 'supported',
    summary: 'Concurrent connections accepted on this listener.',
    parse(_ctx, [v], options) {
      if (!v) return "'maxconn' : missing value";
      const n = atoi(v);
      if (n < 0) return `'maxconn' : invalid value ${n}, must be >= 0`;
      options['maxconn'] = n;
      return undefined;
    },
  },
  {
    name: 'mss',
    values: 1,
    status: 'notyet',
    summary: 'TCP maximum segment size advertised to clients.',
    parse(_ctx, [v], options) {
      if (!v) return "'mss' : missing MSS value";
      const n = atoi(v);
      if (Math.abs(n) < 1 || Math.abs(n) > 65535) return "'mss' : expects an MSS with and absolute value between 1 and 65535";
      options['mss'] = n;
      return undefined;
    },
  },
  {
    name: 'name',
    values: 1,
    status: 'supported',
    summary: 'Name of the listener (stats, logs).',
    parse(_ctx, [v], options) {
      if (!v) return "'name' : missing name";
      options['name'] = v;
      return undefined;
    },
  },
  {
    name: 'namespace',
    values: 1,
    status: 'notyet',
    summary: 'Network namespace to listen in (by name, as `ip netns` creates them).',
    parse(ctx, [v], options) {
      if (!v) return "'namespace' : missing namespace id";
      // HAProxy opens /var/run/netns/<name> at parse time.
      if (!existsSync(`/var/run/netns/${v}`)) {
        ctx.diag.alert(undefined, `Cannot open namespace '${v}'.`);
        return '';
      }
      options['namespace'] = v;
      return undefined;
    },
  },
  {
    name: 'nice',
    values: 1,
    status: 'notyet',
    summary: 'Scheduling priority of this listener\'s connections (-1024..1024).',
    parse(_ctx, [v], options) {
      if (!v) return "'nice' : missing value";
      const n = atoi(v);
      if (n < -1024 || n > 1024) return `'nice' : invalid value ${n}, allowed range is -1024..1024`;
      options['nice'] = n;
      return undefined;
    },
  },
  {
    name: 'process',
    values: 1,
    status: 'notyet',
    summary: 'Process (and threads) serving the listener; deprecated in 2.6 for `thread`.',
    parse(_ctx, [v], options): OptionOutcome {
      const text = v ?? '';
      const slash = text.indexOf('/');
      const proc = slash >= 0 ? text.slice(0, slash) : text;
      const r = parseNumberSet(proc, 1);
      if ('error' in r) return `'process' : ${r.error}`;
      let hint = '';
      if (slash >= 0) {
        const threads = text.slice(slash + 1);
        const t = parseNumberSet(threads, MAX_THREADS);
        if ('error' in t) return `'process' : ${t.error}`;
        options['thread'] = threads;
        hint = ` Please use 'thread ${threads}' instead.`;
      }
      options['process'] = text;
      return { severity: 'warning', message: `'process ${text}' on 'bind' lines is deprecated and will be removed in 2.7.${hint}` };
    },
  },
  {
    name: 'proto',
    values: 1,
    status: 'notyet',
    summary: 'Multiplexer to use on accepted connections (h1, h2, none).',
    parse(_ctx, [v], options) {
      if (!v) return "'proto' : missing value";
      if (!(MUX_PROTOCOLS as readonly string[]).includes(v)) return `'proto' :  unknown MUX protocol '${v}'`;
      options['proto'] = v;
      return undefined;
    },
  },
  {
    name: 'shards',
    values: 1,
    status: 'notyet',
    summary: 'Number of sockets to open for the same address (or one per thread).',
    parse(_ctx, [v], options) {
      if (!v) return "'shards' : missing value";
      if (v === 'by-thread') {
        options['shards'] = 'by-thread';
        return undefined;
      }
      const n = atoi(v);
      if (n < 1 || n > MAX_THREADS) return `'shards' : invalid value ${n}, allowed range is 1..${MAX_THREADS} or 'by-thread'`;
      options['shards'] = n;
      return undefined;
    },
  },
  {
    name: 'tcp-ut',
    values: 1,
    status: 'notyet',
    summary: 'TCP user timeout of accepted connections.',
    parse(ctx, [v], options) {
      if (!v) return "'tcp-ut' : missing TCP User Timeout value";
      const r = parseTimeErr(v);
      if ('error' in r) {
        if (r.error === 'overflow') return `timer overflow in argument '${v}' to 'tcp-ut' (maximum value is 2147483647 ms or ~24.8 days)`;
        if (r.error === 'underflow') return `timer underflow in argument '${v}' to 'tcp-ut' (minimum non-null value is 1 ms)`;
        return "'tcp-ut' : expects a positive delay in milliseconds";
      }
      const w = trailingTimeWarning(r);
      // parse_time_err() prints this one itself, before the bind line's context.
      if (w) ctx.diag.warning(undefined, w);
      options['tcp-ut'] = r.value;
      return undefined;
    },
  },
  flag('tfo', 'Accept TCP Fast Open connections.'),
  {
    name: 'thread',
    values: 1,
    status: 'notyet',
    summary: 'Threads (and thread group) serving the listener.',
    parse(ctx, [v], options) {
      const text = v ?? '';
      const slash = text.indexOf('/');
      let set = text;
      if (slash >= 0) {
        const group = text.slice(0, slash);
        const groups = threadGroups(ctx.load);
        const g = /^[0-9]+$/.test(group) ? Number(group) : 0;
        if (g < 1 || g > groups) return `'${text}' thread-group number must be between 1 and ${groups} (was ${g})`;
        set = text.slice(slash + 1);
      }
      const r = parseNumberSet(set, MAX_THREADS);
      if ('error' in r) return `'${set}' : ${r.error}`;
      options['thread'] = text;
      return undefined;
    },
  },
  flag('transparent', 'Accept connections for addresses that are not local (IP_TRANSPARENT).'),
  flag('v4v6', 'An IPv6 socket also accepts IPv4 connections.', 'supported'),
  flag('v6only', 'An IPv6 socket accepts IPv6 connections only.', 'supported'),
];
