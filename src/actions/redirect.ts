/**
 * Redirect rules (configuration.txt 4.2, "redirect"), shared by the "redirect" keyword and
 * the "http-request redirect" / "http-response redirect" actions:
 *
 *   { location | prefix | scheme } <to> [code <code>] [set-cookie <c>[=<v>]]
 *   [clear-cookie <c>] [drop-query] [append-slash] [ignore-empty] [{ if | unless } <cond>]
 *
 * The options come in any order; the condition ends the rule. The keyword form takes <to>
 * as a plain string, the action forms as a log-format string.
 */
import { parseCondition } from '../acl/condition.js';
import type { KeywordContext } from '../config/keywords.js';
import type { ConditionModel } from '../config/model/acl.js';
import type { ProxyModel } from '../config/model/proxy.js';
import type { SampleUse } from '../sample/types.js';
import { cStrtol, logFormatAt } from './args.js';

export interface RedirectModel {
  readonly type: 'location' | 'prefix' | 'scheme';
  readonly to: string;
  readonly code: number;
  readonly setCookie?: string;
  readonly clearCookie?: string;
  readonly dropQuery: boolean;
  readonly appendSlash: boolean;
  readonly ignoreEmpty: boolean;
  /** <to> is a log-format string (action forms). */
  readonly logFormat: boolean;
}

export type RedirectParse = { redirect: RedirectModel; condition: ConditionModel | null } | { error: string };

/**
 * Parses a redirect rule from `words[start]`. `useFmt`: <to> is a log-format string;
 * `response`: only 'location' is allowed. `uses` is where the condition and the format are
 * evaluated.
 */
export function parseRedirect(
  ctx: KeywordContext<ProxyModel>,
  words: readonly string[],
  start: number,
  useFmt: boolean,
  response: boolean,
  uses: readonly SampleUse[],
  lateError: (msg: string) => string,
): RedirectParse {
  let type: RedirectModel['type'] | undefined;
  let to = '';
  let code = 302;
  let setCookie: string | undefined;
  let clearCookie: string | undefined;
  let dropQuery = false;
  let appendSlash = false;
  let ignoreEmpty = false;
  let condition: ConditionModel | null = null;
  const w = (i: number): string => words[i] ?? '';

  let i = start;
  while (w(i) !== '') {
    const k = w(i);
    if (k === 'location' || k === 'prefix' || k === 'scheme') {
      if (w(i + 1) === '') return { error: `missing argument for '${k}'` };
      type = k;
      to = w(++i);
    } else if (k === 'set-cookie' || k === 'clear-cookie') {
      if (w(i + 1) === '') return { error: `missing argument for '${k}'` };
      if (k === 'set-cookie') {
        setCookie = w(++i);
        clearCookie = undefined;
      } else {
        clearCookie = w(++i);
        setCookie = undefined;
      }
    } else if (k === 'code') {
      if (w(i + 1) === '') return { error: `missing argument for '${k}'` };
      i++;
      code = cStrtol(w(i)).value;
      if (code < 301 || code > 308 || (code > 303 && code < 307)) {
        return { error: `'${k}': unsupported HTTP code '${w(i)}' (must be one of 301, 302, 303, 307 or 308)` };
      }
    } else if (k === 'drop-query') {
      dropQuery = true;
    } else if (k === 'append-slash') {
      appendSlash = true;
    } else if (k === 'ignore-empty') {
      ignoreEmpty = true;
    } else if (k === 'if' || k === 'unless') {
      // Conflicts with the rule's place are warned about by the caller, after the
      // warnings about misplaced rules.
      const c = parseCondition(ctx, ctx.state, words, i, [], { late: lateError });
      if ('error' in c) return { error: `error in condition: ${c.error}` };
      condition = c.condition;
      break;
    } else {
      return {
        error: `expects 'code', 'prefix', 'location', 'scheme', 'set-cookie', 'clear-cookie', 'drop-query', 'ignore-empty' or 'append-slash' (was '${k}')`,
      };
    }
    i++;
  }
  if (type === undefined) return { error: "redirection type expected ('prefix', 'location', or 'scheme')" };
  if (response && type !== 'location') return { error: "response only supports redirect type 'location'" };
  if (useFmt && !(type === 'prefix' && to === '/')) {
    const r = logFormatAt(ctx, to, uses);
    if ('error' in r) return { error: r.error };
  }
  return {
    redirect: {
      type,
      to,
      code,
      ...(setCookie !== undefined ? { setCookie } : {}),
      ...(clearCookie !== undefined ? { clearCookie } : {}),
      dropQuery,
      appendSlash,
      ignoreEmpty,
      logFormat: useFmt,
    },
    condition,
  };
}
