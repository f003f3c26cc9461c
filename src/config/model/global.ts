/**
 * The global section (configuration.txt 3). Fields are filled by the global keyword tables
 * (config/sections/global*.ts). Times are in milliseconds, sizes in bytes.
 */
import type { Where } from '../types.js';
import type { BindModel } from './bind.js';
import type { LogTargetModel } from './log.js';

export interface StatsSocketModel {
  readonly where: Where;
  /** The listening address with its bind options (mode, level, user, ...). */
  readonly bind: BindModel;
}

export interface GlobalModel {
  daemon: boolean;
  /** master-worker (`master-worker` keyword or -W). */
  masterWorker: boolean;
  pidfile?: string;
  /** Process-wide connection limit. */
  maxconn?: number;
  nbthread?: number;
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
  statsSockets: StatsSocketModel[];
  /** `stats timeout` (ms): idle timeout of runtime API connections. Default 10s. */
  statsTimeout?: number;
  /** `stats maxconn`: concurrent runtime API connections. Default 10. */
  statsMaxconn?: number;
  hardStopAfter?: number;
  logs: LogTargetModel[];
  logTag?: string;
  /** Settings without a typed field yet, by keyword (tune.*, ssl-*, ...), last value wins. */
  settings: Record<string, readonly string[]>;
}
