/**
 * `mailers <name>` (configuration.txt 3.6): SMTP servers for email alerts.
 *
 *   mailer <name> <addr>:<port>
 *   timeout mail <time>
 *
 * A mailers section that no proxy uses (`email-alert mailers`) is removed after the last
 * line with a warning (checks/sections.ts).
 */
import { SERVER_ADDRESS } from '../address.js';
import type { KeywordRow } from '../keywords.js';
import type { MailersModel } from '../model/sections.js';
import { addressError, parseAddressChecked, resolveLater } from './global/addresses.js';
import { readTime } from './global/helpers.js';
import { invalidNameChar } from './names.js';
import { at, checkHeader, simpleSection, unknownIn } from './simple.js';

type Row = KeywordRow<MailersModel>;

const MAILER_ADDRESS = { ...SERVER_ADDRESS, portRequired: true, portOffset: false, portZero: false };

const mailer: Row = {
  name: 'mailer',
  status: 'notyet',
  summary: 'An SMTP server: name and address.',
  parse(ctx, args) {
    const name = args[1] ?? '';
    if (name === '' || !args[2]) {
      ctx.alert("'mailer' expects <name> and <addr>[:<port>] as arguments.");
      return;
    }
    const bad = invalidNameChar(name);
    if (bad !== undefined) {
      ctx.alert(`character '${bad}' is not permitted in server name '${name}'.`);
      return;
    }
    const text = args[2];
    const label = `'mailer ${name}' : `;
    if (/^(?:(?:stream|dgram)\+)?(?:fd|sockpair)@/.test(text)) {
      ctx.alert(`${label}a file descriptor is not acceptable here in '${text}'\n`);
      return;
    }
    const r = parseAddressChecked(text, MAILER_ADDRESS);
    if ('error' in r) {
      ctx.alert(`${label}${addressError(r.error)}`);
      return;
    }
    if (r.address.family === 'unix' || r.address.family === 'abns') {
      ctx.alert(`${label}TCP not supported for this address family.`);
      return;
    }
    resolveLater(ctx, r.address, `${label}invalid address: '${r.address.hostname}' in '${text}'\n`);
    // HAProxy accepts two mailers with the same name.
    ctx.state.mailers.push({ where: ctx.where, name, address: r.address });
  },
};

const timeout: Row = {
  name: 'timeout',
  status: 'notyet',
  summary: 'timeout mail: how long sending one email may take (default 10s).',
  parse(ctx, args) {
    const event = args[1] ?? '';
    if (event !== 'mail') {
      ctx.alert(event === '' ? "'timeout' expects 'mail' and <time> as arguments." : `'timeout' expects 'mail' and <time> as arguments got '${event}'.`);
      return;
    }
    const text = args[2] ?? '';
    if (text === '') {
      ctx.alert("'timeout mail' expects <time> as argument.");
      return;
    }
    const r = readTime(text);
    if ('error' in r) {
      if (r.error === 'overflow') ctx.alert(`timer overflow in argument <${text}> to <timeout mail>, maximum value is 2147483647 ms (~24.8 days).`, 'tight');
      else ctx.alert(`unexpected character '${r.char}' in argument to <timeout mail>.`, 'tight');
      return;
    }
    ctx.state.timeoutMail = r.value;
  },
};

export const mailersSection = simpleSection<MailersModel>({
  kind: 'mailers',
  summary: 'Mail servers for email alerts.',
  status: 'notyet',
  rows: [mailer, timeout],
  unknown: unknownIn('mailers'),
  open(ctx, args) {
    // Words after the name are ignored.
    const h = checkHeader(ctx, args, {
      missing: { message: 'missing name for mailers section.', then: 'abort' },
      invalid: { message: (c, n) => `character '${c}' is not permitted in 'mailers' name '${n}'.`, then: 'abort' },
    });
    if ('failed' in h) return undefined;
    const prev = ctx.load.mailers.find((m) => m.name === h.name);
    if (prev) ctx.alert(`mailers section '${h.name}' has the same name as another mailers section declared at ${at(prev.where)}.`, 'capital');
    const model: MailersModel = { where: ctx.where, name: h.name, mailers: [] };
    ctx.load.mailers.push(model);
    return model;
  },
});
