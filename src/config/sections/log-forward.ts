/**
 * `log-forward <name>` (configuration.txt 3.10): a syslog relay receiving logs over TCP
 * (`bind`) and UDP (`dgram-bind`) and forwarding them to `log` targets.
 *
 *   bind <addr> [bind options]       dgram-bind <addr> [options]
 *   log global | log <target> ...    maxconn <n>   backlog <n>   timeout client <time>
 *
 * HAProxy stops reading the configuration after an unknown keyword in this section.
 */
import { BIND_ADDRESS } from '../address.js';
import { bindOptionRows, parseBindOptions } from '../bind-options/index.js';
import type { KeywordRow } from '../keywords.js';
import type { LogForwardModel } from '../model/sections.js';
import { parseAddressChecked, resolveLater } from './global/addresses.js';
import { atol, readTime, tooMany } from './global/helpers.js';
import { readSectionLog } from './global/log.js';
import { at, checkHeader, simpleSection } from './simple.js';

type Row = KeywordRow<LogForwardModel>;

const UNKNOWN = (w: string): string => `unknown keyword '${w}' in log-forward section.`;

/** `bind` (TCP) and `dgram-bind` (UDP). */
function bindRow(kw: 'bind' | 'dgram-bind'): Row {
  const dgram = kw === 'dgram-bind';
  return {
    name: kw,
    status: 'notyet',
    summary: dgram ? 'A UDP address syslog messages are received on.' : 'A TCP address syslog messages are received on (octet counting).',
    parse(ctx, args) {
      const text = args[1];
      // HAProxy accepts a bind line without address, which then listens nowhere.
      if (!text) return;
      const rules = dgram ? { ...BIND_ADDRESS, defaultSocket: 'dgram' as const, accept: ['dgram' as const] } : BIND_ADDRESS;
      const r = parseAddressChecked(text, rules);
      if ('error' in r) {
        // For `bind`, HAProxy prints the alert but does not fail the configuration.
        if (dgram) ctx.alert(`'${kw} ${text}' : ${r.error}`);
        else ctx.alertContinuing(`'${kw} ${text}' : ${r.error}`);
        return;
      }
      resolveLater(ctx, r.address, `'${kw} ${text}' : invalid address: '${r.address.hostname}' in '${text}'`);
      if (dgram) {
        // dgram-bind has its own wording for an option it does not know.
        const known = new Set(bindOptionRows.filter((o) => !o.sites || o.sites.includes('log-forward')).map((o) => o.name));
        const unknown = args.slice(2).find((w, i, all) => !known.has(w) && !(i > 0 && valueTaken(all, i)));
        if (unknown !== undefined) {
          ctx.alert(`unknown keyword '${unknown}' in 'log-forward' section.`);
          return;
        }
      }
      const options = parseBindOptions(ctx, args, 2, 'log-forward', `'${kw} ${text}' in section 'log-forward'`);
      if (!options) return;
      (dgram ? ctx.state.dgramBinds : ctx.state.binds).push({ where: ctx.where, addresses: [r.address], options });
    },
  };
}

/** Whether word `i` of an option list is the value of the option before it. */
function valueTaken(words: readonly string[], i: number): boolean {
  let j = 0;
  while (j < words.length) {
    const row = bindOptionRows.find((o) => o.name === words[j]);
    const n = row ? row.values : 0;
    if (i > j && i <= j + n) return true;
    j += 1 + n;
  }
  return false;
}

const log: Row = {
  name: 'log',
  status: 'notyet',
  summary: 'Where the received messages are forwarded ("log global": the global targets).',
  parse(ctx, args) {
    // "no log" is accepted and does nothing here.
    if (ctx.modifier === 'no') return;
    readSectionLog(ctx, args);
  },
};

function numberRow(name: 'maxconn' | 'backlog', summary: string): Row {
  return {
    name,
    status: 'notyet',
    summary,
    parse(ctx, args) {
      if (tooMany(ctx, args, 1)) return;
      if (!args[1]) {
        ctx.alert(`'${name}' expects an integer argument.`);
        return;
      }
      ctx.state[name] = atol(args[1]);
    },
  };
}

const timeout: Row = {
  name: 'timeout',
  status: 'notyet',
  summary: 'timeout client: inactivity timeout of TCP syslog clients.',
  parse(ctx, args) {
    if (args[1] !== 'client') {
      ctx.alert(UNKNOWN(`timeout ${args[1] ?? ''}`));
      ctx.abort();
      return;
    }
    const text = args[2] ?? '';
    if (text === '') {
      ctx.alert('missing timeout client value.');
      return;
    }
    const r = readTime(text);
    if ('error' in r) {
      if (r.error === 'overflow') {
        ctx.alert(`timeout : timer overflow in argument '${text}' to 'timeout client' (maximum value is 2147483647 ms or ~24.8 days)`);
      } else {
        // HAProxy 2.6 stops with a misleading message here.
        ctx.load.diag.alert(undefined, `Could not open configuration file ${ctx.where.file} : Success`);
        ctx.abort();
      }
      return;
    }
    ctx.state.timeoutClient = r.value;
  },
};

export const logForwardSection = simpleSection<LogForwardModel>({
  kind: 'log-forward',
  summary: 'A syslog forwarder.',
  status: 'notyet',
  rows: [bindRow('bind'), bindRow('dgram-bind'), log, numberRow('maxconn', 'Concurrent TCP syslog connections.'), numberRow('backlog', 'Listen backlog of the TCP listeners.'), timeout],
  unknown: { message: UNKNOWN, abort: true },
  open(ctx, args) {
    const h = checkHeader(ctx, args, {
      missing: { message: 'missing name for ip-forward section.', then: 'abort' },
      maxArgs: 1,
      invalid: { message: (c, n) => `character '${c}' is not permitted in 'log-forward' name '${n}'.`, then: 'abort' },
    });
    if ('failed' in h) return undefined;
    const prev = ctx.load.logForwards.find((l) => l.name === h.name);
    if (prev) {
      ctx.alert(`log-forward section '${h.name}' has the same name as another log-forward section declared at ${at(prev.where)}.`, 'capital');
    }
    const model: LogForwardModel = { where: ctx.where, name: h.name, binds: [], dgramBinds: [], logs: [] };
    ctx.load.logForwards.push(model);
    return model;
  },
});
