/** Helpers for the bind/server tests: configurations around one line, assertions on messages. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, type Checked } from '../../helpers/config.js';

export { check };

/** A frontend (line 3 is the bind line) with a client timeout. */
export function frontend(bindLine: string, ...more: string[]): Promise<Checked> {
  return check(['frontend f', '  timeout client 1s', `  ${bindLine}`, ...more.map((l) => `  ${l}`)].join('\n') + '\n');
}

/** A frontend on :8080 and a backend "b" whose lines start at line 6. */
export function backend(...lines: string[]): Promise<Checked> {
  return check(
    ['frontend f', '  timeout client 1s', '  bind :8080', '  default_backend b', 'backend b', ...lines.map((l) => `  ${l}`)].join('\n') + '\n',
  );
}

/** The alert texts (fatal ones), each with its location as printed. */
export function alerts(r: Checked): string[] {
  return r.alerts;
}

export function assertValid(r: Checked): void {
  assert.deepEqual(r.alerts, [], r.lines.join('\n'));
}

/** The configuration is invalid and `message` is among the alerts. */
export function assertAlert(r: Checked, message: string): void {
  assert.ok(r.alerts.includes(message), `expected alert:\n  ${message}\ngot:\n  ${r.lines.join('\n  ')}`);
}

/** The first alert is `message`. */
export function assertFirstAlert(r: Checked, message: string): void {
  assert.equal(r.alerts[0], message, r.lines.join('\n'));
}

export function assertWarning(r: Checked, message: string): void {
  assert.ok(r.warnings.includes(message), `expected warning:\n  ${message}\ngot:\n  ${r.lines.join('\n  ')}`);
}

/** "parsing [t.cfg:<line>] : <msg>" */
export function at(line: number, msg: string): string {
  return `parsing [t.cfg:${line}] : ${msg}`;
}

/** "[t.cfg:<line>] : <msg>" (server lines). */
export function bare(line: number, msg: string): string {
  return `[t.cfg:${line}] : ${msg}`;
}

/** Certificates made with the openssl CLI, once per test run. */
export interface CertFiles {
  readonly dir: string;
  /** Certificate and key in one file. */
  readonly combined: string;
  readonly cert: string;
  readonly key: string;
  /** Certificate with a key that does not match. */
  readonly mismatch: string;
  readonly garbage: string;
  readonly empty: string;
}

let certs: CertFiles | undefined;

export function certFiles(): CertFiles {
  if (certs) return certs;
  const dir = mkdtempSync(join(tmpdir(), 'portier-bindsrv-'));
  const req = (key: string, crt: string, cn: string): void => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', crt, '-days', '2', '-subj', `/CN=${cn}`], {
      stdio: 'ignore',
    });
  };
  req(join(dir, 'key.pem'), join(dir, 'cert.pem'), 'test.example');
  req(join(dir, 'key2.pem'), join(dir, 'cert2.pem'), 'other');
  const cert = readFileSync(join(dir, 'cert.pem'), 'latin1');
  const key = readFileSync(join(dir, 'key.pem'), 'latin1');
  const key2 = readFileSync(join(dir, 'key2.pem'), 'latin1');
  writeFileSync(join(dir, 'combined.pem'), cert + key);
  writeFileSync(join(dir, 'mismatch.pem'), cert + key2);
  writeFileSync(join(dir, 'garbage.pem'), 'garbage\n');
  writeFileSync(join(dir, 'empty.pem'), '');
  certs = {
    dir,
    combined: join(dir, 'combined.pem'),
    cert: join(dir, 'cert.pem'),
    key: join(dir, 'key.pem'),
    mismatch: join(dir, 'mismatch.pem'),
    garbage: join(dir, 'garbage.pem'),
    empty: join(dir, 'empty.pem'),
  };
  return certs;
}
