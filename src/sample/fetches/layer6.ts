/**
 * Fetches from buffer contents, layer 6 (configuration.txt 7.3.5): raw request and response
 * bytes, TLS hello messages, RDP cookies, distcc tokens.
 */
import type { FetchRow } from '../types.js';
import { checkDistccToken, checkPayloadLv } from '../validators.js';
import { fetchMaker } from './row.js';
import { smpFetchRdpCookie, smpFetchRdpCookieCount } from './rdp.js';
import { smpFetchAnyPayload, smpFetchAnyPayloadLv, smpFetchLen, smpFetchPayload, smpFetchPayloadLv, smpFetchResLen, smpFetchResPayload, smpFetchResPayloadLv, smpFetchWaitEnd } from './payload.js';

const f = fetchMaker('7.3.5');

export const layer6Fetches: FetchRow[] = [
  f('distcc_body', 'str,sint?', 'bin', 'L6REQ_L6RES', 'Body of a distcc token in the request buffer.', { validate: checkDistccToken }),
  f('distcc_param', 'str,sint?', 'sint', 'L6REQ_L6RES', 'Parameter of a distcc token in the request buffer.', { validate: checkDistccToken }),
  f('payload', 'sint,sint', 'bin', 'L6REQ_L6RES', 'Bytes at an offset of the request or response buffer.', { deprecated: true, aliasOf: 'req.payload', run: smpFetchAnyPayload }),
  f('payload_lv', 'sint,sint,str?', 'bin', 'L6REQ_L6RES', 'Bytes of the request or response buffer whose length is read from the buffer.', { deprecated: true, aliasOf: 'req.payload_lv', validate: checkPayloadLv, run: smpFetchAnyPayloadLv }),
  f('req.len', '', 'sint', 'L6REQ', 'Bytes waiting in the request buffer.', { run: smpFetchLen }),
  f('req_len', '', 'sint', 'L6REQ', 'Bytes waiting in the request buffer.', { deprecated: true, aliasOf: 'req.len', run: smpFetchLen }),
  f('req.payload', 'sint,sint', 'bin', 'L6REQ', 'Bytes at an offset of the request buffer.', { run: smpFetchPayload }),
  f('req.payload_lv', 'sint,sint,str?', 'bin', 'L6REQ', 'Bytes of the request buffer whose length is read from the buffer.', { validate: checkPayloadLv, run: smpFetchPayloadLv }),
  f('req.proto_http', '', 'bool', 'HRQHP', 'True when the request buffer holds a valid HTTP request.'),
  f('req_proto_http', '', 'bool', 'HRQHP', 'True when the request buffer holds a valid HTTP request.', { deprecated: true, aliasOf: 'req.proto_http' }),
  f('req.rdp_cookie', 'str?', 'str', 'L6REQ', 'RDP cookie <name> (any when none is given) sent by an RDP client.', { run: smpFetchRdpCookie }),
  f('rdp_cookie', 'str?', 'str', 'L6REQ', 'RDP cookie <name> (any when none is given) sent by an RDP client.', { deprecated: true, aliasOf: 'req.rdp_cookie', run: smpFetchRdpCookie }),
  f('req.rdp_cookie_cnt', 'str?', 'sint', 'L6REQ', 'Number of RDP cookies in the request buffer.', { run: smpFetchRdpCookieCount }),
  f('rdp_cookie_cnt', 'str?', 'sint', 'L6REQ', 'Number of RDP cookies in the request buffer.', { deprecated: true, aliasOf: 'req.rdp_cookie_cnt', run: smpFetchRdpCookieCount }),
  f('req.ssl_alpn', '', 'str', 'L6REQ', 'ALPN protocols announced in a ClientHello not yet deciphered.'),
  f('req.ssl_ec_ext', '', 'bool', 'L6REQ', 'True when a ClientHello announces elliptic curve extensions.'),
  f('req.ssl_hello_type', '', 'sint', 'L6REQ', 'Type of the TLS hello message in the request buffer.'),
  f('req_ssl_hello_type', '', 'sint', 'L6REQ', 'Type of the TLS hello message in the request buffer.', { deprecated: true, aliasOf: 'req.ssl_hello_type' }),
  f('req.ssl_sni', '', 'str', 'L6REQ', 'Server name (SNI) of a ClientHello not yet deciphered.'),
  f('req_ssl_sni', '', 'str', 'L6REQ', 'Server name (SNI) of a ClientHello not yet deciphered.', { deprecated: true, aliasOf: 'req.ssl_sni' }),
  f('req.ssl_st_ext', '', 'sint', 'L6REQ', 'Session ticket extension state announced in a ClientHello.'),
  f('req.ssl_ver', '', 'sint', 'L6REQ', 'TLS version of a ClientHello not yet deciphered.'),
  f('req_ssl_ver', '', 'sint', 'L6REQ', 'TLS version of a ClientHello not yet deciphered.', { deprecated: true, aliasOf: 'req.ssl_ver' }),
  f('res.len', '', 'sint', 'L6RES', 'Bytes waiting in the response buffer.', { note: 'runs in health checks (what the check received); tcp-response rules do not run yet', run: smpFetchResLen }),
  f('res.payload', 'sint,sint', 'bin', 'L6RES', 'Bytes at an offset of the response buffer.', { note: 'runs in health checks (what the check received); tcp-response rules do not run yet', run: smpFetchResPayload }),
  f('res.payload_lv', 'sint,sint,str?', 'bin', 'L6RES', 'Bytes of the response buffer whose length is read from the buffer.', { validate: checkPayloadLv, note: 'runs in health checks (what the check received); tcp-response rules do not run yet', run: smpFetchResPayloadLv }),
  f('res.ssl_hello_type', '', 'sint', 'L6RES', 'Type of the TLS hello message in the response buffer.'),
  f('rep_ssl_hello_type', '', 'sint', 'L6RES', 'Type of the TLS hello message in the response buffer.', { deprecated: true, aliasOf: 'res.ssl_hello_type' }),
  f('wait_end', '', 'bool', 'INTRN', 'True once the inspection delay has expired (holds rules until then).', { run: smpFetchWaitEnd }),
];
