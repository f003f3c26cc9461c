/**
 * Whole-configuration checks of the small sections (userlist, peers, resolvers, mailers, ring,
 * program, log-forward, fcgi-app), with HAProxy's messages, which carry no file:line.
 */
import type { LoadState } from '../load-state.js';
import type { ProxyModel } from '../model/proxy.js';
import { RING_DEFAULT_SIZE } from '../sections/ring.js';
import type { PostCheck } from './types.js';

/**
 * Names in `user ... groups` and `group ... users` must exist in the same userlist. HAProxy
 * checks the lists, users and groups from the last declared to the first, users before groups,
 * and stops at the first error.
 */
const userlists: PostCheck = (load) => {
  for (const list of [...load.userlists].reverse()) {
    const groups = new Set(list.groups.map((g) => g.name));
    const users = new Set(list.users.map((u) => u.name));
    for (const user of [...list.users].reverse()) {
      const missing = user.groups.find((g) => !groups.has(g));
      if (missing !== undefined) {
        load.diag.alert(undefined, `userlist '${list.name}': no such group '${missing}' specified in user '${user.name}'`);
        return;
      }
    }
    for (const group of [...list.groups].reverse()) {
      const missing = group.users.find((u) => !users.has(u));
      if (missing !== undefined) {
        load.diag.alert(undefined, `userlist '${list.name}': no such user '${missing}' specified in group '${group.name}'`);
        return;
      }
    }
  }
};

/** A peers section without the local peer is removed (it could neither listen nor be reached). */
const peers: PostCheck = (load) => {
  const local = load.global.localpeer ?? load.options.localPeer;
  for (const p of load.peers) {
    if (p.disabled) continue;
    if (!p.peers.some((x) => x.local)) load.diag.warning(undefined, `Removing incomplete section 'peers ${p.name}' (no peer named '${local}').`);
  }
};

const resolvers: PostCheck = (load) => {
  for (const r of load.resolvers) {
    if (r.nameservers.length === 0) {
      load.diag.warning(undefined, `resolvers '${r.name}' [${r.where.file}:${r.where.line}] has no nameservers configured!`);
      continue;
    }
    for (const ns of r.nameservers) {
      if (ns.address.family === 'unix' || ns.address.family === 'abns') {
        load.diag.alert(undefined, `resolvers '${r.name}': can't create socket for nameserver '${ns.name}'.`);
      }
    }
  }
};

/** A mailers section that no proxy names in `email-alert mailers` is dropped. */
const mailers: PostCheck = (load) => {
  const used = new Set<string>();
  for (const p of [...load.proxies, ...load.defaults]) {
    const ea = (p as ProxyModel & { emailAlert?: { mailers?: string } }).emailAlert;
    if (ea?.mailers) used.add(ea.mailers);
  }
  for (const m of load.mailers) {
    if (!used.has(m.name)) load.diag.warning(undefined, `Removing incomplete section 'mailers ${m.name}'.`);
  }
};

const MISSING_TIMEOUTS =
  '   | While not properly invalid, you will certainly encounter various problems\n' +
  '   | with such a configuration. To fix this, please ensure that all following\n' +
  "   | timeouts are set to a non-zero value: 'client', 'connect', 'server'.";

const rings: PostCheck = (load) => {
  for (const r of load.rings) {
    const size = r.size ?? RING_DEFAULT_SIZE;
    if (r.maxlen !== undefined && r.maxlen > size) {
      load.diag.warning(undefined, `ring '${r.name}' event max length '${r.maxlen}' exceeds size, forced to size '${size}'.`);
    }
    if (r.servers.length > 0 && (!r.timeouts.connect || !r.timeouts.server)) {
      load.diag.warning(undefined, `missing timeouts for backend '${r.name}'.\n${MISSING_TIMEOUTS}`);
    }
  }
};

const programs: PostCheck = (load) => {
  for (const p of load.programs) {
    if (!p.command) load.diag.alert(undefined, `The program section '${p.name}' lacks a command to launch.`);
  }
  if (load.programs.length > 0 && !load.global.masterWorker && !load.options.masterWorker) {
    load.diag.alert(undefined, "Can't use a 'program' section without master worker mode.");
  }
};

/** A log-forward section is a frontend for HAProxy: without a listener it says so. */
const logForwards: PostCheck = (load) => {
  for (const l of load.logForwards) {
    if (l.binds.length === 0 && l.dgramBinds.length === 0) {
      load.diag.warning(undefined, `frontend '${l.name}' has no 'bind' directive. Please declare it as a backend if this was intended.`);
    }
  }
};

/**
 * fcgi-app: a document root is required; `max-reqs` above 1 needs `mpxs-conns` (HAProxy
 * prints that one as a warning but fails).
 */
const fcgiApps: PostCheck = (load: LoadState) => {
  for (const f of load.fcgiApps) {
    if (f.docroot === undefined) {
      load.diag.alert(undefined, `fcgi-app '${f.name}': no docroot configured.`);
      continue;
    }
    if (f.maxReqs !== undefined && f.maxReqs > 1 && !f.options['mpxs-conns']) {
      load.diag.warningFatal(undefined, `fcgi-app '${f.name}': multiplexing not supported, ignore the option 'max-reqs'.`);
    }
  }
};

export const sectionChecks: PostCheck[] = [userlists, peers, resolvers, mailers, rings, programs, logForwards, fcgiApps];
