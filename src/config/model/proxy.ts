/**
 * A proxy: a defaults, frontend, backend or listen section (configuration.txt 4). A new proxy
 * starts as a copy of the defaults section it inherits from, then its own lines apply.
 * Times are in milliseconds unless a field says otherwise. Every field a keyword records is
 * typed here; `where` fields point at the statement, for messages after parsing.
 */
import type { SampleExprModel } from './sample.js';
import type { LogFormatPart } from '../../log/log-format.js';
import type { Where } from '../types.js';
import type { AclModel } from './acl.js';
import type { AddressModel } from './address.js';
import type { BindModel } from './bind.js';
import type { HealthCheckModel } from './check.js';
import type { ProxyStatsModel } from './stats.js';
import type { StickTableModel } from './stick-table.js';
import type { LogTargetModel } from './log.js';
import type { RuleModel } from './rules.js';
import type { ServerModel } from './server.js';

export type ProxyKind = 'defaults' | 'frontend' | 'backend' | 'listen';

/**
 * `option <name>` / `no option <name>` (configuration.txt 4.2 "option ..."). A `default option`
 * removes the entry (back to the built-in default). Options with arguments have their own
 * fields (forwardFor, originalTo, httpConnectionMode, logFormat, ...).
 */
export interface OptionModel {
  readonly where: Where;
  readonly enabled: boolean;
  readonly args?: Readonly<Record<string, unknown>>;
}

/** `balance` (configuration.txt 4.2 "balance"). */
export interface BalanceModel {
  readonly algorithm:
    | 'roundrobin'
    | 'static-rr'
    | 'leastconn'
    | 'first'
    | 'source'
    | 'uri'
    | 'url_param'
    | 'hdr'
    | 'random'
    | 'rdp-cookie'
    | 'hash';
  /**
   * uri: { len?, depth?, whole?, pathOnly? }; url_param: { param, checkPost?, maxWait? };
   * hdr: { name, useDomainOnly? }; random: { draws }; rdp-cookie: { name }; hash: { expr }.
   */
  readonly args: Readonly<Record<string, unknown>>;
  readonly where?: Where;
  /** `balance hash <expr>`: the expression, parsed once every section is known. */
  readonly expr?: SampleExprModel;
}

export interface HashTypeModel {
  readonly method: 'map-based' | 'consistent';
  readonly function: 'sdbm' | 'djb2' | 'wt6' | 'crc32';
  readonly avalanche: boolean;
}

/** `option forwardfor` / `option originalto`. */
export interface ForwardedHeaderModel {
  readonly where: Where;
  readonly header: string;
  /** `except <net>`: the source (forwardfor) or destination (originalto) addresses skipped. */
  readonly except?: { readonly family: 'ipv4' | 'ipv6'; readonly address: string; readonly prefix: number };
  /** forwardfor only: add the header only when the request has none. */
  readonly ifNone?: boolean;
}

/** `cookie <name> [rewrite|insert|prefix] [indirect] ...` (configuration.txt 4.2 "cookie"). */
export interface CookieModel {
  readonly where: Where;
  readonly name: string;
  readonly mode?: 'rewrite' | 'insert' | 'prefix';
  readonly indirect: boolean;
  readonly nocache: boolean;
  readonly postonly: boolean;
  readonly preserve: boolean;
  readonly httponly: boolean;
  readonly secure: boolean;
  readonly dynamic: boolean;
  /** Each `domain` adds one. */
  readonly domains: readonly string[];
  /** Seconds. */
  readonly maxidle?: number;
  readonly maxlife?: number;
  /** Each `attr` adds one. */
  readonly attrs: readonly string[];
}

/** `source <addr>[:<port>] [usesrc ...] [interface <name>]`. */
export interface SourceModel {
  readonly where: Where;
  readonly address: AddressModel;
  readonly usesrc?:
    | { readonly kind: 'client' }
    | { readonly kind: 'clientip' }
    | { readonly kind: 'address'; readonly address: AddressModel }
    | { readonly kind: 'hdr_ip'; readonly header: string; readonly occurrence: number };
  readonly interface?: string;
}

/** `errorfile`, `errorloc*`, `errorfiles`, in the order written (later ones win). */
export type ErrorMessageModel =
  | { readonly kind: 'errorfile'; readonly where: Where; readonly status: number; readonly file: string; readonly content: string }
  | { readonly kind: 'errorloc302' | 'errorloc303'; readonly where: Where; readonly status: number; readonly url: string }
  | { readonly kind: 'errorfiles'; readonly where: Where; readonly section: string; readonly statuses: readonly number[] };

/** `filter <name> [args]` (configuration.txt 9). */
export interface FilterModel {
  readonly where: Where;
  readonly name: 'trace' | 'compression' | 'spoe' | 'cache' | 'fcgi-app' | 'opentracing';
  readonly args: Readonly<Record<string, unknown>>;
}

/** How a log line is formatted: a predefined format or a `log-format` string. */
export interface LogFormatModel {
  readonly where: Where;
  /** 'custom' for `log-format`. */
  readonly kind: 'custom' | 'httplog' | 'httplog clf' | 'httpslog' | 'tcplog';
  /** The format string (for predefined formats, Portier fills it in when it runs them). */
  readonly text?: string;
  /** `log-format` compiled by the configuration check, its sample expressions parsed. */
  readonly parts?: readonly LogFormatPart[];
}

/** A format string set by a keyword (`log-format-sd`, `error-log-format`, `unique-id-format`). */
export interface FormatStringModel {
  readonly where: Where;
  readonly text: string;
}

/** TCP keep-alive probes (clitcpka-* / srvtcpka-*): count, idle and interval (seconds). */
export interface TcpKeepAliveModel {
  cnt?: number;
  idle?: number;
  intvl?: number;
}

export interface ProxyModel {
  readonly kind: ProxyKind;
  /** '' for an anonymous defaults section. */
  readonly name: string;
  /** The section's header line. */
  readonly where: Where;
  /** CAP_FE | CAP_BE | CAP_DEF (types.ts). */
  readonly cap: number;
  /** Name of the defaults section it inherits from ('' = the anonymous one), if any. */
  readonly from?: string;
  /** Where that defaults section was declared (names may repeat): its rules run before this proxy's. */
  readonly fromWhere?: Where;
  /** `id`, or the number HAProxy would assign. */
  id?: number;
  idWhere?: Where;
  mode: 'tcp' | 'http';
  disabled: boolean;
  description?: string;
  binds: BindModel[];
  servers: ServerModel[];
  /** `default-server` options. */
  defaultServer: Record<string, unknown>;
  defaultBackend?: { readonly name: string; readonly where: Where };
  balance?: BalanceModel;
  hashType?: HashTypeModel;
  hashBalanceFactor?: number;
  /** timeout client/server/connect/check/queue/http-keep-alive/http-request/tunnel/tarpit/client-fin/server-fin. */
  timeouts: Record<string, number>;
  /** Options by name without the "option " prefix ("redispatch", "abortonclose", ...). */
  options: Record<string, OptionModel>;
  /** option httpclose / http-server-close / http-keep-alive: one setting, the last one wins. */
  httpConnectionMode?: 'httpclose' | 'http-server-close' | 'http-keep-alive';
  /** option redispatch [<interval>]: -1 = on the last retry. */
  redispatchInterval?: number;
  forwardFor?: ForwardedHeaderModel;
  originalTo?: ForwardedHeaderModel;
  /** option http-restrict-req-hdr-names. */
  restrictReqHdrNames?: 'preserve' | 'delete' | 'reject';
  maxconn?: number;
  backlog?: number;
  fullconn?: number;
  retries?: number;
  /** retry-on: the failures that are retried. */
  retryOn?: string[];
  /** rate-limit sessions (per second). */
  rateLimitSessions?: number;
  clientKeepAlive: TcpKeepAliveModel;
  serverKeepAlive: TcpKeepAliveModel;
  source?: SourceModel;
  /** `dispatch <address>`: the single server of a backend without servers. */
  dispatch?: { readonly where: Where; readonly address: AddressModel };
  /** persist rdp-cookie[(name)]. */
  persistRdpCookie?: string;
  httpReuse?: 'never' | 'safe' | 'aggressive' | 'always';
  /** http-send-name-header (lower case). */
  sendNameHeader?: string;
  maxKeepAliveQueue?: number;
  monitorUri?: string;
  loadServerStateFromFile?: { readonly from: 'global' | 'local' | 'none'; readonly where: Where };
  /** server-state-file-name: the file name, the proxy's name for "use-backend-name". */
  serverStateFileName?: string;
  cookie?: CookieModel;
  dynamicCookieKey?: string;
  captures: {
    cookie?: { readonly name: string; readonly length: number; readonly where: Where };
    readonly requestHeaders: { readonly name: string; readonly length: number; readonly where: Where }[];
    readonly responseHeaders: { readonly name: string; readonly length: number; readonly where: Where }[];
  };
  compression: { algorithms: string[]; types: string[]; offload: boolean };
  filters: FilterModel[];
  emailAlert?: { from?: string; to?: string; mailers?: string; myhostname?: string; level?: string };
  errorMessages: ErrorMessageModel[];
  logs: LogTargetModel[];
  logFormat?: LogFormatModel;
  logFormatSd?: FormatStringModel;
  errorLogFormat?: FormatStringModel;
  logTag?: string;
  uniqueIdFormat?: FormatStringModel;
  uniqueIdHeader?: string;
  /** `transparent` / `option transparent`. */
  transparent?: boolean;
  /** Undocumented `max-session-srv-conns`. */
  maxSessionSrvConns?: number;
  acls: AclModel[];
  /** Every rule of every ruleset, in the order written. */
  rules: RuleModel[];
  /** Health checks (option httpchk, tcp-check, ...): filled by sections/proxy/checks.ts. */
  healthCheck?: HealthCheckModel;
  /** stats enable/uri/auth/...: filled by sections/proxy/stats.ts. */
  stats?: ProxyStatsModel;
  /** stick-table: filled by sections/proxy/stick-table.ts. */
  stickTable?: StickTableModel;
  /** Settings without a typed field yet, by keyword, last value wins. */
  settings: Record<string, readonly string[]>;
}
