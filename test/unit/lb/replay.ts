/**
 * Replays a recorded balancing scenario (test/compat/balance/fixtures/*.json) in-process:
 * the configuration goes through Portier's loader, the backend's servers become fake servers,
 * and each step drives the algorithm exactly as the runtime would (pick, take, drop, update).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProxyModel } from '../../../src/config/model/proxy.js';
import { assignServerIds, createKeyHasher, createLbAlgorithm, lbOptionsOf } from '../../../src/lb/index.js';
import { addressBytes } from '../../../src/lb/hash.js';
import type { LbAlgorithm, LbOptions, LbServer } from '../../../src/lb/types.js';
import { scenarioConfig, type Step } from '../../compat/balance/scenarios.js';
import { check } from '../../helpers/config.js';
import { ROOT } from '../../helpers/run.js';

export const FIXTURES = join(ROOT, 'test', 'compat', 'balance', 'fixtures');

export interface Fixture {
  readonly name: string;
  readonly about: string;
  readonly backend: readonly string[];
  readonly steps: readonly Step[];
  /** Servers that refuse connections. */
  readonly dead?: readonly string[];
  readonly sequence?: readonly string[];
  readonly random?: boolean;
  readonly counts?: Readonly<Record<string, number>>;
}

export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => JSON.parse(readFileSync(join(FIXTURES, n), 'utf8')) as Fixture);
}

/** A server as the runtime would present it, with state the steps change. */
export class FakeServer implements LbServer {
  current = 0;
  up: boolean;
  weight: number;
  readonly initialWeight: number;
  constructor(
    readonly name: string,
    readonly id: number,
    weight: number,
    readonly backup: boolean,
    readonly maxconn: number,
    readonly maxqueue: number,
    disabled: boolean,
  ) {
    this.weight = this.initialWeight = weight;
    this.up = !disabled;
  }
  usable(): boolean {
    return this.up;
  }
}

export interface Built {
  readonly model: ProxyModel;
  readonly servers: FakeServer[];
  readonly lb: LbAlgorithm<FakeServer>;
  /** The hash of a connection from `ip`, as the runtime computes it for this backend. */
  hashFor(ip: string): number | undefined;
}

/** Loads the fixture's configuration and creates its algorithm over fake servers. */
export async function build(backend: readonly string[], extra: Partial<LbOptions> = {}): Promise<Built> {
  const ports = new Map<string, number>();
  for (const l of backend) for (const m of l.matchAll(/\{([a-z0-9]+)\}/g)) ports.set(m[1]!, 10000 + ports.size);
  const r = await check(scenarioConfig({ backend }, ports, 9999, '/tmp/lb-replay.sock'));
  if (r.alerts.length) throw new Error(`configuration refused: ${r.alerts.join('\n')}`);
  const model = r.model.proxies.find((p: ProxyModel) => p.name === 'be')! as ProxyModel;
  const ids = assignServerIds(model.servers);
  const servers = model.servers.map((s, i) => {
    const o = s.options;
    return new FakeServer(s.name, ids[i]!, o.weight ?? 1, o.backup === true, o.maxconn ?? 0, o.maxqueue ?? 0, o.disabled === true);
  });
  const options = { ...lbOptionsOf(model), ...extra };
  const lb = createLbAlgorithm(model.balance, options, servers);
  const hasher = createKeyHasher(options.hashType);
  const algo = model.balance?.algorithm;
  const expr = model.balance?.args['expr'];
  const hashFor = (ip: string): number | undefined => {
    if (algo === 'source') return hasher.source(ip);
    if (algo === 'hash' && expr === 'src') {
      const b = addressBytes(ip);
      return b ? hasher.bytes(b) : undefined;
    }
    return undefined;
  };
  return { model, servers, lb, hashFor };
}

/** Applies a runtime API command of the scenarios (set server state, set weight). */
function applyCli(b: Built, cmd: string): void {
  const w = cmd.split(/\s+/);
  const find = (path: string): FakeServer => {
    const name = path.split('/')[1];
    const s = b.servers.find((x) => x.name === name);
    if (!s) throw new Error(`no server ${path}`);
    return s;
  };
  if (w[0] === 'set' && w[1] === 'server' && w[3] === 'state') {
    const s = find(w[2]!);
    s.up = w[4] === 'ready';
    b.lb.update(s);
  } else if (w[0] === 'set' && w[1] === 'weight') {
    const s = find(w[2]!);
    const v = w[3]!;
    s.weight = v.endsWith('%') ? Math.min(256, Math.floor((s.initialWeight * Number(v.slice(0, -1))) / 100)) : Number(v);
    b.lb.update(s);
  } else {
    throw new Error(`unknown command ${cmd}`);
  }
}

/**
 * Picks a server for one connection as HAProxy does with `retries 1` and `option redispatch`:
 * a refusing (dead) server takes the connection slot, releases it, and the pick is made again
 * avoiding it; undefined if the second server refuses too.
 */
function connectOnce(b: Built, hash: number | undefined, dead: ReadonlySet<string>): FakeServer | undefined {
  let avoid: Set<FakeServer> | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const s = b.lb.pick({ hash, ...(avoid ? { avoid } : {}) });
    if (!s) return undefined;
    s.current++;
    b.lb.take(s);
    if (!dead.has(s.name)) return s;
    s.current--;
    b.lb.drop(s);
    avoid = new Set([s]);
  }
  return undefined;
}

/** Plays the steps; returns the names picked ('-' when no server answered). */
export function play(b: Built, steps: readonly Step[], deadNames: readonly string[] = []): string[] {
  const dead = new Set(deadNames);
  const out: string[] = [];
  const held: (FakeServer | undefined)[] = [];
  for (const step of steps) {
    if ('connect' in step) {
      for (let i = 0; i < step.connect; i++) {
        const from = step.from ? step.from[i % step.from.length]! : '127.0.0.1';
        const s = connectOnce(b, b.hashFor(from), dead);
        out.push(s?.name ?? '-');
        if (!s) continue;
        if (step.hold) held.push(s);
        else {
          s.current--;
          b.lb.drop(s);
        }
      }
    } else if ('close' in step) {
      for (const i of step.close) {
        const s = held[i];
        if (!s) throw new Error(`no held connection ${i}`);
        held[i] = undefined;
        s.current--;
        b.lb.drop(s);
      }
    } else {
      applyCli(b, step.cli);
    }
  }
  return out;
}
