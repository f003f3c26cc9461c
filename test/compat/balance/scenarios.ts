/**
 * Balancing scenarios: one backend configuration and a sequence of client connections, run
 * through haproxy (record.ts writes what it chose into fixtures/), through Portier's algorithms
 * in-process (test/unit/lb/replay.test.ts) and through bin/portier (test/compat/balance.test.ts).
 *
 * In `backend`, {s1}, {s2}, ... stand for the address of the test service of that name; each
 * service answers its own name and keeps the connection open until the client closes it.
 * Steps:
 *   - connect: n connections one after another; each is closed as soon as the name is read
 *     (and released by the proxy) unless `hold`: then it stays open, numbered from 0 in the order
 *     held; `from` gives the client's source address(es), cycled over the connections.
 *   - close: closes held connections by number.
 *   - cli: a runtime API command (set server state, set weight), on the stats socket.
 * A connection that gets no answer (its server refused it, even after the redispatch) is
 * recorded as '-'.
 */

export type Step =
  | { readonly connect: number; readonly hold?: boolean; readonly from?: readonly string[] }
  | { readonly close: readonly number[] }
  | { readonly cli: string };

export interface Scenario {
  readonly name: string;
  readonly about: string;
  readonly backend: readonly string[];
  /** Service names (answering their name), s1.. by default from the backend's {sN}. */
  readonly services: readonly string[];
  /** The bind line; {port} is replaced. Default: bind 127.0.0.1:{port}. */
  readonly bind?: string;
  readonly steps: readonly Step[];
  /** Services that refuse connections (a closed port): the proxy retries and redispatches. */
  readonly dead?: readonly string[];
  /** Random choices: compared by distribution only. */
  readonly random?: boolean;
}

/** The configuration of a scenario, with its services' ports, the listener's port and the socket. */
export function scenarioConfig(sc: Pick<Scenario, 'backend' | 'bind'>, ports: ReadonlyMap<string, number>, port: number, sock: string): string {
  const fill = (line: string): string => line.replace(/\{([a-z0-9]+)\}/g, (_, n: string) => (n === 'port' ? String(port) : `127.0.0.1:${ports.get(n) ?? 0}`));
  return [
    'global',
    `    stats socket ${sock} level admin`,
    'defaults',
    '    mode tcp',
    '    timeout connect 5s',
    '    timeout client 30s',
    '    timeout server 30s',
    'listen be',
    `    ${fill(sc.bind ?? 'bind 127.0.0.1:{port}')}`,
    ...sc.backend.map((l) => `    ${fill(l)}`),
    '',
  ].join('\n');
}

/** 127.0.0.1 .. 127.0.0.n. */
export function loopbacks(n: number, first = 1): string[] {
  return Array.from({ length: n }, (_, i) => `127.0.0.${first + i}`);
}

const SRC40 = loopbacks(40);

function services(n: number, prefix = 's'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
}

/** Four servers for the hash scenarios: weights 1, 2, 1, 3. */
const HASH_SERVERS = ['server s1 {s1} weight 1', 'server s2 {s2} weight 2', 'server s3 {s3} weight 1', 'server s4 {s4} weight 3'];

/** A hash scenario: 40 sources twice, then s2 down and 40 again, then s2 back. */
function hashScenario(name: string, about: string, lines: readonly string[]): Scenario {
  return {
    name,
    about,
    backend: [...lines, ...HASH_SERVERS],
    services: services(4),
    steps: [
      { connect: 40, from: SRC40 },
      { connect: 40, from: SRC40 },
      { cli: 'set server be/s2 state maint' },
      { connect: 40, from: SRC40 },
      { cli: 'set server be/s2 state ready' },
      { connect: 40, from: SRC40 },
    ],
  };
}

/**
 * A server that refuses connections, `retries 1` and `option redispatch`: HAProxy tries the
 * chosen server, releases it, and picks again avoiding it (redispatch).
 */
function redispatchScenarios(): Scenario[] {
  const base = ['retries 1', 'option redispatch'];
  const three = ['server s1 {s1}', 'server s2 {s2} weight 2', 'server s3 {s3}'];
  return [
    { name: 'roundrobin-redispatch', about: 'roundrobin, s2 refuses connections: redispatched', backend: ['balance roundrobin', ...base, ...three], services: services(3), dead: ['s2'], steps: [{ connect: 12 }] },
    { name: 'static-rr-redispatch', about: 'static-rr, s2 refuses connections: redispatched', backend: ['balance static-rr', ...base, ...three], services: services(3), dead: ['s2'], steps: [{ connect: 12 }] },
    {
      name: 'leastconn-redispatch',
      about: 'leastconn, s2 refuses connections: redispatched, its slot released first',
      backend: ['balance leastconn', ...base, ...three, 'server s4 {s4}'],
      services: services(4),
      dead: ['s2'],
      steps: [{ connect: 7, hold: true }, { close: [1] }, { connect: 5 }],
    },
    {
      name: 'first-redispatch',
      about: 'first, the first server refuses connections: redispatched to the next',
      backend: ['balance first', ...base, 'server s1 {s1}', 'server s2 {s2} maxconn 2', 'server s3 {s3}'],
      services: services(3),
      dead: ['s1'],
      steps: [{ connect: 4, hold: true }, { close: [0] }, { connect: 2, hold: true }],
    },
    {
      name: 'source-consistent-redispatch',
      about: 'balance source, consistent, s2 refuses connections: the ring is walked past it',
      backend: ['balance source', 'hash-type consistent', ...base, ...HASH_SERVERS],
      services: services(4),
      dead: ['s2'],
      steps: [{ connect: 20, from: loopbacks(20) }],
    },
    {
      name: 'source-map-redispatch',
      about: 'balance source, map-based, s2 refuses connections: the map ignores the avoided server',
      backend: ['balance source', ...base, ...HASH_SERVERS],
      services: services(4),
      dead: ['s2'],
      steps: [{ connect: 20, from: loopbacks(20) }],
    },
  ];
}

const HASH_FUNCTIONS = ['sdbm', 'djb2', 'wt6', 'crc32'] as const;

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'roundrobin-equal',
    about: 'roundrobin, four servers of equal weight',
    backend: ['balance roundrobin', 'server s1 {s1}', 'server s2 {s2}', 'server s3 {s3}', 'server s4 {s4}'],
    services: services(4),
    steps: [{ connect: 20 }],
  },
  {
    name: 'roundrobin-weights',
    about: 'roundrobin, weights 1, 2, 3, 5',
    backend: ['balance roundrobin', 'server s1 {s1} weight 1', 'server s2 {s2} weight 2', 'server s3 {s3} weight 3', 'server s4 {s4} weight 5'],
    services: services(4),
    steps: [{ connect: 66 }],
  },
  {
    name: 'roundrobin-odd-weights',
    about: 'roundrobin, weights 10, 1, 33, 7, 100, 0',
    backend: [
      'balance roundrobin',
      'server s1 {s1} weight 10',
      'server s2 {s2} weight 1',
      'server s3 {s3} weight 33',
      'server s4 {s4} weight 7',
      'server s5 {s5} weight 100',
      'server s6 {s6} weight 0',
    ],
    services: services(6),
    steps: [{ connect: 160 }],
  },
  {
    name: 'roundrobin-disabled',
    about: 'roundrobin, weights 2, 1, 3 with s2 in maintenance from the start',
    backend: ['balance roundrobin', 'server s1 {s1} weight 2', 'server s2 {s2} weight 1 disabled', 'server s3 {s3} weight 3'],
    services: services(3),
    steps: [{ connect: 20 }],
  },
  {
    name: 'roundrobin-down-up',
    about: 'roundrobin, weights 2, 1, 3: a server goes down and up, weights change at run time',
    backend: ['balance roundrobin', 'server s1 {s1} weight 2', 'server s2 {s2} weight 1', 'server s3 {s3} weight 3'],
    services: services(3),
    steps: [
      { connect: 7 },
      { cli: 'set server be/s3 state maint' },
      { connect: 10 },
      { cli: 'set server be/s3 state ready' },
      { connect: 15 },
      { cli: 'set weight be/s1 5' },
      { connect: 20 },
      { cli: 'set weight be/s2 0' },
      { connect: 10 },
      { cli: 'set weight be/s2 4' },
      { connect: 25 },
      { cli: 'set server be/s1 state drain' },
      { connect: 9 },
      { cli: 'set server be/s1 state ready' },
      { connect: 13 },
    ],
  },
  {
    name: 'roundrobin-backup',
    about: 'roundrobin with backups: the first backup alone when the actives are down',
    backend: ['balance roundrobin', 'server s1 {s1}', 'server s2 {s2}', 'server b1 {b1} backup', 'server b2 {b2} backup weight 3', 'server b3 {b3} backup'],
    services: ['s1', 's2', 'b1', 'b2', 'b3'],
    steps: [
      { connect: 4 },
      { cli: 'set server be/s1 state maint' },
      { cli: 'set server be/s2 state maint' },
      { connect: 4 },
      { cli: 'set server be/b1 state maint' },
      { connect: 4 },
      { cli: 'set server be/b1 state ready' },
      { connect: 4 },
      { cli: 'set server be/s2 state ready' },
      { connect: 4 },
    ],
  },
  {
    name: 'roundrobin-allbackups',
    about: 'roundrobin with option allbackups: every backup in turn when the actives are down',
    backend: [
      'balance roundrobin',
      'option allbackups',
      'server s1 {s1}',
      'server b1 {b1} backup',
      'server b2 {b2} backup weight 3',
      'server b3 {b3} backup',
    ],
    services: ['s1', 'b1', 'b2', 'b3'],
    steps: [{ connect: 3 }, { cli: 'set server be/s1 state maint' }, { connect: 15 }, { cli: 'set server be/b2 state maint' }, { connect: 6 }],
  },
  {
    name: 'roundrobin-maxconn',
    about: 'roundrobin skips full servers (maxconn) and gives them their turn back',
    backend: ['balance roundrobin', 'server s1 {s1} maxconn 1', 'server s2 {s2} maxconn 2 weight 2', 'server s3 {s3} weight 1'],
    services: services(3),
    steps: [{ connect: 6, hold: true }, { connect: 6 }, { close: [0, 1] }, { connect: 4, hold: true }, { connect: 8 }],
  },
  {
    name: 'static-rr',
    about: 'static-rr, weights 1, 2, 3, 6 (divided by their gcd), a server down and up',
    backend: ['balance static-rr', 'server s1 {s1} weight 2', 'server s2 {s2} weight 4', 'server s3 {s3} weight 6', 'server s4 {s4} weight 12'],
    services: services(4),
    steps: [
      { connect: 30 },
      { cli: 'set server be/s4 state maint' },
      { connect: 14 },
      { cli: 'set weight be/s2 0' },
      { connect: 9 },
      { cli: 'set weight be/s2 100%' },
      { cli: 'set server be/s4 state ready' },
      { connect: 26 },
    ],
  },
  {
    name: 'static-rr-backups',
    about: 'static-rr with backups and no allbackups: the map is as long as the first backup\'s weight but filled from every backup',
    backend: ['balance static-rr', 'server s1 {s1}', 'server b1 {b1} backup weight 2', 'server b2 {b2} backup weight 3', 'server b3 {b3} backup weight 5'],
    services: ['s1', 'b1', 'b2', 'b3'],
    steps: [{ connect: 2 }, { cli: 'set server be/s1 state maint' }, { connect: 10 }, { cli: 'set server be/b1 state maint' }, { connect: 10 }],
  },
  {
    name: 'leastconn-held',
    about: 'leastconn with long-lived connections, weights 1, 1, 2, 1',
    backend: ['balance leastconn', 'server s1 {s1}', 'server s2 {s2}', 'server s3 {s3} weight 2', 'server s4 {s4}'],
    services: services(4),
    steps: [
      { connect: 9, hold: true },
      { connect: 5 },
      { close: [1, 4, 5] },
      { connect: 4, hold: true },
      { connect: 6 },
      { close: [0, 2, 3, 9, 10] },
      { connect: 8, hold: true },
      { cli: 'set weight be/s1 3' },
      { connect: 6, hold: true },
      { cli: 'set server be/s3 state maint' },
      { connect: 5, hold: true },
      { close: [6, 7, 8, 11, 12] },
      { connect: 7 },
    ],
  },
  {
    name: 'leastconn-short',
    about: 'leastconn with short connections: round robin among equals',
    backend: ['balance leastconn', 'server s1 {s1}', 'server s2 {s2} weight 3', 'server s3 {s3}'],
    services: services(3),
    steps: [{ connect: 12 }, { connect: 3, hold: true }, { connect: 9 }],
  },
  {
    name: 'first-maxconn',
    about: 'first: fills servers by id (not by position) up to their maxconn',
    backend: ['balance first', 'server s1 {s1} id 3 maxconn 2', 'server s2 {s2} id 1 maxconn 3', 'server s3 {s3} maxconn 1', 'server s4 {s4}'],
    services: services(4),
    steps: [{ connect: 8, hold: true }, { close: [0, 4] }, { connect: 3, hold: true }, { connect: 3 }, { close: [1, 2, 3] }, { connect: 4, hold: true }],
  },
  hashScenario('source-map', 'balance source, map-based (default)', ['balance source']),
  hashScenario('source-map-avalanche', 'balance source, map-based with avalanche', ['balance source', 'hash-type map-based sdbm avalanche']),
  hashScenario('source-consistent', 'balance source, consistent (sdbm + avalanche by default)', ['balance source', 'hash-type consistent']),
  hashScenario('source-consistent-plain', 'balance source, consistent without avalanche (the function does not apply to source)', ['balance source', 'hash-type consistent djb2']),
  {
    name: 'source-consistent-ids',
    about: 'balance source, consistent crc32 avalanche, servers with chosen ids (the ring depends on ids)',
    backend: ['balance source', 'hash-type consistent crc32 avalanche', 'server s1 {s1} id 7', 'server s2 {s2} weight 2', 'server s3 {s3} id 2 weight 3', 'server s4 {s4}'],
    services: services(4),
    steps: [{ connect: 40, from: SRC40 }, { cli: 'set weight be/s3 1' }, { connect: 40, from: SRC40 }, { cli: 'set weight be/s3 9' }, { connect: 40, from: SRC40 }],
  },
  {
    name: 'source-consistent-bounded',
    about: 'balance source, consistent with hash-balance-factor 150 and long-lived connections',
    backend: ['balance source', 'hash-type consistent', 'hash-balance-factor 150', ...HASH_SERVERS],
    services: services(4),
    steps: [
      { connect: 24, hold: true, from: loopbacks(3) },
      { close: [0, 3, 6, 9] },
      { connect: 12, hold: true, from: loopbacks(6, 10) },
    ],
  },
  ...HASH_FUNCTIONS.map((fn) => hashScenario(`hash-src-map-${fn}`, `balance hash src, map-based ${fn}`, ['balance hash src', `hash-type map-based ${fn}`])),
  ...HASH_FUNCTIONS.map((fn) => hashScenario(`hash-src-consistent-${fn}`, `balance hash src, consistent ${fn} avalanche`, ['balance hash src', `hash-type consistent ${fn} avalanche`])),
  hashScenario('hash-src-consistent-crc32-plain', 'balance hash src, consistent crc32 without avalanche', ['balance hash src', 'hash-type consistent crc32']),
  hashScenario('hash-src-map-wt6-avalanche', 'balance hash src, map-based wt6 avalanche', ['balance hash src', 'hash-type map-based wt6 avalanche']),
  hashScenario('hash-src-hex-consistent', 'balance hash src,hex: a converter before the key is hashed', ['balance hash src,hex', 'hash-type consistent sdbm avalanche']),
  {
    name: 'keyless-hash-consistent',
    about: 'balance hash with an expression without a sample (an unset variable) walks the consistent ring in turn',
    backend: ['balance hash var(txn.none)', 'hash-type consistent', 'server s1 {s1}', 'server s2 {s2} weight 2', 'server s3 {s3}'],
    services: services(3),
    steps: [{ connect: 30 }, { cli: 'set server be/s2 state maint' }, { connect: 10 }, { cli: 'set server be/s2 state ready' }, { connect: 20 }],
  },
  {
    name: 'keyless-hash-map',
    about: 'balance hash with an expression without a sample walks the map in turn',
    backend: ['balance hash var(txn.none)', 'server s1 {s1}', 'server s2 {s2} weight 2', 'server s3 {s3}'],
    services: services(3),
    steps: [{ connect: 12 }],
  },
  {
    name: 'keyless-consistent',
    about: 'a hash algorithm without its key (rdp-cookie, no data) walks the consistent ring in turn',
    backend: ['balance rdp-cookie', 'hash-type consistent', 'server s1 {s1}', 'server s2 {s2} weight 2', 'server s3 {s3}'],
    services: services(3),
    steps: [{ connect: 30 }, { cli: 'set server be/s2 state maint' }, { connect: 10 }, { cli: 'set server be/s2 state ready' }, { connect: 20 }],
  },
  {
    name: 'keyless-map',
    about: 'a hash algorithm without its key (rdp-cookie, no data) walks the map in turn',
    backend: ['balance rdp-cookie', 'server s1 {s1}', 'server s2 {s2} weight 2', 'server s3 {s3}'],
    services: services(3),
    steps: [{ connect: 12 }],
  },
  ...redispatchScenarios(),
  {
    name: 'random',
    about: 'random (2 draws), weights 1, 2, 1, 4: compared by distribution',
    backend: ['balance random', 'server s1 {s1} weight 1', 'server s2 {s2} weight 2', 'server s3 {s3} weight 1', 'server s4 {s4} weight 4'],
    services: services(4),
    steps: [{ connect: 500 }],
    random: true,
  },
];
