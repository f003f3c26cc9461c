/**
 * Global keywords: process management (configuration.txt 3.1), the part the foundation runs:
 * daemon, pidfile, maxconn, the environment keywords, the stats socket.
 */
import { noExtraArgs, seenBefore, timeArg } from '../../args.js';
import type { KeywordRow } from '../../keywords.js';
import type { GlobalModel } from '../../model/global.js';
import { parseStatsSocket } from './stats-socket.js';

type Row = KeywordRow<GlobalModel>;

const daemon: Row = {
  name: 'daemon',
  status: 'supported',
  summary: 'Run in the background (fork and detach), as -D.',
  parse(ctx, args) {
    if (!noExtraArgs(ctx, args, 0)) return;
    ctx.state.daemon = true;
  },
};

const pidfile: Row = {
  name: 'pidfile',
  status: 'supported',
  summary: 'Write the process id to this file at startup, as -p.',
  parse(ctx, args) {
    if (!noExtraArgs(ctx, args, 1)) return;
    if (seenBefore(ctx, ctx.state, 'pidfile')) {
      ctx.alertContinuing("'pidfile' already specified. Continuing.");
      return;
    }
    if (!args[1]) {
      ctx.alert("'pidfile' expects a file name as an argument.");
      return;
    }
    ctx.state.pidfile = args[1];
  },
};

const maxconn: Row = {
  name: 'maxconn',
  status: 'notyet',
  summary: 'Process-wide limit of concurrent connections.',
  parse(ctx, args) {
    if (!noExtraArgs(ctx, args, 1)) return;
    if (seenBefore(ctx, ctx.state, 'maxconn')) {
      ctx.alertContinuing("'maxconn' already specified. Continuing.");
      return;
    }
    if (!args[1]) {
      ctx.alert("'maxconn' expects an integer argument.");
      return;
    }
    ctx.state.maxconn = parseInt(args[1], 10) || 0;
  },
};

/** setenv / presetenv: "<name> <value>", applied at once so later lines see it. */
function envSetter(name: 'setenv' | 'presetenv', summary: string): Row {
  return {
    name,
    status: 'supported',
    summary,
    parse(ctx, args) {
      if (!noExtraArgs(ctx, args, 2)) return;
      if (args.length < 3) {
        ctx.alert(`'${name}' expects a name and a value.`, 'tight');
        return;
      }
      if (name === 'presetenv' && ctx.load.env.get(args[1]!) !== undefined) return;
      ctx.load.env.set(args[1]!, args[2]!);
    },
  };
}

const unsetenv: Row = {
  name: 'unsetenv',
  status: 'supported',
  summary: 'Remove environment variables (for later lines and for child programs).',
  parse(ctx, args) {
    if (args.length < 2) {
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
  parse(ctx, args) {
    ctx.load.env.keepOnly(args.slice(1));
  },
};

const stats: Row[] = [
  {
    name: 'stats socket',
    status: 'partial',
    summary: 'Runtime API listener (unix socket path, address or fd@).',
    note: 'the runtime API answers the commands listed in docs/runtime-api.md',
    parse: parseStatsSocket,
  },
  {
    name: 'stats timeout',
    status: 'supported',
    summary: 'Idle timeout of runtime API connections (default 10s).',
    parse(ctx, args) {
      if (!noExtraArgs(ctx, args, 1, 2)) return;
      const v = timeArg(ctx, args[2], 'stats timeout');
      if (v === undefined) return;
      if (v === 0) {
        ctx.alert("'stats timeout' expects a positive value");
        return;
      }
      ctx.state.statsTimeout = v;
    },
  },
  {
    name: 'stats maxconn',
    status: 'supported',
    summary: 'Concurrent runtime API connections (default 10).',
    parse(ctx, args) {
      if (!noExtraArgs(ctx, args, 1, 2)) return;
      const v = parseInt(args[2] ?? '', 10);
      if (!(v > 0)) {
        ctx.alert("'stats maxconn' expects a positive value");
        return;
      }
      ctx.state.statsMaxconn = v;
    },
  },
  {
    name: 'stats bind-process',
    status: 'nomeaning',
    note: 'Portier runs one process; the keyword is deprecated in HAProxy 2.6 too',
    summary: 'Which processes the stats socket is bound to.',
    parse() {},
  },
];

export const processRows: Row[] = [
  daemon,
  pidfile,
  maxconn,
  envSetter('setenv', 'Set an environment variable (seen by later lines and child programs).'),
  envSetter('presetenv', 'Set an environment variable unless it is already set.'),
  unsetenv,
  resetenv,
  ...stats,
];
