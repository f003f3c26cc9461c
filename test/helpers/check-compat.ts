/**
 * Health-check scenarios compared with haproxy: the same configuration runs through
 * /usr/sbin/haproxy and bin/portier at the same time, each against its own copies of scripted
 * servers, and what they log about each server must be the same: the "Health check for server
 * ..." lines (`option log-health-checks`), "Server ... is DOWN/UP/stopping" and "backend ... has
 * no server available!", in order, with the check durations masked. Each server is compared
 * over its first `checks` results (a custom expect counts twice: both lines are compared).
 * The requests are compared too: what each copy of a server received first.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { checkConfig, scriptedPeer, type PeerScript, type ScriptedPeer } from './checks.js';
import { syslogMessage } from './l4/compare.js';
import { freePort, until } from './l4/net.js';
import { HAPROXY, startProxy, type Impl, type Proxy } from './l4/proxy.js';
import { syslogReceiver, type SyslogReceiver } from './l4/syslog.js';

export interface CheckCompatScenario {
  readonly name: string;
  /** The backend's lines; a function when they need the port of the side's server. */
  readonly lines: readonly string[] | ((serverPort: number) => readonly string[]);
  readonly script: PeerScript;
  readonly serverOptions?: string;
  /** Check results to compare (default 1). */
  readonly checks?: number;
  /** Compare what the server received (default: as is; false when it holds a date). */
  readonly request?: false | ((text: string) => string);
}

const skip = existsSync(HAPROXY) ? false : `${HAPROXY} is not installed`;

interface Side {
  readonly proxy: Proxy;
  readonly syslog: SyslogReceiver;
  readonly peers: Map<string, ScriptedPeer>;
}

/** One backend per scenario, checked every 300 ms, behind a frontend (haproxy needs a listener). */
function config(scenarios: readonly CheckCompatScenario[], logPort: number, listenPort: number, peers: Map<string, ScriptedPeer>): string {
  const backends = scenarios.map((s) => {
    const port = peers.get(s.name)!.port;
    return { name: s.name, lines: typeof s.lines === 'function' ? s.lines(port) : s.lines, port, serverOptions: s.serverOptions };
  });
  return checkConfig(backends, logPort, { checkTimeout: '800ms', serverOptions: 'inter 300ms rise 1 fall 1', frontendPort: listenPort });
}

/** What a proxy said about a scenario's server, durations masked, up to its `checks` results. */
function said(lines: readonly string[], s: CheckCompatScenario): string[] {
  const mine = new RegExp(`(?:[Ss]erver ${s.name}/srv\\b|backend ${s.name} has no server)`);
  const out: string[] = [];
  let results = 0;
  for (const l of lines) {
    const msg = syslogMessage(l);
    if (!mine.test(msg)) continue;
    if (msg.startsWith('Health check for')) {
      if (results === (s.checks ?? 1)) break;
      results++;
    }
    out.push(msg.replace(/check duration: \d+ms/, 'check duration: Xms'));
  }
  return out;
}

const results = (lines: readonly string[], s: CheckCompatScenario): number => said(lines, s).filter((l) => l.startsWith('Health check for')).length;

async function start(impl: Impl, scenarios: readonly CheckCompatScenario[]): Promise<Side> {
  const syslog = await syslogReceiver();
  const peers = new Map<string, ScriptedPeer>();
  for (const s of scenarios) peers.set(s.name, await scriptedPeer(s.script));
  const proxy = startProxy(impl, config(scenarios, syslog.port, await freePort(), peers));
  return { proxy, syslog, peers };
}

async function stop(side: Side | undefined): Promise<void> {
  if (!side) return;
  await side.proxy.stop();
  side.syslog.close();
  for (const p of side.peers.values()) await p.close();
}

/** One test per scenario (and one per compared request), run by both proxies at once. */
export function compareCheckScenarios(title: string, scenarios: readonly CheckCompatScenario[]): void {
  describe(title, { skip }, () => {
    let h: Side;
    let p: Side;

    before(async () => {
      [h, p] = await Promise.all([start('haproxy', scenarios), start('portier', scenarios)]);
      // Every scenario's results are in (and the lines that follow a result), on both sides.
      const done = (side: Side): boolean => scenarios.every((s) => results(side.syslog.lines, s) >= (s.checks ?? 1));
      try {
        await until(() => done(h) && done(p), 20_000, 'the check results of every scenario from both proxies');
      } catch (e) {
        // Say which scenarios are missing and what the proxies printed (a refused configuration).
        const missing = (side: Side): string => scenarios.filter((s) => results(side.syslog.lines, s) < (s.checks ?? 1)).map((s) => s.name).join(', ');
        throw new Error(`${(e as Error).message}\nhaproxy is missing: ${missing(h)}\n${h.proxy.output()}\nportier is missing: ${missing(p)}\n${p.proxy.output()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    });

    after(async () => {
      await stop(h);
      await stop(p);
    });

    for (const s of scenarios) {
      test(`${s.name}: the same log lines`, () => {
        assert.deepEqual(said(p.syslog.lines, s), said(h.syslog.lines, s));
      });
      if (s.request !== false) {
        const norm = s.request ?? ((t: string) => t);
        test(`${s.name}: the same request`, () => {
          const first = (side: Side): string => norm(side.peers.get(s.name)!.received.find((b) => b.length > 0)?.toString('latin1') ?? '');
          assert.equal(first(p), first(h));
        });
      }
    }
  });
}
