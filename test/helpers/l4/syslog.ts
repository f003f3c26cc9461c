/** A syslog receiver on UDP 127.0.0.1:<free port>, collecting the lines a proxy sends. */
import { createSocket, type Socket } from 'node:dgram';
import { until } from './net.js';

export interface SyslogReceiver {
  readonly port: number;
  readonly lines: string[];
  /** Resolves with the first line matching `re` (bounded). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  close(): void;
}

export async function syslogReceiver(): Promise<SyslogReceiver> {
  const sock: Socket = createSocket('udp4');
  const lines: string[] = [];
  sock.on('message', (m) => lines.push(m.toString('latin1').replace(/\n$/, '')));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  return {
    port: sock.address().port,
    lines,
    async waitFor(re, timeoutMs = 10_000) {
      await until(() => lines.some((l) => re.test(l)), timeoutMs, `a log line matching ${re} (got ${JSON.stringify(lines)})`);
      return lines.find((l) => re.test(l))!;
    },
    close: () => sock.close(),
  };
}
