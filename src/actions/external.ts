/**
 * Actions that hand work to another part of HAProxy (configuration.txt 4.2, 6, 9):
 * cache-use, cache-store, send-spoe-group, do-resolve, ot-group. The sections and filters
 * they name are looked up once the whole configuration is read (config/checks/rules.ts).
 */
import { isCondWord, ruleUses, sampleArg } from './args.js';
import type { ActionInput, ActionResult, ActionRow } from './types.js';

/** cache-use / cache-store <name> */
function parseCache(a: ActionInput): ActionResult {
  if (a.arg(1) === '') return { error: 'expects a cache name' };
  return { next: 2, args: { cache: a.arg(1) } };
}

/** Two names, then nothing but a condition. */
function twoNames(a: ActionInput, error: string, keys: [string, string]): ActionResult {
  if (a.arg(1) === '' || a.arg(2) === '' || (a.arg(3) !== '' && !isCondWord(a.arg(3)))) return { error };
  return { next: 3, args: { [keys[0]]: a.arg(1), [keys[1]]: a.arg(2) } };
}

const DO_RESOLVE_HELP = "Expects 'do-resolve(<varname>,<resolvers>[,<options>]) <expr>'. Available options are 'ipv4' and 'ipv6'";

/**
 * do-resolve(<var>,<resolvers>[,ipv4|ipv6]) <expr>. As in HAProxy, an option is accepted when
 * it begins "ipv4" or "ipv6" (an empty one reads as ipv4), and what follows the closing
 * parenthesis is ignored. The expression is checked against the http-request places.
 */
function parseDoResolve(a: ActionInput): ActionResult {
  const fail = (what: string): ActionResult => ({ error: `Can't parse '${what}'. ${DO_RESOLVE_HELP}` });
  const word = a.name;
  const open = word.indexOf('(');
  if (open < 0) return fail(word);
  const inner = word.slice(open + 1);
  const comma = inner.indexOf(',');
  if (comma < 0) return fail(word);
  const varname = inner.slice(0, comma);
  let rest = inner.slice(comma + 1);
  let end = rest.search(/[,)]/);
  if (end < 0) return fail(word);
  const resolvers = rest.slice(0, end);
  let family: 'ipv4' | 'ipv6' = 'ipv6';
  while (rest[end] !== ')') {
    rest = rest.slice(end + 1);
    end = rest.search(/[,)]/);
    if (end < 0) return fail(word);
    const opt = rest.slice(0, end);
    if ('ipv4'.startsWith(opt)) family = 'ipv4';
    else if ('ipv6'.startsWith(opt)) family = 'ipv6';
    else return fail(word);
  }
  if (a.arg(1) === '') return fail('');
  const s = sampleArg(a, a.arg(1), a.arg(1), ruleUses('http-request', a.proxy));
  if ('error' in s) return s.error.startsWith('fetch method ') ? s : fail(a.arg(1));
  return { next: 2, args: { varname, resolvers, family, expr: s.expr } };
}

/** Whether the global section loads Lua code (lua-load, lua-load-per-thread). */
export function luaLoaded(a: Pick<ActionInput, 'ctx'>): boolean {
  return (a.ctx.load.global.lua?.loads.length ?? 0) > 0;
}

/**
 * lua.<name> [args...]: an action a Lua script registers (core.register_action). Portier does
 * not run Lua: the arguments the script expects cannot be known, so every word up to the
 * condition is taken.
 */
function parseLuaAction(a: ActionInput): ActionResult {
  let i = 1;
  while (a.arg(i) !== '' && !isCondWord(a.arg(i))) i++;
  return { next: i, args: { name: a.name.slice(4), args: Array.from({ length: i - 1 }, (_, k) => a.arg(k + 1)) } };
}

export const rows: ActionRow[] = [
  {
    name: 'cache-use',
    rulesets: ['http-request'],
    status: 'notyet',
    summary: 'Answers from a cache section when it holds the object.',
    parse: parseCache,
  },
  {
    name: 'cache-store',
    rulesets: ['http-response'],
    status: 'notyet',
    summary: 'Stores the response in a cache section.',
    parse: parseCache,
  },
  {
    name: 'send-spoe-group',
    rulesets: ['http-request', 'http-response', 'tcp-request content', 'tcp-response content'],
    status: 'notyet',
    summary: 'Sends a group of SPOE messages to the agents of an SPOE engine.',
    parse: (a) => twoNames(a, 'expects 2 arguments: <engine-id> <group-id>', ['engine', 'group']),
  },
  {
    name: 'do-resolve',
    prefix: true,
    rulesets: ['http-request', 'tcp-request content'],
    status: 'notyet',
    summary: 'Resolves a host name with a resolvers section and stores the address in a variable.',
    parse: parseDoResolve,
  },
  {
    name: 'ot-group',
    rulesets: ['http-request', 'http-response', 'http-after-response', 'tcp-request content', 'tcp-response content'],
    status: 'notyet',
    summary: 'Runs a group of OpenTracing scopes of an OpenTracing filter.',
    parse: (a) => twoNames(a, 'expects: <filter-id> <group-id> [{ if | unless } ...]', ['filter', 'group']),
  },
  {
    name: 'lua.',
    prefix: true,
    lua: true,
    rulesets: ['http-request', 'http-response', 'http-after-response', 'tcp-request connection', 'tcp-request session', 'tcp-request content', 'tcp-response content'],
    status: 'notyet',
    summary: 'Runs an action registered by a Lua script (lua-load); Lua does not run in Portier.',
    parse: parseLuaAction,
  },
];
