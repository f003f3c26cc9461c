/**
 * A server's `sni <expr>` (configuration.txt 5.2 "sni"), evaluated for each connection as
 * HAProxy's connect_server does: the expression as a string, up to its first NUL byte; no
 * sample, or an empty one, sends no SNI.
 */
import type { SampleExprModel } from '../config/model/sample.js';
import { compileSampleExpr } from '../sample/compile.js';
import { castSample, newSample } from '../sample/convert.js';
import type { SampleEnv } from '../sample/types.js';

export function compileSni(expr: SampleExprModel): (env: SampleEnv) => string | undefined {
  const run = compileSampleExpr(expr);
  const smp = newSample();
  return (env) => {
    smp.mayChange = false;
    if (!run(env, smp) || !castSample(smp, 'str')) return undefined;
    const b = smp.bytes;
    const nul = b.indexOf(0);
    const name = (nul < 0 ? b : b.subarray(0, nul)).toString('latin1');
    return name === '' ? undefined : name;
  };
}
