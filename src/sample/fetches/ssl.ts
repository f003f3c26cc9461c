/**
 * Fetches at layer 5, certificates (configuration.txt 7.3.4): the client's (ssl_c_*), the
 * frontend's (ssl_f_*) and the server's (ssl_s_*).
 */
import type { FetchRow } from '../types.js';
import { checkDnFormat } from '../validators.js';
import { fetchMaker } from './row.js';

const f = fetchMaker('7.3.4');

export const sslFetches: FetchRow[] = [
  f('ssl_c_ca_err', '', 'sint', 'L5CLI', "First verification error in the client certificate's chain."),
  f('ssl_c_ca_err_depth', '', 'sint', 'L5CLI', 'Depth in the client chain of the first verification error.'),
  f('ssl_c_chain_der', '', 'bin', 'L5CLI', "The client's certificate chain in DER."),
  f('ssl_c_der', '', 'bin', 'L5CLI', 'The client certificate in DER.'),
  f('ssl_c_err', '', 'sint', 'L5CLI', 'Verification error of the client certificate itself.'),
  f('ssl_c_i_dn', 'str?,sint?,str?', 'str', 'L5CLI', 'Issuer DN of the client certificate, or one of its entries.', { validate: checkDnFormat }),
  f('ssl_c_key_alg', '', 'str', 'L5CLI', 'Key algorithm of the client certificate.'),
  f('ssl_c_notafter', '', 'str', 'L5CLI', 'End of validity of the client certificate (YYMMDDhhmmss[Z]).'),
  f('ssl_c_notbefore', '', 'str', 'L5CLI', 'Start of validity of the client certificate.'),
  f('ssl_c_s_dn', 'str?,sint?,str?', 'str', 'L5CLI', 'Subject DN of the client certificate, or one of its entries.', { validate: checkDnFormat }),
  f('ssl_c_serial', '', 'bin', 'L5CLI', 'Serial number of the client certificate.'),
  f('ssl_c_sha1', '', 'bin', 'L5CLI', 'SHA-1 fingerprint of the client certificate.'),
  f('ssl_c_sig_alg', '', 'str', 'L5CLI', 'Signature algorithm of the client certificate.'),
  f('ssl_c_used', '', 'bool', 'L5CLI', 'True when the client presented a certificate.'),
  f('ssl_c_verify', '', 'sint', 'L5CLI', 'Result of the verification of the client certificate (0 when valid).'),
  f('ssl_c_version', '', 'sint', 'L5CLI', 'X.509 version of the client certificate.'),
  f('ssl_f_der', '', 'bin', 'L5CLI', "The frontend's certificate in DER."),
  f('ssl_f_i_dn', 'str?,sint?,str?', 'str', 'L5CLI', "Issuer DN of the frontend's certificate, or one of its entries.", { validate: checkDnFormat }),
  f('ssl_f_key_alg', '', 'str', 'L5CLI', "Key algorithm of the frontend's certificate."),
  f('ssl_f_notafter', '', 'str', 'L5CLI', "End of validity of the frontend's certificate."),
  f('ssl_f_notbefore', '', 'str', 'L5CLI', "Start of validity of the frontend's certificate."),
  f('ssl_f_s_dn', 'str?,sint?,str?', 'str', 'L5CLI', "Subject DN of the frontend's certificate, or one of its entries.", { validate: checkDnFormat }),
  f('ssl_f_serial', '', 'bin', 'L5CLI', "Serial number of the frontend's certificate."),
  f('ssl_f_sha1', '', 'bin', 'L5CLI', "SHA-1 fingerprint of the frontend's certificate."),
  f('ssl_f_sig_alg', '', 'str', 'L5CLI', "Signature algorithm of the frontend's certificate."),
  f('ssl_f_version', '', 'sint', 'L5CLI', "X.509 version of the frontend's certificate."),
  f('ssl_s_der', '', 'bin', 'L5CLI', "The server's certificate in DER."),
  f('ssl_s_chain_der', '', 'bin', 'L5CLI', "The server's certificate chain in DER."),
  f('ssl_s_key_alg', '', 'str', 'L5CLI', "Key algorithm of the server's certificate."),
  f('ssl_s_notafter', '', 'str', 'L5CLI', "End of validity of the server's certificate."),
  f('ssl_s_notbefore', '', 'str', 'L5CLI', "Start of validity of the server's certificate."),
  f('ssl_s_i_dn', 'str?,sint?,str?', 'str', 'L5CLI', "Issuer DN of the server's certificate, or one of its entries.", { validate: checkDnFormat }),
  f('ssl_s_s_dn', 'str?,sint?,str?', 'str', 'L5CLI', "Subject DN of the server's certificate, or one of its entries.", { validate: checkDnFormat }),
  f('ssl_s_serial', '', 'bin', 'L5CLI', "Serial number of the server's certificate."),
  f('ssl_s_sha1', '', 'bin', 'L5CLI', "SHA-1 fingerprint of the server's certificate."),
  f('ssl_s_sig_alg', '', 'str', 'L5CLI', "Signature algorithm of the server's certificate."),
  f('ssl_s_version', '', 'sint', 'L5CLI', "X.509 version of the server's certificate."),
];
