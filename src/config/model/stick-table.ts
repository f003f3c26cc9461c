/** A stick table (configuration.txt 4.2 "stick-table", 3.5 "table" in peers sections). Types only. */
import type { Where } from '../types.js';

/** Key types of stick tables. */
export type StickTableKeyType = 'ip' | 'ipv6' | 'integer' | 'string' | 'binary';

/**
 * One stored data type. `period` (ms) is the measuring period of the *_rate types; `count` is
 * the size of the gpc / gpc_rate / gpt arrays.
 */
export interface StickTableDataModel {
  readonly name: string;
  readonly count?: number;
  readonly period?: number;
}

export interface StickTableModel {
  readonly where: Where;
  /** The table's name: the proxy's name (or "<peers>/<table>" for a peers section table). */
  readonly name: string;
  readonly type: StickTableKeyType;
  /** string: at most this many characters (32 by default); binary: block size (32 by default). */
  readonly keyLength?: number;
  /** Maximum number of entries. */
  readonly size: number;
  /** ms; absent: entries only leave when the table is full. */
  readonly expire?: number;
  readonly nopurge: boolean;
  /** Peers section that replicates the table. */
  readonly peers?: string;
  /** How servers are identified in the table (srvkey): their name (default) or address. */
  readonly srvkey: 'name' | 'addr';
  /** Stored data types, in the order declared. */
  readonly store: readonly StickTableDataModel[];
}
