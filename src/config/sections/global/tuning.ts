/**
 * Global keywords: performance tuning (configuration.txt 3.2), besides the TLS and Lua ones
 * (ssl.ts, lua.ts). Process limits will be applied by the runtime ('notyet'); the knobs of
 * HAProxy's poller, memory pools, pipes and scheduler have no counterpart in a Node.js process
 * ('nomeaning', with the reason in `note`).
 */
import { atoi, atol, atolRow, effectiveArgs, flagRow, onOffRow, readTime, setTune, tooMany, type Row } from './helpers.js';

type Status = Row['status'];

/** Reasons shared by several 'nomeaning' rows. */
const POLLER = 'Node.js (libuv) chooses its own event poller';
const POOLS = 'Node.js manages its own memory; HAProxy\'s buffer pools do not exist in Portier';
const SPLICE = 'Node.js cannot splice() between sockets, so no pipes are used';
const SCHED = 'HAProxy\'s task scheduler does not exist in Portier (Node.js has its own event loop)';
const SOCKBUF = 'Node.js cannot set SO_RCVBUF/SO_SNDBUF on TCP sockets';

function flag(name: string, status: Status, summary: string, note?: string, negatable?: boolean): Row {
  return flagRow({ name, status, summary, note, negatable, apply: (ctx, on) => void ((ctx.state.flags ??= {})[name] = on) });
}

function num(name: string, status: Status, summary: string, opts: { note?: string; once?: boolean; missing?: string; check?: (v: number, t: string) => string | undefined } = {}): Row {
  return atolRow({ name, status, summary, note: opts.note, once: opts.once ? 'continue' : undefined, missing: opts.missing, check: opts.check });
}

/** A number in [min, max], read with atoi(); missing or out of range share one message. */
function ranged(name: string, status: Status, summary: string, min: number, max: number, message: string, note?: string): Row {
  return {
    name,
    status,
    summary,
    note,
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (tooMany(ctx, args, 1)) return;
      const text = args[1] ?? '';
      const v = atoi(text);
      if (text === '' || v < min || v > max) {
        ctx.alert(message);
        return;
      }
      setTune(ctx, name, v);
    },
  };
}

/** A number that may be missing (0) but not negative: "'kw' expects a positive numeric value." */
function positive(name: string, status: Status, summary: string, opts: { note?: string; period?: boolean; checkArgs?: boolean } = {}): Row {
  return {
    name,
    status,
    summary,
    note: opts.note,
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (opts.checkArgs !== false && tooMany(ctx, args, 1)) return;
      const v = atoi(args[1]);
      if (v < 0 || (opts.period === false && !args[1])) {
        ctx.alert(`'${name}' expects a positive numeric value${opts.period === false ? '' : '.'}`);
        return;
      }
      setTune(ctx, name, v);
    },
  };
}

const maxSpreadChecks: Row = {
  name: 'max-spread-checks',
  status: 'supported',
  summary: 'Upper bound of the delay between the first health checks at startup.',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (tooMany(ctx, args, 1)) return;
    const text = args[1] ?? '';
    if (text === '') {
      ctx.alert("'max-spread-checks' expects an integer argument (0..50).", 'tight');
      return;
    }
    const r = readTime(text);
    if ('error' in r) {
      if (r.error === 'overflow') ctx.alert(`timer overflow in argument <${text}> to <max-spread-checks>, maximum value is 2147483647 ms (~24.8 days).`, 'tight');
      else ctx.alert(`unsupported character '${r.char}' in 'max-spread-checks' (wants an integer delay).`, 'tight');
      return;
    }
    setTune(ctx, 'max-spread-checks', r.value);
  },
};

const spreadChecks: Row = {
  name: 'spread-checks',
  status: 'supported',
  summary: 'Random spread of health-check intervals, in percent (0..50).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (tooMany(ctx, args, 1)) return;
    const prev = ctx.state.tune?.['spread-checks'];
    if (prev) {
      ctx.alertContinuing('spread-checks already specified. Continuing.', 'tight');
      return;
    }
    if (!args[1]) {
      ctx.alert("'spread-checks' expects an integer argument (0..50).", 'tight');
      return;
    }
    const v = atol(args[1]);
    if (v < 0 || v > 50) {
      ctx.alert("'spread-checks' needs a positive value in range 0..50.", 'tight');
      return;
    }
    setTune(ctx, 'spread-checks', v);
  },
};

/** `server-state-base` / `server-state-file`: extra words ignored, set once. */
function serverStateRow(name: 'server-state-base' | 'server-state-file', missing: string, summary: string): Row {
  return {
    name,
    status: 'notyet',
    summary,
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      const key = name === 'server-state-base' ? 'serverStateBase' : 'serverStateFile';
      if (ctx.state[key] !== undefined) {
        ctx.alertContinuing(`'${name}' already specified. Continuing.`);
        return;
      }
      if (!args[1]) {
        ctx.alert(missing);
        return;
      }
      ctx.state[key] = args[1];
    },
  };
}

const idletimer: Row = {
  name: 'tune.idletimer',
  status: 'nomeaning',
  note: SPLICE,
  summary: 'Idle time after which an empty buffer is assumed to belong to an idle stream (splicing).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (tooMany(ctx, args, 1)) return;
    const text = args[1] ?? '';
    const range = "'tune.idletimer' expects a timer value between 0 and 65535 ms.";
    if (text === '') {
      ctx.alert(range);
      return;
    }
    const r = readTime(text);
    if ('error' in r) {
      if (r.error === 'overflow') ctx.alert(`timer overflow in argument <${text}> to <tune.idletimer>, maximum value is 65535 ms.`, 'tight');
      else ctx.alert(`unexpected character '${r.char}' in argument to <tune.idletimer>.`, 'tight');
      return;
    }
    if (r.value > 65535) {
      ctx.alert(range);
      return;
    }
    setTune(ctx, 'tune.idletimer', r.value);
  },
};

/** `tune.vars.*-max-size <size>`: digits only (no unit); empty means 0. Extra words ignored. */
function varsSize(name: string, summary: string): Row {
  return {
    name,
    status: 'notyet',
    summary,
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      const text = args[1] ?? '';
      if (text !== '' && !/^[ \t]*[-+]?[0-9]+$/.test(text)) {
        ctx.alert(`${name}: '${text}' is an invalid size`);
        return;
      }
      setTune(ctx, name, text === '' ? 0 : Number(text));
    },
  };
}

const chksize: Row = {
  name: 'tune.chksize',
  status: 'nomeaning',
  note: 'removed from HAProxy; refused with the same message',
  summary: 'Size of the health-check buffer (removed: tune.bufsize is used).',
  parse(ctx) {
    ctx.alert("option 'tune.chksize' is not supported any more (tune.bufsize is used instead).", 'tight');
  },
};

export const tuningRows: Row[] = [
  flag('busy-polling', 'nomeaning', 'Poll in a loop instead of sleeping, for lower latency.', POLLER, true),
  maxSpreadChecks,
  ranged('maxcompcpuusage', 'notyet', 'CPU usage above which HTTP compression is turned off (percent).', 0, 100, "'maxcompcpuusage' expects an integer argument between 0 and 100."),
  num('maxcomprate', 'notyet', 'Process-wide limit of compressed output, in kB/s.', { missing: "'maxcomprate' expects an integer argument in kb/s." }),
  atolRow({
    name: 'maxconn',
    status: 'supported',
    once: 'continue',
    summary: 'Process-wide limit of concurrent connections.',
    get: (s) => s.maxconn,
    set: (ctx, v) => void (ctx.state.maxconn = v),
  }),
  num('maxconnrate', 'notyet', 'Process-wide limit of new connections per second.', { once: true }),
  num('maxpipes', 'nomeaning', 'Number of kernel pipes used for splicing.', { once: true, note: SPLICE }),
  num('maxsessrate', 'notyet', 'Process-wide limit of new sessions per second.', { once: true }),
  num('maxzlibmem', 'notyet', 'Memory available to compression, in megabytes.'),
  flag('no-memory-trimming', 'nomeaning', 'Do not return freed memory to the system on reload.', 'Node.js manages its own heap'),
  flag('noepoll', 'nomeaning', 'Do not use epoll.', POLLER),
  flag('noevports', 'nomeaning', 'Do not use event ports.', POLLER),
  flag('nogetaddrinfo', 'nomeaning', 'Resolve names with gethostbyname() instead of getaddrinfo().', 'Node.js always resolves through getaddrinfo()'),
  flag('nokqueue', 'nomeaning', 'Do not use kqueue.', POLLER),
  flag('nopoll', 'nomeaning', 'Do not use poll.', POLLER),
  flag('noreuseport', 'notyet', 'Do not set SO_REUSEPORT on listeners.'),
  flag('nosplice', 'nomeaning', 'Do not use splice() to forward data.', SPLICE),
  onOffRow({
    name: 'profiling.tasks',
    status: 'nomeaning',
    note: SCHED,
    values: ['on', 'auto', 'off'],
    summary: 'Measure the CPU time of HAProxy tasks.',
  }),
  serverStateRow('server-state-base', "'server-state-base' expects one argument: a directory path.", 'Directory that relative server-state file names are taken from.'),
  serverStateRow('server-state-file', "'server-state-file' expect one argument: a file path.", 'File of server states (from "show servers state") loaded at startup.'),
  spreadChecks,
  num('tune.buffers.limit', 'nomeaning', 'Maximum number of buffers allocated.', { note: POOLS }),
  num('tune.buffers.reserve', 'nomeaning', 'Buffers kept in reserve for emergencies.', { note: POOLS }),
  num('tune.bufsize', 'notyet', 'Buffer size: the largest HTTP request or response head accepted.', {
    check: (v) => (v <= 0 ? "'tune.bufsize' expects a positive integer argument." : undefined),
  }),
  chksize,
  ranged('tune.comp.maxlevel', 'notyet', 'Highest compression level.', 1, 9, "'tune.comp.maxlevel' expects a numeric value between 1 and 9"),
  {
    name: 'tune.fail-alloc',
    status: 'nomeaning',
    note: POOLS,
    summary: 'Percentage of memory allocations made to fail (testing).',
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (tooMany(ctx, args, 1)) return;
      const v = atoi(args[1]);
      if (v < 0 || v > 100) {
        ctx.alert("'tune.fail-alloc' expects a numeric value between 0 and 100.");
        return;
      }
      setTune(ctx, 'tune.fail-alloc', v);
    },
  },
  onOffRow({ name: 'tune.fd.edge-triggered', status: 'nomeaning', note: POLLER, experimental: true, summary: 'Edge-triggered polling (experimental).' }),
  ranged('tune.h2.header-table-size', 'notyet', 'Size of the HPACK header table (4096..65536).', 4096, 65536, "'tune.h2.header-table-size' expects a numeric value between 4096 and 65536."),
  positive('tune.h2.initial-window-size', 'notyet', 'Initial HTTP/2 stream window size.'),
  positive('tune.h2.max-concurrent-streams', 'notyet', 'Concurrent HTTP/2 streams per connection.'),
  ranged('tune.h2.max-frame-size', 'notyet', 'Largest HTTP/2 frame advertised.', 16384, 16777215, "'tune.h2.max-frame-size' expects a numeric value between 16384 and 16777215."),
  num('tune.http.cookielen', 'notyet', 'Length of captured cookies in logs.'),
  num('tune.http.logurilen', 'notyet', 'Length of the URI kept for logs.'),
  {
    name: 'tune.http.maxhdr',
    status: 'notyet',
    summary: 'Maximum number of headers in a request or response (1..32767).',
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (tooMany(ctx, args, 1)) return;
      if (!args[1]) {
        ctx.alert("'tune.http.maxhdr' expects an integer argument.");
        return;
      }
      const v = atol(args[1]);
      if (v < 1 || v > 32767) {
        ctx.alert("'tune.http.maxhdr' expects a numeric value between 1 and 32767");
        return;
      }
      setTune(ctx, 'tune.http.maxhdr', v);
    },
  },
  onOffRow({ name: 'tune.idle-pool.shared', status: 'nomeaning', note: 'idle server connections are kept per process in Portier', summary: 'Share idle server connections between threads.' }),
  idletimer,
  onOffRow({ name: 'tune.listener.multi-queue', status: 'nomeaning', note: SCHED, summary: 'Spread accepted connections over threads by queues.' }),
  num('tune.maxaccept', 'nomeaning', 'Connections accepted at once per listener wake-up.', { once: true, note: 'Node.js accepts connections itself' }),
  num('tune.maxpollevents', 'nomeaning', 'Events processed per poll.', { once: true, note: POLLER }),
  num('tune.maxrewrite', 'notyet', 'Room kept in buffers for header rewrites.', {
    check: (v) => (v < 0 ? "'tune.maxrewrite' expects a positive integer argument." : undefined),
  }),
  positive('tune.pattern.cache-size', 'notyet', 'Entries of the pattern-matching result cache.', { period: false, checkArgs: false }),
  {
    name: 'tune.peers.max-updates-at-once',
    status: 'notyet',
    summary: 'Stick-table updates sent to a peer at once.',
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (tooMany(ctx, args, 1)) return;
      const v = atoi(args[1]);
      if (v < 1) {
        ctx.alert("'tune.peers.max-updates-at-once' expects an integer argument greater than 0.");
        return;
      }
      setTune(ctx, 'tune.peers.max-updates-at-once', v);
    },
  },
  num('tune.pipesize', 'nomeaning', 'Size of the kernel pipes used for splicing.', { note: SPLICE }),
  ranged('tune.pool-high-fd-ratio', 'notyet', 'File descriptors (percent) above which idle server connections are not kept.', 0, 100, "'tune.pool-high-fd-ratio' expects an integer argument between 0 and 100."),
  ranged('tune.pool-low-fd-ratio', 'notyet', 'File descriptors (percent) above which idle server connections are not shared.', 0, 100, "'tune.pool-low-fd-ratio' expects an integer argument between 0 and 100."),
  num('tune.rcvbuf.client', 'nomeaning', 'Kernel receive buffer of client sockets.', { note: SOCKBUF }),
  num('tune.rcvbuf.server', 'nomeaning', 'Kernel receive buffer of server sockets.', { note: SOCKBUF }),
  num('tune.recv_enough', 'nomeaning', 'Bytes read after which HAProxy stops reading for this round.', { note: SCHED }),
  num('tune.runqueue-depth', 'nomeaning', 'Tasks run per scheduler round.', { once: true, note: SCHED }),
  onOffRow({ name: 'tune.sched.low-latency', status: 'nomeaning', note: SCHED, summary: 'Favour latency over throughput in the scheduler.' }),
  num('tune.sndbuf.client', 'nomeaning', 'Kernel send buffer of client sockets.', { note: SOCKBUF }),
  num('tune.sndbuf.server', 'nomeaning', 'Kernel send buffer of server sockets.', { note: SOCKBUF }),
  varsSize('tune.vars.check-max-size', 'Memory available to variables of health checks.'),
  varsSize('tune.vars.global-max-size', 'Memory available to all variables.'),
  varsSize('tune.vars.proc-max-size', 'Memory available to "proc" variables.'),
  varsSize('tune.vars.reqres-max-size', 'Memory available to "req" and "res" variables.'),
  varsSize('tune.vars.sess-max-size', 'Memory available to "sess" variables.'),
  varsSize('tune.vars.txn-max-size', 'Memory available to "txn" variables.'),
];
