/**
 * `peers <name>` (configuration.txt 3.5): the processes that share stick tables.
 *
 *   peer <name> <addr>:<port> [server options]      (old syntax)
 *   bind [<addr>]:<port> [bind options]               (new syntax: the local listener)
 *   server <name> [<addr>:<port>] [server options]    (new syntax: no address for the local peer)
 *   default-bind [options] / default-server [options]
 *   table <name> type ... size ... [expire ...] [nopurge] [store ...]
 *   log ... / disabled / enabled
 *
 * HAProxy reads a peer line as a server ("'server <local>/<peer>'" in its messages) and, for
 * the local peer, also as a listener ("'peer <name>'"): both readings report their errors.
 * A peers section without the local peer is removed after the last line, with a warning
 * (checks/sections.ts).
 */
import { BIND_ADDRESS, SERVER_ADDRESS } from '../address.js';
import { parseBindOptions } from '../bind-options/index.js';
import type { KeywordContext, KeywordRow } from '../keywords.js';
import type { PeersModel } from '../model/sections.js';
import { parseServerOptions, serverOptionRows } from '../server-options/index.js';
import { parseStickTable } from './proxy/stick-table.js';
import { addressError, parseAddressChecked, resolveLater } from './global/addresses.js';
import { readSectionLog } from './global/log.js';
import { invalidNameChar } from './names.js';
import { at, checkHeader, simpleSection, unknownIn } from './simple.js';

type Row = KeywordRow<PeersModel>;
type Ctx = KeywordContext<PeersModel>;

/** Parse-time facts about a peers section that the model does not keep. */
interface PeersParseState {
  /** Where the local peer was declared. */
  local?: import('../types.js').Where;
  /** Where the first `peer` line and the `bind` line are. */
  peerLine?: import('../types.js').Where;
  bindLine?: import('../types.js').Where;
}

const parseState = new WeakMap<PeersModel, PeersParseState>();

function state(model: PeersModel): PeersParseState {
  let s = parseState.get(model);
  if (!s) parseState.set(model, (s = {}));
  return s;
}

/** The local peer name: `localpeer`, else -L or the host name. */
export function localPeerName(ctx: KeywordContext<unknown>): string {
  return ctx.load.global.localpeer ?? ctx.load.options.localPeer;
}

/**
 * A peer's address read as a server address (no port range, no file descriptor). Returns
 * false after an alert.
 */
function serverAddress(ctx: Ctx, label: string, text: string): { ok: boolean; address?: import('../model/address.js').AddressModel } {
  if (/^(?:(?:stream|dgram)\+)?(?:fd|sockpair)@/.test(text)) {
    ctx.alert(`${label} : a file descriptor is not acceptable here in '${text}'\n`, 'bare');
    return { ok: false };
  }
  const r = parseAddressChecked(text, { ...SERVER_ADDRESS, portOffset: false });
  if ('error' in r) {
    ctx.alert(`${label} : ${addressError(r.error)}`, 'bare');
    return { ok: false };
  }
  resolveLater(ctx, r.address, `${label} : invalid address: '${r.address.hostname}' in '${text}'\n`, 'bare');
  return { ok: true, address: r.address };
}

/** The local peer's address read as a listener ("'peer <name>' : ..."). */
function listenerAddress(ctx: Ctx, name: string, text: string): boolean {
  const label = `'peer ${name}' : `;
  const fd = /^(?:(?:stream|dgram)\+)?(?:fd|sockpair)@([0-9]+)$/.exec(text);
  if (fd) {
    ctx.alert(`${label}cannot use file descriptor '${fd[1]}' : Socket operation on non-socket.`);
    return false;
  }
  const r = parseAddressChecked(text, { ...BIND_ADDRESS, portRange: false });
  if ('error' in r) {
    // A port range was already refused by the server reading.
    if (/^port range/.test(r.error)) return false;
    ctx.alert(`${label}${r.error}`);
    return false;
  }
  resolveLater(ctx, r.address, `${label}invalid address: '${r.address.hostname}' in '${text}'`);
  return true;
}

/** Server options that mean nothing for a peer. */
const IGNORED_FOR_PEERS = ['check', 'agent-check', 'init-addr', 'resolvers'];

/** `peer <name> <addr> [opts]` and `server <name> [<addr>] [opts]`. */
function peerRow(kw: 'peer' | 'server'): Row {
  return {
    name: kw,
    status: 'notyet',
    summary: kw === 'peer' ? 'A peer: its name and address (the local one is also listened on).' : 'A peer (new syntax): no address for the local one.',
    parse(ctx, args) {
      const model = ctx.state;
      const st = state(model);
      if (kw === 'peer' && st.bindLine) {
        ctx.alert('mixing "peer" and "bind" line is forbidden');
        return;
      }
      const name = args[1] ?? '';
      // HAProxy accepts a lone "peer" line and does nothing with it.
      if (name === '') return;
      const bad = invalidNameChar(name);
      if (bad !== undefined) {
        ctx.alert(`character '${bad}' is not permitted in peer name '${name}'.`, 'bare');
        return;
      }
      const localName = localPeerName(ctx);
      const local = name === localName;
      if (kw === 'peer') st.peerLine ??= ctx.where;
      if (local && st.local) {
        ctx.alert(`'${kw} ${name}' : local peer name already referenced at ${at(st.local)}. ${localName}`);
        return;
      }
      const proxyName = local || st.local ? localName : '(null)';
      const label = `'server ${proxyName}/${name}'`;
      let address: import('../model/address.js').AddressModel | undefined;
      let optionsFrom = 2;
      let ok = true;
      if (kw === 'server' && local) {
        // The local peer of the new syntax listens on the `bind` line: no address here.
        if (args[2] !== undefined && args[2] !== '' && !isServerOption(args[2])) {
          ctx.alert(`${label} : unknown keyword '${args[2]}'. Hint: no address was expected for this server.`, 'bare');
          return;
        }
      } else if (args[2] !== undefined && args[2] !== '') {
        const r = serverAddress(ctx, label, args[2]);
        ok = r.ok;
        address = r.address;
        optionsFrom = 3;
      }
      const options = ok ? parseServerOptions(ctx, args, optionsFrom, model.defaultServer, label, name, false) : undefined;
      if (kw === 'peer' && local && args[2]) {
        if (!listenerAddress(ctx, name, args[2])) return;
      }
      if (!options) return;
      if (IGNORED_FOR_PEERS.some((o) => options[o] !== undefined && options[o] !== model.defaultServer[o])) {
        ctx.warning(`'${kw} ${name}' : init_addr, resolvers, check and agent are ignored for peers.`);
      }
      if (local) st.local = ctx.where;
      model.peers.push({ where: ctx.where, name, address, local, viaServer: kw === 'server', options });
    },
  };
}

/** Whether a word is a server option name (then it is not a misplaced address). */
function isServerOption(word: string): boolean {
  return serverOptionRows.some((r) => r.name === word);
}

const bind: Row = {
  name: 'bind',
  status: 'notyet',
  summary: 'The local peer\'s listening address (new syntax).',
  parse(ctx, args) {
    const model = ctx.state;
    const st = state(model);
    if (st.peerLine) {
      ctx.alert('mixing "peer" and "bind" line is forbidden');
      return;
    }
    if (st.bindLine) {
      ctx.alert(`One listener per "peers" section is authorized but another is already configured at [${at(st.bindLine)}].`);
      return;
    }
    const addresses = [];
    if (args[1]) {
      const r = parseAddressChecked(args[1], BIND_ADDRESS);
      if ('error' in r) {
        ctx.alert(`'bind ${args[1]}' : ${r.error}`);
        return;
      }
      resolveLater(ctx, r.address, `'bind ${args[1]}' : invalid address: '${r.address.hostname}' in '${args[1]}'`);
      addresses.push(r.address);
    }
    const options = parseBindOptions(ctx, args, 2, 'peers', `'bind ${args[1] ?? ''}' in section 'peers'`);
    if (!options) return;
    st.bindLine = ctx.where;
    model.binds.push({ where: ctx.where, addresses, options: { ...model.defaultBind, ...options } });
  },
};

const defaultBind: Row = {
  name: 'default-bind',
  status: 'notyet',
  summary: 'Default options of the local peer\'s listener.',
  parse(ctx, args) {
    // HAProxy's label names the first word after the keyword, as for a bind line.
    const options = parseBindOptions(ctx, args, 1, 'peers', `'default-bind ${args[1] ?? ''}' in section 'peers'`);
    if (options) ctx.state.defaultBind = { ...ctx.state.defaultBind, ...options };
  },
};

const defaultServer: Row = {
  name: 'default-server',
  status: 'notyet',
  summary: 'Default options of the peers\' connections (transport settings).',
  parse(ctx, args) {
    if (args[1] !== undefined && !isServerOption(args[1])) {
      ctx.alert(`unknown keyword '${args[1]}'. Hint: no address was expected for this server.`, 'bare');
      return;
    }
    const options = parseServerOptions(ctx, args, 1, ctx.state.defaultServer, "'default-server'", 'default-server', true);
    if (options) ctx.state.defaultServer = options;
  },
};

const log: Row = {
  name: 'log',
  status: 'notyet',
  summary: 'Where the peers listener logs.',
  parse(ctx, args) {
    readSectionLog(ctx, args);
  },
};

/**
 * `table <name> type ... size ... [expire ...] [nopurge] [store ...]`: the stick-table grammar
 * (configuration.txt 4.2), read by the stick-table parser. HAProxy checks neither the name nor
 * duplicates here; the table is referenced as "<peers>/<name>".
 */
const table: Row = {
  name: 'table',
  status: 'notyet',
  summary: 'A stick table shared by the peers of this section.',
  parse(ctx, args) {
    const name = args[1] ?? '';
    const t = parseStickTable(ctx, args, 2, name);
    if (t) ctx.state.tables.push(t);
  },
};

function switchRow(name: 'disabled' | 'enabled'): Row {
  return {
    name,
    status: 'notyet',
    summary: name === 'disabled' ? 'Disable this peers section (no listener, no synchronization).' : 'Enable this peers section again.',
    parse(ctx) {
      // HAProxy ignores words after it.
      ctx.state.disabled = name === 'disabled';
    },
  };
}

export const peersSection = simpleSection<PeersModel>({
  kind: 'peers',
  summary: 'Peers that share stick tables.',
  status: 'notyet',
  rows: [bind, defaultBind, defaultServer, peerRow('peer'), peerRow('server'), log, table, switchRow('disabled'), switchRow('enabled')],
  unknown: unknownIn('peers'),
  open(ctx, args) {
    const h = checkHeader(ctx, args, {
      missing: { message: 'missing name for peers section.', then: 'abort' },
      maxArgs: 1,
      invalid: { message: (c, n) => `character '${c}' is not permitted in 'peers' name '${n}'.`, then: 'abort' },
    });
    if ('failed' in h) return undefined;
    const prev = ctx.load.peers.find((p) => p.name === h.name);
    if (prev) {
      ctx.alert(`peers section '${h.name}' has the same name as another peers section declared at ${at(prev.where)}.`, 'capital');
    }
    const model: PeersModel = {
      where: ctx.where,
      name: h.name,
      disabled: false,
      peers: [],
      binds: [],
      defaultBind: {},
      defaultServer: {},
      tables: [],
      logs: [],
    };
    ctx.load.peers.push(model);
    return model;
  },
});

/** Where the local peer of a section was declared (for the post checks). */
export function peersLocal(model: PeersModel): boolean {
  return model.peers.some((p) => p.local);
}

