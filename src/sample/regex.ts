/**
 * Regular expressions of sample converters, map files and actions (regsub, map_reg,
 * replace-header, ...): HAProxy compiles them with PCRE2, with captures. The syntax check is the
 * one PCRE2 checker of acl/regex.ts; this module words its result as HAProxy prints it:
 *
 *   regex '(' is invalid (error=missing closing parenthesis, erroffset=1)
 */
import { regexSyntaxError } from '../acl/regex.js';

export interface RegexError {
  readonly message: string;
  readonly offset: number;
}

/** "regex '<re>' is invalid (error=<message>, erroffset=<n>)". */
export function regexErrorText(pattern: string, e: RegexError): string {
  return `regex '${pattern}' is invalid (error=${e.message}, erroffset=${e.offset})`;
}

/** PCRE2's error for a pattern compiled with captures, or undefined when it compiles. */
export function pcreSyntaxError(re: string): RegexError | undefined {
  return regexSyntaxError(re);
}
