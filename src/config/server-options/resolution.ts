/**
 * Resolution of server names at startup, following `init-addr` (configuration.txt 5.2):
 * methods tried in order, "last" (the server-state file), "libc" (the system resolver),
 * "none" (start without address), or an IP address; the default is "last,libc". -dr adds
 * "none". HAProxy reports each server that could not be resolved, then "Failed to initialize
 * server(s) addr." once: the reports are kept until every server name was looked up, and
 * printed in the order of the configuration.
 */
import { neverResolves } from '../address.js';
import type { LoadState, Mutable } from '../load-state.js';
import type { AddressModel } from '../model/address.js';
import type { Where } from '../types.js';

interface Report {
  readonly order: number;
  readonly severity: 'alert' | 'warning';
  readonly where: Where;
  readonly message: string;
}

interface Tracker {
  pending: number;
  next: number;
  failed: boolean;
  reports: Report[];
}

const trackers = new WeakMap<LoadState, Tracker>();

function tracker(load: LoadState): Tracker {
  let t = trackers.get(load);
  if (!t) trackers.set(load, (t = { pending: 0, next: 0, failed: false, reports: [] }));
  return t;
}

function done(load: LoadState, t: Tracker): void {
  if (--t.pending > 0) return;
  t.reports.sort((a, b) => a.order - b.order);
  for (const r of t.reports) {
    if (r.severity === 'alert') load.diag.alert(r.where, r.message, 'bare');
    else load.diag.warning(r.where, r.message, 'bare');
  }
  if (t.failed) load.diag.alert(undefined, 'Failed to initialize server(s) addr.');
  t.reports = [];
  t.failed = false;
}

/**
 * Queues the resolution of a server's name. `label` is "'server be/srv'". Does nothing for a
 * literal address.
 */
export function resolveServerAddress(
  load: LoadState,
  where: Where,
  label: string,
  address: AddressModel,
  initAddr: readonly string[] | undefined,
): void {
  const host = address.hostname;
  if (host === undefined) return;
  const methods = [...(initAddr && initAddr.length > 0 ? initAddr : ['last', 'libc'])];
  if (load.options.ignoreResolveFailures) methods.push('none');
  // A name starting with '_' is a DNS SRV record: only a resolvers section can follow it.
  const srvRecord = host.startsWith('_');
  const t = tracker(load);
  const order = t.next++;
  t.pending++;
  const addr = address as Mutable<AddressModel>;

  const conclude = (libc: { ip: string; family: 'ipv4' | 'ipv6' } | undefined): void => {
    let libcFailed = false;
    for (const m of methods) {
      if (m === 'last') continue;
      if (m === 'libc') {
        if (srvRecord) continue;
        if (libc) {
          addr.ip = libc.ip;
          addr.family = libc.family;
          return;
        }
        libcFailed = true;
        continue;
      }
      if (m === 'none') {
        if (libcFailed) t.reports.push({ order, severity: 'warning', where, message: `${label} : could not resolve address '${host}', disabling server.` });
        return;
      }
      // An IP address given as fallback.
      if (libcFailed) {
        t.reports.push({ order, severity: 'warning', where, message: `${label} : could not resolve address '${host}', falling back to configured address.` });
      }
      addr.ip = m;
      addr.family = m.includes(':') ? 'ipv6' : 'ipv4';
      return;
    }
    t.failed = true;
    t.reports.push({
      order,
      severity: 'alert',
      where,
      message: libcFailed ? `${label} : could not resolve address '${host}'.` : `${label} : no method found to resolve address '${host}'.`,
    });
  };

  load.resolutions.push({
    where,
    hostname: host,
    family: address.anyFamily ? 'any' : address.family === 'ipv6' ? 'ipv6' : 'ipv4',
    resolved(ip, family) {
      // HAProxy validates the name before asking the system resolver.
      conclude(neverResolves(host) ? undefined : { ip, family });
      done(load, t);
    },
    failed() {
      conclude(undefined);
      done(load, t);
    },
  });
}
