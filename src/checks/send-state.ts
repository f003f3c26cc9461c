/**
 * The X-Haproxy-Server-State header of `http-check send-state` (configuration.txt 4.2
 * "http-check send-state"; HAProxy's httpchk_build_status_header): the server's state as
 * its health check sees it, then where it is and its load:
 *   "UP 2/3; address=10.0.0.1; port=80; name=be/srv; node=host; weight=1/2; scur=0/1; qcur=0"
 * The state is "UP" / "DOWN" / "NOLB" (stopping) with "<n>/<m>" while going down or up.
 * weight is the server's over the backend's total (its usable active servers, else backups),
 * scur the server's connections over the backend's (queued ones excluded), qcur its queue.
 */
import type { RuntimeBackend } from '../runtime/backend.js';
import { OpState } from '../runtime/server-flags.js';
import type { RuntimeServer } from '../runtime/server.js';

export interface CheckCounters {
  readonly health: number;
  readonly rise: number;
  readonly fall: number;
}

export function serverStateHeader(be: RuntimeBackend, s: RuntimeServer, c: CheckCounters, node: string): string {
  let state: string;
  if (s.opState !== OpState.Stopped) {
    const up = c.health === c.rise + c.fall - 1;
    const word = s.opState === OpState.Stopping ? 'NOLB' : 'UP';
    state = up ? word : `${word} ${c.health - c.rise + 1}/${c.fall}`;
  } else {
    state = c.health ? `DOWN ${c.health}/${c.rise}` : 'DOWN';
  }
  const a = s.model.address;
  const inet = a.family === 'ipv4' || a.family === 'ipv6';
  const address = inet ? (a.ip ?? '') : a.family === 'unix' ? 'unix' : '';
  const port = inet ? String(a.port ?? 0) : '';
  let active = 0;
  let backup = 0;
  for (const x of be.servers) {
    if (!x.usable()) continue;
    if (x.backup) backup += x.weight;
    else active += x.weight;
  }
  const hasActive = be.servers.some((x) => !x.backup && x.usable());
  const total = hasActive ? active : backup;
  return `${state}; address=${address}; port=${port}; name=${be.name}/${s.name}; node=${node}; weight=${s.weight}/${total}; scur=${s.sessions}/${be.current - be.queue.length}; qcur=${s.queue.length}`;
}
