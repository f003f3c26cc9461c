/**
 * Global keywords: process management and security (configuration.txt 3.1): daemon and
 * master-worker, pidfile, the environment, privileges (user/group/uid/gid, chroot), names
 * (node, description, localpeer), stop timers, process limits and the stats socket.
 */
import { hostname } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { groupId, userId } from './accounts.js';
import {
  atol,
  atolRow,
  effectiveArgs,
  flagRow,
  readTime,
  stringRow,
  timeRow,
  tooMany,
  type Ctx,
  type Row,
} from './helpers.js';
import { parseStatsSocket } from './stats-socket.js';

const daemon: Row = flagRow({
  name: 'daemon',
  status: 'supported',
  summary: 'Run in the background (fork and detach), as -D.',
  apply: (ctx) => void (ctx.state.daemon = true),
});

const masterWorker: Row = {
  name: 'master-worker',
  status: 'notyet',
  note: 'master-worker mode comes with hitless reloads',
  summary: 'Run a master process that starts and watches the worker, as -W.',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (tooMany(ctx, args, 1)) return;
    if (args[1] !== undefined && args[1] !== '') {
      if (args[1] !== 'no-exit-on-failure') {
        ctx.alert("'master-worker' only supports 'no-exit-on-failure' option.");
        return;
      }
      ctx.state.masterWorkerNoExitOnFailure = true;
    }
    ctx.state.masterWorker = true;
  },
};

/** Removed in HAProxy 2.5: refused with HAProxy's message. */
const nbproc: Row = {
  name: 'nbproc',
  status: 'nomeaning',
  note: 'removed in HAProxy 2.5; refused with the same message',
  summary: 'Number of processes (removed: threads replaced processes).',
  parse(ctx) {
    ctx.alert('nbproc is not supported any more since HAProxy 2.5. Threads will automatically be used on multi-processor machines if available.');
  },
};

const pidfile: Row = stringRow({
  name: 'pidfile',
  status: 'supported',
  summary: 'Write the process id to this file at startup, as -p.',
  missing: "'pidfile' expects a file name as an argument.",
  dupe: "'pidfile' already specified. Continuing.",
  dupeContinues: true,
  get: (s) => s.pidfile,
  set: (ctx, v) => void (ctx.state.pidfile = v),
});

/** setenv / presetenv: "<name> <value>", applied at once so later lines see it. */
function envSetter(name: 'setenv' | 'presetenv', summary: string): Row {
  return {
    name,
    status: 'supported',
    summary,
    parse(ctx, rawArgs) {
      // HAProxy accepts (and ignores) one word after the value, and refuses a second one.
      const args = effectiveArgs(ctx, rawArgs);
      if (args[4] !== undefined) {
        ctx.alert(`'${name}' cannot handle unexpected argument '${args[4]}'.`);
        return;
      }
      if (!args[1] || args[2] === undefined) {
        ctx.alert(`'${name}' expects a name and a value.`, 'tight');
        return;
      }
      if (name === 'presetenv' && ctx.load.env.get(args[1]) !== undefined) return;
      ctx.load.env.set(args[1], args[2]);
    },
  };
}

const unsetenv: Row = {
  name: 'unsetenv',
  status: 'supported',
  summary: 'Remove environment variables (for later lines and for child programs).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (!args[1]) {
      ctx.alert("'unsetenv' expects at least one variable name.", 'tight');
      return;
    }
    for (const v of args.slice(1)) ctx.load.env.unset(v);
  },
};

const resetenv: Row = {
  name: 'resetenv',
  status: 'supported',
  summary: 'Remove every environment variable except those listed.',
  parse(ctx, rawArgs) {
    ctx.load.env.keepOnly(effectiveArgs(ctx, rawArgs).slice(1));
  },
};

/**
 * uid / gid: a number. HAProxy only warns when the word is not a number (and then ignores
 * the line): "gid: string 'x' is not a number."
 */
function idRow(kind: 'uid' | 'gid'): Row {
  const hint = kind === 'uid' ? "'user' parameter to use a system user name" : "'group' parameter to use a system group name";
  const dupe = kind === 'uid' ? 'user/uid already specified. Continuing.' : 'group/gid already specified. Continuing.';
  return {
    name: kind,
    status: 'supported',
    summary: kind === 'uid' ? 'Run as this user id once listeners are bound.' : 'Run as this group id once listeners are bound.',
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (tooMany(ctx, args, 1)) return;
      if (ctx.state[kind]) {
        ctx.alertContinuing(dupe);
        return;
      }
      const text = args[1] ?? '';
      if (text === '') {
        ctx.alert(`'${kind}' expects an integer argument.`);
        return;
      }
      const m = /^[-+]?[0-9]+$/.exec(text);
      const v = m ? Number(text) : NaN;
      if (!m || v > 2147483647 || v < -2147483648) {
        ctx.warning(` ${kind}: string '${text}' is not a number.\n   | You might want to use the ${hint}.`);
        return;
      }
      ctx.state[kind] = v;
    },
  };
}

const user: Row = {
  name: 'user',
  status: 'supported',
  note: 'names are looked up in /etc/passwd (not in other NSS sources)',
  summary: 'Run as this user once listeners are bound (name looked up in /etc/passwd).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (tooMany(ctx, args, 1)) return;
    if (ctx.state.uid) {
      ctx.alertContinuing('user/uid already specified. Continuing.');
      return;
    }
    const name = args[1] ?? '';
    const id = userId(name);
    if (id === undefined) {
      ctx.alert(`cannot find user id for '${name}' (0:Success)`);
      return;
    }
    ctx.state.uid = id;
    ctx.state.user = name;
  },
};

const group: Row = {
  name: 'group',
  status: 'supported',
  note: 'names are looked up in /etc/group (not in other NSS sources)',
  summary: 'Run as this group once listeners are bound (name looked up in /etc/group).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (tooMany(ctx, args, 1)) return;
    if (ctx.state.gid) {
      ctx.alertContinuing('gid/group was already specified. Continuing.');
      return;
    }
    const name = args[1] ?? '';
    const id = groupId(name);
    if (id === undefined) {
      ctx.alert(`cannot find group id for '${name}' (0:Success)`);
      return;
    }
    ctx.state.gid = id;
    ctx.state.group = name;
  },
};

/**
 * chroot: Node.js cannot chroot(). Accepted so that stock configurations (Debian's has
 * `chroot /var/lib/haproxy`) load and start, with a warning saying how to get the same
 * confinement.
 */
const chroot: Row = stringRow({
  name: 'chroot',
  status: 'partial',
  note: 'not applied: Node.js cannot chroot(); confine the process with systemd RootDirectory= or a container',
  summary: 'Directory to chroot() into before dropping privileges.',
  missing: "'chroot' expects a directory as an argument.",
  dupe: "'chroot' already specified. Continuing.",
  dupeContinues: true,
  get: (s) => s.chroot,
  set(ctx, v) {
    ctx.state.chroot = v;
    ctx.warning(
      `'chroot ${v}' is not applied: Portier cannot chroot() from Node.js; use systemd's RootDirectory= (or a container) to confine the process.`,
      'portier',
    );
  },
});

const description: Row = {
  name: 'description',
  status: 'supported',
  summary: 'Text describing this instance (stats page).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (!args[1]) {
      ctx.alert("'description' expects a string argument.", 'tight');
      return;
    }
    ctx.state.description = args.slice(1).join(' ');
  },
};

const node: Row = {
  name: 'node',
  status: 'supported',
  summary: 'Name of this instance (stats page, logs).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (tooMany(ctx, args, 1)) return;
    const v = args[1] ?? '';
    if (!/^[0-9A-Za-z._-]+$/.test(v)) {
      ctx.alert(
        "'node' requires valid node name - non-empty string with digits(0-9), letters(A-Z, a-z), dot(.), hyphen(-) or underscode(_).",
        'tight',
      );
      return;
    }
    ctx.state.node = v;
  },
};

/**
 * localpeer: the local peer name, unless -L gave it or a peers section was already read
 * (then HAProxy warns and ignores it). Also exported as HAPROXY_LOCALPEER.
 */
const localpeer: Row = {
  name: 'localpeer',
  status: 'supported',
  summary: 'Name of the local peer in peers sections (as -L).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (tooMany(ctx, args, 1)) return;
    const v = args[1] ?? '';
    if (v === '') {
      ctx.alert("'localpeer' expects a name as an argument.");
      return;
    }
    // -L wins over the keyword (callers that do not say whether -L was given: a name other
    // than the host name was).
    if (ctx.load.options.localPeerFromCli ?? ctx.load.options.localPeer !== hostname()) {
      ctx.warning("'localpeer' ignored since it is already set by using the '-L' command line argument.");
      return;
    }
    if (ctx.load.peers.length > 0) {
      ctx.warning("'localpeer' ignored since it is used after 'peers' section.");
      return;
    }
    ctx.state.localpeer = v;
    ctx.load.env.set('HAPROXY_LOCALPEER', v);
  },
};

const exposeExperimental: Row = {
  name: 'expose-experimental-directives',
  status: 'supported',
  summary: 'Allow the experimental keywords that follow.',
  parse(ctx) {
    // HAProxy ignores any word after it.
    ctx.state.exposeExperimental = true;
  },
};

function flag(name: string, status: Row['status'], summary: string, opts: { note?: string; negatable?: boolean; checkArgs?: boolean } = {}): Row {
  return flagRow({
    name,
    status,
    summary,
    note: opts.note,
    negatable: opts.negatable,
    checkArgs: opts.checkArgs,
    apply: (ctx, on) => void ((ctx.state.flags ??= {})[name] = on),
  });
}

/** `default-path { current | config | parent | origin <path> }` */
const defaultPath: Row = {
  name: 'default-path',
  status: 'partial',
  note: 'applied to the files the global and small sections read (error files, Lua, DH parameters, issuers, case-adjust file); not yet to the files of proxies (certificates, maps, ACL files, error files)',
  summary: 'Where relative file names are taken from: the current directory, the configuration file, ...',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    const mode = args[1] ?? '';
    const modes = "supported modes include 'current', 'config', 'parent', and 'origin'.";
    if (mode === '') {
      ctx.alert(`missing default-path mode '' for 'default-path', ${modes}`);
      return;
    }
    if (mode === 'current' || mode === 'config' || mode === 'parent') {
      ctx.state.defaultPath = { mode };
      return;
    }
    if (mode !== 'origin') {
      ctx.alert(`unsupported default-path mode '${mode}' for 'default-path', ${modes}`);
      return;
    }
    const dir = args[2] ?? '';
    if (dir === '') {
      ctx.alert("'default-path origin' expects a directory as an argument.");
      return;
    }
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) {
      // HAProxy's message names the directory it would go back to, not the one it failed on.
      const why = existsSync(dir) ? 'Not a directory' : 'No such file or directory';
      ctx.alert(`couldn't set 'default-path' to origin '${dir}': Impossible to get back to directory '${process.cwd()}': ${why}.`);
      return;
    }
    ctx.state.defaultPath = { mode: 'origin', origin: dir };
  },
};

const clusterSecret: Row = stringRow({
  name: 'cluster-secret',
  status: 'nomeaning',
  note: 'it only keys QUIC tokens, and Portier (like this HAProxy build) has no QUIC',
  summary: 'Secret shared by the nodes of a cluster (QUIC tokens).',
  missing: 'expects an ASCII string argument.',
  dupe: "'cluster-secret' already specified. Continuing.",
  dupeContinues: true,
  get: (s) => s.clusterSecret,
  set: (ctx, v) => void (ctx.state.clusterSecret = v),
});

const ulimitN: Row = atolRow({
  name: 'ulimit-n',
  status: 'notyet',
  summary: 'Maximum number of file descriptors of the process.',
  once: 'continue',
  get: (s) => s.ulimitN,
  set: (ctx, v) => void (ctx.state.ulimitN = v),
});

const fdHardLimit: Row = atolRow({
  name: 'fd-hard-limit',
  status: 'notyet',
  summary: 'Upper bound of the file descriptors used, whatever the system allows.',
  once: 'continue',
  get: (s) => s.fdHardLimit,
  set: (ctx, v) => void (ctx.state.fdHardLimit = v),
});

/**
 * `mworker-max-reloads <n>`: HAProxy 2.6 reports its errors through a warning that starts with
 * "(null)" (its own bug), and never fails the configuration: reproduced.
 */
const mworkerMaxReloads: Row = {
  name: 'mworker-max-reloads',
  status: 'notyet',
  note: 'master-worker mode comes with hitless reloads',
  summary: 'Reloads after which an old worker is killed by the master.',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    const at = `parsing [${ctx.where.file}:${ctx.where.line}]`;
    if (args[2] !== undefined) {
      ctx.alertContinuing(`'mworker-max-reloads' cannot handle unexpected argument '${args[2]}'.`);
      ctx.warning('(null)');
      return;
    }
    if (!args[1]) {
      ctx.warning(`(null)${at} : 'mworker-max-reloads' expects an integer argument.\n`);
      return;
    }
    const v = atol(args[1]);
    if (v < 0) {
      ctx.warning(`(null)${at} 'mworker-max-reloads' : invalid value ${v}, must be >= 0`);
      return;
    }
    (ctx.state.tune ??= {})['mworker-max-reloads'] = v;
  },
};

/** "'kw' passed a missing or unparsable integer value in 'x'" / range checks of nbthread. */
function countRow(name: 'nbthread' | 'thread-groups', max: number, status: Row['status'], summary: string, note?: string): Row {
  return {
    name,
    status,
    note,
    summary,
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (tooMany(ctx, args, 1)) return;
      const text = args[1] ?? '';
      if (!/^[0-9]+$/.test(text)) {
        ctx.alert(`'${name}' passed a missing or unparsable integer value in '${text}'`);
        return;
      }
      const v = Number(text);
      if (v < 1 || v > max) {
        ctx.alert(`'${name}' value must be between 1 and ${max} (was ${v})`);
        return;
      }
      if (name === 'nbthread') ctx.state.nbthread = v;
      else ctx.state.threadGroups = v;
    },
  };
}

/** `thread-group <group> [<thread-range>...]`: this HAProxy build has one thread group. */
const threadGroup: Row = {
  name: 'thread-group',
  status: 'nomeaning',
  note: 'Portier has no thread groups (multi-core will use worker processes)',
  summary: 'Threads that belong to a thread group.',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    const text = args[1] ?? '';
    if (!/^[0-9]+$/.test(text)) {
      ctx.alert(`'thread-group' passed a missing or unparsable integer value in '${text}'`);
      return;
    }
    const g = Number(text);
    if (g < 1 || g > 1) {
      ctx.alert(`'thread-group' thread-group number must be between 1 and 1 (was ${g})`);
      return;
    }
    for (const range of args.slice(2)) {
      const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(range);
      const lo = m ? Number(m[1]) : 0;
      const hi = m && m[2] !== undefined ? Number(m[2]) : lo;
      if (!m || lo < 1 || lo > 64 || hi < 1 || hi > 64) {
        ctx.alert(`'thread-group ${text}' passed an unparsable or invalid thread number '${range}' (valid range is 1 to 64)`);
        return;
      }
    }
  },
};

/** `unix-bind [prefix <p>] [mode <m>] [user <u>] [uid <n>] [group <g>] [gid <n>]` */
const unixBind: Row = {
  name: 'unix-bind',
  status: 'notyet',
  summary: 'Defaults for UNIX socket listeners: path prefix, permissions, owner.',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    const ub = { ...ctx.state.unixBind };
    for (let i = 1; i < args.length; i += 2) {
      const opt = args[i]!;
      const val = args[i + 1];
      switch (opt) {
        case 'prefix':
          if (val === undefined || val === '') {
            ctx.alert("unix_bind 'prefix' expects a path as an argument.");
            return;
          }
          ub.prefix = val;
          break;
        case 'mode':
          ub.mode = parseInt(val ?? '', 8) || 0;
          break;
        case 'uid':
          ub.uid = atol(val);
          break;
        case 'gid':
          ub.gid = atol(val);
          break;
        case 'user': {
          const id = userId(val ?? '');
          if (id === undefined) {
            ctx.alert(`'unix-bind' : '${val ?? ''}' unknown user.`);
            return;
          }
          ub.uid = id;
          break;
        }
        case 'group': {
          const id = groupId(val ?? '');
          if (id === undefined) {
            ctx.alert(`'unix-bind' : '${val ?? ''}' unknown group.`);
            return;
          }
          ub.gid = id;
          break;
        }
        default:
          ctx.alert("'unix-bind' only supports the 'prefix', 'mode', 'uid', 'gid', 'user' and 'group' options.");
          return;
      }
    }
    ctx.state.unixBind = ub;
  },
};

/** `stats timeout <time>`: worded differently from the other time keywords. */
const statsTimeout: Row = {
  name: 'stats timeout',
  status: 'supported',
  summary: 'Idle timeout of runtime API connections (default 10s).',
  parse(ctx, rawArgs) {
    // HAProxy ignores words after the value.
    const args = effectiveArgs(ctx, rawArgs);
    const text = args[2] ?? '';
    const r = readTime(text);
    if (!('value' in r)) {
      if (r.error === 'overflow') ctx.alert(`timer overflow in argument '${text}' to 'stats timeout' (maximum value is 2147483647 ms or ~24.8 days)`);
      // An empty value: HAProxy's message stops at the quote (it prints the final NUL).
      else ctx.alert(`'stats timeout' : unexpected character '${r.char}${r.char === '' ? '' : "'"}`);
      return;
    }
    if (r.value === 0) {
      ctx.alert("'stats timeout' expects a positive value");
      return;
    }
    ctx.state.statsTimeout = r.value;
  },
};

const statsMaxconn: Row = {
  name: 'stats maxconn',
  status: 'supported',
  summary: 'Concurrent runtime API connections (default 10).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    const v = atol(args[2]);
    if (v <= 0) {
      ctx.alert("'stats maxconn' expects a positive value");
      return;
    }
    ctx.state.statsMaxconn = v;
  },
};

const statsBindProcess: Row = {
  name: 'stats bind-process',
  status: 'nomeaning',
  note: 'Portier runs one process; the keyword is deprecated in HAProxy 2.6 too',
  summary: 'Which processes the stats socket is bound to.',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    for (const a of args.slice(2)) {
      const err = processNumberError(a, 1);
      if (err) {
        ctx.alert(`'stats bind-process' : ${err}`);
        return;
      }
    }
  },
};

/**
 * HAProxy's reading of "all | odd | even | <n>[-[<m>]]" (cpu-map, bind-process): the error
 * message, or undefined when the set is valid. `max` is the largest number accepted.
 */
export function processNumberError(text: string, max: number): string | undefined {
  return parseProcessSet(text, max).error;
}

/** The set read by processNumberError, as 1-based numbers. */
export function parseProcessSet(text: string, max: number): { set?: number[]; error?: string } {
  if (text === 'all') return { set: range(1, max) };
  if (text === 'odd') return { set: range(1, max).filter((n) => n % 2 === 1) };
  if (text === 'even') return { set: range(1, max).filter((n) => n % 2 === 0) };
  let dash = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '-' && dash < 0) dash = i;
    else if (c < '0' || c > '9') return { error: `'${text}' is not a valid number/range.` };
  }
  let low = leadingUint(text);
  let high = dash < 0 ? low : dash + 1 === text.length ? max : leadingUint(text.slice(dash + 1));
  if (high < low) [low, high] = [high, low];
  if (low < 1 || low > max || high > max) return { error: `'${text}' is not a valid number/range. It supports numbers from 1 to ${max}.\n` };
  return { set: range(low, high) };
}

/** HAProxy's str2uic(): leading digits as an unsigned 32-bit number (0 when none). */
export function leadingUint(text: string): number {
  let v = 0;
  for (const c of text) {
    if (c < '0' || c > '9') break;
    v = (v * 10 + (c.charCodeAt(0) - 48)) >>> 0;
  }
  return v;
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i <= b; i++) out.push(i);
  return out;
}

export const processRows: Row[] = [
  daemon,
  masterWorker,
  nbproc,
  pidfile,
  envSetter('setenv', 'Set an environment variable (seen by later lines and child programs).'),
  envSetter('presetenv', 'Set an environment variable unless it is already set.'),
  unsetenv,
  resetenv,
  idRow('uid'),
  idRow('gid'),
  user,
  group,
  chroot,
  description,
  node,
  localpeer,
  exposeExperimental,
  defaultPath,
  clusterSecret,
  timeRow({
    name: 'hard-stop-after',
    status: 'notyet',
    summary: 'Maximum time a soft-stop may take before the process exits.',
    set: (ctx, v) => void (ctx.state.hardStopAfter = v as number),
  }),
  timeRow({
    name: 'grace',
    status: 'notyet',
    summary: 'Delay between SIGUSR1 and the soft-stop, during which the "stopping" fetch is true.',
    set: (ctx, v) => void (ctx.state.grace = v as number),
  }),
  timeRow({
    name: 'close-spread-time',
    status: 'notyet',
    infinite: true,
    summary: 'Window over which connections are closed during a soft-stop (or "infinite").',
    set: (ctx, v) => void (ctx.state.closeSpreadTime = v),
  }),
  flag('external-check', 'notyet', 'Allow external health-check programs.'),
  flag('insecure-fork-wanted', 'notyet', 'Allow creating processes after startup (external checks).', { negatable: true }),
  flag('insecure-setuid-wanted', 'notyet', 'Allow external programs to gain privileges through setuid.'),
  flag('set-dumpable', 'nomeaning', 'Keep the process dumpable (core files) after changing user.', {
    negatable: true,
    note: 'core dumps of a Node.js process follow ulimit -c and --abort-on-uncaught-exception',
  }),
  flag('strict-limits', 'notyet', 'Fail at startup when a file-descriptor limit cannot be set.', { negatable: true }),
  flag('pp2-never-send-local', 'notyet', 'Send the PROXY v2 header of health checks with the PROXY command, as before 2.3.'),
  flag('numa-cpu-mapping', 'nomeaning', 'Bind threads to the CPUs of one NUMA node.', {
    negatable: true,
    checkArgs: false,
    note: 'Node.js cannot pin threads to CPUs; use taskset or systemd CPUAffinity=',
  }),
  ulimitN,
  fdHardLimit,
  mworkerMaxReloads,
  countRow('nbthread', 64, 'notyet', 'Number of threads (1..64).', 'Portier runs on one core for now; multi-core comes later'),
  countRow('thread-groups', 1, 'nomeaning', 'Number of thread groups.', 'Portier has no thread groups (multi-core will use worker processes)'),
  threadGroup,
  unixBind,
  {
    name: 'stats socket',
    status: 'partial',
    summary: 'Runtime API listener (unix socket path, address or fd@).',
    note: 'the runtime API answers the commands listed in docs/runtime-api.md',
    parse: (ctx: Ctx, args: readonly string[]) => parseStatsSocket(ctx, effectiveArgs(ctx, args)),
  },
  statsTimeout,
  statsMaxconn,
  statsBindProcess,
];

