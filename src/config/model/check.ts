/** Health checks of a backend (configuration.txt 4.2 "option httpchk", "tcp-check", ...). Types only. */
import type { Where } from '../types.js';

/** One step of a check sequence (tcp-check / http-check connect, send, expect, ...). */
export interface CheckRuleModel {
  readonly where: Where;
  /** 'connect', 'send', 'send-lf', 'send-binary', 'expect', 'comment', 'set-var', ... */
  readonly action: string;
  readonly args: Readonly<Record<string, unknown>>;
}

export interface HealthCheckModel {
  /** 'tcp' (plain connect), 'http', 'tcp-check', 'ldap', 'mysql', 'pgsql', 'redis', 'smtp', 'spop', 'ssl-hello', 'external' */
  readonly type: string;
  readonly where: Where;
  readonly args: Readonly<Record<string, unknown>>;
  /** http-check / tcp-check rules, in order. */
  readonly rules: readonly CheckRuleModel[];
}
