/**
 * Runtime API commands (management.txt 9.3), one row each. The foundation answers the
 * commands about the CLI session itself; every other HAProxy command is unknown to Portier
 * until its feature exists, and gets HAProxy's "Unknown command" answer.
 */
import { parseTime } from '../config/units.js';
import type { CliCommand, CliLevel, CliSession } from './cli-types.js';
import { disableServer, enableServer, getWeight, setServer, setWeightCommand, showServersState } from './server-commands.js';

const LEVELS: Record<CliLevel, number> = { user: 0, operator: 1, admin: 2 };

export function levelAllows(have: CliLevel, need: CliLevel): boolean {
  return LEVELS[have] >= LEVELS[need];
}

function command(words: string, usage: string, help: string, level: CliLevel, run: CliCommand['run']): CliCommand {
  return { name: words, words: words.split(' '), usage, help, level, status: 'supported', summary: help, run };
}

/** Lowers the session's level; it can never be raised (management.txt 9.3, "operator"). */
function lowerTo(target: CliLevel) {
  return (s: CliSession): string => {
    if (!levelAllows(s.level, target)) return 'Permission denied\n';
    s.level = target;
    return '';
  };
}

export const cliCommands: CliCommand[] = [
  command('disable server', 'disable server (DEPRECATED)', "disable a server for maintenance (use 'set server' instead)", 'admin', disableServer),
  command('enable server', 'enable server  (DEPRECATED)', "enable a disabled server (use 'set server' instead)", 'admin', enableServer),
  command('get weight', 'get weight <bk>/<srv>', "report a server's current weight", 'user', getWeight),
  command('operator', 'operator', 'lower the level of the current CLI session to operator', 'user', lowerTo('operator')),
  command('set timeout cli', 'set timeout cli <delay>', 'change a timeout setting', 'user', (s, args) => {
    const v = args[3];
    if (v === undefined) return 'Expects an integer value.\n';
    const t = parseTime(v, 's');
    if ('error' in t) return 'Invalid timeout value.\n';
    s.timeoutMs = t.value * 1000;
    return '';
  }),
  command('set server', 'set server <bk>/<srv> [opts]', "change a server's state, weight, address or ssl", 'admin', setServer),
  command('set weight', 'set weight <bk>/<srv>  (DEPRECATED)', "change a server's weight (use 'set server' instead)", 'admin', setWeightCommand),
  command('show cli level', 'show cli level', 'display the level of the current CLI session', 'user', (s) => `${s.level}\n`),
  command('show env', 'show env [var]', 'dump environment variables known to the process', 'operator', (s, args) => {
    const env = s.process.environment();
    const name = args[2];
    if (name !== undefined) return name in env ? `${name}=${env[name]}\n` : 'Variable not found\n';
    return Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join('');
  }),
  command('show servers state', 'show servers state [<backend>]', 'dump volatile server information (all or for a single backend)', 'user', showServersState),
  command('show version', 'show version', 'show version of the current process', 'user', (s) => `${s.process.version()}\n`),
  command('user', 'user', 'lower the level of the current CLI session to user', 'user', lowerTo('user')),
];

/** Always listed last by HAProxy, handled by the session itself. */
export const sessionCommands = [
  { usage: 'help [<command>]', help: 'list matching or all commands' },
  { usage: 'prompt', help: 'toggle interactive mode with prompt' },
  { usage: 'quit', help: 'disconnect' },
];

export function helpLine(usage: string, help: string): string {
  return `  ${usage.padEnd(40)}: ${help}\n`;
}
