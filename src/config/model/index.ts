/** The whole configuration, as the loader hands it to the runtime: plain, frozen data. */
import type { GlobalModel } from './global.js';
import type { ProxyModel } from './proxy.js';
import type {
  CacheModel,
  FcgiAppModel,
  HttpErrorsModel,
  LogForwardModel,
  MailersModel,
  PeersModel,
  ProgramModel,
  ResolversModel,
  RingModel,
  UserlistModel,
} from './sections.js';

export interface ConfigModel {
  /** The files read, in order (HAPROXY_CFGFILES). */
  readonly files: readonly string[];
  readonly global: GlobalModel;
  /** Every defaults section, in order (named or anonymous). */
  readonly defaults: readonly ProxyModel[];
  /** frontend, backend and listen sections, in order. */
  readonly proxies: readonly ProxyModel[];
  readonly userlists: readonly UserlistModel[];
  readonly peers: readonly PeersModel[];
  readonly resolvers: readonly ResolversModel[];
  readonly httpErrors: readonly HttpErrorsModel[];
  readonly mailers: readonly MailersModel[];
  readonly rings: readonly RingModel[];
  readonly programs: readonly ProgramModel[];
  readonly caches: readonly CacheModel[];
  readonly logForwards: readonly LogForwardModel[];
  readonly fcgiApps: readonly FcgiAppModel[];
}

export type { GlobalModel } from './global.js';
export type { ProxyModel, ProxyKind, OptionModel, BalanceModel } from './proxy.js';
export type { BindModel } from './bind.js';
export type { ServerModel } from './server.js';
export type { AddressModel } from './address.js';
export type { RuleModel } from './rules.js';
export type { AclModel, ConditionModel } from './acl.js';
export type { SampleExprModel } from './sample.js';
export type { LogTargetModel } from './log.js';
