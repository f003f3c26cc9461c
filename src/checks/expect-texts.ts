/**
 * The texts and code an expect rule gives its outcome (configuration.txt 4.2 "tcp-check
 * expect" / "http-check expect": on-success, on-error, status-code), compiled once and
 * evaluated in the check's environment when the rule fails, or when it ends a check that
 * passed (HAProxy's tcpcheck_expect_onerror_message / tcpcheck_expect_onsuccess_message).
 *
 * status-code is evaluated as a string, then read as an integer, as HAProxy does: an
 * expression without a sample, or whose text has no leading number, leaves the code alone.
 */
import type { CheckExpectRule } from '../config/model/check.js';
import type { SampleExprModel } from '../config/model/sample.js';
import { compileSampleAs } from '../sample/compile.js';
import { castSample } from '../sample/convert.js';
import type { SampleEnv } from '../sample/types.js';
import { compileCheckFormat, type CheckText } from './check-format.js';

export interface ExpectTexts {
  /** on-error: the info text of a failure (absent: the rule has none). */
  readonly onError?: CheckText;
  /** on-success: the info text of a success ending the check (absent: none). */
  readonly onSuccess?: CheckText;
  /** status-code: the code to report (undefined: keep the one found). */
  readonly statusCode?: (env: SampleEnv) => number | undefined;
}

export function compileStatusCode(expr: SampleExprModel): (env: SampleEnv) => number | undefined {
  const text = compileSampleAs(expr, 'str');
  return (env) => {
    const smp = text(env);
    return smp && castSample(smp, 'sint') ? smp.num : undefined;
  };
}

export function expectTexts(rule: CheckExpectRule): ExpectTexts {
  return {
    ...(rule.onError ? { onError: compileCheckFormat(rule.onError) } : {}),
    ...(rule.onSuccess ? { onSuccess: compileCheckFormat(rule.onSuccess) } : {}),
    ...(rule.statusCode ? { statusCode: compileStatusCode(rule.statusCode) } : {}),
  };
}
