/**
 * Which sample types can be turned into which (HAProxy's cast matrix, configuration.txt 7.3.1:
 * a converter takes a sample of its input type, the sample being cast when needed). Found by
 * experiment with haproxy 2.6: a converter whose input cannot be reached from the type produced
 * so far is refused ("converter 'neg' cannot be applied").
 */
import type { SampleTypeName } from './types.js';

/** From each type (rows), the input types reachable (every type reaches 'any'). */
const CASTS: Record<SampleTypeName, readonly SampleTypeName[]> = {
  any: ['any', 'bool', 'sint', 'addr', 'ipv4', 'ipv6', 'str', 'bin', 'meth'],
  bool: ['any', 'bool', 'sint', 'str', 'bin'],
  sint: ['any', 'bool', 'sint', 'addr', 'ipv4', 'ipv6', 'str', 'bin'],
  addr: ['any', 'bool', 'sint', 'addr', 'ipv4', 'ipv6', 'str', 'bin'],
  ipv4: ['any', 'sint', 'addr', 'ipv4', 'ipv6', 'str', 'bin'],
  ipv6: ['any', 'addr', 'ipv4', 'ipv6', 'str', 'bin'],
  str: ['any', 'bool', 'sint', 'addr', 'ipv4', 'ipv6', 'str', 'bin', 'meth'],
  bin: ['any', 'str', 'bin', 'meth'],
  meth: ['any', 'str', 'bin', 'meth'],
};

/** True when a sample of type `from` can feed something taking `to`. */
export function canCast(from: SampleTypeName, to: SampleTypeName): boolean {
  return CASTS[from].includes(to);
}
