/**
 * Run time of the client connection's address fetches (configuration.txt 7.3.3): src,
 * src_port, dst, dst_port. They read the addresses a PROXY header carried when there was one,
 * else the socket's. A client on a unix socket has no address: no sample, as in HAProxy; nor
 * does a port 0.
 */
import { parseIpv4, parseIpv6 } from '../addr.js';
import type { EnvAddress, FetchCompiler, FetchFn, Sample } from '../types.js';

function addressSample(a: EnvAddress | undefined, smp: Sample): boolean {
  if (a === undefined) return false;
  if (a.family === 'ipv4') {
    const n = parseIpv4(a.address);
    if (n < 0) return false;
    smp.type = 'ipv4';
    smp.num = n;
    return true;
  }
  const b = parseIpv6(a.address);
  if (!b) return false;
  smp.type = 'ipv6';
  smp.bytes = b;
  return true;
}

function portSample(a: EnvAddress | undefined, smp: Sample): boolean {
  if (a === undefined || a.port === 0) return false;
  smp.type = 'sint';
  smp.num = a.port;
  return true;
}

const src: FetchFn = (env, smp) => addressSample(env.srcAddr(), smp);
const srcPort: FetchFn = (env, smp) => portSample(env.srcAddr(), smp);
const dst: FetchFn = (env, smp) => addressSample(env.dstAddr(), smp);
const dstPort: FetchFn = (env, smp) => portSample(env.dstAddr(), smp);

export const smpFetchSrc: FetchCompiler = () => src;
export const smpFetchSrcPort: FetchCompiler = () => srcPort;
export const smpFetchDst: FetchCompiler = () => dst;
export const smpFetchDstPort: FetchCompiler = () => dstPort;
