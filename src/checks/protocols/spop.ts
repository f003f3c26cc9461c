/**
 * `option spop-check` (configuration.txt 4.2; SPOE's doc/SPOE.txt): a HAPROXY-HELLO frame with
 * "healthcheck" set, and an AGENT-HELLO is expected. HAProxy's list:
 *   send-binary: the frame below (78 bytes after its 4-byte length)
 *   expect custom min-recv 4 (tcpcheck_spop_expect_agenthello): the frame must be a valid
 *     AGENT-HELLO (version 2.0, a max-frame-size, no fragmentation); otherwise "Layer7 invalid
 *     response" with SPOE's reason ("invalid frame received", "unsupported version", ...).
 * A good answer reports "SPOA server is ok" itself, then the list's end reports once more
 * (counted twice towards `rise`, as HAProxy).
 */
import type { CheckStep } from '../engine.js';
import type { ExpectVerdict } from '../expect-tcp.js';
import { customExpectStep, expectRule, sendStep } from './rules.js';

/** SPOE frame types, data types and flags. */
const HAPROXY_HELLO = 1;
const AGENT_HELLO = 101;
const AGENT_DISCONNECT = 102;
const FLAG_FIN = 0x00000001;
const T_BOOL = 1;
const T_INT32 = 2;
const T_UINT32 = 3;
const T_INT64 = 4;
const T_UINT64 = 5;
const T_IPV4 = 6;
const T_IPV6 = 7;
const T_STR = 8;
const T_BIN = 9;
const FL_TRUE = 0x10;

/** tune.bufsize - 4: the largest frame HAProxy accepts. */
const MAX_FRAME_SIZE = 16384 - 4;
const MIN_FRAME_SIZE = 256;

/** SPOE's error reasons, by status code. */
const REASONS: Readonly<Record<number, string>> = {
  0: 'normal',
  1: 'I/O error',
  2: 'a timeout occurred',
  3: 'frame is too big',
  4: 'invalid frame received',
  5: 'version value not found',
  6: 'max-frame-size value not found',
  7: 'capabilities value not found',
  8: 'unsupported version',
  9: 'max-frame-size too big or too small',
  10: 'fragmentation not supported',
  11: 'invalid interlaced frames',
  12: 'frame-id not found',
  13: 'resource allocation error',
  99: 'an unknown error occurred',
};
const INVALID = 4;
const NO_VSN = 5;
const NO_FRAME_SIZE = 6;
const BAD_VSN = 8;
const BAD_FRAME_SIZE = 9;
const FRAG_NOT_SUPPORTED = 10;
const UNKNOWN = 99;

/** SPOE's variable-length integer. */
export function encodeVarint(n: number): Buffer {
  if (n < 240) return Buffer.from([n]);
  const out = [(n & 0xff) | 240];
  n = Math.floor((n - 240) / 16);
  while (n >= 128) {
    out.push((n & 0xff) | 128);
    n = Math.floor((n - 128) / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/** Decodes a varint at `p`: the value and the position after it, or undefined past `end`. */
function decodeVarint(b: Buffer, p: number, end: number): { value: number; next: number } | undefined {
  if (p >= end) return undefined;
  let value = b[p++]!;
  if (value < 240) return { value, next: p };
  let shift = 4;
  for (;;) {
    if (p >= end) return undefined;
    const byte = b[p++]!;
    value += byte * 2 ** shift;
    shift += 7;
    if (byte < 128) return { value, next: p };
  }
}

const encodeString = (s: string): Buffer => {
  const bytes = Buffer.from(s, 'latin1');
  return bytes.length === 0 ? Buffer.from([0]) : Buffer.concat([encodeVarint(bytes.length), bytes]);
};

/** HAProxy's health-check HELLO frame, with its length in front. */
export function spopHelloFrame(): Buffer {
  const flags = Buffer.alloc(4);
  flags.writeUInt32BE(FLAG_FIN);
  const frame = Buffer.concat([
    Buffer.from([HAPROXY_HELLO]),
    flags,
    Buffer.from([0, 0]), // stream-id, frame-id
    encodeString('supported-versions'),
    Buffer.from([T_STR]),
    encodeString('2.0'),
    encodeString('max-frame-size'),
    Buffer.from([T_UINT32]),
    encodeVarint(MAX_FRAME_SIZE),
    encodeString('capabilities'),
    Buffer.from([T_STR]),
    encodeString(''),
    encodeString('healthcheck'),
    Buffer.from([T_BOOL | FL_TRUE]),
  ]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(frame.length);
  return Buffer.concat([len, frame]);
}

/** A buffer (varint length + bytes) at `p`, or undefined when it does not fit. */
function decodeBuffer(b: Buffer, p: number, end: number): { bytes: Buffer; next: number } | undefined {
  const v = decodeVarint(b, p, end);
  if (!v || v.next + v.value > end) return undefined;
  return { bytes: b.subarray(v.next, v.next + v.value), next: v.next + v.value };
}

/** Skips a typed value at `p` (spoe_skip_data); undefined on error. */
function skipData(b: Buffer, p: number, end: number): number | undefined {
  if (p >= end) return undefined;
  const type = b[p++]! & 0x0f;
  switch (type) {
    case T_INT32:
    case T_INT64:
    case T_UINT32:
    case T_UINT64:
      return decodeVarint(b, p, end)?.next;
    case T_IPV4:
      return p + 4 > end ? undefined : p + 4;
    case T_IPV6:
      return p + 16 > end ? undefined : p + 16;
    case T_STR:
    case T_BIN:
      return decodeBuffer(b, p, end)?.next;
    default:
      return p;
  }
}

/** "MAJOR.MINOR" to MAJOR * 1000 + MINOR, -1 when malformed (spoe_str_to_vsn). */
function versionOf(s: string): number {
  const m = /^\s*([0-9]+)\.([0-9]+)\s*$/.exec(s);
  if (!m) return -1;
  const maj = Number(m[1]);
  const min = Number(m[2]);
  if (maj === 0 || min > 999) return -1;
  return maj * 1000 + min;
}

const isInt = (t: number): boolean => t === T_INT32 || t === T_INT64 || t === T_UINT32 || t === T_UINT64;
const startsWith = (key: Buffer, name: string): boolean => key.length >= name.length && key.subarray(0, name.length).toString('latin1') === name;

/** The frame's type, flags and ids: an error code, or where the items start. */
function frameHead(f: Buffer, type: number): number | { error: number } {
  if (f[0] !== type || f.length < 7) return { error: INVALID };
  if (!(f.readUInt32BE(1) & FLAG_FIN)) return { error: FRAG_NOT_SUPPORTED };
  if (f[5] !== 0 || f[6] !== 0) return { error: INVALID };
  return 7;
}

/** An AGENT-HELLO's items (spoe_handle_agenthello_frame): 0 when good, else SPOE's status. */
function agentHello(f: Buffer): number {
  const head = frameHead(f, AGENT_HELLO);
  if (typeof head !== 'number') return head.error;
  const end = f.length;
  let p = head;
  let vsn = 0;
  let maxFrameSize = 0;
  while (p < end) {
    const key = decodeBuffer(f, p, end);
    if (!key || key.bytes.length === 0) return INVALID;
    p = key.next;
    if (startsWith(key.bytes, 'version')) {
      if (((f[p++] ?? 0) & 0x0f) !== T_STR) return INVALID;
      const v = decodeBuffer(f, p, end);
      if (!v) return INVALID;
      p = v.next;
      vsn = versionOf(v.bytes.toString('latin1'));
      if (vsn !== 2000) return BAD_VSN;
    } else if (startsWith(key.bytes, 'max-frame-size')) {
      if (!isInt((f[p++] ?? 0) & 0x0f)) return INVALID;
      const v = decodeVarint(f, p, end);
      if (!v) return INVALID;
      p = v.next;
      if (v.value < MIN_FRAME_SIZE || v.value > MAX_FRAME_SIZE) return BAD_FRAME_SIZE;
      maxFrameSize = v.value;
    } else if (startsWith(key.bytes, 'capabilities')) {
      if (((f[p++] ?? 0) & 0x0f) !== T_STR) return INVALID;
      const v = decodeBuffer(f, p, end);
      if (!v) return INVALID;
      p = v.next;
    } else {
      const next = skipData(f, p, end);
      if (next === undefined) return INVALID;
      p = next;
    }
  }
  if (!vsn) return NO_VSN;
  if (!maxFrameSize) return NO_FRAME_SIZE;
  return 0;
}

/** An AGENT-DISCONNECT (spoe_handle_agentdiscon_frame): the status it carries, or an error. */
function agentDisconnect(f: Buffer): number {
  const head = frameHead(f, AGENT_DISCONNECT);
  if (typeof head !== 'number') return head.error;
  const end = f.length;
  let p = head;
  let status = 0;
  while (p < end) {
    const key = decodeBuffer(f, p, end);
    if (!key || key.bytes.length === 0) return INVALID;
    p = key.next;
    if (startsWith(key.bytes, 'status-code')) {
      if (!isInt((f[p++] ?? 0) & 0x0f)) return INVALID;
      const v = decodeVarint(f, p, end);
      if (!v) return INVALID;
      p = v.next;
      status = v.value;
    } else if (startsWith(key.bytes, 'message')) {
      if (((f[p++] ?? 0) & 0x0f) !== T_STR) return INVALID;
      const v = decodeBuffer(f, p, end);
      if (!v || v.bytes.length > 255) return INVALID;
      p = v.next;
    } else {
      const next = skipData(f, p, end);
      if (next === undefined) return INVALID;
      p = next;
    }
  }
  return status;
}

/** The reason SPOE gives for a frame it refuses, or undefined for a good AGENT-HELLO. */
export function spopHelloError(frame: Buffer): string | undefined {
  let status: number;
  if (frame[0] === AGENT_DISCONNECT) {
    status = agentDisconnect(frame);
  } else {
    status = agentHello(frame);
    if (status === 0) return undefined;
  }
  if (status >= 100) status = UNKNOWN;
  return REASONS[status] ?? REASONS[UNKNOWN]!;
}

/** HAProxy's tcpcheck_spop_expect_agenthello. */
export function spopAgentHello(b: Buffer, lastRead: boolean): ExpectVerdict {
  const size = b.length >= 4 ? b.readUInt32BE(0) : 0;
  if (!lastRead && b.length < 4 + size) return { kind: 'wait' };
  const reason = spopHelloError(b.subarray(4, 4 + size));
  if (reason !== undefined) return { kind: 'fail', outcome: { status: 'L7RSP', desc: reason } };
  return { kind: 'next', code: 0, report: { status: 'L7OK', desc: 'SPOA server is ok', code: 0 } };
}

export function spopSteps(): CheckStep[] {
  return [sendStep(0, spopHelloFrame()), customExpectStep(expectRule(1, { match: 'custom', minRecv: 4 }), spopAgentHello)];
}
