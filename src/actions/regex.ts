/**
 * Regular expressions in actions (replace-header, replace-uri, del-header -m reg, ...).
 * HAProxy compiles them with PCRE2; the syntax check is the shared one of sample/regex.ts.
 */
import { pcreSyntaxError, regexErrorText } from '../sample/regex.js';

/** HAProxy's message for a regex that does not compile, or undefined when it is fine. */
export function regexError(re: string): string | undefined {
  const e = pcreSyntaxError(re);
  return e ? regexErrorText(re, e) : undefined;
}
