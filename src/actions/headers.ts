/**
 * Header and status line actions (configuration.txt 4.2): add-header, set-header,
 * del-header, replace-header, replace-value, early-hint, set-status.
 */
import { cStrtol, formatArg, isCondWord } from './args.js';
import { regexError } from './regex.js';
import type { ActionInput, ActionResult, ActionRow } from './types.js';

const HTTP_ALL = ['http-request', 'http-response', 'http-after-response'] as const;

/** add-header / set-header / early-hint <name> <fmt> */
function parseSetHeader(a: ActionInput): ActionResult {
  if (a.arg(1) === '' || a.arg(2) === '') return { error: 'expects exactly 2 arguments' };
  const f = formatArg(a, a.arg(2));
  if ('error' in f) return f;
  return { next: 3, args: { name: a.arg(1), format: f.format } };
}

/** Match methods del-header accepts with -m. */
const DEL_METHODS = new Set(['str', 'beg', 'end', 'sub', 'reg']);
/** Every match method name HAProxy knows (the others are refused as unsupported). */

/** del-header <name> [ -m <meth> ] */
function parseDelHeader(a: ActionInput): ActionResult {
  if (a.arg(1) === '') return { error: 'expects at least 1 argument' };
  if (a.arg(2) !== '-m') return { next: 2, args: { name: a.arg(1), match: 'str' } };
  if (a.arg(3) === '') return { error: '-m flag expects exactly 1 argument' };
  const m = a.arg(3);
  if (!DEL_METHODS.has(m)) return { error: `-m with unsupported matching method '${m}'` };
  if (m === 'reg') {
    const e = regexError(a.arg(1));
    if (e) return { error: e };
  }
  return { next: 4, args: { name: a.arg(1), match: m } };
}

/** replace-header / replace-value <name> <regex> <fmt> */
function parseReplaceHeader(a: ActionInput): ActionResult {
  if (a.arg(1) === '' || a.arg(2) === '' || a.arg(3) === '') return { error: 'expects exactly 3 arguments' };
  const e = regexError(a.arg(2));
  if (e) return { error: e };
  const f = formatArg(a, a.arg(3));
  if ('error' in f) return f;
  return { next: 4, args: { name: a.arg(1), regex: a.arg(2), format: f.format } };
}

/** set-status <status> [reason <str>] */
function parseSetStatus(a: ActionInput): ActionResult {
  if (a.arg(1) === '') return { error: 'expects 1 argument: <status>; or 3 arguments: <status> reason <fmt>' };
  const s = cStrtol(a.arg(1));
  if (s.rest !== '' || s.value < 100 || s.value > 999) return { error: 'expects an integer status code between 100 and 999' };
  if (a.arg(2) === 'reason' && a.arg(3) !== '' && !isCondWord(a.arg(3))) {
    return { next: 4, args: { status: s.value, reason: a.arg(3) } };
  }
  return { next: 2, args: { status: s.value } };
}

export const rows: ActionRow[] = [
  {
    name: 'add-header',
    rulesets: HTTP_ALL,
    status: 'notyet',
    summary: 'Appends a header whose value is a log-format string.',
    parse: parseSetHeader,
  },
  {
    name: 'set-header',
    rulesets: HTTP_ALL,
    status: 'notyet',
    summary: 'Replaces every occurrence of a header with one whose value is a log-format string.',
    parse: parseSetHeader,
  },
  {
    name: 'del-header',
    rulesets: HTTP_ALL,
    status: 'notyet',
    summary: 'Removes the headers whose name matches (exactly, or by prefix, suffix, substring or regex with -m).',
    parse: parseDelHeader,
  },
  {
    name: 'replace-header',
    rulesets: HTTP_ALL,
    status: 'notyet',
    summary: 'Rewrites whole header lines matching a regex with a log-format replacement.',
    parse: parseReplaceHeader,
  },
  {
    name: 'replace-value',
    rulesets: HTTP_ALL,
    status: 'notyet',
    summary: 'Rewrites each comma-separated value of a header matching a regex with a log-format replacement.',
    parse: parseReplaceHeader,
  },
  {
    name: 'early-hint',
    rulesets: ['http-request'],
    status: 'notyet',
    summary: 'Sends a header in a 103 Early Hints response before the final one.',
    parse: parseSetHeader,
  },
  {
    name: 'set-status',
    rulesets: ['http-response', 'http-after-response'],
    status: 'notyet',
    summary: 'Replaces the response status code, and optionally its reason phrase.',
    parse: parseSetStatus,
  },
];
