/**
 * Fetches from internal states (configuration.txt 7.3.2): constants, process and proxy
 * state, variables. Table, backend and server arguments are checked once the configuration is
 * read (config/checks/samples.ts).
 */
import type { FetchRow } from '../types.js';
import { checkConstBin, checkConstBool, checkConstMeth, checkDateUnit, checkUuid, checkVarArg } from '../validators.js';
import { fetchMaker } from './row.js';
import { smpFetchVar } from './variables.js';
import { smpFetchConstBin, smpFetchConstBool, smpFetchConstInt, smpFetchConstIpv4, smpFetchConstIpv6, smpFetchConstStr, smpFetchFalse, smpFetchTrue } from './constants.js';

const f = fetchMaker('7.3.2');

export const internalFetches: FetchRow[] = [
  f('always_false', '', 'bool', 'CONST', 'Always the boolean false.', { run: smpFetchFalse }),
  f('always_true', '', 'bool', 'CONST', 'Always the boolean true.', { run: smpFetchTrue }),
  f('avg_queue', 'be', 'sint', 'INTRN', 'Queued connections of a backend divided by its usable servers.'),
  f('be_conn', 'be', 'sint', 'INTRN', 'Current connections on a backend (default: the current one).'),
  f('be_conn_free', 'be', 'sint', 'INTRN', 'Connection slots still free on the servers of a backend.'),
  f('be_sess_rate', 'be', 'sint', 'INTRN', 'Sessions per second on a backend.'),
  f('bin', 'str', 'bin', 'CONST', 'A constant binary value written in hexadecimal.', { validate: checkConstBin, run: smpFetchConstBin }),
  f('bool', 'str', 'bool', 'CONST', "A constant boolean ('true', 'false', '1' or '0').", { validate: checkConstBool, run: smpFetchConstBool }),
  f('connslots', 'be', 'sint', 'INTRN', 'Connections a backend can still accept (free slots plus queue room).'),
  f('cpu_calls', '', 'sint', 'INTRN', "How many times the stream's task has been called."),
  f('cpu_ns_avg', '', 'sint', 'INTRN', "Average CPU time in nanoseconds per call of the stream's task."),
  f('cpu_ns_tot', '', 'sint', 'INTRN', "Total CPU time in nanoseconds used by the stream's task."),
  f('date', 'sint?,str?', 'sint', 'CONST', 'The current date as a Unix timestamp, with an optional offset and unit.', { validate: checkDateUnit(1) }),
  f('date_us', '', 'sint', 'CONST', 'Microseconds part of the current date.'),
  f('env', 'str', 'str', 'CONST', 'The value of an environment variable of the process.'),
  f('fe_conn', 'fe', 'sint', 'INTRN', 'Current connections on a frontend (default: the current one).'),
  f('fe_req_rate', 'fe', 'sint', 'INTRN', 'HTTP requests per second on a frontend.'),
  f('fe_sess_rate', 'fe', 'sint', 'INTRN', 'Sessions per second on a frontend.'),
  f('hostname', '', 'str', 'CONST', 'The host name of the machine.'),
  f('int', 'sint', 'sint', 'CONST', 'A constant signed integer.', { run: smpFetchConstInt }),
  f('ipv4', 'ipv4', 'ipv4', 'CONST', 'A constant IPv4 address.', { run: smpFetchConstIpv4 }),
  f('ipv6', 'ipv6', 'ipv6', 'CONST', 'A constant IPv6 address.', { run: smpFetchConstIpv6 }),
  f('last_rule_file', '', 'str', 'INTRN', 'Configuration file of the last rule that ran for the stream.'),
  f('last_rule_line', '', 'sint', 'INTRN', 'Line number of the last rule that ran for the stream.'),
  f('lat_ns_avg', '', 'sint', 'INTRN', "Average wake-up latency of the stream's task in nanoseconds."),
  f('lat_ns_tot', '', 'sint', 'INTRN', "Total wake-up latency of the stream's task in nanoseconds."),
  f('meth', 'str', 'meth', 'CONST', 'A constant HTTP method.', { validate: checkConstMeth }),
  f('nbsrv', 'be', 'sint', 'INTRN', 'Number of usable servers in a backend.'),
  f('prio_class', '', 'sint', 'INTRN', 'Priority class given to the stream by set-priority-class.'),
  f('prio_offset', '', 'sint', 'INTRN', 'Priority offset given to the stream by set-priority-offset.'),
  f('proc', '', 'sint', 'CONST', 'Process number (always 1).'),
  f('queue', 'be', 'sint', 'INTRN', 'Connections waiting in the queue of a backend and its servers.'),
  f('rand', 'sint?', 'sint', 'CONST', 'A random integer, optionally below a range.'),
  f('srv_conn', 'srv', 'sint', 'INTRN', 'Current connections on a server.'),
  f('srv_conn_free', 'srv', 'sint', 'INTRN', 'Connection slots still free on a server.'),
  f('srv_is_up', 'srv', 'bool', 'INTRN', 'True when a server is up (or has no health check).'),
  f('srv_queue', 'srv', 'sint', 'INTRN', "Connections waiting in a server's queue."),
  f('srv_sess_rate', 'srv', 'sint', 'INTRN', 'Sessions per second on a server.'),
  f('srv_iweight', 'srv', 'sint', 'INTRN', 'Initial (configured) weight of a server.'),
  f('srv_uweight', 'srv', 'sint', 'INTRN', 'User-visible weight of a server.'),
  f('srv_weight', 'srv', 'sint', 'INTRN', 'Effective weight of a server.'),
  f('stopping', '', 'bool', 'INTRN', 'True while the process is stopping (soft stop).'),
  f('str', 'str', 'str', 'CONST', 'A constant string.', { run: smpFetchConstStr }),
  f('table_avl', 'tab', 'sint', 'INTRN', 'Free entries in a stick table.'),
  f('table_cnt', 'tab', 'sint', 'INTRN', 'Used entries in a stick table.'),
  f('thread', '', 'sint', 'CONST', 'Number of the thread running the stream.'),
  f('uuid', 'sint?', 'str', 'CONST', 'A new random UUID (version 4).', { validate: checkUuid }),
  f('var', 'str,str?', 'any', 'CONST', 'The value of a variable, or a default when it is not set.', { validate: checkVarArg, run: smpFetchVar }),
  f('nbproc', '', 'sint', 'CONST', 'Number of processes (always 1 since HAProxy 2.5).'),
];
