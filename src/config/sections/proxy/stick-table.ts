/** Proxy keywords: stick-table (configuration.txt 4.2). Rows are added by the work on this area. */
import type { KeywordRow } from '../../keywords.js';
import type { ProxyModel } from '../../model/proxy.js';

export const rows: KeywordRow<ProxyModel>[] = [];
