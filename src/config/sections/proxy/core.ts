/** Core proxy keywords: mode, description, default_backend, balance (configuration.txt 4.2). */
import { noExtraArgs } from '../../args.js';
import type { KeywordRow } from '../../keywords.js';
import type { ProxyModel } from '../../model/proxy.js';
import { CAP_ALL, CAP_BE, CAP_DEF, CAP_FE } from '../../types.js';

type Row = KeywordRow<ProxyModel>;

const mode: Row = {
  name: 'mode',
  cap: CAP_ALL,
  status: 'partial',
  note: 'mode http is not supported yet',
  summary: 'Protocol the proxy speaks: tcp (layer 4) or http (layer 7).',
  parse(ctx, args) {
    if (!noExtraArgs(ctx, args, 1)) return;
    const m = args[1] ?? '';
    if (m === 'health') {
      ctx.alert("'mode health' doesn't exist anymore. Please use 'http-request return status 200' instead.");
      return;
    }
    if (m !== 'tcp' && m !== 'http' && m !== 'log') {
      ctx.alert(`unknown proxy mode '${m}'.`);
      return;
    }
    ctx.state.mode = m;
    if (m !== 'tcp') ctx.notYet(`keyword 'mode ${m}'`);
  },
};

const description: Row = {
  name: 'description',
  cap: CAP_FE | CAP_BE,
  status: 'supported',
  summary: 'Text shown on the stats page and in the runtime API.',
  parse(ctx, args) {
    if (args.length < 2) {
      ctx.alert("'description' expects a string argument.", 'tight');
      return;
    }
    ctx.state.description = args.slice(1).join(' ');
  },
  capMismatch: 'alert',
};

const defaultBackend: Row = {
  name: 'default_backend',
  cap: CAP_FE | CAP_DEF,
  status: 'supported',
  summary: 'Backend used when no use_backend rule matches.',
  parse(ctx, args) {
    if (!args[1]) {
      ctx.alert("'default_backend' expects a backend name.");
      return;
    }
    if (!noExtraArgs(ctx, args, 1)) return;
    ctx.state.defaultBackend = { name: args[1], where: ctx.where };
  },
};

const ALGORITHMS: Record<string, 'supported' | 'notyet'> = {
  roundrobin: 'supported',
  'static-rr': 'notyet',
  leastconn: 'notyet',
  first: 'notyet',
  source: 'notyet',
  uri: 'notyet',
  url_param: 'notyet',
  hdr: 'notyet',
  random: 'notyet',
  'rdp-cookie': 'notyet',
  'hash': 'notyet',
};

const balance: Row = {
  name: 'balance',
  cap: CAP_BE | CAP_DEF,
  status: 'partial',
  note: 'only roundrobin runs yet',
  summary: 'Load-balancing algorithm of a backend.',
  parse(ctx, args) {
    if (args.length < 2) return; // HAProxy accepts a bare 'balance' and keeps the default
    const word = args[1]!;
    const name = /^(hdr|rdp-cookie|random|hash)\(?/.exec(word)?.[1] ?? word;
    const status = ALGORITHMS[name];
    if (!status) {
      ctx.alert(
        "balance only supports 'roundrobin', 'static-rr', 'leastconn', 'source', 'uri', 'url_param', 'hdr(name)' and 'rdp-cookie(name)' options.",
      );
      return;
    }
    ctx.state.balance = { algorithm: name, args: { words: args.slice(2) }, where: ctx.where };
    if (status === 'notyet') ctx.notYet(`keyword 'balance ${name}'`);
  },
};

export const rows: Row[] = [mode, description, defaultBackend, balance];
