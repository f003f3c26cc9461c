/**
 * HAProxy's command line (management.txt 3), hand-parsed: util.parseArgs cannot read
 * "-sf 12 13", "-vv" or "-db". Each flag is a row: its spelling, how many values it takes, and
 * what it sets.
 */

export interface CliOptions {
  /** Configuration files and directories, in command-line order. */
  configPaths: string[];
  checkOnly: boolean;
  /** -cc <condition> */
  condition?: string;
  /** 'v' for -v, 'vv' for -vv. */
  version?: 'v' | 'vv';
  /** -d / -db: stay in the foreground. */
  foreground: boolean;
  /** -d: debug mode (foreground, events on stderr). */
  debug: boolean;
  daemon: boolean;
  quiet: boolean;
  verbose: boolean;
  /** -dD */
  diagnostics: boolean;
  /** -dW */
  zeroWarning: boolean;
  /** -dr */
  ignoreResolveFailures: boolean;
  /** -dV */
  noServerVerify: boolean;
  pidfile?: string;
  localPeer?: string;
  maxconn?: number;
  defaultProxyMaxconn?: number;
  memoryLimitMb?: number;
  chdir?: string;
  /** -sf: pids to ask to finish once started. */
  finishPids: number[];
  /** -st: pids to terminate once started. */
  terminatePids: number[];
  /** -W / -Ws / -S / -x: master-worker and socket handover, refused until the reload work. */
  masterWorker?: '-W' | '-Ws';
  masterCli?: string;
  socketTransfer?: string;
  /** -dK<classes>: dump the keyword tables. */
  dumpKeywords?: string;
}

/** A usage error: `error` is printed as an alert; the usage follows when there is no error, or with `withUsage`. */
export type CliParse = { options: CliOptions } | { usage: true; error?: string; withUsage?: boolean };

function defaults(): CliOptions {
  return {
    configPaths: [],
    checkOnly: false,
    foreground: false,
    debug: false,
    daemon: false,
    quiet: false,
    verbose: false,
    diagnostics: false,
    zeroWarning: false,
    ignoreResolveFailures: false,
    noServerVerify: false,
    finishPids: [],
    terminatePids: [],
  };
}

interface Flag {
  /** Exact spelling, or a prefix when `prefix` is set (-dM<byte>, -dK<classes>). */
  readonly flag: string;
  readonly prefix?: boolean;
  /** Takes the next argument as its value. */
  readonly value?: boolean;
  apply(o: CliOptions, value: string, arg: string): string | void;
}

const intValue = (v: string): number => parseInt(v, 10) || 0;

/** Flags with no meaning for Portier (pollers, splice, getaddrinfo, reuseport, memory debug). */
const accepted = (flag: string, prefix = false): Flag => ({ flag, prefix, apply() {} });

const FLAGS: Flag[] = [
  { flag: '-v', apply: (o) => void (o.version = 'v') },
  { flag: '-vv', apply: (o) => void (o.version = 'vv') },
  { flag: '-V', apply: (o) => void ((o.verbose = true), (o.quiet = false)) },
  { flag: '-q', apply: (o) => void (o.quiet = true) },
  { flag: '-c', apply: (o) => void (o.checkOnly = true) },
  { flag: '-cc', value: true, apply: (o, v) => void (o.condition = v) },
  { flag: '-d', apply: (o) => void ((o.debug = true), (o.foreground = true)) },
  { flag: '-db', apply: (o) => void (o.foreground = true) },
  { flag: '-dD', apply: (o) => void (o.diagnostics = true) },
  { flag: '-dW', apply: (o) => void (o.zeroWarning = true) },
  { flag: '-dr', apply: (o) => void (o.ignoreResolveFailures = true) },
  { flag: '-dV', apply: (o) => void (o.noServerVerify = true) },
  { flag: '-dK', prefix: true, apply: (o, _v, arg) => void (o.dumpKeywords = arg.slice(3) || 'help') },
  accepted('-dM', true),
  accepted('-de'),
  accepted('-dp'),
  accepted('-dk'),
  accepted('-dS'),
  accepted('-dG'),
  accepted('-dR'),
  accepted('-dL'),
  { flag: '-D', apply: (o) => void (o.daemon = true) },
  { flag: '-W', apply: (o) => void (o.masterWorker = '-W') },
  { flag: '-Ws', apply: (o) => void (o.masterWorker = '-Ws') },
  { flag: '-S', value: true, apply: (o, v) => void (o.masterCli = v) },
  { flag: '-x', value: true, apply: (o, v) => void (o.socketTransfer = v) },
  { flag: '-f', value: true, apply: (o, v) => void o.configPaths.push(v) },
  { flag: '-p', value: true, apply: (o, v) => void (o.pidfile = v) },
  { flag: '-L', value: true, apply: (o, v) => void (o.localPeer = v) },
  { flag: '-n', value: true, apply: (o, v) => void (o.maxconn = intValue(v)) },
  { flag: '-N', value: true, apply: (o, v) => void (o.defaultProxyMaxconn = intValue(v)) },
  { flag: '-m', value: true, apply: (o, v) => void (o.memoryLimitMb = intValue(v)) },
  { flag: '-C', value: true, apply: (o, v) => void (o.chdir = v) },
];

export function parseCommandLine(argv: readonly string[]): CliParse {
  const o = defaults();
  if (argv.length === 0) return { usage: true };
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg === '--') {
      o.configPaths.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-sf' || arg === '-st') {
      const list = arg === '-sf' ? o.finishPids : o.terminatePids;
      i++;
      while (i < argv.length && !argv[i]!.startsWith('-')) {
        const text = argv[i]!;
        if (!/^[0-9]+$/.test(text)) {
          return { usage: true, error: `${arg} option: some bytes unconsumed in PID list {${text.replace(/^[0-9]+/, '')}}` };
        }
        const pid = Number(text);
        // HAProxy shows the usage alone for a null pid.
        if (pid <= 0) return { usage: true };
        list.push(pid);
        i++;
      }
      continue;
    }
    const flag = FLAGS.find((f) => (f.prefix ? arg.startsWith(f.flag) : arg === f.flag));
    if (!flag) return { usage: true };
    let value = '';
    if (flag.value) {
      if (i + 1 >= argv.length) {
        // HAProxy's own wording for a flag missing its value.
        if (arg === '-x') return { usage: true, error: 'Unix socket path expected with the -x flag', withUsage: true };
        return { usage: true, error: 'failed to copy argv.' };
      }
      value = argv[++i]!;
    }
    flag.apply(o, value, arg);
    i++;
  }
  return { options: o };
}

export function usageText(program: string): string {
  return `Usage : ${program} [-f <cfgfile|cfgdir>]* [ -vdVD ] [ -n <maxconn> ] [ -N <maxpconn> ]
        [ -p <pidfile> ] [ -m <max megs> ] [ -C <dir> ] [-- <cfgfile>*]
        -v displays version ; -vv shows known build options.
        -d enters debug mode ; -db only disables background mode.
        -dM[<byte>,help,...] accepted (memory poisoning has no meaning in Node)
        -V enters verbose mode (disables quiet mode)
        -D goes daemon ; -C changes to <dir> before loading files.
        -W master-worker mode (not supported yet).
        -Ws master-worker mode with systemd notify support (not supported yet).
        -q quiet mode : don't display messages
        -c check mode : only check config files and exit
        -cc check condition : evaluate a condition and exit
        -n sets the maximum total # of connections
        -m limits the usable amount of memory (in MB)
        -N sets the default, per-proxy maximum # of connections (0)
        -L set local peer name (default to hostname)
        -p writes pids of all children to this file
        -de, -dp, -dk, -dS, -dG, -dR, -dL accepted (no meaning in Node)
        -dK{class[,...]} dump registered keywords (use 'help' for list)
        -dr ignores server address resolution failures
        -dV disables SSL verify on servers side
        -dW fails if any warning is emitted
        -dD diagnostic mode : warn about suspicious configuration statements
        -sf/-st [pid ]* finishes/terminates old pids.
        -x <unix_socket> get listening sockets from a unix socket (not supported yet)
        -S <bind>[,<bind options>...] new master CLI (not supported yet)
`;
}
