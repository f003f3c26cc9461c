/** Row builders shared by the server option tables (configuration.txt 5.2). */
import { parseTimeErr, trailingTimeWarning } from '../bind-options/c-parse.js';
import type { ServerOptionEnv, ServerOptionRow, ServerOutcome } from './types.js';

type Status = ServerOptionRow['status'];

/** A flag: sets options[key] to `value` (a "no-" form sets its positive key to false). */
export function flag(name: string, summary: string, key = name, value = true, extra: Partial<ServerOptionRow> = {}): ServerOptionRow {
  return {
    name,
    values: 0,
    status: 'notyet',
    summary,
    ...extra,
    parse(_ctx, _v, options) {
      options[key] = value;
      return undefined;
    },
  };
}

/** The "no-<name>" form of a flag, which undoes a default-server setting. */
export function noFlag(name: string, extra: Partial<ServerOptionRow> = {}): ServerOptionRow {
  return flag(`no-${name}`, `Undo '${name}' (e.g. set by default-server).`, name, false, extra);
}

/** A keyword with one word that must not be empty; `missing` is HAProxy's message. */
export function stringOption(name: string, missing: string, summary: string, status: Status = 'notyet'): ServerOptionRow {
  return {
    name,
    values: 1,
    status,
    summary,
    parse(_ctx, [v], options) {
      if (!v) return missing;
      options[name] = v;
      return undefined;
    },
  };
}

/**
 * A check interval (inter, fastinter, downinter, agent-inter): a positive time. HAProxy's
 * message for a bad character names 'agent-inter' whatever the keyword.
 */
export function intervalOption(name: string, summary: string, status: Status = 'notyet'): ServerOptionRow {
  return {
    name,
    values: 1,
    status,
    summary,
    parse(_ctx, [v], options, env) {
      if (!v) return `'${name}' expects a delay as argument.`;
      const r = parseTimeErr(v);
      if ('error' in r) {
        if (r.error === 'overflow') return `timer overflow in argument <${v}> to <${name}> of server ${env.serverName}, maximum value is 2147483647 ms (~24.8 days).`;
        if (r.error === 'underflow') return `timer underflow in argument <${v}> to <${name}> of server ${env.serverName}, minimum non-null value is 1 ms.`;
        return `unexpected character '${r.char}' in 'agent-inter' argument of server ${env.serverName}.`;
      }
      timeWarning(env, r);
      if (r.value <= 0) return `invalid value ${r.value} for argument '${name}' of server ${env.serverName}.`;
      options[name] = r.value;
      return undefined;
    },
  };
}

/** parse_time_err() warns itself about characters after the unit. */
export function timeWarning(env: ServerOptionEnv, r: ReturnType<typeof parseTimeErr>): void {
  const w = trailingTimeWarning(r);
  if (w) env.messages.warning(w);
}

/** A time with HAProxy's generic time messages (pool-purge-delay, tcp-ut). */
export function timeValue(
  env: ServerOptionEnv,
  name: string,
  v: string,
  charMessage: (c: string) => string,
): { value: number } | { error: ServerOutcome } {
  const r = parseTimeErr(v);
  if ('error' in r) {
    if (r.error === 'overflow') return { error: `timer overflow in argument '${v}' to '${name}' (maximum value is 2147483647 ms or ~24.8 days)` };
    if (r.error === 'underflow') return { error: `timer underflow in argument '${v}' to '${name}' (minimum non-null value is 1 ms)` };
    return { error: charMessage(r.char) };
  }
  timeWarning(env, r);
  return { value: r.value };
}
