/**
 * Run time of the buffer fetches (configuration.txt 7.3.5): req.len, req.payload,
 * req.payload_lv, res.len, res.payload, res.payload_lv (and the deprecated names that read
 * either side), wait_end. The request side is the buffer "tcp-request content" rules inspect
 * (SampleEnv.reqData); the response side what a health check received (SampleEnv.resData).
 * Where there is none (tcp-request connection, a stream's response) they find nothing.
 *
 * "May change" (HAProxy's SMP_F_MAY_CHANGE), which lets a rule wait for more data until the
 * inspect delay expires:
 * - req.len always (the buffer may still grow);
 * - a payload not fully received yet, and req.payload(<offset>,0) while the buffer can grow;
 * - wait_end until the evaluation is final.
 * A block that can never fit in a buffer (tune.bufsize, 16384) never matches, at once.
 */
import type { FetchCompiler, FetchFn, SampleArgModel, SampleEnv } from '../types.js';

/** HAProxy's tune.bufsize: no payload beyond it can ever be present. */
export const BUFSIZE = 16384;

function intArg(values: readonly SampleArgModel[], i: number): number {
  const v = values[i];
  return v && v.type === 'sint' ? v.value : 0;
}

const never: FetchFn = () => false;

/** The buffer a fetch reads, and whether it may still grow (an answer may then change). */
interface BufferSide {
  data(env: SampleEnv): Buffer | undefined;
  mayGrow(env: SampleEnv): boolean;
}

const REQUEST: BufferSide = { data: (e) => e.reqData, mayGrow: (e) => e.reqMayGrow };
/** A check's answer is evaluated final (HAProxy's SMP_OPT_FINAL in checks). */
const RESPONSE: BufferSide = { data: (e) => e.resData, mayGrow: () => false };
/** payload(), payload_lv(): the side the rule sees (a check: its response). */
const EITHER: BufferSide = { data: (e) => e.reqData ?? e.resData, mayGrow: (e) => e.reqData !== undefined && e.reqMayGrow };

/** req.len, req_len, res.len: the number of bytes in the buffer. */
const lenFetch = (side: BufferSide): FetchCompiler => () => (env, smp) => {
  const data = side.data(env);
  if (data === undefined) return false;
  smp.type = 'sint';
  smp.num = data.length;
  smp.mayChange = true;
  return true;
};

/**
 * req.payload(<offset>,<length>), payload(): <length> bytes at <offset>; a length of 0 means
 * up to the end of the buffer.
 */
const payloadFetch = (side: BufferSide): FetchCompiler => (values) => {
  const offset = intArg(values, 0);
  const length = intArg(values, 1);
  // HAProxy reads both as unsigned: a negative value is beyond any buffer.
  if (offset < 0 || length < 0 || length > BUFSIZE || offset + length > BUFSIZE) return never;
  return (env, smp) => {
    const data = side.data(env);
    if (data === undefined) return false;
    if (offset + length > data.length) {
      smp.mayChange = true;
      return false;
    }
    smp.type = 'bin';
    smp.bytes = data.subarray(offset, length === 0 ? data.length : offset + length);
    if (length === 0 && side.mayGrow(env)) smp.mayChange = true;
    return true;
  };
};

/**
 * req.payload_lv(<offset1>,<length>[,<offset2>]), payload_lv(): a block whose size is the
 * <length>-byte big-endian number at <offset1>, starting just after it, or at <offset2>
 * (absolute, or relative to that point when written with a sign).
 */
const payloadLvFetch = (side: BufferSide): FetchCompiler => (values) => {
  const lenOffset = intArg(values, 0);
  const lenSize = intArg(values, 1);
  const o2 = values[2]?.type === 'str' ? values[2].value : '';
  const relative = o2.startsWith('+') || o2.startsWith('-');
  const offset2 = o2 === '' ? undefined : Number(o2) || 0;
  return (env, smp) => {
    const data = side.data(env);
    if (data === undefined) return false;
    if (lenOffset < 0 || lenOffset + lenSize > data.length) {
      smp.mayChange = true;
      return false;
    }
    // An unsigned 32-bit size, as HAProxy computes it.
    let size = 0;
    for (let i = 0; i < lenSize; i++) size = (size * 256 + data[lenOffset + i]!) % 0x100000000;
    let start = lenOffset + lenSize;
    if (offset2 !== undefined) start = relative ? start + offset2 : offset2;
    if (size === 0 || start < 0 || size > BUFSIZE || start + size > BUFSIZE) return false;
    if (start + size > data.length) {
      smp.mayChange = true;
      return false;
    }
    smp.type = 'bin';
    smp.bytes = data.subarray(start, start + size);
    return true;
  };
};

export const smpFetchLen = lenFetch(REQUEST);
export const smpFetchPayload = payloadFetch(REQUEST);
export const smpFetchPayloadLv = payloadLvFetch(REQUEST);
export const smpFetchResLen = lenFetch(RESPONSE);
export const smpFetchResPayload = payloadFetch(RESPONSE);
export const smpFetchResPayloadLv = payloadLvFetch(RESPONSE);
export const smpFetchAnyPayload = payloadFetch(EITHER);
export const smpFetchAnyPayloadLv = payloadLvFetch(EITHER);

/** wait_end: true once the evaluation is final (the inspect delay is over); until then, nothing. */
export const smpFetchWaitEnd: FetchCompiler = () => (env, smp) => {
  if (!env.final) {
    smp.mayChange = true;
    return false;
  }
  smp.type = 'bool';
  smp.num = 1;
  return true;
};
