/**
 * The smaller sections: userlist, peers, resolvers, http-errors, mailers, ring, program, cache,
 * log-forward, fcgi-app (configuration.txt 3.4-3.10, 5.3.2, 6, 10). Plain data; times in
 * milliseconds, sizes in bytes.
 */
import type { Where } from '../types.js';
import type { AddressModel } from './address.js';
import type { BindModel } from './bind.js';
import type { LogTargetModel } from './log.js';
import type { ServerModel } from './server.js';
import type { StickTableModel } from './stick-table.js';

/** What every named section has. Each section type adds its own fields. */
export interface NamedSectionModel {
  readonly where: Where;
  readonly name: string;
}

export interface UserlistUserModel {
  readonly name: string;
  readonly where: Where;
  /** crypt(3) hash, or the clear text when `insecure`. */
  password?: string;
  insecure?: boolean;
  /** Group names as given on the `user` line (checked after the last line). */
  groups: string[];
}

export interface UserlistGroupModel {
  readonly name: string;
  readonly where: Where;
  /** User names as given on the `group` line (checked after the last line). */
  users: string[];
}

export interface UserlistModel extends NamedSectionModel {
  readonly groups: UserlistGroupModel[];
  readonly users: UserlistUserModel[];
}

export interface PeerModel {
  readonly where: Where;
  readonly name: string;
  /** Absent on a `server` line without address (the local peer in the new syntax). */
  readonly address?: AddressModel;
  /** This peer is the local process (its name is the local peer name). */
  readonly local: boolean;
  /** Declared with `server` rather than `peer`. */
  readonly viaServer: boolean;
  /** Server options of `server` lines (default-server merged in). */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** A `table` line of a peers section: a stick table (kept for code written before this alias). */
export type PeersTableModel = StickTableModel;

export interface PeersModel extends NamedSectionModel {
  disabled: boolean;
  readonly peers: PeerModel[];
  /** `bind` lines (the local peer's listening address in the new syntax). */
  readonly binds: BindModel[];
  defaultBind: Readonly<Record<string, unknown>>;
  defaultServer: Readonly<Record<string, unknown>>;
  /** `table` lines; `name` is the table's name in the section (referenced as "<peers>/<name>"). */
  readonly tables: StickTableModel[];
  readonly logs: LogTargetModel[];
  shards?: number;
}

export interface ResolversModel extends NamedSectionModel {
  readonly nameservers: { readonly where: Where; readonly name: string; readonly address: AddressModel }[];
  parseResolvConf?: Where;
  acceptedPayloadSize?: number;
  resolveRetries?: number;
  /** `timeout resolve` / `timeout retry`. */
  readonly timeouts: { resolve?: number; retry?: number };
  /** `hold <status> <period>`: nx, other, refused, timeout, valid, obsolete. */
  readonly hold: Record<string, number>;
}

export interface HttpErrorsModel extends NamedSectionModel {
  /** By status code: the file named and its contents (read while parsing, as HAProxy does). */
  readonly errorfiles: { readonly where: Where; readonly status: number; readonly file: string; readonly content: string }[];
}

export interface MailersModel extends NamedSectionModel {
  readonly mailers: { readonly where: Where; readonly name: string; readonly address: AddressModel }[];
  /** `timeout mail` (ms), default 10s. */
  timeoutMail?: number;
}

export interface RingModel extends NamedSectionModel {
  description?: string;
  format?: string;
  maxlen?: number;
  size?: number;
  readonly timeouts: { connect?: number; server?: number };
  readonly servers: ServerModel[];
}

export interface ProgramModel extends NamedSectionModel {
  /** The command and its arguments. */
  command?: readonly string[];
  user?: string;
  group?: string;
  uid?: number;
  gid?: number;
  /** `option start-on-reload` / `no option start-on-reload`. */
  startOnReload?: boolean;
}

export interface CacheModel extends NamedSectionModel {
  /** `total-max-size` in bytes (given in megabytes). */
  totalMaxSize?: number;
  maxObjectSize?: number;
  /** `max-age` in seconds (default 60). */
  maxAge?: number;
  processVary?: boolean;
  maxSecondaryEntries?: number;
}

export interface LogForwardModel extends NamedSectionModel {
  readonly binds: BindModel[];
  readonly dgramBinds: BindModel[];
  readonly logs: LogTargetModel[];
  maxconn?: number;
  backlog?: number;
  timeoutClient?: number;
}

export interface FcgiAppModel extends NamedSectionModel {
  docroot?: string;
  index?: string;
  /** `path-info <regex>`. */
  pathInfo?: string;
  readonly options: Record<string, boolean>;
  maxReqs?: number;
  /** `log-stderr` targets. */
  readonly logStderr: (LogTargetModel | { readonly global: true; readonly where: Where })[];
  readonly passHeaders: { readonly where: Where; readonly name: string; readonly cond?: string }[];
  readonly setParams: { readonly where: Where; readonly name: string; readonly format: string; readonly cond?: string }[];
}
