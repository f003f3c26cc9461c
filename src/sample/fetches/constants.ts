/**
 * Run time of the constant fetches (configuration.txt 7.3.2): always_true, always_false, int,
 * str, bin, bool, ipv4, ipv6. Their value is computed once, at startup.
 */
import { parseIpv4, parseIpv6 } from '../addr.js';
import type { FetchCompiler, SampleArgModel } from '../types.js';

function strArg(values: readonly SampleArgModel[]): string {
  const v = values[0];
  return v && 'value' in v && typeof v.value === 'string' ? v.value : '';
}

function boolean(value: boolean): FetchCompiler {
  const n = value ? 1 : 0;
  return () => (_env, smp) => {
    smp.type = 'bool';
    smp.num = n;
    return true;
  };
}

export const smpFetchTrue = boolean(true);
export const smpFetchFalse = boolean(false);

/** int(<integer>) */
export const smpFetchConstInt: FetchCompiler = (values) => {
  const n = values[0]?.type === 'sint' ? values[0].value : 0;
  return (_env, smp) => {
    smp.type = 'sint';
    smp.num = n;
    return true;
  };
};

/** str(<string>) */
export const smpFetchConstStr: FetchCompiler = (values) => {
  const bytes = Buffer.from(strArg(values), 'latin1');
  return (_env, smp) => {
    smp.type = 'str';
    smp.bytes = bytes;
    return true;
  };
};

/** bin(<hex>): the validator made sure of an even number of hex digits. */
export const smpFetchConstBin: FetchCompiler = (values) => {
  const bytes = Buffer.from(strArg(values), 'hex');
  return (_env, smp) => {
    smp.type = 'bin';
    smp.bytes = bytes;
    return true;
  };
};

/** bool(<true|false|1|0>) */
export const smpFetchConstBool: FetchCompiler = (values) => {
  const s = strArg(values);
  const n = s === 'true' || s === '1' ? 1 : 0;
  return (_env, smp) => {
    smp.type = 'bool';
    smp.num = n;
    return true;
  };
};

/** ipv4(<address>) */
export const smpFetchConstIpv4: FetchCompiler = (values) => {
  const n = parseIpv4(strArg(values));
  return (_env, smp) => {
    if (n < 0) return false;
    smp.type = 'ipv4';
    smp.num = n;
    return true;
  };
};

/** ipv6(<address>) */
export const smpFetchConstIpv6: FetchCompiler = (values) => {
  const b = parseIpv6(strArg(values));
  return (_env, smp) => {
    if (!b) return false;
    smp.type = 'ipv6';
    smp.bytes = b;
    return true;
  };
};
