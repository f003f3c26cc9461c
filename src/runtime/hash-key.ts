/**
 * The keys of the hash algorithms that read the stream (configuration.txt 4.2 "balance"),
 * hashed with the backend's `hash-type` function and modifier. No key: the algorithm then
 * takes the next server in turn, as HAProxy falls back.
 *
 * - `balance hash <expr>` (HAProxy's get_server_expr): the expression as a binary sample;
 * - `balance rdp-cookie[(<name>)]` (get_server_rch): the value of the RDP cookie in the
 *   request buffer, when it is complete and not empty.
 */
import type { SampleExprModel } from '../config/model/sample.js';
import type { KeyHasher } from '../lb/hash.js';
import { compileSampleAs } from '../sample/compile.js';
import { rdpCookie } from '../sample/fetches/rdp.js';
import type { SampleEnv } from '../sample/types.js';

export function compileHashKey(expr: SampleExprModel, hasher: KeyHasher): (env: SampleEnv) => number | undefined {
  const key = compileSampleAs(expr, 'bin');
  return (env) => {
    const smp = key(env);
    return smp ? hasher.bytes(smp.bytes) : undefined;
  };
}

export function compileRdpCookieKey(name: string, hasher: KeyHasher): (env: SampleEnv) => number | undefined {
  const wanted = Buffer.from(name, 'latin1');
  return (env) => {
    const data = env.reqData;
    if (data === undefined) return undefined;
    const c = rdpCookie(data, wanted);
    return typeof c === 'string' || c.value.length === 0 ? undefined : hasher.bytes(c.value);
  };
}
