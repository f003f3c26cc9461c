/**
 * What of tcp-request rules runs, and what startup refuses (DESIGN.md "Compatibility rules":
 * never silently ignored): a rule that runs and needs a fetch, a converter, a match method or a
 * regular expression Portier cannot evaluate yet, an action without implementation, a rule set
 * that does not run yet. `portier -c` warns with the same message and exits 0 (the
 * configuration is valid HAProxy); starting refuses it and exits 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/process.js';
import { portier } from '../helpers/run.js';

function file(body: string): string {
  const path = join(tempDir('portier-tcpreq-cfg-'), 't.cfg');
  writeFileSync(
    path,
    `defaults
    mode tcp
    timeout client 5s
    timeout server 5s
    timeout connect 5s

${body}`,
  );
  return path;
}

/** "t.cfg:<line>: <what> is not supported yet" lines of a run's output. */
function notYet(out: string): string[] {
  return [...out.matchAll(/t\.cfg:(\d+): (.*) is not supported yet/g)].map((m) => `${m[1]}: ${m[2]}`);
}

/**
 * `-c` accepts `body` and warns that exactly `expected` (file-line-prefixed "... is not supported
 * yet" items) do not run yet; starting refuses it with the same items and exit status 1.
 */
async function assertRefused(body: string, expected: readonly string[]): Promise<void> {
  const path = file(body);
  const c = await portier(['-c', '-f', path]);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  const s = await portier(['-f', path], { timeoutMs: 20_000 });
  assert.deepEqual(notYet(c.stdout + c.stderr), expected);
  assert.deepEqual(notYet(s.stdout + s.stderr), expected);
  assert.equal(s.code, 1);
}

test('the listeners of the health-check regression tests run as written', async () => {
  const path = file(`listen ldap1
    bind 127.0.0.1:8000
    tcp-request inspect-delay 100ms
    tcp-request content accept if { req.len eq 14 } { req.payload(0,14) -m bin "300C020101600702010304008000" }
    tcp-request content reject
    server srv 127.0.0.1:1

listen redis1
    bind 127.0.0.1:8000
    tcp-request inspect-delay 100ms
    tcp-request content accept if { req.len eq 14 } { req.payload(0,14) -m str "*1\\r\\n\\$4\\r\\nPING\\r\\n" }
    tcp-request content reject
    server srv 127.0.0.1:1

listen socks
    bind 127.0.0.1:8000
    tcp-request inspect-delay 500ms
    tcp-request content accept if { req.len eq 16 } { req.payload(0,1) -m bin "04" } { req.payload(1,1) -m bin "01" } { req.payload(2,2),hex,hex2i eq 80 } { req.payload(4,4),hex,hex2i -m ip 127.0.0.1 } { req.payload(8,8) -m bin "484150726F787900" }
    tcp-request content reject
    tcp-request connection accept if { src 127.0.0.0/8 } || LOCALHOST
    server srv 127.0.0.1:1
`);
  const c = await portier(['-c', '-f', path]);
  assert.equal(c.code, 0);
  assert.deepEqual(notYet(c.stdout + c.stderr), []);
});

test('fetches, converters and regexes that do not run yet are refused where a running rule uses them, on their ACL\'s line', async () => {
  await assertRefused(`frontend fe
    bind 127.0.0.1:8000
    acl tls req.ssl_sni -m end .example.com
    acl unused req.ssl_ver 3
    tcp-request inspect-delay 1s
    tcp-request content accept if tls
    tcp-request content accept if { req.payload(0,4),base64 -m str abc }
    tcp-request content reject if { req.payload(0,0) -m reg (?>a+)b }
    tcp-request connection reject if { src,ipmask(24) 10.0.0.0 }
    acl tls req.ssl_ec_ext -m found
    default_backend be

backend be
    server srv 127.0.0.1:1
`, [
    "9: sample fetch 'req.ssl_sni'",
    "16: sample fetch 'req.ssl_ec_ext'",
    "13: converter 'base64'",
    "14: regex '(?>a+)b' (atomic groups (?>...))",
    "15: converter 'ipmask'",
  ]);
});

test('actions and rule sets that do not run yet are refused; a rule set that runs refuses its other actions', async () => {
  await assertRefused(`frontend fe
    bind 127.0.0.1:8000
    tcp-request connection track-sc0 src
    tcp-request session accept
    tcp-request content set-var(txn.x) src
    tcp-request content silent-drop if { always_true }
    tcp-request content accept
    default_backend be
    stick-table type ip size 1k

backend be
    tcp-response content accept
    server srv 127.0.0.1:1
`, [
    "9: action 'tcp-request connection track-sc'",
    "10: keyword 'tcp-request session'",
    "11: action 'tcp-request content set-var'",
    "12: action 'tcp-request content silent-drop'",
    "15: keyword 'stick-table'",
    "18: keyword 'tcp-response content'",
  ]);
});

test('an ACL no running rule uses is accepted whatever it needs', async () => {
  const c = await portier(['-c', '-f', file(`frontend fe
    bind 127.0.0.1:8000
    acl tls req.ssl_sni -m end .example.com
    tcp-request inspect-delay 1s
    tcp-request content accept if { req.len gt 0 }
    default_backend be

backend be
    server srv 127.0.0.1:1
`)]);
  assert.equal(c.code, 0);
  assert.deepEqual(notYet(c.stdout + c.stderr), []);
});
