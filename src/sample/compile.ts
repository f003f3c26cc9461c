/**
 * Compiling a parsed sample expression (configuration.txt 7.3, "fetch,conv1,conv2...") into
 * one closure, once, at startup: the fetch and converter rows are looked up here and never on
 * the hot path (DESIGN.md "Extension points are tables").
 *
 *   compileSampleExpr(expr) → (env, smp) => boolean
 *
 * The closure fills `smp` (the caller clears `smp.mayChange` before each call) and returns
 * false when there is no sample: the fetch found nothing, or a cast or converter failed
 * (HAProxy's sample_process). `smp.mayChange` then still says whether trying again later may
 * give one.
 *
 * Only expressions whose fetch and converters all have a run-time implementation compile;
 * sampleNotYet() names the others, for the "not supported yet" message the configuration
 * gives at startup.
 */
import type { SampleExprModel } from '../config/model/sample.js';
import { castSample, newSample } from './convert.js';
import { converterTable } from './converters/index.js';
import { fetchTable } from './fetches/index.js';
import type { ConverterFn, Sample, SampleEnv, SampleTypeName } from './types.js';

export type SampleEval = (env: SampleEnv, smp: Sample) => boolean;

/** The parts of `expr` without a run-time implementation: "sample fetch 'x'", "converter 'y'". */
export function sampleNotYet(expr: SampleExprModel): string[] {
  const out: string[] = [];
  if (!fetchTable.get(expr.fetch.name)?.run) out.push(`sample fetch '${expr.fetch.name}'`);
  for (const c of expr.converters) if (!converterTable.get(c.name)?.run) out.push(`converter '${c.name}'`);
  return out;
}

/** Throws when a part has no implementation: callers check sampleNotYet() at parse time. */
export function compileSampleExpr(expr: SampleExprModel): SampleEval {
  const row = fetchTable.get(expr.fetch.name);
  if (!row?.run) throw new Error(`sample fetch '${expr.fetch.name}' has no run-time implementation`);
  const fetch = row.run(expr.fetch.values, expr.fetch.args);
  if (expr.converters.length === 0) return fetch;
  const steps: { readonly input: SampleTypeName; readonly fn: ConverterFn }[] = expr.converters.map((c) => {
    const crow = converterTable.get(c.name);
    if (!crow?.run) throw new Error(`converter '${c.name}' has no run-time implementation`);
    return { input: crow.in, fn: crow.run(c.values, c.args) };
  });
  return (env, smp) => {
    if (!fetch(env, smp)) return false;
    for (const s of steps) {
      if (!castSample(smp, s.input) || !s.fn(smp, env)) return false;
    }
    return true;
  };
}

/**
 * HAProxy's sample_fetch_as_type: the expression's sample cast to `type`, or undefined when
 * there is none or the cast fails. The sample object is reused by every call (evaluations are
 * synchronous): read it before the next one.
 */
export function compileSampleAs(expr: SampleExprModel, type: SampleTypeName): (env: SampleEnv) => Sample | undefined {
  const run = compileSampleExpr(expr);
  const smp = newSample();
  return (env) => {
    smp.mayChange = false;
    return run(env, smp) && castSample(smp, type) ? smp : undefined;
  };
}

/** A string sample as C code reads it (strlcpy, SSL_set_tlsext_host_name): up to its first NUL byte. */
export function cText(smp: Sample): string {
  const b = smp.bytes;
  const nul = b.indexOf(0);
  return (nul < 0 ? b : b.subarray(0, nul)).toString('latin1');
}
