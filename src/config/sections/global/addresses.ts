/**
 * Address handling shared by the global section and the small sections (log targets, peers,
 * nameservers, mailers, stats socket): HAProxy's wording of address errors and hostname
 * resolution after the last line.
 */
import { parseAddress, type AddressResult, type AddressRules } from '../../address.js';
import type { KeywordContext } from '../../keywords.js';
import type { Mutable } from '../../load-state.js';
import type { AddressModel } from '../../model/address.js';

/**
 * HAProxy's address parser (str2sa_range) ends some of its messages with a newline, which
 * shows as an empty line after the alert; the others have none. Reproduced here since
 * config/address.ts returns the text without it.
 */
export function addressError(err: string): string {
  if (/^(file descriptor |invalid character |[a-z]+-type address not acceptable|invalid address: |socket path .* too long)/.test(err)) return `${err}\n`;
  return err;
}

/** Longest UNIX socket path HAProxy accepts for a listener or a log target (108 - ".XXXXX.tmp" - 1). */
export const MAX_UNIX_PATH = 97;

/**
 * parseAddress() with the limits HAProxy applies on top: a UNIX socket path longer than
 * MAX_UNIX_PATH is refused with "socket path '...' too long (max 97)".
 */
export function parseAddressChecked(text: string, rules: AddressRules, opts: { emptyUnixPath?: boolean } = {}): AddressResult {
  const unix = /^(?:(?:stream|dgram)\+)?(?:unix@|uxst@|uxdg@)(.*)$/s.exec(text);
  const path = unix ? unix[1]! : text.startsWith('/') ? text : undefined;
  if (path !== undefined) {
    if (Buffer.byteLength(path, 'latin1') > MAX_UNIX_PATH) return { error: `socket path '${path}' too long (max ${MAX_UNIX_PATH})` };
    if (path === '' && opts.emptyUnixPath) {
      return { address: { raw: text, family: 'unix', socket: rules.defaultSocket, path: '' } };
    }
  }
  return parseAddress(text, rules);
}

/**
 * Schedules the resolution of an address given by name (HAProxy resolves it while parsing; the
 * loader does it once the last line is read). `failure` is the whole message to report.
 */
export function resolveLater(ctx: KeywordContext<unknown>, address: AddressModel, failure: string, style: 'spaced' | 'bare' = 'spaced'): void {
  if (!address.hostname) return;
  const addr = address as Mutable<AddressModel>;
  const where = ctx.where;
  const load = ctx.load;
  load.resolutions.push({
    where,
    hostname: address.hostname,
    family: address.anyFamily ? 'any' : address.family === 'ipv6' ? 'ipv6' : 'ipv4',
    resolved(ip, family) {
      addr.ip = ip;
      addr.family = family;
    },
    failed() {
      load.diag.alert(where, failure, style);
    },
  });
}
