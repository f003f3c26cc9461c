/**
 * The RDP cookie of a request buffer (configuration.txt 7.3.5 "req.rdp_cookie", 4.2 "balance
 * rdp-cookie"): HAProxy's fetch_rdp_cookie_name, byte for byte. The X.224 connection request
 * of an RDP client carries "Cookie: <name>=<value>\r\n" after its first 11 bytes; the name is
 * compared without case, any name matches when none is asked for.
 *
 *   'short'  the buffer may still become a cookie (HAProxy's SMP_F_MAY_CHANGE)
 *   'none'   it is not one
 */
import type { FetchCompiler, Sample, SampleArgModel, SampleEnv } from '../types.js';

export type RdpCookie = { readonly value: Buffer } | 'short' | 'none';

const COOKIE = Buffer.from('cookie:', 'latin1');
const CR = 0x0d;
const LF = 0x0a;

function lowerEquals(data: Buffer, at: number, want: Buffer): boolean {
  for (let i = 0; i < want.length; i++) {
    let c = data[at + i]!;
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    let w = want[i]!;
    if (w >= 0x41 && w <= 0x5a) w |= 0x20;
    if (c !== w) return false;
  }
  return true;
}

/** The cookie `name` (any when empty) in `data`. */
export function rdpCookie(data: Buffer, name: Buffer): RdpCookie {
  let left = data.length;
  if (left <= 11) return 'short';
  let p = 11;
  left -= 11;
  if (left <= 7) return 'short';
  if (!lowerEquals(data, p, COOKIE)) return 'none';
  p += 7;
  left -= 7;
  while (left > 0 && data[p] === 0x20) {
    p++;
    left--;
  }
  if (name.length > 0) {
    if (left <= name.length) return 'short';
    if (data[p + name.length] !== 0x3d || !lowerEquals(data, p, name)) return 'none';
    p += name.length + 1;
    left -= name.length + 1;
  } else {
    while (left > 0 && data[p] !== 0x3d) {
      if (data[p] === CR || data[p] === LF) return 'none';
      p++;
      left--;
    }
    if (left < 1) return 'short';
    p++;
    left--;
  }
  const start = p;
  while (left > 0 && data[p] !== CR) {
    p++;
    left--;
  }
  if (left < 2) return 'short';
  if (data[p + 1] !== LF) return 'none';
  return { value: data.subarray(start, p) };
}

const nameOf = (values: readonly SampleArgModel[]): Buffer => Buffer.from(values[0]?.type === 'str' ? values[0].value : '', 'latin1');

/**
 * The cookie `name` in the stream's request buffer, as both fetches read it: undefined without
 * a buffer; 'short' also marks the sample as one that may still change.
 */
function cookieOf(env: SampleEnv, smp: Sample, name: Buffer): RdpCookie | undefined {
  const data = env.reqData;
  if (data === undefined) return undefined;
  const c = rdpCookie(data, name);
  if (c === 'short') smp.mayChange = true;
  return c;
}

/** req.rdp_cookie([<name>]), rdp_cookie(). */
export const smpFetchRdpCookie: FetchCompiler = (values) => {
  const name = nameOf(values);
  return (env, smp) => {
    const c = cookieOf(env, smp, name);
    if (c === undefined || typeof c === 'string') return false;
    smp.type = 'str';
    smp.bytes = c.value;
    return true;
  };
};

/** req.rdp_cookie_cnt([<name>]), rdp_cookie_cnt(): 1 or 0, nothing while it may still change. */
export const smpFetchRdpCookieCount: FetchCompiler = (values) => {
  const name = nameOf(values);
  return (env, smp) => {
    const c = cookieOf(env, smp, name);
    if (c === undefined || c === 'short') return false;
    smp.type = 'sint';
    smp.num = c === 'none' ? 0 : 1;
    return true;
  };
};
