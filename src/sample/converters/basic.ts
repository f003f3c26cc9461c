/**
 * Run time of a first set of converters (configuration.txt 7.3.1): hex, hex2i, lower, upper,
 * length (strings and bytes), bool, not, odd, even, neg, cpl (integers). Each gets its input
 * already cast to the row's input type and rewrites the sample in place; case changes are
 * ASCII only, as HAProxy's tolower()/toupper() in the C locale.
 */
import { int64Of } from '../convert.js';
import type { ConverterCompiler, ConverterFn } from '../types.js';

const HEX = '0123456789ABCDEF';

const hex: ConverterFn = (smp) => {
  const b = smp.bytes;
  let out = '';
  for (let i = 0; i < b.length; i++) out += HEX[b[i]! >> 4]! + HEX[b[i]! & 15]!;
  smp.type = 'str';
  smp.bytes = Buffer.from(out, 'latin1');
  return true;
};

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** hex2i: hexadecimal digits as a signed 64-bit integer (wrapping); any other character fails. */
const hex2i: ConverterFn = (smp) => {
  const b = smp.bytes;
  let n = 0n;
  for (let i = 0; i < b.length; i++) {
    const d = hexDigit(b[i]!);
    if (d < 0) return false;
    n = (n << 4n) | BigInt(d);
  }
  smp.type = 'sint';
  smp.num = Number(BigInt.asIntN(64, n));
  return true;
};

function changeCase(from: number, to: number): ConverterFn {
  return (smp) => {
    const b = smp.bytes;
    let copy: Buffer | undefined;
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      if (c >= from && c <= to) {
        copy ??= Buffer.from(b);
        copy[i] = c ^ 0x20;
      }
    }
    // Samples are views of buffers they must not change: a copy when something differs.
    if (copy) smp.bytes = copy;
    smp.type = 'str';
    return true;
  };
}

const length: ConverterFn = (smp) => {
  smp.num = smp.bytes.length;
  smp.type = 'sint';
  return true;
};

function intToBool(test: (n: number) => boolean): ConverterFn {
  return (smp) => {
    smp.num = test(smp.num) ? 1 : 0;
    smp.type = 'bool';
    return true;
  };
}

const neg: ConverterFn = (smp) => {
  smp.num = -smp.num;
  smp.type = 'sint';
  return true;
};

const cpl: ConverterFn = (smp) => {
  smp.num = Number(~int64Of(smp.num));
  smp.type = 'sint';
  return true;
};

const compiled = (fn: ConverterFn): ConverterCompiler => () => fn;

export const sampleConvHex = compiled(hex);
export const sampleConvHex2i = compiled(hex2i);
export const sampleConvLower = compiled(changeCase(0x41, 0x5a));
export const sampleConvUpper = compiled(changeCase(0x61, 0x7a));
export const sampleConvLength = compiled(length);
export const sampleConvBool = compiled(intToBool((n) => n !== 0));
export const sampleConvNot = compiled(intToBool((n) => n === 0));
export const sampleConvOdd = compiled(intToBool((n) => (n & 1) === 1));
export const sampleConvEven = compiled(intToBool((n) => (n & 1) === 0));
export const sampleConvNeg = compiled(neg);
export const sampleConvCpl = compiled(cpl);
