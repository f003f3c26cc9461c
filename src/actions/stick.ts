/**
 * Stick counters (configuration.txt 4.2, "http-request track-sc0"; 7.3.3): track-sc<n>
 * <key> [table <table>], sc-inc-gpc(<idx>,<sc>), sc-inc-gpc0/1(<sc>), sc-set-gpt(<idx>,<sc>)
 * <int|expr>, sc-set-gpt0(<sc>) <int|expr>. Three counters exist (sc0 to sc2).
 */
import type { SampleUse } from '../sample/types.js';
import { cStrtol, needsRequestContents, sampleArg } from './args.js';
import type { ActionInput, ActionResult, ActionRow, RuleSet } from './types.js';

/** HAProxy's MAX_SESS_STKCTR. */
export const STICK_COUNTERS = 3;

/** The counter number after "track-sc": digits only, none meaning 0. */
function trackNumber(text: string): { sc: number } | { error: string } {
  if (!/^[0-9]*$/.test(text)) return { error: `Wrong track-sc number '${text}'` };
  const n = text === '' ? 0 : Number(text);
  if (n >= STICK_COUNTERS) return { error: `${n >>> 0} track-sc number exceeding ${STICK_COUNTERS - 1} (MAX_SESS_STKCTR-1) value` };
  return { sc: n };
}

/** http-request / http-response track-sc<n> <key> [table <table>] */
function parseHttpTrack(a: ActionInput): ActionResult {
  const n = trackNumber(a.name.slice(8));
  if ('error' in n) return n;
  const s = sampleArg(a, a.arg(1), a.arg(1), a.uses, 'track-sc');
  if ('error' in s) return s;
  if (a.arg(2) !== 'table') return { next: 2, args: { sc: n.sc, expr: s.expr } };
  if (a.arg(3) === '') return { error: 'missing table name' };
  return { next: 4, args: { sc: n.sc, expr: s.expr, table: a.arg(3) } };
}

/**
 * tcp-request track-sc<n> <key> [table <table>]: hard-coded in the tcp rule parser, whose
 * messages start with "'tcp-request <set> track-sc<n>' :". A missing table name is taken as
 * the empty name (found missing by the whole-configuration check).
 */
function parseTcpTrack(a: ActionInput): ActionResult {
  const prefix = `'${a.ruleset} ${a.name}' : `;
  const n = trackNumber(a.name.slice(8));
  if ('error' in n) return { error: prefix + n.error };
  const s = sampleArg(a, a.arg(1), a.arg(1), a.uses, 'track-sc');
  if ('error' in s) return { error: prefix + s.error };
  const needsContent = a.ruleset === 'tcp-request content' && needsRequestContents(s.expr);
  if (a.arg(2) !== 'table') return { next: 2, args: { sc: n.sc, expr: s.expr, needsContent } };
  return { next: 4, args: { sc: n.sc, expr: s.expr, table: a.arg(3), needsContent } };
}

/** C's strtol/strtoul on the text after a parenthesis: value and the next character. */
function num(text: string): { value: number; next: string } {
  const r = cStrtol(text);
  return { value: r.value, next: r.rest[0] ?? '' };
}

/** sc-inc-gpc(<idx>,<sc>), sc-inc-gpc0[(<sc>)], sc-inc-gpc1[(<sc>)] */
function parseIncGpc(a: ActionInput): ActionResult {
  const word = a.name;
  const rest = word.slice('sc-inc-gpc'.length);
  if (rest.startsWith('(')) {
    const idx = num(rest.slice(1));
    if (idx.next !== ',') return { error: `Missing gpc ID '${word}'. Expects sc-inc-gpc(<GPC ID>,<Track ID>)` };
    const afterComma = rest.slice(1).slice(rest.slice(1).indexOf(',') + 1);
    const sc = num(afterComma);
    if (sc.next !== ')') return { error: `invalid stick table track ID '${word}'. Expects sc-inc-gpc(<GPC ID>,<Track ID>)` };
    if (sc.value >= STICK_COUNTERS) return { error: `invalid stick table track ID '${word}'. The max allowed ID is ${STICK_COUNTERS - 1}` };
    return { next: 1, args: { gpc: idx.value, sc: sc.value } };
  }
  if (rest.startsWith('0') || rest.startsWith('1')) {
    const gpc = Number(rest[0]);
    const tail = rest.slice(1);
    if (tail === '') return { next: 1, args: { gpc, sc: 0 } };
    if (!tail.startsWith('(')) return { error: `invalid stick table track ID. Expects ${word}(<Track ID>)` };
    const sc = num(tail.slice(1));
    if (sc.next !== ')') return { error: `invalid stick table track ID. Expects ${word}(<Track ID>)` };
    if (sc.value >= STICK_COUNTERS) return { error: `invalid stick table track ID. The max allowed ID is ${STICK_COUNTERS - 1}` };
    return { next: 1, args: { gpc, sc: sc.value } };
  }
  return { error: `invalid gpc ID '${word}'. Expects sc-inc-gpc(<GPC ID>,<Track ID>)` };
}

/** Where sc-set-gpt evaluates its expression: fixed by the rule set, not by the proxy. */
const GPT_USE: Partial<Record<RuleSet, SampleUse>> = {
  'tcp-request session': 'fe-tcp-request-session',
  'tcp-request content': 'fe-tcp-request-content',
  'tcp-response content': 'be-tcp-response-content',
  'http-request': 'fe-http-request',
  'http-response': 'be-http-response',
};
/** HAProxy's rule->from numbers, quoted by its internal error. */
const FROM: Record<RuleSet, number> = {
  'tcp-request connection': 0,
  'tcp-request session': 1,
  'tcp-request content': 2,
  'tcp-response content': 3,
  'http-request': 4,
  'http-response': 5,
  'http-after-response': 5,
};

/** sc-set-gpt(<idx>,<sc>) <int|expr>, sc-set-gpt0[(<sc>)] <int|expr> */
function parseSetGpt(a: ActionInput): ActionResult {
  const word = a.name;
  const rest = word.slice('sc-set-gpt'.length);
  let gpt: number;
  let scv: number;
  if (rest.startsWith('(')) {
    const idx = num(rest.slice(1));
    if (idx.next !== ',') return { error: `Missing gpt ID '${word}'. Expects sc-set-gpt(<GPT ID>,<Track ID>)` };
    const afterComma = rest.slice(1).slice(rest.slice(1).indexOf(',') + 1);
    const sc = num(afterComma);
    if (sc.next !== ')') return { error: `invalid stick table track ID '${word}'. Expects sc-set-gpt(<GPT ID>,<Track ID>)` };
    if (sc.value >= STICK_COUNTERS) return { error: `invalid stick table track ID '${word}'. The max allowed ID is ${STICK_COUNTERS - 1}` };
    gpt = idx.value;
    scv = sc.value;
  } else if (rest.startsWith('0')) {
    const tail = rest.slice(1);
    gpt = 0;
    scv = 0;
    if (tail !== '') {
      if (!tail.startsWith('(')) return { error: `invalid stick table track ID '${word}'. Expects sc-set-gpt0(<Track ID>)` };
      const sc = num(tail.slice(1));
      if (sc.next !== ')') return { error: `invalid stick table track ID '${word}'. Expects sc-set-gpt0(<Track ID>)` };
      if (sc.value >= STICK_COUNTERS) return { error: `invalid stick table track ID '${word}'. The max allowed ID is ${STICK_COUNTERS - 1}` };
      scv = sc.value;
    }
  } else {
    return { error: `invalid gpt ID '${word}'. Expects sc-set-gpt(<GPT ID>,<Track ID>)` };
  }
  // The value is an integer when the whole word reads as one (an empty word reads as 0).
  const v = cStrtol(a.arg(1));
  if (v.rest === '') return { next: 2, args: { gpt, sc: scv, value: v.value } };
  const use = GPT_USE[a.ruleset];
  if (!use) {
    const s = sampleArg(a, a.arg(1), a.arg(1));
    if ('error' in s) return s;
    return { error: `internal error, unexpected rule->from=${FROM[a.ruleset]}, please report this bug!` };
  }
  const s = sampleArg(a, a.arg(1), a.arg(1), [use]);
  if ('error' in s) return s;
  return { next: 2, args: { gpt, sc: scv, expr: s.expr } };
}

const SC_SETS = ['http-request', 'http-response', 'tcp-request connection', 'tcp-request session', 'tcp-request content', 'tcp-response content'] as const;

export const rows: ActionRow[] = [
  {
    name: 'track-sc',
    prefix: true,
    rulesets: ['http-request', 'http-response'],
    status: 'notyet',
    summary: 'Tracks a key in a stick table with stick counter 0, 1 or 2 (track-sc0..2).',
    parse: parseHttpTrack,
  },
  {
    name: 'track-sc',
    prefix: true,
    builtin: true,
    rulesets: ['tcp-request connection', 'tcp-request session', 'tcp-request content'],
    status: 'notyet',
    summary: 'Tracks a key in a stick table with stick counter 0, 1 or 2 (track-sc0..2).',
    parse: parseTcpTrack,
  },
  {
    name: 'sc-inc-gpc',
    prefix: true,
    rulesets: SC_SETS,
    status: 'notyet',
    summary: 'Increments a general purpose counter of a tracked entry: sc-inc-gpc(<idx>,<sc>).',
    parse: parseIncGpc,
  },
  {
    name: 'sc-inc-gpc0',
    prefix: true,
    rulesets: SC_SETS,
    status: 'notyet',
    summary: 'Increments gpc0 of the entry tracked by a stick counter.',
    parse: parseIncGpc,
  },
  {
    name: 'sc-inc-gpc1',
    prefix: true,
    rulesets: SC_SETS,
    status: 'notyet',
    summary: 'Increments gpc1 of the entry tracked by a stick counter.',
    parse: parseIncGpc,
  },
  {
    name: 'sc-set-gpt',
    prefix: true,
    rulesets: SC_SETS,
    status: 'notyet',
    summary: 'Sets a general purpose tag of a tracked entry to an integer or an expression: sc-set-gpt(<idx>,<sc>).',
    parse: parseSetGpt,
  },
  {
    name: 'sc-set-gpt0',
    prefix: true,
    rulesets: SC_SETS,
    status: 'notyet',
    summary: 'Sets gpt0 of the entry tracked by a stick counter to an integer or an expression.',
    parse: parseSetGpt,
  },
];
