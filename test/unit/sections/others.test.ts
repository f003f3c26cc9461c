/** resolvers, http-errors, mailers, ring, program, cache, log-forward, fcgi-app. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { resolvConf } from '../../../src/config/sections/resolvers.js';
import { assertAlert, assertValid, assertWarning, at, bare, cfg, tight } from '../global/helpers.js';

const dir = mkdtempSync('/tmp/portier-sections-test-');

test('resolvers', async () => {
  const r = await cfg('resolvers dns', '  nameserver n1 192.0.2.53:53', '  hold valid 10s', '  timeout resolve 1s', '  accepted_payload_size 8192');
  assertValid(r);
  const m = r.model.resolvers[0]!;
  assert.equal(m.nameservers[0]!.address.port, 53);
  assert.equal(m.hold.valid, 10000);
  assert.equal(m.timeouts.resolve, 1000);
  assertAlert(await cfg('resolvers r', '  nameserver n'), at(2, "'nameserver' expects <name> and <addr>[:<port>] as arguments."));
  assertAlert(await cfg('resolvers r', '  nameserver n 1.2.3.4'), at(2, "'nameserver n' : missing port specification in '1.2.3.4'"));
  assertAlert(
    await cfg('resolvers r', '  nameserver n 1.2.3.4:53', '  nameserver n 1.2.3.5:53'),
    "Parsing [t.cfg:3]: nameserver 'n' has same name as another nameserver (declared at t.cfg:2).",
  );
  assertAlert(await cfg('resolvers r', '  nameserver n /tmp/x'), "resolvers 'r': can't create socket for nameserver 'n'.");
  assertAlert(await cfg('resolvers r', '  accepted_payload_size 11'), at(2, "'accepted_payload_size' must be between 12 and 65535 inclusive (was 11)."));
  const h = await cfg('resolvers r', '  hold nx');
  assertAlert(h, at(2, "'hold' expects an <event> and a <time> as arguments."));
  assertAlert(h, "<event> can be either 'valid', 'nx', 'refused', 'timeout', or 'other'");
  assertAlert(await cfg('resolvers r', '  hold foo 1s'), at(2, "'hold' unknown <event>: 'foo', expects either 'nx', 'timeout', 'valid', 'obsolete' or 'other'."));
  assertAlert(await cfg('resolvers r', '  timeout foo 1s'), at(2, "'timeout' expects 'retry' or 'resolve' and <time> as arguments got 'foo'."));
  assertAlert(await cfg('resolvers r', '  timeout retry x'), tight(2, "unexpected character 'x' in argument to <timeout retry>."));
  assertWarning(await cfg('resolvers r'), "resolvers 'r' [t.cfg:1] has no nameservers configured!");
});

test('resolvers: parse-resolv-conf', async (t) => {
  const saved = resolvConf.path;
  t.after(() => void (resolvConf.path = saved));
  resolvConf.path = `${dir}/resolv.conf`;
  writeFileSync(resolvConf.path, '# x\nnameserver 192.0.2.1\nsearch example.com\nnameserver 2001:db8::1\n');
  const r = await cfg('resolvers r', '  parse-resolv-conf');
  assertValid(r);
  assert.deepEqual(r.model.resolvers[0]!.nameservers.map((n) => n.name), [`${dir}/resolv.conf:2`, `${dir}/resolv.conf:4`]);
  const d = await cfg('resolvers r', '  parse-resolv-conf', '  parse-resolv-conf');
  assert.ok(d.warnings.some((w) => w.startsWith('parsing [t.cfg:3]: Parsing [') && /appears to be a duplicate/.test(w)));
});

test('http-errors: the files are read while parsing', async () => {
  writeFileSync(`${dir}/503.http`, 'HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/html\r\n\r\n<h1>503</h1>\n');
  const r = await cfg('http-errors site', `  errorfile 503 ${dir}/503.http`);
  assertValid(r);
  assert.equal(r.model.httpErrors[0]!.errorfiles[0]!.status, 503);
  assertAlert(await cfg('http-errors e', '  errorfile 503'), at(2, 'errorfile: expects <status_code> and <file> as arguments.'));
  assertAlert(await cfg('http-errors e', '  errorfile 503 /nonexistent'), at(2, "errorfile : error opening file '/nonexistent'."));
  assertAlert(await cfg('http-errors e', `  errorfile 302 ${dir}/503.http`), at(2, "errorfile : status code '302' not handled."));
  assertAlert(await cfg('http-errors e', `  errorfile x ${dir}/503.http`), at(2, "errorfile : status code '0' not handled."));
  writeFileSync(`${dir}/bad.http`, 'garbage');
  assertAlert(await cfg('http-errors e', `  errorfile 503 ${dir}/bad.http`), at(2, `errorfile : '${dir}/bad.http': unable to parse headers (error offset: 0)`));
  // default-path config: relative to the configuration file's directory (here "t.cfg": ".").
  assertAlert(await cfg('global', '  default-path config', 'http-errors e', '  errorfile 503 no-such.http'), at(4, "errorfile : error opening file 'no-such.http'."));
});

test('mailers', async () => {
  assertAlert(await cfg('mailers m', '  mailer a 1.2.3.4'), at(2, "'mailer a' : missing port specification in '1.2.3.4'"));
  assertAlert(await cfg('mailers m', '  mailer a /tmp/x'), at(2, "'mailer a' : TCP not supported for this address family."));
  assertAlert(await cfg('mailers m', '  timeout foo 1s'), at(2, "'timeout' expects 'mail' and <time> as arguments got 'foo'."));
  const r = await cfg('mailers m', '  mailer smtp1 192.0.2.25:25', '  timeout mail 20s');
  assertValid(r);
  assert.equal(r.model.mailers[0]!.timeoutMail, 20000);
  assertWarning(r, "Removing incomplete section 'mailers m'.");
});

test('ring', async () => {
  const r = await cfg('ring buf', '  description "request logs"', '  format rfc3164', '  maxlen 1200', '  size 32764', '  timeout connect 5s', '  timeout server 10s', '  server s1 192.0.2.1:6514');
  assertValid(r);
  const m = r.model.rings[0]!;
  assert.equal(m.size, 32764);
  assert.equal(m.servers[0]!.name, 's1');
  assertAlert(await cfg('ring r', '  format foo'), at(2, "unknown format 'foo'."));
  assertAlert(await cfg('ring r', '  maxlen 0'), at(2, "invalid size '0' for new sink buffer."));
  assertAlert(await cfg('ring r', '  size 1'), at(2, "ignoring new size '1' that is smaller than current size '16384' for ring 'r'."));
  assertAlert(await cfg('ring r', '  server s'), bare(2, "'server' expects <name> and <addr>[:<port>] as arguments."));
  assertWarning(await cfg('ring r', '  maxlen 99999999'), "ring 'r' event max length '99999999' exceeds size, forced to size '16384'.");
  assert.ok((await cfg('ring r', '  server s 1.2.3.4:514')).warnings.some((w) => w.startsWith("missing timeouts for backend 'r'.")));
});

test('program', async () => {
  assertAlert(await cfg('program p', '  command /bin/true'), "Can't use a 'program' section without master worker mode.");
  const r = await cfg('global', '  master-worker', 'program p', '  command /usr/bin/agent --flag', '  no option start-on-reload');
  assertValid(r);
  assert.deepEqual(r.model.programs[0]!.command, ['/usr/bin/agent', '--flag']);
  assert.equal(r.model.programs[0]!.startOnReload, false);
  assertAlert(await cfg('global', '  master-worker', 'program p'), "The program section 'p' lacks a command to launch.");
  assertAlert(await cfg('program p', '  command'), tight(2, "'command' expects a command with optional arguments separated in words."));
  assertAlert(await cfg('program p', '  option foo'), at(2, "unknown option 'foo'."));
});

test('cache', async () => {
  const r = await cfg('cache c', '  total-max-size 64', '  max-object-size 10000', '  max-age 240', '  process-vary on');
  assertValid(r);
  assert.equal(r.model.caches[0]!.totalMaxSize, 64 * 1024 * 1024);
  assertAlert(await cfg('cache c'), "Size not specified for cache 'c'");
  assertAlert(await cfg('cache c', '  total-max-size 4096'), tight(2, '"total-max-size" (4096) must not be greater than 4095'));
  assertAlert(await cfg('cache c', '  total-max-size 4', '  max-object-size 2097153'), '"max-object-size" is limited to an half of "total-max-size" => 2097152');
  // A refused line drops the cache: no "Size not specified" after it.
  assert.equal((await cfg('cache c', '  total-max-size x')).alerts.length, 1);
  const w = await cfg('cache c', '  total-max-size 4', '  process-vary');
  assertValid(w);
  assert.equal(w.warnings.filter((x) => /process-vary' expects/.test(x)).length, 2);
});

test('log-forward', async () => {
  const r = await cfg('log-forward sys', '  bind 127.0.0.1:1514', '  dgram-bind 127.0.0.1:1514', '  log global', '  log 192.0.2.1:514 local0', '  maxconn 10', '  timeout client 10s');
  assertValid(r);
  const m = r.model.logForwards[0]!;
  assert.equal(m.binds.length, 1);
  assert.equal(m.dgramBinds.length, 1);
  assert.equal(m.timeoutClient, 10000);
  assertWarning(await cfg('log-forward f'), "frontend 'f' has no 'bind' directive. Please declare it as a backend if this was intended.");
  // A bad bind address is printed as an alert but does not fail the configuration.
  const b = await cfg('log-forward f', '  bind 1.2.3.4');
  assertValid(b);
  assert.ok(b.lines.includes("alert: parsing [t.cfg:2] : 'bind 1.2.3.4' : missing port specification in '1.2.3.4'"));
  assertAlert(await cfg('log-forward f', '  dgram-bind tcp@:514'), at(2, "'dgram-bind tcp@:514' : stream-type address not acceptable in 'tcp@:514'"));
  assertAlert(await cfg('log-forward f', '  dgram-bind :514 x'), at(2, "unknown keyword 'x' in 'log-forward' section."));
  assertAlert(await cfg('log-forward f', '  timeout client'), at(2, 'missing timeout client value.'));
  assertAlert(await cfg('log-forward f', '  timeout server 1s'), at(2, "unknown keyword 'timeout server' in log-forward section."));
});

test('fcgi-app', async () => {
  const r = await cfg(
    'fcgi-app php',
    '  docroot /var/www/html',
    '  index index.php',
    '  path-info ^(/.+\\.php)(/.*)?$',
    '  option keep-conn',
    '  pass-header x-real-ip if TRUE',
    '  set-param REMOTE_USER %[var(txn.user)]',
  );
  assertValid(r);
  const f = r.model.fcgiApps[0]!;
  assert.equal(f.docroot, '/var/www/html');
  assert.equal(f.options['keep-conn'], true);
  assertAlert(await cfg('fcgi-app f'), "fcgi-app 'f': no docroot configured.");
  assertAlert(await cfg('fcgi-app f', '  docroot /a b'), at(2, "'docroot /a' cannot handle unexpected argument 'b'."));
  assertAlert(await cfg('fcgi-app f', '  docroot /a', '  path-info ('), at(3, "'(' : regex '(' is invalid (error=missing closing parenthesis, erroffset=1)."));
  assertAlert(await cfg('fcgi-app f', '  docroot /a', '  option max-reqs 0'), tight(3, "option 'max-reqs' expects a strictly positive integer argument."));
  assertAlert(await cfg('fcgi-app f', '  docroot /a', '  no option max-reqs'), tight(3, "negation/default is not supported for option 'max-reqs'."));
  assertAlert(await cfg('fcgi-app f', '  docroot /a', '  pass-header x if foo'), at(3, "'x' : no such ACL : 'foo'."));
  assertAlert(await cfg('fcgi-app f', '  docroot /a', '  set-param a b c'), at(3, "'a' : (null)."));
  assertAlert(await cfg('fcgi-app f', '  docroot /a', '  log-stderr'), at(3, 'log-stderr : expects <address> and <facility> or global as arguments'));
});
