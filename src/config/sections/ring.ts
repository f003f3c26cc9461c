/**
 * `ring <name>` (configuration.txt 3.9): an in-memory ring buffer that logs and traces can be
 * sent to ("log ring@<name>"), optionally forwarded to syslog servers over TCP.
 *
 *   description <text>   format <format>   maxlen <length>   size <size>
 *   backing-file <path>  timeout connect|server <time>
 *   server <name> <addr> [server options]
 */
import { SERVER_ADDRESS } from '../address.js';
import type { KeywordRow } from '../keywords.js';
import type { RingModel } from '../model/sections.js';
import { parseServerOptions } from '../server-options/index.js';
import { addressError, parseAddressChecked, resolveLater } from './global/addresses.js';
import { atol, readTime } from './global/helpers.js';
import { invalidNameChar } from './names.js';
import { checkHeader, simpleSection } from './simple.js';

type Row = KeywordRow<RingModel>;

/** The size of a ring when `size` is not given (HAProxy's default buffer size). */
export const RING_DEFAULT_SIZE = 16384;

const RING_FORMATS = ['iso', 'local', 'priority', 'raw', 'rfc3164', 'rfc5424', 'short', 'timed'];

const description: Row = {
  name: 'description',
  status: 'notyet',
  summary: 'Text describing the ring ("show events").',
  parse(ctx, args) {
    if (!args[1]) {
      ctx.alert('missing ring description text.');
      return;
    }
    ctx.state.description = args.slice(1).join(' ');
  },
};

const format: Row = {
  name: 'format',
  status: 'notyet',
  summary: 'Format of the messages stored: raw, rfc3164, rfc5424, short, ...',
  parse(ctx, args) {
    const f = args[1] ?? '';
    if (!RING_FORMATS.includes(f)) {
      ctx.alert(`unknown format '${f}'.`);
      return;
    }
    ctx.state.format = f;
  },
};

const maxlen: Row = {
  name: 'maxlen',
  status: 'notyet',
  summary: 'Longest message stored; longer ones are truncated.',
  parse(ctx, args) {
    const v = atol(args[1]);
    if (v <= 0) {
      ctx.alert(`invalid size '${args[1] ?? ''}' for new sink buffer.`);
      return;
    }
    ctx.state.maxlen = v;
  },
};

/**
 * `size <size>`: read with atol() ("1k" is 1). A ring never shrinks: a smaller size is
 * refused. HAProxy prints that refusal as a warning but fails the configuration.
 */
const size: Row = {
  name: 'size',
  status: 'notyet',
  summary: 'Size of the ring buffer in bytes (default 16384).',
  parse(ctx, args) {
    const v = atol(args[1]);
    if (v <= 0) {
      ctx.alert(`invalid size '${args[1] ?? ''}' for new sink buffer.`);
      return;
    }
    const current = ctx.state.size ?? RING_DEFAULT_SIZE;
    if (v < current) {
      ctx.warningFatal(`ignoring new size '${v}' that is smaller than current size '${current}' for ring '${ctx.state.name}'.`);
      return;
    }
    ctx.state.size = v;
  },
};

const backingFile: Row = {
  name: 'backing-file',
  status: 'notyet',
  summary: 'File the ring is mapped to, to survive a crash.',
  parse(ctx, args) {
    if (!args[1]) {
      ctx.alert(`cannot open backing-file '' for ring '${ctx.state.name}': No such file or directory.`);
      return;
    }
    (ctx.state as RingModel & { backingFile?: string }).backingFile = args[1];
  },
};

const timeout: Row = {
  name: 'timeout',
  status: 'notyet',
  summary: 'timeout connect / timeout server of the ring\'s TCP log servers.',
  parse(ctx, args) {
    const event = args[1] ?? '';
    // HAProxy ignores a timeout other than connect and server.
    if (event !== 'connect' && event !== 'server') return;
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

/** `server <name> <addr> [options]`: a TCP syslog server the ring forwards to. */
const server: Row = {
  name: 'server',
  status: 'notyet',
  summary: 'A TCP syslog server the ring\'s messages are forwarded to.',
  parse(ctx, args) {
    const ring = ctx.state;
    const name = args[1] ?? '';
    if (name === '' || !args[2]) {
      ctx.alert("'server' expects <name> and <addr>[:<port>] as arguments.", 'bare');
      return;
    }
    const bad = invalidNameChar(name);
    if (bad !== undefined) {
      ctx.alert(`character '${bad}' is not permitted in server name '${name}'.`, 'bare');
      return;
    }
    const label = `'server ${ring.name}/${name}'`;
    const r = parseAddressChecked(args[2], SERVER_ADDRESS);
    if ('error' in r) {
      ctx.alert(`${label} : ${addressError(r.error)}`, 'bare');
      return;
    }
    const options = parseServerOptions(ctx, args, 3, {}, label, name, false);
    if (!options) return;
    const prev = ring.servers.find((s) => s.name === name);
    if (prev) {
      ctx.alert(`backend '${ring.name}', another server named '${name}' was already defined at line ${prev.where.line}, please use distinct names.`);
      return;
    }
    resolveLater(ctx, r.address, `${label} : invalid address: '${r.address.hostname}' in '${args[2]}'\n`, 'bare');
    ring.servers.push({ where: ctx.where, name, address: r.address, options });
  },
};

/** Rings share one namespace with the other sinks. */
export const ringSection = simpleSection<RingModel>({
  kind: 'ring',
  summary: 'An in-memory ring buffer for logs and traces.',
  status: 'notyet',
  rows: [description, format, maxlen, size, backingFile, timeout, server],
  unknown: { message: (w) => `unknown statement '${w}'.` },
  open(ctx, args) {
    // Words after the name are ignored; after a refused header the lines are still read.
    const h = checkHeader(ctx, args, {
      missing: { message: 'missing ring name.', then: 'continue' },
      invalid: { message: (c, n) => `invalid ring name '${n}' (character '${c}' is not permitted).`, then: 'continue' },
    });
    const dummy = (): RingModel => ({ where: ctx.where, name: args[1] ?? '', timeouts: {}, servers: [] });
    if ('failed' in h) return dummy();
    if (ctx.load.rings.some((r) => r.name === h.name)) {
      ctx.alert(`sink named '${h.name}' already exists.`);
      return dummy();
    }
    const model: RingModel = { where: ctx.where, name: h.name, timeouts: {}, servers: [] };
    ctx.load.rings.push(model);
    return model;
  },
});
