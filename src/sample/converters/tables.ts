/**
 * Stick tables (configuration.txt 7.3.1 "in_table", "table_*"): look the sample up as a key
 * of a table and return one of the entry's stored data. The table argument is checked once
 * the whole configuration is read; left empty, it is the current proxy's table.
 */
import type { ConverterRow } from '../types.js';
import { c } from './row.js';

/** Data a table may store, with what the converter returns. */
const DATA: readonly (readonly [name: string, what: string, args?: string])[] = [
  ['bytes_in_rate', 'Rate of bytes received from clients'],
  ['bytes_out_rate', 'Rate of bytes sent to clients'],
  ['conn_cnt', 'Cumulative connections'],
  ['conn_cur', 'Current connections'],
  ['conn_rate', 'Connection rate'],
  ['expire', 'Milliseconds before expiry (or the default)', 'tab,sint?'],
  ['gpc', 'A general purpose counter of the array', 'sint,tab'],
  ['gpc0', 'The gpc0 counter'],
  ['gpc0_rate', 'Increment rate of gpc0'],
  ['gpc1', 'The gpc1 counter'],
  ['gpc1_rate', 'Increment rate of gpc1'],
  ['gpc_rate', 'Increment rate of a general purpose counter of the array', 'sint,tab'],
  ['gpt', 'A general purpose tag of the array', 'sint,tab'],
  ['gpt0', 'The gpt0 tag'],
  ['http_err_cnt', 'Cumulative HTTP errors'],
  ['http_err_rate', 'HTTP error rate'],
  ['http_fail_cnt', 'Cumulative HTTP failures'],
  ['http_fail_rate', 'HTTP failure rate'],
  ['http_req_cnt', 'Cumulative HTTP requests'],
  ['http_req_rate', 'HTTP request rate'],
  ['idle', 'Milliseconds since the entry was last updated (or the default)', 'tab,sint?'],
  ['kbytes_in', 'Kilobytes received from clients'],
  ['kbytes_out', 'Kilobytes sent to clients'],
  ['server_id', 'The server id stored by a stick rule'],
  ['sess_cnt', 'Cumulative sessions'],
  ['sess_rate', 'Session rate'],
  ['trackers', 'Streams currently tracking the entry'],
];

export const tableConverters: ConverterRow[] = [
  c('in_table', 'tab', 'any', 'bool', 'True when the sample is a key of the stick table.'),
  ...DATA.map(([name, what, args]) => c(`table_${name}`, args ?? 'tab', 'any', 'sint', `${what}, for the entry whose key is the sample.`)),
];
