/**
 * The actions HAProxy 2.6 lists when a rule names an unknown one, per rule set, in its order
 * (the order in which its modules register them, which differs between rule sets). A "(*)"
 * marks a prefix action ("set-var(*)"). These lists are facts taken from haproxy 2.6.12's
 * messages; a unit test checks that the action table and these lists agree.
 *
 * The Debian build includes the OpenTracing filter, hence "ot-group".
 */
import type { RuleSet } from './types.js';

const SC = ["sc-inc-gpc(*)", "sc-inc-gpc0(*)", "sc-inc-gpc1(*)", "sc-set-gpt(*)", "sc-set-gpt0(*)"];
const VARS = ['set-var-fmt(*)', 'set-var(*)', 'unset-var(*)'];

export const LISTING: Readonly<Record<RuleSet, readonly string[]>> = {
  'http-request': [
    'wait-for-handshake', 'ot-group', 'set-log-level', 'set-nice', 'use-service', ...SC, 'send-spoe-group',
    'do-resolve(*)', 'cache-use', 'add-acl(*)', 'add-header', 'allow', 'auth', 'capture', 'del-acl(*)', 'del-header',
    'del-map(*)', 'deny', 'disable-l7-retry', 'early-hint', 'normalize-uri', 'redirect', 'reject', 'replace-header',
    'replace-path', 'replace-pathq', 'replace-uri', 'replace-value', 'return', 'set-header', 'set-map(*)', 'set-method',
    'set-path', 'set-pathq', 'set-query', 'set-uri', 'strict-mode', 'tarpit', 'track-sc(*)', 'set-timeout',
    'wait-for-body', ...VARS, 'set-dst', 'set-dst-port', 'set-mark', 'set-src', 'set-src-port', 'set-tos', 'silent-drop',
    'set-priority-class', 'set-priority-offset',
  ],
  'http-response': [
    'ot-group', 'set-log-level', 'set-nice', ...SC, 'send-spoe-group', 'cache-store', 'add-acl(*)', 'add-header', 'allow',
    'capture', 'del-acl(*)', 'del-header', 'del-map(*)', 'deny', 'redirect', 'replace-header', 'replace-value', 'return',
    'set-header', 'set-map(*)', 'set-status', 'strict-mode', 'track-sc(*)', 'wait-for-body', ...VARS, 'set-mark', 'set-tos',
    'silent-drop',
  ],
  'http-after-response': [
    'ot-group', 'add-header', 'allow', 'capture', 'del-header', 'replace-header', 'replace-value', 'set-header',
    'set-status', 'strict-mode', ...VARS,
  ],
  'tcp-request connection': [
    ...SC, ...VARS, 'set-dst', 'set-dst-port', 'set-mark', 'set-src', 'set-src-port', 'set-tos', 'silent-drop',
  ],
  'tcp-request session': [
    ...SC, ...VARS, 'set-dst', 'set-dst-port', 'set-mark', 'set-src', 'set-src-port', 'set-tos', 'silent-drop',
  ],
  'tcp-request content': [
    'ot-group', 'set-log-level', 'set-nice', 'switch-mode', 'use-service', ...SC, 'send-spoe-group', 'do-resolve(*)', ...VARS,
    'set-src', 'set-src-port', 'set-dst', 'set-dst-port', 'set-mark', 'set-tos', 'silent-drop', 'set-priority-class',
    'set-priority-offset',
  ],
  'tcp-response content': [
    'ot-group', 'set-log-level', 'set-nice', ...SC, 'send-spoe-group', ...VARS, 'set-mark', 'set-tos', 'silent-drop',
  ],
};

/**
 * Actions HAProxy's tcp rule parsers handle before looking at the registered ones, in the
 * order of their messages ("'tcp-request content' expects 'accept', 'reject', ...").
 */
export const TCP_REQUEST_BUILTINS = ['accept', 'reject', 'capture', 'expect-proxy', 'expect-netscaler-cip'] as const;
export const TCP_RESPONSE_BUILTINS = ['accept', 'close', 'reject'] as const;

/** Extra words "did you mean" compares with, after the registered actions. */
export const TCP_REQUEST_EXTRA = ['accept', 'reject', 'capture', 'track-sc', 'expect-proxy', 'expect-netscaler-cip'];
export const TCP_RESPONSE_EXTRA = ['accept', 'reject', 'close'];

/** The list as HAProxy prints it: "'a', 'b(*)', 'c'". */
export function formatListing(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}
