/**
 * The built-in rule lists of the protocol checks (configuration.txt 4.2 "option ldap-check",
 * "mysql-check", "pgsql-check", "redis-check", "smtpchk", "spop-check", "ssl-hello-chk"): one
 * entry per check type, made from the option's arguments. Each list runs on the one engine
 * (engine.ts) as HAProxy runs its "*ldap-check", "*mysql41-check", ... rulesets.
 */
import type { CheckOptionArgs, CheckType } from '../../config/model/check.js';
import type { CheckStep } from '../engine.js';
import { ldapSteps } from './ldap.js';
import { mysqlSteps } from './mysql.js';
import { pgsqlSteps } from './pgsql.js';
import { redisSteps } from './redis.js';
import { smtpSteps } from './smtp.js';
import { spopSteps } from './spop.js';
import { sslHelloSteps } from './ssl-hello.js';

type ProtocolType = Extract<CheckType, 'ldap' | 'mysql' | 'pgsql' | 'redis' | 'smtp' | 'spop' | 'ssl-hello'>;

export const PROTOCOL_CHECKS: Readonly<Record<ProtocolType, (args: CheckOptionArgs) => CheckStep[]>> = {
  ldap: () => ldapSteps(),
  mysql: (a) => mysqlSteps(a.user, a.mysqlVariant),
  pgsql: (a) => pgsqlSteps(a.user ?? ''),
  redis: () => redisSteps(),
  smtp: (a) => smtpSteps(a.smtpCommand ?? 'HELO localhost'),
  spop: () => spopSteps(),
  'ssl-hello': () => sslHelloSteps(),
};

export function isProtocolCheck(type: CheckType): type is ProtocolType {
  return Object.hasOwn(PROTOCOL_CHECKS, type);
}
