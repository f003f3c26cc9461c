/**
 * Match methods (configuration.txt 7.1.3, "-m <method>"), the sample types each one accepts,
 * and the method an ACL uses when none is forced (7.1: "the default matching method depends
 * on the output type of the sample expression"). Each row names its run-time implementation
 * (match.ts).
 */
import type { MatchMethod } from '../config/model/acl.js';
import { patMatchBeg, patMatchBin, patMatchBool, patMatchDir, patMatchDom, patMatchEnd, patMatchFound, patMatchInt, patMatchIp, patMatchLen, patMatchReg, patMatchStr, patMatchSub } from './match.js';
import type { MatcherRow, SampleType } from './types.js';

export const matcherRows: readonly MatcherRow[] = [
  { name: 'found', status: 'supported', run: patMatchFound, input: 'any', patterns: 'found', summary: 'True when the sample exists, whatever its value; patterns are ignored.' },
  { name: 'bool', status: 'supported', run: patMatchBool, input: 'sint', patterns: 'bool', summary: 'True when the sample, read as a boolean or integer, is not zero; patterns are ignored.' },
  { name: 'int', status: 'supported', run: patMatchInt, input: 'sint', patterns: 'int', summary: 'Integer equal to a value or within a range (a:b, :b, a:, eq/ge/gt/le/lt operators).' },
  { name: 'ip', status: 'supported', run: patMatchIp, input: 'addr', patterns: 'ip', summary: 'IPv4 or IPv6 address within a network (address/mask or address/prefix length).' },
  { name: 'bin', status: 'supported', run: patMatchBin, input: 'bin', patterns: 'bin', summary: 'Binary sample equal to bytes given in hexadecimal.' },
  { name: 'len', status: 'supported', run: patMatchLen, input: 'str', patterns: 'len', summary: 'Length of the string sample equal to a value or within a range.' },
  { name: 'str', status: 'supported', run: patMatchStr, input: 'str', patterns: 'str', summary: 'Exact string match (-i ignores case).' },
  { name: 'sub', status: 'supported', run: patMatchSub, input: 'str', patterns: 'sub', summary: 'The pattern appears anywhere in the string.' },
  { name: 'reg', status: 'supported', run: patMatchReg, input: 'str', patterns: 'reg', summary: 'The string matches a regular expression (PCRE syntax, translated to JavaScript).' },
  { name: 'beg', status: 'supported', run: patMatchBeg, input: 'str', patterns: 'beg', summary: 'The string begins with the pattern.' },
  { name: 'end', status: 'supported', run: patMatchEnd, input: 'str', patterns: 'end', summary: 'The string ends with the pattern.' },
  { name: 'dir', status: 'supported', run: patMatchDir, input: 'str', patterns: 'dir', summary: 'The pattern is one of the slash-delimited parts of the string.' },
  { name: 'dom', status: 'supported', run: patMatchDom, input: 'str', patterns: 'dom', summary: 'The pattern is one of the dot-delimited parts of the string (a domain label sequence).' },
];

const BY_NAME = new Map<string, MatcherRow>(matcherRows.map((m) => [m.name, m]));

export function findMatcher(name: string): MatcherRow | undefined {
  return BY_NAME.get(name);
}

/**
 * Which of the matchers' input types a sample type can be cast to (HAProxy's sample_casts,
 * checked by experiment on 2.6: e.g. a boolean cannot be read as an address, an IPv6 address
 * or a binary block cannot be read as an integer).
 */
const CASTS: Record<SampleType, readonly MatcherRow['input'][]> = {
  any: ['sint', 'addr', 'bin', 'str'],
  bool: ['sint', 'bin', 'str'],
  sint: ['sint', 'addr', 'bin', 'str'],
  addr: ['sint', 'addr', 'bin', 'str'],
  ipv4: ['sint', 'addr', 'bin', 'str'],
  ipv6: ['addr', 'bin', 'str'],
  str: ['sint', 'addr', 'bin', 'str'],
  bin: ['bin', 'str'],
  meth: ['bin', 'str'],
};

/** True when "-m <matcher>" may be used on a sample of type `type`. */
export function matcherAccepts(matcher: MatcherRow, type: SampleType): boolean {
  return matcher.input === 'any' || CASTS[type].includes(matcher.input);
}

/**
 * The method used when neither the ACL keyword nor "-m" gives one. Binary, method and "any"
 * samples have none: HAProxy then requires "-m".
 */
export function defaultMatcher(type: SampleType): MatchMethod | undefined {
  switch (type) {
    case 'bool':
      return 'bool';
    case 'sint':
      return 'int';
    case 'addr':
    case 'ipv4':
    case 'ipv6':
      return 'ip';
    case 'str':
      return 'str';
    default:
      return undefined;
  }
}
