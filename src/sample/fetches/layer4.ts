/**
 * Fetches at layer 4 (configuration.txt 7.3.3): addresses and ports of both connections,
 * proxy and listener identities, and the tracked stick counters (sc_*, sc0_* .. sc2_*, src_*).
 */
import type { FetchRow } from '../types.js';
import { checkRttUnit, warnCounterArg } from '../validators.js';
import { fetchMaker } from './row.js';
import { smpFetchDst, smpFetchDstPort, smpFetchSrc, smpFetchSrcPort } from './addresses.js';
import { smpFetchBeId, smpFetchBeName, smpFetchFeName, smpFetchSrvId, smpFetchSrvName } from './proxies.js';

const f = fetchMaker('7.3.3');

export const layer4Fetches: FetchRow[] = [
  f('bc_dst', '', 'sint', 'L4SRV', 'Destination address of the connection to the server.'),
  f('bc_dst_port', '', 'sint', 'L4SRV', 'Destination port of the connection to the server.'),
  f('bc_err', '', 'sint', 'L4SRV', 'Error code of the connection to the server.'),
  f('bc_err_str', '', 'str', 'L4SRV', 'Error message of the connection to the server.'),
  f('bc_http_major', '', 'sint', 'L4SRV', 'HTTP major version used with the server (1 or 2).'),
  f('bc_src', '', 'sint', 'L4SRV', 'Source address of the connection to the server.'),
  f('bc_src_port', '', 'sint', 'L4SRV', 'Source port of the connection to the server.'),
  f('be_id', '', 'sint', 'BKEND', 'Numeric id of the backend.', { run: smpFetchBeId }),
  f('be_name', '', 'str', 'BKEND', 'Name of the backend.', { run: smpFetchBeName }),
  f('be_server_timeout', '', 'sint', 'BKEND', "The backend's configured server timeout, in ms."),
  f('be_tunnel_timeout', '', 'sint', 'BKEND', "The backend's configured tunnel timeout, in ms."),
  f('cur_server_timeout', '', 'sint', 'BKEND', 'The server timeout currently applied to the stream, in ms.'),
  f('cur_tunnel_timeout', '', 'sint', 'BKEND', 'The tunnel timeout currently applied to the stream, in ms.'),
  f('dst', '', 'ipv4', 'L4CLI', 'Destination address of the client connection (after a PROXY header, the one it carries).', { run: smpFetchDst }),
  f('dst_conn', '', 'sint', 'FTEND', 'Current connections on the listener the client reached.'),
  f('dst_is_local', '', 'bool', 'L4CLI', "True when the destination address is one of the host's."),
  f('dst_port', '', 'sint', 'L4CLI', 'Destination port of the client connection.', { run: smpFetchDstPort }),
  f('fc_dst', '', 'ipv4', 'L4CLI', 'Destination address of the client connection as accepted (before any rewrite).'),
  f('fc_dst_is_local', '', 'bool', 'L4CLI', "True when the accepted destination address is one of the host's."),
  f('fc_dst_port', '', 'sint', 'L4CLI', 'Destination port of the client connection as accepted.'),
  f('fc_err', '', 'sint', 'L4CLI', 'Error code of the client connection.'),
  f('fc_err_str', '', 'str', 'L4CLI', 'Error message of the client connection.'),
  f('fc_fackets', 'str?', 'sint', 'L4CLI', 'TCP forward-acknowledged packets on the client connection (Linux).', { validate: warnCounterArg }),
  f('fc_http_major', '', 'sint', 'L4CLI', 'HTTP major version used by the client (1 or 2).'),
  f('fc_lost', 'str?', 'sint', 'L4CLI', 'TCP lost packets on the client connection (Linux).', { validate: warnCounterArg }),
  f('fc_pp_authority', '', 'str', 'L4CLI', 'Authority TLV of the PROXY protocol header.'),
  f('fc_pp_unique_id', '', 'str', 'L4CLI', 'Unique id TLV of the PROXY protocol header.'),
  f('fc_rcvd_proxy', '', 'bool', 'L4CLI', 'True when the client connection started with a PROXY protocol header.'),
  f('fc_reordering', 'str?', 'sint', 'L4CLI', 'TCP reordering metric of the client connection (Linux).', { validate: warnCounterArg }),
  f('fc_retrans', 'str?', 'sint', 'L4CLI', 'TCP retransmitted packets on the client connection (Linux).', { validate: warnCounterArg }),
  f('fc_rtt', 'str?', 'sint', 'L4CLI', 'Round-trip time of the client connection, in ms or us.', { validate: checkRttUnit }),
  f('fc_rttvar', 'str?', 'sint', 'L4CLI', 'Round-trip time variation of the client connection, in ms or us.', { validate: checkRttUnit }),
  f('fc_sacked', 'str?', 'sint', 'L4CLI', 'TCP selectively acknowledged packets on the client connection (Linux).', { validate: warnCounterArg }),
  f('fc_src', '', 'ipv4', 'L4CLI', 'Source address of the client connection as accepted.'),
  f('fc_src_is_local', '', 'bool', 'L4CLI', "True when the accepted source address is one of the host's."),
  f('fc_src_port', '', 'sint', 'L4CLI', 'Source port of the client connection as accepted.'),
  f('fc_unacked', 'str?', 'sint', 'L4CLI', 'TCP unacknowledged packets on the client connection (Linux).', { validate: warnCounterArg }),
  f('fe_defbe', '', 'str', 'FTEND', "Name of the frontend's default backend."),
  f('fe_id', '', 'sint', 'FTEND', 'Numeric id of the frontend.'),
  f('fe_name', '', 'str', 'FTEND', 'Name of the frontend.', { run: smpFetchFeName }),
  f('fe_client_timeout', '', 'sint', 'FTEND', "The frontend's configured client timeout, in ms."),
  f('so_id', '', 'sint', 'FTEND', 'Numeric id of the listener (bind line) that accepted the connection.'),
  f('so_name', '', 'str', 'FTEND', 'Name of the listener (bind line) that accepted the connection.'),
  f('src', '', 'ipv4', 'L4CLI', 'Source address of the client (after a PROXY header, the one it carries).', { run: smpFetchSrc }),
  f('src_is_local', '', 'bool', 'L4CLI', "True when the client address is one of the host's."),
  f('src_port', '', 'sint', 'L4CLI', 'Source port of the client.', { run: smpFetchSrcPort }),
  f('srv_id', '', 'sint', 'SERVR', 'Numeric id of the server the stream was sent to (in a check: the checked server).', { run: smpFetchSrvId }),
  f('srv_name', '', 'str', 'SERVR', 'Name of the server the stream was sent to (in a check: the checked server).', { run: smpFetchSrvName }),
];

/**
 * Stick counters (configuration.txt 7.3.3, "sc_*" to "src_*"): one family per counter, read
 * from the entry tracked by a track-sc rule (sc_<name>(<ctr>[,<table>]), sc0_ .. sc2_<name>)
 * or looked up by the client address (src_<name>(<table>)). A table argument left out means
 * the current proxy's table. Per counter: summary, whether it takes an index (gpc/gpt arrays),
 * which forms exist, the output type and where the sc forms read their data (a few are marked
 * as client-address fetches by HAProxy).
 */
interface CounterFamily {
  readonly name: string;
  readonly what: string;
  /** Takes a leading array index: sc_<name>(<idx>,<ctr>[,<table>]), src_<name>(<idx>,<table>). */
  readonly indexed?: boolean;
  readonly forms?: readonly ('sc' | 'scN' | 'src')[];
  readonly out?: FetchRow['out'];
  readonly scSrc?: 'INTRN' | 'L4CLI';
}

const COUNTERS: readonly CounterFamily[] = [
  { name: 'bytes_in_rate', what: 'Rate of bytes received from the client' },
  { name: 'bytes_out_rate', what: 'Rate of bytes sent to the client' },
  { name: 'clr_gpc', what: 'Clears a general purpose counter of the array (returns its old value)', indexed: true, forms: ['sc', 'src'] },
  { name: 'clr_gpc0', what: 'Clears gpc0 (returns its old value)' },
  { name: 'clr_gpc1', what: 'Clears gpc1 (returns its old value)' },
  { name: 'conn_cnt', what: 'Cumulative connections' },
  { name: 'conn_cur', what: 'Current connections' },
  { name: 'conn_rate', what: 'Connection rate' },
  { name: 'get_gpc', what: 'A general purpose counter of the array', indexed: true, forms: ['sc', 'src'] },
  { name: 'get_gpc0', what: 'The gpc0 counter' },
  { name: 'get_gpc1', what: 'The gpc1 counter' },
  { name: 'get_gpt', what: 'A general purpose tag of the array', indexed: true, forms: ['sc', 'src'] },
  { name: 'get_gpt0', what: 'The gpt0 tag' },
  { name: 'gpc_rate', what: 'Increment rate of a general purpose counter of the array', indexed: true, forms: ['sc', 'src'] },
  { name: 'gpc0_rate', what: 'Increment rate of gpc0' },
  { name: 'gpc1_rate', what: 'Increment rate of gpc1' },
  { name: 'http_err_cnt', what: 'Cumulative HTTP errors' },
  { name: 'http_err_rate', what: 'HTTP error rate' },
  { name: 'http_fail_cnt', what: 'Cumulative HTTP failures' },
  { name: 'http_fail_rate', what: 'HTTP failure rate' },
  { name: 'http_req_cnt', what: 'Cumulative HTTP requests' },
  { name: 'http_req_rate', what: 'HTTP request rate' },
  { name: 'inc_gpc', what: 'Increments a general purpose counter of the array (returns the new value)', indexed: true, forms: ['sc', 'src'] },
  { name: 'inc_gpc0', what: 'Increments gpc0 (returns the new value)' },
  { name: 'inc_gpc1', what: 'Increments gpc1 (returns the new value)' },
  { name: 'kbytes_in', what: 'Kilobytes received from the client', scSrc: 'L4CLI' },
  { name: 'kbytes_out', what: 'Kilobytes sent to the client', scSrc: 'L4CLI' },
  { name: 'sess_cnt', what: 'Cumulative sessions' },
  { name: 'sess_rate', what: 'Session rate' },
  { name: 'tracked', what: 'True when the counter is tracked', forms: ['sc', 'scN'], out: 'bool' },
  { name: 'trackers', what: 'Streams currently tracking the entry', forms: ['sc', 'scN'] },
  { name: 'updt_conn_cnt', what: 'Increments the connection count and returns it', forms: ['src'] },
];

function counterRows(fam: CounterFamily): FetchRow[] {
  const forms = fam.forms ?? ['sc', 'scN', 'src'];
  const out = fam.out ?? 'sint';
  const idx = fam.indexed ? 'sint,' : '';
  const rows: FetchRow[] = [];
  if (forms.includes('sc')) rows.push(f(`sc_${fam.name}`, `${idx}sint,tab?`, out, fam.scSrc ?? 'INTRN', `${fam.what}, for the entry tracked by a given stick counter.`));
  if (forms.includes('scN')) {
    for (const n of [0, 1, 2]) rows.push(f(`sc${n}_${fam.name}`, 'tab?', out, fam.scSrc ?? 'INTRN', `${fam.what}, for the entry tracked by sc${n}.`));
  }
  if (forms.includes('src')) rows.push(f(`src_${fam.name}`, `${idx}tab`, out, 'L4CLI', `${fam.what}, for the client address's entry in a table.`));
  return rows;
}

/** HAProxy also registers sc1_clr_gpc, with an index and no counter number (not in the manual). */
const SC1_CLR_GPC = f('sc1_clr_gpc', 'sint,tab?', 'sint', 'INTRN', 'Clears a general purpose counter of the entry tracked by sc1 (undocumented).');

export const counterFetches: FetchRow[] = [...COUNTERS.flatMap(counterRows), SC1_CLR_GPC];
