/**
 * The global section (configuration.txt 3). Fields are filled by the global keyword tables
 * (config/sections/global/*.ts). Times are in milliseconds, sizes in bytes.
 * Fields added after the first version are optional: they are created when their keyword is
 * first read.
 */
import type { Where } from '../types.js';
import type { BindModel } from './bind.js';
import type { LogTargetModel } from './log.js';

export interface StatsSocketModel {
  readonly where: Where;
  /** The listening address with its bind options (mode, level, user, ...). */
  readonly bind: BindModel;
}

/** A value of a tuning knob kept by keyword name (`tune.bufsize` → 16384). */
export type TuneValue = number | string | boolean;

/** `cpu-map [auto:]<group>[/<threads>] <cpus>...`, as sets of numbers. */
export interface CpuMapModel {
  readonly where: Where;
  readonly auto: boolean;
  /** Thread groups (1-based). */
  readonly groups: readonly number[];
  /** Threads (1-based); every thread when absent. */
  readonly threads?: readonly number[];
  readonly cpus: readonly number[];
}

/** `ssl-default-{bind,server}-options`: the TLS settings new bind/server lines start from. */
export interface SslDefaultOptionsModel {
  /** Flags set: no-sslv3, no-tlsv10, ..., force-tlsv12, no-tls-tickets, prefer-client-ciphers. */
  readonly flags: readonly string[];
  readonly minVersion?: string;
  readonly maxVersion?: string;
}

/** `set-var` / `set-var-fmt` in the global section: evaluated once at startup. */
export interface GlobalVarModel {
  readonly where: Where;
  /** "proc.<name>". */
  readonly name: string;
  readonly kind: 'expr' | 'fmt';
  /** The sample expression or log-format text as written. */
  readonly text: string;
}

export interface GlobalModel {
  daemon: boolean;
  /** master-worker (`master-worker` keyword or -W). */
  masterWorker: boolean;
  /** `master-worker no-exit-on-failure`. */
  masterWorkerNoExitOnFailure?: boolean;
  pidfile?: string;
  /** Process-wide connection limit. */
  maxconn?: number;
  nbthread?: number;
  threadGroups?: number;
  uid?: number;
  gid?: number;
  user?: string;
  group?: string;
  chroot?: string;
  description?: string;
  node?: string;
  localpeer?: string;
  quiet: boolean;
  zeroWarning: boolean;
  /** `expose-experimental-directives` was read (experimental keywords allowed after it). */
  exposeExperimental?: boolean;
  statsSockets: StatsSocketModel[];
  /** `stats timeout` (ms): idle timeout of runtime API connections. Default 10s. */
  statsTimeout?: number;
  /** `stats maxconn`: concurrent runtime API connections. Default 10. */
  statsMaxconn?: number;
  hardStopAfter?: number;
  grace?: number;
  closeSpreadTime?: number | 'infinite';
  logs: LogTargetModel[];
  logTag?: string;
  /** `log-send-hostname [<name>]`: the name, or true for the system host name. */
  logSendHostname?: string | true;
  /** `default-path`: how relative file names are resolved. */
  defaultPath?: { readonly mode: 'current' | 'config' | 'parent' | 'origin'; readonly origin?: string };
  caBase?: string;
  crtBase?: string;
  issuersChainPath?: string;
  serverStateBase?: string;
  serverStateFile?: string;
  ulimitN?: number;
  fdHardLimit?: number;
  clusterSecret?: string;
  cpuMaps?: CpuMapModel[];
  /** `unix-bind`: defaults for unix socket listeners. */
  unixBind?: { prefix?: string; mode?: number; uid?: number; gid?: number };
  /** `h1-case-adjust <from> <to>` pairs, by lower-case name. */
  h1CaseAdjust?: Record<string, string>;
  h1CaseAdjustFile?: { readonly where: Where; readonly file: string };
  httpclient?: { resolversId?: string; resolversPrefer?: 'ipv4' | 'ipv6'; sslCaFile?: string; sslVerify?: 'none' | 'required'; where?: Record<string, Where> };
  ssl?: {
    defaultBindCiphers?: string;
    defaultBindCiphersuites?: string;
    defaultBindCurves?: string;
    defaultBindOptions?: SslDefaultOptionsModel;
    defaultServerCiphers?: string;
    defaultServerCiphersuites?: string;
    defaultServerOptions?: SslDefaultOptionsModel;
    dhParamFile?: string;
    propquery?: string;
    providers?: string[];
    providerPath?: string;
    loadExtraDelExt?: boolean;
    loadExtraFiles?: string[];
    serverVerify?: 'none' | 'required';
    skipSelfIssuedCa?: boolean;
    modeAsync?: boolean;
  };
  lua?: {
    loads: { readonly where: Where; readonly file: string; readonly args: readonly string[]; readonly perThread: boolean }[];
    prependPaths: { readonly path: string; readonly type: 'path' | 'cpath' }[];
  };
  setVars?: GlobalVarModel[];
  /** Boolean process switches: external-check, insecure-fork-wanted, strict-limits, noepoll, ... */
  flags?: Record<string, boolean>;
  /** Tuning knobs and limits by keyword (tune.*, maxconnrate, spread-checks, ...). */
  tune?: Record<string, TuneValue>;
  /** Settings without a typed field, by keyword (unused by the global tables; kept for others). */
  settings: Record<string, readonly string[]>;
}
