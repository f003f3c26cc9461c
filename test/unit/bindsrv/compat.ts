/**
 * By-hand comparison with the real HAProxy (not a unit test: it needs /usr/sbin/haproxy):
 *
 *   node dist/test/unit/bindsrv/compat.js [filter]
 *
 * Each case is a configuration run through `haproxy -c` and through Portier's loader; the
 * alert and warning lines are compared (Portier's own "not supported yet" notes and HAProxy's
 * summary lines left out). Prints the cases that differ and a count.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locatedMessage } from '../../../src/config/diagnostics.js';
import { loadConfig } from '../../../src/config/loader.js';

const FE = 'frontend f\n  timeout client 1s\n  bind :8080\n  default_backend b\nbackend b\n';

/** Configurations worth comparing: one per behaviour (addresses, options, whole-config checks). */
const CASES: string[] = [
  ...[':80x', '::80', '[::1]:80', 'ipv6@127.0.0.1:80', ',:80', ':80,', 'fd@x', 'udp@:80', 'quic4@:80', 'abns@x', '/tmp/' + 'a'.repeat(93)].map(
    (a) => `frontend f\n  timeout client 1s\n  bind ${a}\n`,
  ),
  ...['backlog -1', 'id 5x', 'mss 0', 'nice 1025', 'process 1/2', 'thread 2/1', 'tcp-ut 1s5', 'mode 999', 'user nonexistusr', 'level foo', 'acept-proxy', 'proto h2'].map(
    (o) => `frontend f\n  timeout client 1s\n  bind :8443 ${o}\n`,
  ),
  ...[
    'weight 257',
    'inter 1s5',
    'observe layer7 weight 300',
    'source 1.2.3.4 usesrc',
    'socks4 x.invalid:1',
    'init-addr 1.2.3.4,5.6.7.8',
    'id 3 id 3',
    'track zz',
    'ssl',
    'ssl verify none ciphers FOO',
    'check',
    'tfo',
    'proto h2',
    'redir /x cookie a',
  ].map((o) => `${FE}  server s 1.2.3.4 ${o}\n`),
  `${FE}  server s nonexistent.invalid:80\n  server t nonexistent.invalid:80 init-addr libc,none\n`,
  `${FE}  server-template s 1-2 1.2.3.4:80 weight 300\n`,
  `${FE}  default-server id 3 weight 300\n`,
  `${FE}  dispatch 1.2.3.4\n`,
];

function haproxyLines(file: string): string[] {
  const r = spawnSync('/usr/sbin/haproxy', ['-c', '-f', file], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`
    .split('\n')
    .filter((l) => /^\[(ALERT|WARNING)\]/.test(l) && !/Fatal errors found|Error\(s\) found/.test(l))
    .map((l) => l.replace(/^\[(ALERT|WARNING)\] +\(\d+\) : (config : )?/, (_m, s: string) => `${s.toLowerCase()}: `));
}

async function portierLines(file: string, text: string): Promise<string[]> {
  const r = await loadConfig({
    files: [file],
    texts: new Map([[file, text]]),
    options: { checkOnly: true, diagnostics: false, localPeer: 'compat', ignoreResolveFailures: false, noServerVerify: false },
  });
  return r.diag.list
    .filter((d) => (d.severity === 'alert' || d.severity === 'warning') && d.code !== 'notyet')
    .map((d) => `${d.severity}: ${locatedMessage(d).split('\n')[0]}`);
}

async function main(): Promise<void> {
  const filter = process.argv[2];
  const dir = mkdtempSync(join(tmpdir(), 'portier-compat-'));
  let differ = 0;
  let n = 0;
  for (const [i, text] of CASES.entries()) {
    if (filter && !text.includes(filter)) continue;
    n++;
    const file = join(dir, `c${i}.cfg`);
    writeFileSync(file, text);
    const h = haproxyLines(file).map((l) => l.split('\n')[0]!);
    const p = await portierLines(file, text);
    if (JSON.stringify(h) !== JSON.stringify(p)) {
      differ++;
      console.log(`--- case ${i}:\n${text}haproxy:\n  ${h.join('\n  ')}\nportier:\n  ${p.join('\n  ')}\n`);
    }
  }
  console.log(`${n - differ}/${n} cases give the same messages`);
}

void main();
