/** A stick table (configuration.txt 4.2 "stick-table"). Types only. */
import type { Where } from '../types.js';

export interface StickTableModel {
  readonly where: Where;
  /** ip, ipv6, integer, string, binary */
  readonly type: string;
  readonly keyLength?: number;
  readonly size: number;
  readonly expire?: number;
  readonly nopurge?: boolean;
  readonly peers?: string;
  /** Stored data types with their arguments ("http_req_rate(10s)" → name and period). */
  readonly store: readonly { readonly name: string; readonly arg?: string }[];
}
