/**
 * Addresses and servers (configuration.txt 7.3.1): netmasks, and the state of a backend or server named by the sample.
 */
import type { ConverterRow } from '../types.js';
import { c } from './row.js';

export const networkConverters: ConverterRow[] = [
  c('ipmask', 'msk4,msk6?', 'addr', 'ipv4', 'Applies a netmask to an IPv4 or IPv6 address.'),
  c('nbsrv', '', 'str', 'sint', 'Usable servers of the backend named by the sample.'),
  c('srv_queue', '', 'str', 'sint', 'Queue length of the server named by the sample ("backend/server").'),
];
