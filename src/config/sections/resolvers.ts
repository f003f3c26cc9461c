/**
 * `resolvers <name>` (configuration.txt 5.3.2): DNS servers used to resolve server addresses
 * at run time.
 *
 *   nameserver <name> <addr>:<port>
 *   parse-resolv-conf
 *   accepted_payload_size <nb>     resolve_retries <nb>
 *   hold <status> <period>         timeout {resolve|retry} <time>
 */
import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { LOG_ADDRESS } from '../address.js';
import type { KeywordContext, KeywordRow } from '../keywords.js';
import type { AddressModel } from '../model/address.js';
import type { ResolversModel } from '../model/sections.js';
import { addressError, parseAddressChecked, resolveLater } from './global/addresses.js';
import { atoi, readTime } from './global/helpers.js';
import { invalidNameChar } from './names.js';
import { at, checkHeader, simpleSection, unknownIn } from './simple.js';

type Row = KeywordRow<ResolversModel>;
type Ctx = KeywordContext<ResolversModel>;

/** Where /etc/resolv.conf is (replaceable by tests). */
export const resolvConf = { path: '/etc/resolv.conf' };

/** A nameserver address: UDP by default, port required, no file descriptor. */
const NAMESERVER_ADDRESS = { ...LOG_ADDRESS, portRequired: true, portZero: false };

const nameserver: Row = {
  name: 'nameserver',
  status: 'notyet',
  summary: 'A DNS server: name and address (UDP, or TCP with tcp@).',
  parse(ctx, args) {
    const name = args[1] ?? '';
    if (name === '' || !args[2]) {
      ctx.alert("'nameserver' expects <name> and <addr>[:<port>] as arguments.");
      return;
    }
    const bad = invalidNameChar(name);
    if (bad !== undefined) {
      ctx.alert(`character '${bad}' is not permitted in server name '${name}'.`);
      return;
    }
    const prev = ctx.state.nameservers.find((n) => n.name === name);
    if (prev) {
      ctx.alert(`nameserver '${name}' has same name as another nameserver (declared at ${at(prev.where)}).`, 'capital');
      return;
    }
    const text = args[2];
    const label = `'nameserver ${name}' : `;
    if (/^(?:(?:stream|dgram)\+)?(?:fd|sockpair)@/.test(text)) {
      ctx.alert(`${label}a file descriptor is not acceptable here in '${text}'\n`);
      return;
    }
    const r = parseAddressChecked(text, NAMESERVER_ADDRESS);
    if ('error' in r) {
      ctx.alert(`${label}${addressError(r.error)}`);
      return;
    }
    resolveLater(ctx, r.address, `${label}invalid address: '${r.address.hostname}' in '${text}'\n`);
    ctx.state.nameservers.push({ where: ctx.where, name, address: r.address });
  },
};

/** `parse-resolv-conf`: the nameservers of /etc/resolv.conf, named after their line. */
const parseResolvConf: Row = {
  name: 'parse-resolv-conf',
  status: 'notyet',
  summary: 'Add the nameservers listed in /etc/resolv.conf.',
  parse(ctx) {
    const model = ctx.state;
    model.parseResolvConf ??= ctx.where;
    let text = '';
    try {
      text = readFileSync(resolvConf.path, 'latin1');
    } catch {
      return;
    }
    text.split('\n').forEach((line, i) => {
      const m = /^\s*nameserver\s+(\S+)/.exec(line);
      if (!m) return;
      const ip = m[1]!;
      if (!isIPv4(ip) && !isIPv6(ip)) return;
      const name = `${resolvConf.path}:${i + 1}`;
      const prev = model.nameservers.find((n) => n.name === name);
      if (prev) {
        ctx.warning(
          `Parsing [${name}] : generated name for ${resolvConf.path} nameserver '${ip}' conflicts with another nameserver (declared at ${name}), it appears to be a duplicate and will be excluded.`,
          'tight',
        );
        return;
      }
      const address: AddressModel = { raw: ip, family: isIPv4(ip) ? 'ipv4' : 'ipv6', socket: 'dgram', ip, port: 53 };
      model.nameservers.push({ where: { file: resolvConf.path, line: i + 1 }, name, address });
    });
  },
};

function numberRow(name: 'accepted_payload_size' | 'resolve_retries', summary: string): Row {
  return {
    name,
    status: 'notyet',
    summary,
    parse(ctx, args) {
      if (!args[1]) {
        ctx.alert(`'${name}' expects <nb> as argument.`);
        return;
      }
      const v = atoi(args[1]);
      if (name === 'accepted_payload_size') {
        if (v < 12 || v > 65535) {
          ctx.alert(`'accepted_payload_size' must be between 12 and 65535 inclusive (was ${args[1]}).`);
          return;
        }
        ctx.state.acceptedPayloadSize = v;
      } else {
        ctx.state.resolveRetries = v;
      }
    },
  };
}

const HOLD_EVENTS = ['nx', 'other', 'refused', 'timeout', 'valid', 'obsolete'];

const hold: Row = {
  name: 'hold',
  status: 'notyet',
  summary: 'How long a resolution result of each status is kept.',
  parse(ctx, args) {
    const event = args[1] ?? '';
    const text = args[2] ?? '';
    if (event === '' || text === '') {
      ctx.alert("'hold' expects an <event> and a <time> as arguments.");
      ctx.load.diag.alert(undefined, "<event> can be either 'valid', 'nx', 'refused', 'timeout', or 'other'");
      return;
    }
    const r = readTime(text);
    if ('error' in r) {
      // HAProxy names the event, not the value, in its overflow message.
      if (r.error === 'overflow') ctx.alert(`timer overflow in argument <${event}> to <hold>, maximum value is 2147483647 ms (~24.8 days).`, 'tight');
      else ctx.alert(`unexpected character '${r.char}' in argument to <hold>.`, 'tight');
      return;
    }
    if (!HOLD_EVENTS.includes(event)) {
      ctx.alert(`'hold' unknown <event>: '${event}', expects either 'nx', 'timeout', 'valid', 'obsolete' or 'other'.`);
      return;
    }
    ctx.state.hold[event] = r.value;
  },
};

const timeout: Row = {
  name: 'timeout',
  status: 'notyet',
  summary: 'timeout resolve (between resolutions) and timeout retry (between tries).',
  parse(ctx: Ctx, args) {
    const event = args[1] ?? '';
    if (event === '') {
      ctx.alert("'timeout' expects 'retry' or 'resolve' and <time> as arguments.");
      return;
    }
    if (event !== 'resolve' && event !== 'retry') {
      ctx.alert(`'timeout' expects 'retry' or 'resolve' and <time> as arguments got '${event}'.`);
      return;
    }
    const text = args[2] ?? '';
    if (text === '') {
      ctx.alert(`'timeout ${event}' expects <time> as argument.`);
      return;
    }
    const r = readTime(text);
    if ('error' in r) {
      if (r.error === 'overflow') ctx.alert(`timer overflow in argument <${text}> to <timeout ${event}>, maximum value is 2147483647 ms (~24.8 days).`, 'tight');
      else ctx.alert(`unexpected character '${r.char}' in argument to <timeout ${event}>.`, 'tight');
      return;
    }
    ctx.state.timeouts[event] = r.value;
  },
};

export const resolversSection = simpleSection<ResolversModel>({
  kind: 'resolvers',
  summary: 'DNS resolvers for server addresses.',
  status: 'notyet',
  rows: [
    nameserver,
    parseResolvConf,
    numberRow('accepted_payload_size', 'Largest DNS response accepted over UDP (EDNS0).'),
    numberRow('resolve_retries', 'Queries sent before giving up a resolution.'),
    hold,
    timeout,
  ],
  unknown: unknownIn('resolvers'),
  open(ctx, args) {
    // Words after the name are ignored.
    const h = checkHeader(ctx, args, {
      missing: { message: 'missing name for resolvers section.', then: 'abort' },
      invalid: { message: (c, n) => `character '${c}' is not permitted in 'resolvers' name '${n}'.`, then: 'abort' },
    });
    if ('failed' in h) return undefined;
    const prev = ctx.load.resolvers.find((r) => r.name === h.name);
    if (prev) {
      ctx.alert(`resolvers '${h.name}' has same name as another resolvers (declared at ${at(prev.where)}).`, 'capital');
      ctx.alert('out of memory.');
      ctx.abort();
      return undefined;
    }
    const model: ResolversModel = { where: ctx.where, name: h.name, nameservers: [], timeouts: {}, hold: {} };
    ctx.load.resolvers.push(model);
    return model;
  },
});
