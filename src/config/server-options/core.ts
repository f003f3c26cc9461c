/**
 * Server options about traffic distribution and the server's state (configuration.txt 5.2):
 * weight, backup, limits, persistence, connection reuse, multiplexer, websocket.
 */
import { existsSync } from 'node:fs';
import { atoi, parseTimeErr } from '../bind-options/c-parse.js';
import { MUX_PROTOCOLS } from '../bind-options/socket.js';
import { flag, noFlag, stringOption, timeValue, timeWarning } from './helpers.js';
import type { ServerOptionRow } from './types.js';

/** Server ids used per proxy: "custom id %d already used at %s:%d ('server %s')". */
export const usedServerIds = new WeakMap<object, Map<number, { file: string; line: number; name: string }>>();

/** An integer read with atol() and stored as is (maxconn, maxqueue, minconn). */
function atolOption(name: string, summary: string, status: ServerOptionRow['status'] = 'notyet'): ServerOptionRow {
  return {
    name,
    values: 1,
    status,
    summary,
    parse(_ctx, [v], options) {
      options[name] = atoi(v);
      return undefined;
    },
  };
}

/** pool-low-conn, pool-max-conn, max-reuse: an integer that must be written. */
function countOption(name: string, summary: string, min?: number): ServerOptionRow {
  return {
    name,
    values: 1,
    status: 'notyet',
    summary,
    parse(_ctx, [v], options) {
      if (!v) return `'${name}' expects <value> as argument.\n`;
      const n = atoi(v);
      if (min !== undefined && n < min) return `'${name}' must be >= ${min}`;
      options[name] = n;
      return undefined;
    },
  };
}

/** Keyword with a fixed set of values: `expects` words the message (it gets the value). */
function choice(name: string, allowed: readonly string[], expects: (v: string) => string, summary: string, status: ServerOptionRow['status'] = 'notyet'): ServerOptionRow {
  return {
    name,
    values: 1,
    status,
    summary,
    parse(_ctx, [v], options) {
      if (!allowed.includes(v ?? '')) return expects(v ?? '');
      options[name] = v;
      return undefined;
    },
  };
}

export const coreServerOptions: ServerOptionRow[] = [
  {
    name: 'weight',
    values: 1,
    status: 'supported',
    summary: 'Relative weight of the server in load balancing (0-256, default 1).',
    parse(_ctx, [v], options, env) {
      // HAProxy reads it with atol(): a missing or non-numeric value is 0.
      const w = atoi(v);
      if (w < 0 || w > 256) return `weight of server ${env.serverName} is not within 0 and 256 (${w}).`;
      options['weight'] = w;
      return undefined;
    },
  },
  flag('backup', 'Only used when no non-backup server is available.', 'backup', true, { status: 'supported' }),
  noFlag('backup', { status: 'supported' }),
  {
    name: 'cookie',
    values: 1,
    status: 'notyet',
    summary: 'Value of the persistence cookie that designates this server.',
    parse(_ctx, [v], options) {
      if (!v) return "'cookie' expects <value> as argument.\n";
      options['cookie'] = v;
      return undefined;
    },
  },
  flag('disabled', 'Start the server in maintenance mode.', 'disabled', true, { status: 'supported' }),
  flag('enabled', 'Start the server in normal mode (undoes default-server disabled).', 'disabled', false, { status: 'supported' }),
  {
    name: 'error-limit',
    values: 1,
    status: 'supported',
    summary: 'Consecutive errors before on-error applies.',
    parse(_ctx, [v], options) {
      if (!v) return "'error-limit' expects an integer argument.";
      const n = atoi(v);
      if (n <= 0) return 'error-limit has to be > 0.';
      options['error-limit'] = n;
      return undefined;
    },
  },
  {
    name: 'id',
    values: 1,
    status: 'supported',
    onDefaultServer: false,
    summary: 'Numeric identifier of the server (consistent hashing ring, balance first, stats, runtime API).',
    parse(_ctx, [v], options, env) {
      if (!v) return "'id' : expects an integer argument";
      const n = atoi(v);
      if (n <= 0) return "'id' : custom id has to be > 0";
      // Ids are registered once the whole line is read (sections/proxy/server.ts).
      const prev = env.proxy ? usedServerIds.get(env.proxy)?.get(n) : undefined;
      if (prev) return `'id' : custom id ${n} already used at ${prev.file}:${prev.line} ('server ${prev.name}')`;
      options['id'] = n;
      return undefined;
    },
  },
  choice(
    'log-proto',
    ['legacy', 'octet-count'],
    (v) => `'log-proto' expects one of 'legacy' or 'octet-count' but got '${v}'`,
    'Framing of log messages sent to this server (ring sections).',
  ),
  atolOption('maxconn', 'Concurrent connections sent to the server (excess is queued).', 'supported'),
  atolOption('maxqueue', 'Connections waiting in this server\'s queue.', 'supported'),
  atolOption('minconn', 'Minimum dynamic connection limit (with fullconn).', 'supported'),
  countOption('max-reuse', 'Requests sent over one server connection before it is closed.'),
  {
    name: 'namespace',
    values: 1,
    status: 'notyet',
    summary: 'Network namespace to connect from ("*": the one the PROXY protocol gave).',
    parse(_ctx, [v], options) {
      if (!v) return "'namespace' : expects <name> as argument";
      if (v !== '*' && !existsSync(`/var/run/netns/${v}`)) return `Cannot open namespace '${v}'`;
      options['namespace'] = v;
      return undefined;
    },
  },
  flag('non-stick', 'Never add this server to stick tables.'),
  flag('stick', 'Undo non-stick.', 'non-stick', false),
  {
    name: 'observe',
    values: 1,
    status: 'partial',
    note: "layer7 comes with HTTP: 'observe layer7' is refused",
    summary: 'Watch live traffic for errors: none, layer4 or layer7.',
    parse(ctx, [v], options, env) {
      if (!v) return "'observe' expects <mode> as argument.\n";
      if (v === 'layer7' && env.proxy && env.proxy.mode !== 'http') {
        // An alert that does not make the configuration invalid.
        return { message: "'layer7' can only be used in http proxies.\n", severity: 'alert-continuing' };
      }
      if (v !== 'none' && v !== 'layer4' && v !== 'layer7') return `'observe' expects one of 'none', 'layer4', 'layer7' but got '${v}'\n`;
      options['observe'] = v;
      if (v === 'layer7') ctx.notYet("server option 'observe layer7'");
      return undefined;
    },
  },
  choice(
    'on-error',
    ['fastinter', 'fail-check', 'sudden-death', 'mark-down'],
    (v) => `'on-error' expects one of 'fastinter', 'fail-check', 'sudden-death' or 'mark-down' but got '${v}'`,
    'What to do when error-limit is reached.',
    'supported',
  ),
  choice('on-marked-down', ['shutdown-sessions'], (v) => `'on-marked-down' expects 'shutdown-sessions' but got '${v}'`, 'Close connections when the server goes down.', 'supported'),
  choice(
    'on-marked-up',
    ['shutdown-backup-sessions'],
    (v) => `'on-marked-up' expects 'shutdown-backup-sessions' but got '${v}'`,
    'Close backup servers\' connections when this one comes up.',
    'supported',
  ),
  countOption('pool-low-conn', 'Idle connections kept before other threads may take them.'),
  countOption('pool-max-conn', 'Idle connections kept for reuse (-1: no limit).', -1),
  {
    name: 'pool-purge-delay',
    values: 1,
    status: 'notyet',
    summary: 'How often idle connections are closed.',
    parse(_ctx, [v], options, env) {
      if (!v) return "'pool-purge-delay' expects <value> as argument.\n";
      const r = timeValue(env, 'pool-purge-delay', v, (c) => `unexpected character '${c}' in argument to <pool-purge-delay>.\n`);
      if ('error' in r) return r.error;
      options['pool-purge-delay'] = r.value;
      return undefined;
    },
  },
  {
    name: 'proto',
    values: 1,
    status: 'notyet',
    summary: 'Multiplexer for server connections (h1, h2, fcgi, none).',
    parse(_ctx, [v], options) {
      if (!v) return "'proto' : missing value";
      if (!(MUX_PROTOCOLS as readonly string[]).includes(v)) return `'proto' :  unknown MUX protocol '${v}'`;
      options['proto'] = v;
      return undefined;
    },
  },
  stringOption('redir', "'redir' expects <prefix> as argument.\n", 'Answer requests with a redirect to this prefix instead of forwarding (http).'),
  {
    name: 'slowstart',
    values: 1,
    status: 'supported',
    summary: 'Ramp the weight up over this time when the server comes back.',
    parse(_ctx, [v], options, env) {
      const r = parseTimeErr(v ?? '');
      if ('error' in r) {
        if (r.error === 'overflow') return `overflow in argument <${v}> to <slowstart> of server ${env.serverName}, maximum value is 2147483647 ms (~24.8 days).`;
        if (r.error === 'underflow') return `underflow in argument <${v}> to <slowstart> of server ${env.serverName}, minimum non-null value is 1 ms.`;
        // A missing value makes C print a NUL character, which ends the message.
        if (r.char === '') return "unexpected character '";
        return `unexpected character '${r.char}' in 'slowstart' argument of server ${env.serverName}.`;
      }
      timeWarning(env, r);
      options['slowstart'] = r.value;
      return undefined;
    },
  },
  {
    name: 'track',
    values: 1,
    status: 'notyet',
    summary: 'Take the state of another server ([<backend>/]<server>) instead of checking.',
    parse(_ctx, [v], options) {
      if (!v) return "'track' expects [<proxy>/]<server> as argument.\n";
      options['track'] = v;
      return undefined;
    },
  },
  {
    name: 'usesrc',
    values: 0,
    status: 'notyet',
    summary: 'Only valid after source (transparent proxying address).',
    parse() {
      return "'usesrc' only allowed after a 'source' statement.";
    },
  },
  {
    name: 'ws',
    values: 1,
    status: 'notyet',
    summary: 'Protocol for websocket streams: auto, h1 or h2.',
    parse(_ctx, [v], options) {
      if (v !== 'auto' && v !== 'h1' && v !== 'h2') return "'ws' has to be 'auto', 'h1' or 'h2'";
      options['ws'] = v;
      return undefined;
    },
  },
  flag('tfo', 'Use TCP Fast Open to connect.'),
  noFlag('tfo'),
  {
    name: 'tcp-ut',
    values: 1,
    status: 'notyet',
    summary: 'TCP user timeout of server connections.',
    parse(_ctx, [v], options, env) {
      if (!v) return "'tcp-ut' : missing TCP User Timeout value";
      const r = timeValue(env, 'tcp-ut', v, () => "'tcp-ut' : expects a positive delay in milliseconds");
      if ('error' in r) return r.error;
      options['tcp-ut'] = r.value;
      return undefined;
    },
  },
];
