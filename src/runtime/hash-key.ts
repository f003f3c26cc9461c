/**
 * The key of `balance hash <expr>` (configuration.txt 4.2 "balance"; HAProxy's
 * get_server_expr): the expression on the stream as a binary sample, hashed with the
 * backend's `hash-type` function and modifier. No sample gives no key: the algorithm then
 * takes the next server in turn, as HAProxy falls back.
 */
import type { SampleExprModel } from '../config/model/sample.js';
import type { KeyHasher } from '../lb/hash.js';
import { compileSampleExpr } from '../sample/compile.js';
import { castSample, newSample } from '../sample/convert.js';
import type { SampleEnv } from '../sample/types.js';

export function compileHashKey(expr: SampleExprModel, hasher: KeyHasher): (env: SampleEnv) => number | undefined {
  const run = compileSampleExpr(expr);
  const smp = newSample();
  return (env) => {
    smp.mayChange = false;
    return run(env, smp) && castSample(smp, 'bin') ? hasher.bytes(smp.bytes) : undefined;
  };
}
