/**
 * Every proxy keyword row (defaults, frontend, backend, listen), gathered from one file per
 * area of configuration.txt 4.2, and the messages for unknown members of keyword families.
 * Each area file exports `rows` and, if it has keyword families ("option", "timeout", ...),
 * `families(table)` to register their "unknown member" messages.
 */
import type { KeywordRow, KeywordTable } from '../../keywords.js';
import type { ProxyModel } from '../../model/proxy.js';
import * as acl from './acl.js';
import * as bind from './bind.js';
import * as checks from './checks.js';
import * as core from './core.js';
import * as logging from './logging.js';
import * as misc from './misc.js';
import * as options from './options.js';
import * as rules from './rules.js';
import * as server from './server.js';
import * as stats from './stats.js';
import * as stickTable from './stick-table.js';
import * as timeouts from './timeouts.js';

interface Area {
  readonly rows: readonly KeywordRow<ProxyModel>[];
  readonly families?: (table: KeywordTable<ProxyModel>) => void;
}

const AREAS: readonly Area[] = [core, timeouts, options, misc, logging, stats, checks, stickTable, bind, server, acl, rules];

export const proxyRows: KeywordRow<ProxyModel>[] = AREAS.flatMap((a) => a.rows);

/** Registers the messages for "timeout foo", "option foo", ... (called once on the table). */
export function setupProxyFamilies(table: KeywordTable<ProxyModel>): void {
  for (const a of AREAS) a.families?.(table);
}
