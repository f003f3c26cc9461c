/** The statistics page of a proxy (configuration.txt 4.2 "stats ..."). Types only. */
import type { Where } from '../types.js';
import type { ConditionModel } from './acl.js';

/** `stats http-request <action> [...] [if|unless <cond>]`: who may see the page. */
export interface StatsHttpRequestRuleModel {
  readonly where: Where;
  /** allow, deny, auth, or another http-request action. */
  readonly action: string;
  /** auth: `realm`; deny: `status`, ...; other actions: their words as written. */
  readonly args: Readonly<Record<string, unknown>>;
  readonly condition?: ConditionModel;
}

export interface ProxyStatsModel {
  /** Every stats keyword enables the page. */
  readonly enabled: boolean;
  /** URI prefix; HAProxy's default is "/haproxy?stats". */
  readonly uri: string;
  /** Basic-auth realm; default "HAProxy Statistics". */
  readonly realm?: string;
  /** `stats auth user:password` accounts, in order. */
  readonly auth: readonly { readonly user: string; readonly password: string; readonly where: Where }[];
  /** `stats scope`: proxies shown ("." is the proxy itself); empty: all. */
  readonly scope: readonly string[];
  /** Suggested refresh delay (ms). */
  readonly refresh?: number;
  readonly hideVersion: boolean;
  readonly showLegends: boolean;
  readonly showModules: boolean;
  /** `stats show-node [<name>]`: shown, with this name or the global node name. */
  readonly showNode?: { readonly name?: string };
  /** `stats show-desc [<desc>]`: shown, with this text or the global description. */
  readonly showDesc?: { readonly desc?: string };
  /** `stats admin if|unless <cond>`: when the page allows changing servers' states. */
  readonly admin: readonly { readonly where: Where; readonly condition: ConditionModel }[];
  readonly httpRequest: readonly StatsHttpRequestRuleModel[];
}
