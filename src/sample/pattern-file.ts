/**
 * Map files (configuration.txt 7.3.1 "map"): one "<key> <value>" per line, '#' comments and
 * blank lines ignored, the value being the rest of the line. Read when the configuration is
 * parsed, as HAProxy does: a missing file or a key or value that does not parse for the map's
 * match and output types is an error, worded as HAProxy words it. Relative paths are relative
 * to the working directory.
 */
import { usePatternFile } from '../acl/pattern-files.js';
import type { LoadState } from '../config/load-state.js';
import { isIPv4, isIPv6, readInt64 } from './args.js';
import { pcreSyntaxError, regexErrorText } from './regex.js';

/** How keys are matched (map_<match>): the key must parse for it. */
export type PatternMatch = 'str' | 'beg' | 'sub' | 'dir' | 'dom' | 'end' | 'reg' | 'regm' | 'int' | 'ip';
/** What values are (map_<match>_<output>). */
export type MapOutput = 'str' | 'int' | 'ip';

export interface MapEntry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

/**
 * Reads a map file through the shared pattern-file registry (acl/pattern-files.ts: one read per
 * file, the same line rules as ACL pattern files, and the one-column/two-column conflicts
 * between ACLs and maps), then checks each value and key as HAProxy does. On error returns
 * HAProxy's message (without the final period).
 */
export function readMapFile(load: LoadState, path: string, match: PatternMatch, output: MapOutput): { entries: MapEntry[] } | { error: string } {
  const r = usePatternFile(load, path, true);
  if ('error' in r) return r;
  const entries: MapEntry[] = [];
  for (const e of r.entries) {
    const key = e.key;
    const value = e.value ?? '';
    if (key === '') continue;
    // HAProxy reads the value before the key.
    if (!mapValueParses(value, output)) return { error: `unable to parse '${value}' at line ${e.line} of file '${path}'` };
    const keyError = checkPatternKey(key, match);
    if (keyError) return { error: `${keyError} at line ${e.line} of file '${path}'` };
    entries.push({ key, value, line: e.line });
  }
  return { entries };
}

/** Checks one pattern for a match method; returns HAProxy's message or undefined. */
export function checkPatternKey(key: string, match: PatternMatch): string | undefined {
  switch (match) {
    case 'int':
      return checkIntRange(key);
    case 'ip':
      return isNetwork(key) ? undefined : `'${key}' is not a valid IPv4 or IPv6 address`;
    case 'reg':
    case 'regm': {
      const e = pcreSyntaxError(key);
      return e ? regexErrorText(key, e) : undefined;
    }
    default:
      return undefined;
  }
}

/** A value for the map's output type: any string, an integer, or an address. */
export function mapValueParses(value: string, output: MapOutput): boolean {
  if (output === 'int') return readInt64(value) !== undefined;
  if (output === 'ip') return isMapAddress(value);
  return true;
}

/**
 * An address value of a map (and the default of map_*_ip): an IPv6 address, or an IPv4
 * address read leniently as HAProxy does (leading zeros allowed, whatever follows the fourth
 * number ignored unless it is a digit or a dot: "1.2.3.4/24", "1.2.3.4:80").
 */
export function isMapAddress(value: string): boolean {
  const m = /^([0-9]+)\.([0-9]+)\.([0-9]+)\.([0-9]+)(?![0-9.])/.exec(value);
  if (m) return m.slice(1, 5).every((p) => Number(p) <= 255);
  return isIPv6(value);
}

/** HAProxy's strl2llrc: an optional '-' then digits (possibly none), within 64 bits. */
function readLongLong(text: string): boolean {
  const m = /^-?([0-9]*)$/.exec(text);
  if (!m || text === '') return false;
  return BigInt(m[1] === '' ? '0' : m[1]!) <= (text.startsWith('-') ? 9223372036854775808n : 9223372036854775807n);
}

/**
 * An integer pattern: "N", or a range with ':' or '-' ("1:5", ":5", "5:", "-5" is "up to 5"),
 * the bounds in order. Messages: "'x' is not a number", "'x' is not a valid number range".
 */
export function checkIntRange(text: string): string | undefined {
  const sep = text.search(/[:-]/);
  if (sep < 0) return readLongLong(text) ? undefined : `'${text}' is not a number`;
  const bad = `'${text}' is not a valid number range`;
  const lo = text.slice(0, sep);
  const hi = text.slice(sep + 1);
  if (sep === 0 && hi !== '') return readLongLong(hi) ? undefined : bad;
  if (hi === '') return readLongLong(lo) ? undefined : bad;
  if (!readLongLong(lo) || !readLongLong(hi)) return bad;
  return BigInt(lo === '-' ? '0' : lo) > BigInt(hi === '-' ? '0' : hi) ? bad : undefined;
}

/** An IPv4 address with an optional /bits or /dotted mask, or an IPv6 one with /bits. */
export function isNetwork(text: string): boolean {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const mask = slash < 0 ? undefined : text.slice(slash + 1);
  if (isIPv4(addr)) return mask === undefined || (/^[0-9]+$/.test(mask) && Number(mask) <= 32) || isIPv4(mask);
  if (isIPv6(addr)) return mask === undefined || (/^[0-9]+$/.test(mask) && Number(mask) <= 128);
  return false;
}
