/**
 * Compares Portier's verdict and messages with the real haproxy's, statement by statement.
 * Run by hand (it needs /usr/sbin/haproxy; unit tests must not):
 *
 *   npx tsc -p . && node_modules/.bin/node dist/test/unit/global/haproxy-compat.js [cases-file...]
 *
 * A cases file holds one configuration per line: "<header> | <line> ;; <line> ...". A line
 * starting with '@' is written at the top level (another section header). Lines starting with
 * '#' are comments. Portier's own notes ("not supported yet", "has no effect in Portier",
 * chroot) are left out of the comparison.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locatedMessage } from '../../../src/config/diagnostics.js';
import { ConfigEnvironment } from '../../../src/config/environment.js';
import { loadConfig } from '../../../src/config/loader.js';
import { hostname } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const dir = '/tmp/portier-compat-global';
mkdirSync(dir, { recursive: true });

function configText(spec: string): string {
  const [header, rest] = spec.split(' | ');
  const lines = [header!.trim()];
  for (const l of (rest ?? '').split(' ;; ')) {
    if (l.trim() === '') continue;
    lines.push(l.startsWith('@') ? l.slice(1) : `  ${l}`);
  }
  return lines.join('\n') + '\n';
}

const SKIP = /Fatal errors found|Error\(s\) found in configuration|is not supported yet|has no effect in Portier|is not applied: Portier|needs HAProxy built with/;

function haproxy(file: string): { ok: boolean; lines: string[] } {
  const r = spawnSync('/usr/sbin/haproxy', ['-c', '-f', file], { encoding: 'latin1' });
  const lines = (r.stderr + r.stdout)
    .split('\n')
    .filter((l) => /^\[(ALERT|WARNING)\]/.test(l) && !SKIP.test(l))
    .map((l) => l.replace(/\(\d+\) : /, ''));
  return { ok: r.status !== 1, lines };
}

async function portier(file: string): Promise<{ ok: boolean; lines: string[] }> {
  const r = await loadConfig({
    files: [file],
    env: new ConfigEnvironment(process.env),
    options: { checkOnly: true, diagnostics: false, localPeer: hostname(), ignoreResolveFailures: false, noServerVerify: false },
  });
  const label = { alert: '[ALERT]    ', warning: '[WARNING]  ', notice: '', diag: '' };
  const lines: string[] = [];
  for (const d of r.diag.list) {
    if (d.severity !== 'alert' && d.severity !== 'warning') continue;
    for (const [i, l] of `config : ${locatedMessage(d)}`.split('\n').entries()) {
      const line = i === 0 ? `${label[d.severity]}${l}` : l;
      if (i === 0 && SKIP.test(line)) break;
      if (i === 0) lines.push(line);
    }
  }
  return { ok: r.ok, lines };
}

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  if (files.length === 0) files.push(join(here, '../../../../test/unit/global/compat-cases.txt'), join(here, '../../../../test/unit/sections/compat-cases.txt'));
  let n = 0;
  let bad = 0;
  for (const f of files) {
    for (const spec of readFileSync(f, 'utf8').split('\n')) {
      if (spec.trim() === '' || spec.startsWith('#')) continue;
      const file = join(dir, `c${n++}.cfg`);
      writeFileSync(file, configText(spec));
      const h = haproxy(file);
      const p = await portier(file);
      const same = h.ok === p.ok && h.lines.join('\n') === p.lines.join('\n');
      if (!same) {
        bad++;
        console.log(`--- ${spec}\n  haproxy (${h.ok ? 'valid' : 'invalid'}):\n    ${h.lines.join('\n    ')}\n  portier (${p.ok ? 'valid' : 'invalid'}):\n    ${p.lines.join('\n    ')}`);
      }
    }
  }
  console.log(`${n - bad}/${n} cases give the same verdict and messages`);
}

void main();
