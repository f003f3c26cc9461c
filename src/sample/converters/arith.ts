/**
 * Run time of the operators whose operand is an integer or a variable (configuration.txt
 * 7.3.1 "add", "sub", "mul", "div", "mod", "and", "or", "xor"), as HAProxy's sample.c computes
 * them on signed 64-bit integers: add, sub and mul saturate at the limits; a division by 0
 * gives the largest integer, a modulo by 0 gives 0. A variable operand without a value (or
 * whose value cannot be read as an integer) fails the conversion.
 */
import { castSample, int64Of, newSample, readInt64 } from '../convert.js';
import type { ConverterCompiler, ConverterFn, SampleArgModel, SampleEnv } from '../types.js';
import { storeOf, varRef } from '../var-ref.js';
import { isVarName } from '../vars.js';

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

const clamp = (n: bigint): number => Number(n < MIN ? MIN : n > MAX ? MAX : n);

/** The operand: a constant, or a variable read at each evaluation (undefined: no value). */
function operandOf(values: readonly SampleArgModel[]): (env: SampleEnv) => bigint | undefined {
  const text = values[0]?.type === 'str' ? values[0].value : values[0]?.type === 'sint' ? String(values[0].value) : '';
  if (!isVarName(text)) {
    const n = BigInt(readInt64(Buffer.from(text, 'latin1')));
    return () => n;
  }
  const ref = varRef(text);
  const tmp = newSample();
  return (env) => {
    if (!storeOf(env, ref)?.get(ref.name, tmp) || !castSample(tmp, 'sint')) return undefined;
    return int64Of(tmp.num);
  };
}

function operator(op: (a: bigint, b: bigint) => bigint): ConverterCompiler {
  return (values) => {
    const operand = operandOf(values);
    const fn: ConverterFn = (smp, env) => {
      const b = operand(env);
      if (b === undefined) return false;
      smp.num = clamp(op(int64Of(smp.num), b));
      smp.type = 'sint';
      return true;
    };
    return fn;
  };
}

export const sampleConvAdd = operator((a, b) => a + b);
export const sampleConvSub = operator((a, b) => a - b);
export const sampleConvMul = operator((a, b) => a * b);
export const sampleConvDiv = operator((a, b) => (b === 0n ? MAX : a === MIN && b === -1n ? MAX : a / b));
export const sampleConvMod = operator((a, b) => (b === 0n ? 0n : a === MIN && b === -1n ? 0n : a % b));
export const sampleConvAnd = operator((a, b) => BigInt.asIntN(64, a & b));
export const sampleConvOr = operator((a, b) => BigInt.asIntN(64, a | b));
export const sampleConvXor = operator((a, b) => BigInt.asIntN(64, a ^ b));
