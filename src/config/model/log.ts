/** A `log` target (configuration.txt 3.1 / 4.2 "log"). */
import type { Where } from '../types.js';
import type { AddressModel } from './address.js';

export interface LogTargetModel {
  readonly where: Where;
  /** `log global` in a proxy: use the global section's targets. */
  readonly global?: boolean;
  /** Address, or 'stdout' / 'stderr', or 'ring@<name>'. */
  readonly target?: AddressModel | { readonly special: 'stdout' | 'stderr' } | { readonly ring: string };
  readonly length?: number;
  readonly format?: 'local' | 'rfc3164' | 'rfc5424' | 'priority' | 'short' | 'timed' | 'iso' | 'raw';
  readonly sample?: { readonly ranges: string; readonly size: number };
  readonly facility?: string;
  readonly level?: string;
  readonly minLevel?: string;
}
