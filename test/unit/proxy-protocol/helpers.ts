/** Builders of raw PROXY headers for the tests (independent of the module's own builders). */
import assert from 'node:assert/strict';
import { parseProxyHeader } from '../../../src/net/proxy-protocol.js';
import type { ProxyError, ProxyHeader } from '../../../src/net/proxy-protocol.js';

export const SIG = '0d0a0d0a000d0a515549540a';
const h16 = (n: number): string => n.toString(16).padStart(4, '0');

/** A TLV in hex. */
export function tlv(type: number, valueHex: string): string {
  return type.toString(16).padStart(2, '0') + h16(valueHex.length / 2) + valueHex;
}

/** A v2 header: version/command byte, family byte, body; the length field from the body unless given. */
export function v2(verCmd: number, fam: number, bodyHex: string, len?: number): Buffer {
  return Buffer.from(SIG + verCmd.toString(16).padStart(2, '0') + fam.toString(16).padStart(2, '0') + h16(len ?? bodyHex.length / 2) + bodyHex, 'hex');
}

/** 1.2.3.4:1000 -> 5.6.7.8:2000 */
export const IP4 = '01020304' + '05060708' + '03e8' + '07d0';
/** [2001:db8::1]:1000 -> [2001:db8::2]:2000 */
export const IP6 = '20010db8000000000000000000000001' + '20010db8000000000000000000000002' + '03e8' + '07d0';

export const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

export function accept(input: Buffer | string): { header: ProxyHeader; length: number } {
  const r = parseProxyHeader(typeof input === 'string' ? latin1(input) : input);
  assert.ok('header' in r, `expected a header, got ${JSON.stringify(r)}`);
  return r;
}

export function refuse(input: Buffer | string): ProxyError {
  const r = parseProxyHeader(typeof input === 'string' ? latin1(input) : input);
  assert.ok('code' in r, `expected an error, got ${JSON.stringify(r)}`);
  return r;
}

export function need(input: Buffer | string): number {
  const r = parseProxyHeader(typeof input === 'string' ? latin1(input) : input);
  assert.ok('need' in r, `expected "need", got ${JSON.stringify(r)}`);
  return r.need;
}

/** "a:p b:q" as the logs would show the header's addresses. */
export function addrs(h: ProxyHeader): string {
  return `${h.src?.address}:${h.src?.port} ${h.dst?.address}:${h.dst?.port}`;
}
