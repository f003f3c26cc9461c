/**
 * The PROXY protocol, versions 1 and 2 (doc: proxy-protocol.txt; configuration.txt 5.1
 * "accept-proxy", 5.2 "send-proxy", "send-proxy-v2", "send-proxy-v2-ssl",
 * "send-proxy-v2-ssl-cn", "proxy-v2-options", "check-send-proxy"; 3.1 "pp2-never-send-local"),
 * with HAProxy 2.6.12's exact behaviour. The entry point of the module; docs/proxy-protocol.md
 * says how the runtime uses it.
 *
 * Receiving: parseProxyHeader() over the bytes received so far, or readProxyHeader() /
 * onProxyHeader() on an accepted socket.
 * Sending: makeProxyLine(serverPpBits(server.options), context) for a server connection, or
 * buildProxyV1() / buildProxyV2() with the fields already decided.
 */
export type {
  ProxyAddress,
  ProxyEndpoint,
  ProxyError,
  ProxyErrorCode,
  ProxyHeader,
  ProxyParseResult,
  ProxySslTlv,
  ProxyTlv,
  ProxyV2Options,
  ProxyV2Ssl,
} from './proxy-protocol-types.js';
export {
  DEFAULT_MAX_HEADER,
  PP2_CLIENT,
  PP2_HEADER_LEN,
  PP2_SIGNATURE,
  PP2_TYPE,
  PROXY_ERROR_MESSAGES,
  parseProxyHeader,
  type ParseProxyOptions,
} from './proxy-protocol-parse.js';
export { buildProxyV1, buildProxyV2 } from './proxy-protocol-build.js';
export {
  PROXY_V2_OPTION_BITS,
  SRV_PP,
  applyServerPpOption,
  checkSendsProxy,
  makeProxyLine,
  serverPpBits,
  type ProxyLineContext,
  type ProxyTlsInfo,
} from './proxy-protocol-send.js';
export { onProxyHeader, readProxyHeader, type ProxyReadResult, type ReadProxyOptions } from './proxy-protocol-reader.js';
export { crc32c } from './proxy-protocol-crc32c.js';
