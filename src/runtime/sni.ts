/**
 * A server's `sni <expr>` (configuration.txt 5.2 "sni"), evaluated for each connection as
 * HAProxy's connect_server does: the expression as a string, up to its first NUL byte; no
 * sample, or an empty one, sends no SNI.
 */
import type { SampleExprModel } from '../config/model/sample.js';
import { compileSampleAs, cText } from '../sample/compile.js';
import type { SampleEnv } from '../sample/types.js';

export function compileSni(expr: SampleExprModel): (env: SampleEnv) => string | undefined {
  const text = compileSampleAs(expr, 'str');
  return (env) => {
    const smp = text(env);
    const name = smp ? cText(smp) : '';
    return name === '' ? undefined : name;
  };
}
