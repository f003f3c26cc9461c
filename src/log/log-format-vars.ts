/**
 * Log-format variables (configuration.txt 8.2.6, the table of "%" variables) and the
 * predefined formats of 8.2.2 - 8.2.4, as HAProxy 2.6 declares them internally. A variable
 * marked 'http' is refused in a proxy that is not in HTTP mode ("format variable 'r' is
 * reserved for HTTP mode"); %o sets the flags of the variables that follow it.
 */
import type { RowMeta } from '../config/types.js';

export interface LogFormatVarRow extends RowMeta {
  /** The proxy mode it needs: 'http' variables are refused elsewhere. */
  readonly mode: 'tcp' | 'http';
  /** What it prints: a number, a string, a date, an address... (the table's "type"). */
  readonly type: 'special' | 'numeric' | 'string' | 'date' | 'IP' | 'string list';
}

function v(name: string, mode: 'tcp' | 'http', type: LogFormatVarRow['type'], summary: string): LogFormatVarRow {
  return { name, mode, type, status: 'notyet', summary };
}

export const logFormatVarRows: readonly LogFormatVarRow[] = [
  v('o', 'tcp', 'special', 'Sets its flags (%{+Q}o) on every variable that follows.'),
  v('B', 'tcp', 'numeric', 'Bytes sent from the server to the client.'),
  v('CC', 'http', 'string', 'Captured request cookie (capture cookie).'),
  v('CS', 'http', 'string', 'Captured response cookie (capture cookie).'),
  v('H', 'tcp', 'string', 'Host name of the machine running the proxy.'),
  v('ID', 'tcp', 'string', 'Unique ID of the request (unique-id-format).'),
  v('ST', 'tcp', 'numeric', 'HTTP status code sent to the client.'),
  v('T', 'tcp', 'date', 'Accept date, GMT, in the HTTP date format.'),
  v('Ta', 'http', 'numeric', 'Active time of the request, from the first byte to the end.'),
  v('Tc', 'tcp', 'numeric', 'Time to establish the connection to the server.'),
  v('Th', 'tcp', 'numeric', 'Connection handshake time (TLS, PROXY protocol).'),
  v('Ti', 'http', 'numeric', 'Idle time before the HTTP request.'),
  v('Tl', 'tcp', 'date', 'Accept date, local time, in the HTTP date format.'),
  v('Tq', 'http', 'numeric', 'Th + Ti + TR: time until the request was complete.'),
  v('Tr', 'http', 'numeric', 'Server response time (until the response headers).'),
  v('TR', 'http', 'numeric', 'Time to receive the full request from its first byte.'),
  v('Td', 'tcp', 'numeric', 'Data transfer time: Tt - (Tq + Tw + Tc + Tr).'),
  v('Ts', 'tcp', 'numeric', 'Accept date as a UNIX timestamp.'),
  v('Tt', 'tcp', 'numeric', 'Total session time.'),
  v('Tu', 'tcp', 'numeric', 'Total session time without the idle time (Tt - Ti).'),
  v('Tw', 'tcp', 'numeric', 'Time spent waiting in queues.'),
  v('U', 'tcp', 'numeric', 'Bytes sent from the client to the server.'),
  v('ac', 'tcp', 'numeric', 'Concurrent connections on the process.'),
  v('b', 'tcp', 'string', 'Backend name.'),
  v('bc', 'tcp', 'numeric', 'Concurrent connections on the backend.'),
  v('bi', 'tcp', 'IP', 'Source address of the connection to the server.'),
  v('bp', 'tcp', 'numeric', 'Source port of the connection to the server.'),
  v('bq', 'tcp', 'numeric', 'Requests waiting in the backend queue.'),
  v('ci', 'tcp', 'IP', 'Client address.'),
  v('cp', 'tcp', 'numeric', 'Client port.'),
  v('f', 'tcp', 'string', 'Frontend name.'),
  v('fc', 'tcp', 'numeric', 'Concurrent connections on the frontend.'),
  v('fi', 'tcp', 'IP', 'Address the connection was accepted on.'),
  v('fp', 'tcp', 'numeric', 'Port the connection was accepted on.'),
  v('ft', 'tcp', 'string', "Frontend name, with '~' when the connection uses TLS."),
  v('hr', 'tcp', 'string', 'Captured request headers, between braces.'),
  v('hrl', 'tcp', 'string list', 'Captured request headers, CLF style.'),
  v('hs', 'tcp', 'string', 'Captured response headers, between braces.'),
  v('hsl', 'tcp', 'string list', 'Captured response headers, CLF style.'),
  v('HM', 'http', 'string', 'HTTP method.'),
  v('HP', 'http', 'string', 'Request URI without the query string.'),
  v('HPO', 'http', 'string', 'Request path only (no host, no query string).'),
  v('HQ', 'http', 'string', 'Query string of the request URI, with its "?".'),
  v('HU', 'http', 'string', 'Request URI.'),
  v('HV', 'http', 'string', 'HTTP version of the request.'),
  v('lc', 'tcp', 'numeric', 'Log counter of the frontend.'),
  v('ms', 'tcp', 'numeric', 'Milliseconds of the accept date, on three digits.'),
  v('pid', 'tcp', 'numeric', 'Process ID.'),
  v('r', 'http', 'string', 'HTTP request line.'),
  v('rc', 'tcp', 'numeric', 'Number of retries.'),
  v('rt', 'tcp', 'numeric', 'Request counter (HTTP request or TCP session).'),
  v('s', 'tcp', 'string', 'Server name.'),
  v('sc', 'tcp', 'numeric', 'Concurrent connections on the server.'),
  v('si', 'tcp', 'IP', 'Server address.'),
  v('sp', 'tcp', 'numeric', 'Server port.'),
  v('sq', 'tcp', 'numeric', 'Requests waiting in the server queue.'),
  v('sslc', 'tcp', 'string', 'TLS cipher of the client connection.'),
  v('sslv', 'tcp', 'string', 'TLS version of the client connection.'),
  v('t', 'tcp', 'date', 'Accept date with milliseconds.'),
  v('tr', 'http', 'date', 'Date of the start of the HTTP request.'),
  v('trg', 'http', 'date', 'Date of the start of the HTTP request, GMT.'),
  v('trl', 'http', 'date', 'Date of the start of the HTTP request, local time.'),
  v('ts', 'tcp', 'string', 'Termination state (two characters).'),
  v('tsc', 'tcp', 'string', 'Termination state with cookie status (four characters).'),
];

const BY_NAME = new Map<string, LogFormatVarRow>(logFormatVarRows.map((r) => [r.name, r]));

export function findLogFormatVar(name: string): LogFormatVarRow | undefined {
  return BY_NAME.get(name);
}

/** "option tcplog" (configuration.txt 8.2.2). */
export const TCP_LOG_FORMAT = '%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq';

/** "option httplog" (8.2.3). */
export const HTTP_LOG_FORMAT = '%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r';

/** "option httplog clf" (8.2.3). */
export const CLF_HTTP_LOG_FORMAT =
  '%{+Q}o %{-Q}ci - - [%trg] %r %ST %B "" "" %cp %ms %ft %b %s %TR %Tw %Tc %Tr %Ta %tsc %ac %fc %bc %sc %rc %sq %bq %CC %CS %hrl %hsl';

/** "option httpslog" (8.2.4). */
export const HTTPS_LOG_FORMAT =
  '%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r ' +
  '%[fc_err]/%[ssl_fc_err,hex]/%[ssl_c_err]/%[ssl_c_ca_err]/%[ssl_fc_is_resumed] %[ssl_fc_sni]/%sslv/%sslc';
