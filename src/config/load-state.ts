/**
 * The configuration while it is being read: the model under construction, the environment,
 * the messages, and the work left for after the last line (hostname resolution, checks of
 * references between sections).
 */
import type { Diagnostics } from './diagnostics.js';
import type { ConfigEnvironment } from './environment.js';
import type { GlobalModel } from './model/global.js';
import type { ProxyModel } from './model/proxy.js';
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
} from './model/sections.js';
import type { Where } from './types.js';

/** What the command line says about loading (management.txt 3). */
export interface LoadOptions {
  /** -c: check only. Keywords that do not run yet are warnings instead of alerts. */
  readonly checkOnly: boolean;
  /** -dD: show diagnostic messages. */
  readonly diagnostics: boolean;
  /** -L: the local peer name (defaults to the host name). */
  readonly localPeer: string;
  /** -L was given (then `localpeer` in the configuration does not override it). */
  readonly localPeerFromCli?: boolean;
  /** -W / -Ws was given (master-worker mode without the `master-worker` keyword). */
  readonly masterWorker?: boolean;
  /** -dr: ignore server address resolution failures. */
  readonly ignoreResolveFailures: boolean;
  /** -dV: disable TLS verification of servers. */
  readonly noServerVerify: boolean;
  /** -n: global maxconn override. */
  readonly maxconn?: number;
  /** -N: default per-proxy maxconn. */
  readonly defaultProxyMaxconn?: number;
}

/** A hostname to resolve once parsing is over (getaddrinfo is asynchronous in Node). */
export interface PendingResolution {
  readonly where: Where;
  readonly hostname: string;
  readonly family: 'ipv4' | 'ipv6' | 'any';
  /** Records the answer in the model. */
  resolved(ip: string, family: 'ipv4' | 'ipv6'): void;
  /** Reports a failure (an alert, or nothing when the statement allows it). */
  failed(): void;
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class LoadState {
  readonly files: string[] = [];
  readonly defaults: ProxyModel[] = [];
  readonly proxies: ProxyModel[] = [];
  readonly userlists: UserlistModel[] = [];
  readonly peers: PeersModel[] = [];
  readonly resolvers: ResolversModel[] = [];
  readonly httpErrors: HttpErrorsModel[] = [];
  readonly mailers: MailersModel[] = [];
  readonly rings: RingModel[] = [];
  readonly programs: ProgramModel[] = [];
  readonly caches: CacheModel[] = [];
  readonly logForwards: LogForwardModel[] = [];
  readonly fcgiApps: FcgiAppModel[] = [];
  /** The defaults section that new proxies inherit from: the last one read. */
  lastDefaults?: ProxyModel;
  /** Hostnames to resolve after the last line. */
  readonly resolutions: PendingResolution[] = [];
  /**
   * Checks that need the whole configuration (a backend named before it is declared, ...),
   * run in order after the last line, before resolution.
   */
  readonly deferred: (() => void)[] = [];
  /** Set by a keyword parser whose error stops all reading (HAProxy's ERR_ABORT). */
  abortRequested = false;
  /** Where each keyword that may appear once was first seen, per section object. */
  readonly seen = new WeakMap<object, Map<string, Where>>();

  constructor(
    readonly env: ConfigEnvironment,
    readonly diag: Diagnostics,
    readonly options: LoadOptions,
    readonly global: GlobalModel,
  ) {}

  /** Every proxy-like section with this name (frontend, backend, listen, defaults). */
  findProxy(name: string): ProxyModel | undefined {
    return this.proxies.find((p) => p.name === name);
  }
}

export function newGlobalModel(): GlobalModel {
  return {
    daemon: false,
    masterWorker: false,
    quiet: false,
    zeroWarning: false,
    statsSockets: [],
    logs: [],
    settings: {},
  };
}
