/**
 * Every proxy keyword row (defaults, frontend, backend, listen), gathered from one file per
 * area of configuration.txt 4.2, and the messages for unknown members of keyword families.
 */
import type { KeywordRow, KeywordTable } from '../../keywords.js';
import type { ProxyModel } from '../../model/proxy.js';
import { bindRows } from './bind.js';
import { coreRows } from './core.js';
import { serverRows } from './server.js';
import { timeoutRows, timeoutFamily } from './timeouts.js';

export const proxyRows: KeywordRow<ProxyModel>[] = [...coreRows, ...timeoutRows, ...bindRows, ...serverRows];

/** Messages for "timeout foo", "option foo", ... (called once on the proxy table). */
export function setupProxyFamilies(table: KeywordTable<ProxyModel>): void {
  table.onUnknownMember('timeout', timeoutFamily);
}
