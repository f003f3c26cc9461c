/**
 * A scripted client and a recording server, for the tests of rules that look at what the client
 * sends (tcp-request content): the client writes chunks at given times, half-closes or resets,
 * and reports how the proxy ended its connection and what came back; the server records what
 * reached it and echoes it.
 */
import { connect } from 'node:net';
import { ending, service, within, type Service } from './net.js';

/** At `at` ms after the connection: send bytes (latin1), half-close ('end'), or reset ('reset'). */
export type Step = readonly [at: number, what: string | { readonly end: true } | { readonly reset: true }];

export const END = { end: true } as const;
export const RESET = { reset: true } as const;

export interface ClientOutcome {
  /** How the connection ended: 'end' (the proxy's FIN came first), 'close', or an error code. */
  readonly how: string;
  /** What the client received (latin1). */
  readonly got: string;
  /** Milliseconds from the connection to its close. */
  readonly ms: number;
}

/**
 * Connects to 127.0.0.1:`port`, plays `steps`, then half-closes at `closeAt` ms (unless a step
 * did) and waits for the proxy to close (bounded).
 */
export function scriptedClient(port: number, steps: readonly Step[], closeAt = 600): Promise<ClientOutcome> {
  return within(
    new Promise<ClientOutcome>((resolve) => {
      const s = connect({ port, host: '127.0.0.1' });
      const t0 = Date.now();
      let got = '';
      let ended = false;
      const timers: NodeJS.Timeout[] = [];
      s.setEncoding('latin1');
      s.on('data', (d: string) => (got += d));
      s.on('error', () => undefined);
      s.once('connect', () => {
        for (const [at, what] of steps) {
          timers.push(
            setTimeout(() => {
              if (s.destroyed) return;
              if (typeof what === 'string') s.write(Buffer.from(what, 'latin1'));
              else if ('reset' in what) s.resetAndDestroy();
              else {
                ended = true;
                s.end();
              }
            }, at),
          );
        }
        timers.push(
          setTimeout(() => {
            if (!ended && !s.destroyed) s.end();
          }, closeAt),
        );
      });
      ending(s).then((how) => {
        for (const t of timers) clearTimeout(t);
        resolve({ how, got, ms: Date.now() - t0 });
      });
    }),
    15_000,
    'the proxy to close the client',
  );
}

/** A server that echoes what it receives and records it (latin1), per connection. */
export async function recordingServer(): Promise<Service & { readonly received: string[] }> {
  const received: string[] = [];
  const svc = await service((s) => {
    const i = received.push('') - 1;
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      received[i] += d;
      s.write(d);
    });
  });
  return Object.assign(svc, { received });
}
