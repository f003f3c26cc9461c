/**
 * The sections besides global and the proxies. Each will get its own file as it is built;
 * until then they accept their keywords' grammar and report them as not supported yet.
 */
import type { LoadState } from '../load-state.js';
import type { GenericSectionModel, PeersModel, UserlistModel } from '../model/sections.js';
import type { SectionRow } from '../parser.js';
import { recordRow, simpleSection } from './simple.js';

function generic(kind: import('../types.js').SectionKind, summary: string, store: (l: LoadState) => GenericSectionModel[], rows: string[]): SectionRow<GenericSectionModel> {
  return simpleSection<GenericSectionModel>({
    kind,
    summary,
    status: 'notyet',
    rows: rows.map((r) => recordRow<GenericSectionModel>(r, `${kind} setting '${r}'.`)),
    create: (base) => base,
    store,
  });
}

export const otherSections: SectionRow<any>[] = [
  simpleSection<UserlistModel>({
    kind: 'userlist',
    summary: 'Users and groups for HTTP authentication.',
    status: 'notyet',
    rows: [recordRow('group', 'A group of users.', 1), recordRow('user', 'A user and its password.', 1)],
    create: (base) => ({ ...base, groups: [], users: [] }),
    store: (l) => l.userlists,
  }),
  simpleSection<PeersModel>({
    kind: 'peers',
    summary: 'Peers that share stick tables.',
    status: 'notyet',
    rows: [recordRow('peer', 'A peer: name and address.', 1), recordRow('bind', 'Local address.', 1), recordRow('server', 'A remote peer.', 1), recordRow('table', 'A stick table shared with the peers.', 1), recordRow('disabled', 'Disable this peers section.'), recordRow('enabled', 'Enable this peers section.'), recordRow('default-server', 'Defaults for the peers.'), recordRow('default-bind', 'Defaults for the local bind.'), recordRow('log', 'Log target.', 1), recordRow('shards', 'Number of shards.', 1)],
    create: (base) => ({ ...base, peers: [] }),
    store: (l) => l.peers,
  }),
  generic('resolvers', 'DNS resolvers for server addresses.', (l) => l.resolvers, ['nameserver', 'parse-resolv-conf', 'accepted_payload_size', 'resolve_retries', 'timeout', 'hold']),
  generic('http-errors', 'Error pages shared by proxies.', (l) => l.httpErrors, ['errorfile']),
  generic('mailers', 'Mail servers for email alerts.', (l) => l.mailers, ['mailer', 'timeout']),
  generic('ring', 'An in-memory ring buffer for logs and traces.', (l) => l.rings, ['description', 'format', 'maxlen', 'size', 'timeout', 'server']),
  generic('program', 'An external program started and watched by the master process.', (l) => l.programs, ['command', 'user', 'group', 'option']),
  generic('cache', 'An HTTP cache.', (l) => l.caches, ['total-max-size', 'max-object-size', 'max-age', 'process-vary', 'max-secondary-entries']),
  generic('log-forward', 'A syslog forwarder.', (l) => l.logForwards, ['bind', 'dgram-bind', 'log', 'maxconn', 'backlog', 'timeout']),
  generic('fcgi-app', 'A FastCGI application.', (l) => l.fcgiApps, ['docroot', 'index', 'path-info', 'option', 'log-stderr', 'pass-header', 'set-param']),
];
