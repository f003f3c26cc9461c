/**
 * Sample expressions (configuration.txt 7.3): a fetch followed by converters, e.g.
 * `req.hdr(host),lower,map(hosts.map)`. Plain data: the parsed form a runtime compiles.
 */
import type { SampleUse } from '../../sample/types.js';

/**
 * HAProxy's sample types (SMP_T_*): what a fetch produces and a converter takes or gives.
 * 'addr' is "an IPv4 or IPv6 address"; 'meth' an HTTP method; 'any' accepts everything.
 */
export type SampleTypeName = 'any' | 'bool' | 'sint' | 'addr' | 'ipv4' | 'ipv6' | 'str' | 'bin' | 'meth';

/**
 * One typed argument, as `make_arg_list` reads it (configuration.txt 7.3: "arguments are
 * strongly typed and are checked when the configuration is parsed").
 * - sint: a 64-bit signed integer (saturated, as strtoll does; kept as a JS number);
 * - str: a string after the second-level quote removal;
 * - ipv4/ipv6: an address; msk4/msk6: a netmask, as the dotted or colon form, with the
 *   prefix length when it was given as a number;
 * - be/fe/tab/usr: a backend, frontend, stick table or userlist name, checked once the whole
 *   configuration is read. An empty name means the current proxy (`implicit`: true);
 * - srv: "[<backend>/]<server>";
 * - reg: a regular expression (compiled once the configuration is read);
 * - pbuf: a Protocol Buffers field path ("1.2.3").
 */
export type SampleArgModel =
  | { readonly type: 'sint'; readonly value: number }
  | { readonly type: 'str'; readonly value: string }
  | { readonly type: 'ipv4' | 'ipv6'; readonly value: string }
  | { readonly type: 'msk4' | 'msk6'; readonly value: string; readonly bits?: number }
  | { readonly type: 'be' | 'fe' | 'tab' | 'usr'; readonly value: string; readonly implicit: boolean }
  | { readonly type: 'srv'; readonly value: string; readonly proxy?: string; readonly server: string }
  | { readonly type: 'reg'; readonly value: string }
  | { readonly type: 'pbuf'; readonly value: readonly number[] };

/** A fetch or a converter with its arguments. */
export interface SampleCallModel {
  readonly name: string;
  /** Arguments as written, after the second-level quote removal. */
  readonly args: readonly string[];
  /** The same arguments, typed. */
  readonly values: readonly SampleArgModel[];
}

export interface SampleExprModel {
  /** The expression as written (one configuration word). */
  readonly text: string;
  readonly fetch: SampleCallModel;
  readonly converters: readonly SampleCallModel[];
  /** The type of the final sample (the last converter's output, or the fetch's). */
  readonly type: SampleTypeName;
  /** Where the fetch can be evaluated (the places of `haproxy -dKsmp`). */
  readonly uses: readonly SampleUse[];
}
