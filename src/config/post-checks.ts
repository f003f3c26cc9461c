/**
 * Checks that need the whole configuration, run after the last line (HAProxy's
 * check_config_validity): references between sections, missing timeouts, ... One file per
 * area under config/checks/, each exporting its checks in the order HAProxy reports them.
 */
import { globalChecks } from './checks/global.js';
import { healthCheckChecks } from './checks/health-checks.js';
import { proxyChecks } from './checks/proxy.js';
import { ruleChecks } from './checks/rules.js';
import { sampleChecks } from './checks/samples.js';
import { sectionChecks } from './checks/sections.js';
import { serverChecks } from './checks/servers.js';
import { statsChecks } from './checks/stats.js';
import { stickTableChecks } from './checks/stick-tables.js';
import type { PostCheck } from './checks/types.js';

export type { PostCheck };

export const postChecks: readonly PostCheck[] = [
  ...globalChecks,
  // HAProxy resolves sample references (tables, backends, servers, regexes) before the rest.
  ...sampleChecks,
  ...proxyChecks,
  ...serverChecks,
  ...healthCheckChecks,
  ...statsChecks,
  ...stickTableChecks,
  ...ruleChecks,
  ...sectionChecks,
];
