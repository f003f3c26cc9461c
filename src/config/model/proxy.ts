/**
 * A proxy: a defaults, frontend, backend or listen section (configuration.txt 4). A new proxy
 * starts as a copy of the defaults section it inherits from, then its own lines apply.
 * Times are in milliseconds.
 */
import type { Where } from '../types.js';
import type { AclModel } from './acl.js';
import type { BindModel } from './bind.js';
import type { HealthCheckModel } from './check.js';
import type { ProxyStatsModel } from './stats.js';
import type { StickTableModel } from './stick-table.js';
import type { LogTargetModel } from './log.js';
import type { RuleModel } from './rules.js';
import type { ServerModel } from './server.js';

export type ProxyKind = 'defaults' | 'frontend' | 'backend' | 'listen';

/** `option <name>` (and `no option <name>`), with whatever arguments the option takes. */
export interface OptionModel {
  readonly where: Where;
  readonly enabled: boolean;
  readonly args?: Readonly<Record<string, unknown>>;
}

export interface BalanceModel {
  /** roundrobin, static-rr, leastconn, first, source, uri, url_param, hdr, random, rdp-cookie */
  readonly algorithm: string;
  /** Algorithm arguments as parsed (uri: whole/len/depth..., hdr: name, random: draws ...). */
  readonly args: Readonly<Record<string, unknown>>;
  readonly where?: Where;
}

export interface HashTypeModel {
  readonly method: 'map-based' | 'consistent';
  readonly function: 'sdbm' | 'djb2' | 'wt6' | 'crc32';
  readonly modifier?: 'avalanche';
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
  /** `id`, or the number HAProxy would assign. */
  id?: number;
  mode: 'tcp' | 'http' | 'log';
  disabled: boolean;
  description?: string;
  binds: BindModel[];
  servers: ServerModel[];
  /** `default-server` options. */
  defaultServer: Record<string, unknown>;
  defaultBackend?: { readonly name: string; readonly where: Where };
  balance?: BalanceModel;
  hashType?: HashTypeModel;
  /** timeout client/server/connect/... by name. */
  timeouts: Record<string, number>;
  /** Options by name ("httplog", "redispatch", ...). */
  options: Record<string, OptionModel>;
  maxconn?: number;
  backlog?: number;
  fullconn?: number;
  retries?: number;
  logs: LogTargetModel[];
  logFormat?: string;
  logTag?: string;
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
