/**
 * server, default-server, server-template and dispatch lines (configuration.txt 4.2, 5.2):
 * HAProxy 2.6's messages, printed in the server's context ("[file:line] : 'server be/srv' : "
 * on the first message of a line only).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAlert, assertValid, assertWarning, at, backend, bare, check } from './helpers.js';

const S = "'server b/s'";

test('server line: arguments, name characters, address errors', async () => {
  assertAlert(await backend('server'), bare(6, "'server' expects <name> and <addr>[:<port>] as arguments."));
  assertAlert(await backend('server s'), bare(6, "'server' expects <name> and <addr>[:<port>] as arguments."));
  assertAlert(await backend('server s/x 1.2.3.4'), bare(6, "character '/' is not permitted in server name 's/x'."));
  assertAlert(await backend('server s 1.2.3.4:80-90'), bare(6, `${S} : port range not permitted here in '1.2.3.4:80-90'`));
  // str2sa_range() ends this one with a line feed: HAProxy prints an empty line after it.
  assertAlert(await backend('server s 1.2.3.4:x'), bare(6, `${S} : invalid character 'x' in port number 'x' in '1.2.3.4:x'\n`));
  assertAlert(await backend('server s fd@3'), bare(6, `${S} : a file descriptor is not acceptable here in 'fd@3'\n`));
  assertAlert(await backend('server s udp@1.2.3.4:80'), bare(6, `${S} : dgram-type address not acceptable in 'udp@1.2.3.4:80'\n`));
  const r = await backend('server s 1.2.3.4', 'server t 1.2.3.4:+10', 'server u /tmp/x.sock', 'server v [::1]');
  assertValid(r);
  const servers = r.model.proxies[1]!.servers;
  assert.deepEqual(
    servers.map((s) => [s.name, s.address.ip ?? s.address.path, s.address.port, s.address.portOffset, s.address.mapPorts]),
    [
      ['s', '1.2.3.4', undefined, undefined, true],
      ['t', '1.2.3.4', undefined, 10, true],
      ['u', '/tmp/x.sock', undefined, undefined, undefined],
      ['v', '::1', undefined, undefined, true],
    ],
  );
});

test('server names are unique in a backend, templates included', async () => {
  assertAlert(
    await backend('server s 1.2.3.4', 'server s 1.2.3.5'),
    at(7, "backend 'b', another server named 's' was already defined at line 6, please use distinct names."),
  );
  assertAlert(
    await backend('server-template s 1-3 1.2.3.4', 'server s2 1.2.3.4'),
    at(7, "backend 'b', another server named 's2' was already defined at line 6, please use distinct names."),
  );
  // Another error on the line is reported instead.
  const r = await backend('server s 1.2.3.4', 'server s 1.2.3.4 foo');
  assert.deepEqual(r.alerts, [bare(7, `${S} : unknown keyword 'foo'; did you mean 'tfo' maybe ?`)]);
});

test('server lines need a backend: HAProxy\'s double location, and defaults refuse them', async () => {
  const r = await check('frontend f\n  server s 1.2.3.4\n');
  assertAlert(r, bare(2, "parsing [t.cfg:2] : 'server' not allowed because frontend 'f' has no backend capability."));
  assertAlert(await check('defaults\n  server s 1.2.3.4\n'), bare(2, "'server' not allowed in 'defaults' section."));
  assertAlert(await check('frontend f\n  default-server weight 2\n'), bare(2, "parsing [t.cfg:2] : 'default-server' not allowed because frontend 'f' has no backend capability."));
  assertValid(await check('defaults\n  default-server weight 2\n'));
});

test('option messages: display_parser_err adds a final dot', async () => {
  const cases: [string, string][] = [
    ['weight 257', 'weight of server s is not within 0 and 256 (257)..'],
    ['weight 99999999999999999999', 'weight of server s is not within 0 and 256 (-1)..'],
    ['wieght 2', "unknown keyword 'wieght'; did you mean 'weight' maybe ?"],
    ['addr', "'addr' expects <ipv4|ipv6> as argument.."],
    ['addr 1.2.3.4:80-81', "'addr' : port range not permitted here in '1.2.3.4:80-81'."],
    ['agent-inter x', "unexpected character 'x' in 'agent-inter' argument of server s.."],
    ['inter 0', "invalid value 0 for argument 'inter' of server s.."],
    ['fastinter 1.5s', "unexpected character '.' in 'agent-inter' argument of server s.."],
    ['inter 25d', 'timer overflow in argument <25d> to <inter> of server s, maximum value is 2147483647 ms (~24.8 days)..'],
    ['check-proto foo', "'check-proto' :  unknown MUX protocol 'foo'."],
    ['cookie', "'cookie' expects <value> as argument.."],
    ['error-limit x', 'error-limit has to be > 0..'],
    ['fall 0', "'fall' has to be > 0.."],
    ['id x', "'id' : custom id has to be > 0."],
    ['init-addr foo', "'init-addr' : unknown init-addr method 'foo', supported methods are 'libc', 'last', 'none'.."],
    ['init-addr 1.2.3.4,5.6.7.8', "'init-addr' : initial address already specified, cannot add '5.6.7.8'.."],
    ['log-proto x', "'log-proto' expects one of 'legacy' or 'octet-count' but got 'x'."],
    ['max-reuse', "'max-reuse' expects <value> as argument.."],
    ['namespace foo', "Cannot open namespace 'foo'."],
    ['observe x', "'observe' expects one of 'none', 'layer4', 'layer7' but got 'x'."],
    ['on-error x', "'on-error' expects one of 'fastinter', 'fail-check', 'sudden-death' or 'mark-down' but got 'x'."],
    ['on-marked-down', "'on-marked-down' expects 'shutdown-sessions' but got ''."],
    ['pool-max-conn -2', "'pool-max-conn' must be >= -1."],
    ['pool-purge-delay x', "unexpected character 'x' in argument to <pool-purge-delay>.."],
    ['port', "'port' expects a port number as argument.."],
    ['proto foo', "'proto' :  unknown MUX protocol 'foo'."],
    ['proxy-v2-options ssl,,crc32c', "'' : proxy v2 option not implemented."],
    ['resolve-net x', "'resolve-net' invalid network 'x'.."],
    ['resolve-opts x', "'resolve-opts' : unknown resolve-opts option 'x', supported methods are 'allow-dup-ip', 'ignore-weight', and 'prevent-dup-ip'.."],
    ['resolve-prefer x', "'resolve-prefer' expects either ipv4 or ipv6 as argument.."],
    ['slowstart', "unexpected character '."],
    ['slowstart 99999d', 'overflow in argument <99999d> to <slowstart> of server s, maximum value is 2147483647 ms (~24.8 days)..'],
    ['socks4 1.2.3.4', "'socks4 1.2.3.4' : missing port specification in '1.2.3.4'."],
    ['tcp-ut 25d', "timer overflow in argument '25d' to 'tcp-ut' (maximum value is 2147483647 ms or ~24.8 days)."],
    ['track', "'track' expects [<proxy>/]<server> as argument.."],
    ['usesrc client', "'usesrc' only allowed after a 'source' statement.."],
    ['ws x', "'ws' has to be 'auto', 'h1' or 'h2'."],
    ['check track b/x', 'unable to enable checks and tracking at the same time!'],
    ['agent-check', 'server s does not have agent port. Agent check has been disabled.'],
    ['verify optional', "'verify' : unknown verify method 'optional', only 'none' and 'required' are supported."],
    ['ssl-min-ver x', "'x' : unknown ssl/tls version."],
    ['sni', "'sni' : missing sni expression."],
    ['crt', "'crt' : missing certificate file path."],
    ['check-sni', "'check-sni' : missing SNI."],
  ];
  for (const [opt, msg] of cases) assertAlert(await backend(`server s 127.0.0.1:80 ${opt}`), bare(6, `${S} : ${msg}`));
});

test('multi-line parser messages are indented as HAProxy does', async () => {
  assertAlert(
    await backend('server s 1.2.3.4 socks4 bad_name!:1080'),
    bare(6, `${S} : \n  'socks4 bad_name!:1080' : invalid address: 'bad_name!' in 'bad_name!:1080'\n  \n.`),
  );
  assertAlert(
    await backend('server s 1.2.3.4 source bad_name!'),
    bare(6, `${S} : \n  'source bad_name!' : invalid address: 'bad_name!' in 'bad_name!'\n  \n.`),
  );
});

test('only the first message of a line carries its location', async () => {
  const r = await backend('server s 1.2.3.4 observe layer7 observe layer7 weight 300');
  assert.deepEqual(
    r.lines.filter((l) => l.startsWith('alert')),
    [
      `alert: [t.cfg:6] : ${S} : 'layer7' can only be used in http proxies..`,
      "alert: 'layer7' can only be used in http proxies..",
      'alert: weight of server s is not within 0 and 256 (300)..',
    ],
  );
  // The first two do not make the configuration invalid.
  assert.deepEqual(r.alerts, ['weight of server s is not within 0 and 256 (300)..']);
  const u = await backend('server s 1.2.3.4 source 1.2.3.4 usesrc');
  assert.deepEqual(u.alerts, [
    bare(6, `${S} : 'usesrc' expects <addr>[:<port>], 'client', 'clientip', or 'hdr_ip(name,#)' as argument.`),
    "error encountered while processing 'usesrc'.",
  ]);
  const i = await backend('server s 1.2.3.4 source 1.2.3.4 interface');
  assert.deepEqual(i.alerts, [bare(6, `${S} : 'server' : missing interface name.`), "error encountered while processing 'interface'."]);
});

test('values HAProxy accepts without complaint', async () => {
  for (const opt of [
    'weight',
    'weight x',
    'weight 5x',
    'maxconn x',
    'inter 1us',
    'port 70000',
    'agent-port x',
    'init-addr',
    'init-addr libc,libc',
    'init-addr last,libc,none,1.2.3.4',
    'resolve-opts allow-dup-ip,ignore-weight',
    'resolve-net 10.0.0.0/8,fe80::/10',
    'proxy-v2-options ssl,cert-cn,authority',
    'source 1.2.3.4:1000-2000 usesrc clientip interface lo',
    'namespace *',
    'ws h2',
    'observe layer4',
    "'' weight 300",
  ]) {
    assertValid(await backend(`server s 127.0.0.1:80 ${opt}`));
  }
  const t = await backend('server s 127.0.0.1:80 inter 1s5');
  assertValid(t);
  assertWarning(
    t,
    bare(
      6,
      `${S} : unexpected character '5' after the timer value '1s5', only (us=microseconds,ms=milliseconds,s=seconds,m=minutes,h=hours,d=days) are supported. This will be reported as an error in next versions.`,
    ),
  );
});

test('default-server: no address, a hint for unknown keywords, some options refused', async () => {
  assertAlert(await backend('default-server 1.2.3.4'), bare(6, "unknown keyword '1.2.3.4'. Hint: no address was expected for this server."));
  assertAlert(await backend('default-server weight 2 foo'), bare(6, "unknown keyword 'foo'; did you mean 'tfo' maybe ? Hint: no address was expected for this server."));
  assertAlert(await backend('default-server weight 300'), bare(6, 'weight of server default-server is not within 0 and 256 (300)..'));
  // Not accepted on default-server: an alert that does not make the configuration invalid.
  const id = await backend('default-server id 3 no-tlsv12');
  assertValid(id);
  assert.ok(id.lines.includes("alert: [t.cfg:6] : 'id' option is not accepted in default-server sections"), id.lines.join('\n'));
  assert.ok(id.lines.includes("alert: 'no-tlsv12' option is not accepted in default-server sections"));
  assertAlert(await backend('default-server usesrc client'), bare(6, "'usesrc' only allowed after a 'source' statement.."));
});

test('default-server settings are inherited, and undone by the no- forms', async () => {
  const r = await check(
    'defaults\n  default-server weight 20 check backup\nfrontend f\n  timeout client 1s\n  bind :80\n  default_backend b\nbackend b\n  default-server maxconn 5\n  server a 1.2.3.4:80\n  server c 1.2.3.4:80 no-check no-backup weight 3\n',
  );
  assertValid(r);
  const [a, c] = r.model.proxies[1]!.servers;
  assert.deepEqual([a!.options['weight'], a!.options['check'], a!.options['backup'], a!.options['maxconn']], [20, true, true, 5]);
  assert.deepEqual([c!.options['weight'], c!.options['check'], c!.options['backup']], [3, false, false]);
});

test('server ids: unique in the backend, registered once the line is read', async () => {
  assertAlert(await backend('server s1 1.2.3.4 id 3', 'server s2 1.2.3.5 id 3'), bare(7, "'server b/s2' : 'id' : custom id 3 already used at t.cfg:6 ('server s1')."));
  assertValid(await backend('server s1 1.2.3.4 id 3 id 3'));
});

test('server-template: prefix, number or range, "(null)" while the template is read', async () => {
  assertAlert(await backend('server-template s 3'), bare(6, "'server-template' expects <prefix> <nb | range> <addr>[:<port>] as arguments."));
  assertAlert(await backend('server-template s 0 1.2.3.4:80'), bare(6, "Wrong server-template number or range arg '0'."));
  assertAlert(await backend('server-template s 3-1 1.2.3.4:80'), bare(6, "Wrong server-template number or range arg '3-1'."));
  assertAlert(await backend('server-template s -3 1.2.3.4:80'), bare(6, "Wrong server-template number or range arg '-3'."));
  assertAlert(await backend('server-template s.x:y 2 1.2.3.4'), bare(6, "character ':' is not permitted in server-template prefix 's.x:y'."));
  assertAlert(await backend('server-template s 1-2 1.2.3.4:80 weight 300'), bare(6, "'server b/(null)' : weight of server (null) is not within 0 and 256 (300).."));
  const r = await backend('server-template web 0-2 1.2.3.4:80 weight 2', 'server-template x 5x 1.2.3.4');
  assertValid(r);
  assert.deepEqual(
    r.model.proxies[1]!.servers.map((s) => s.name),
    ['web0', 'web1', 'web2', 'x1', 'x2', 'x3', 'x4', 'x5'],
  );
  assert.deepEqual(r.model.proxies[1]!.servers[1]!.template, { prefix: 'web', index: 1 });
});

test('dispatch: one address with a port, resolved like a bind address', async () => {
  assertAlert(await backend('dispatch'), at(6, "'dispatch' : '' resolves to an empty address (environment variable missing?)\n"));
  assertAlert(await backend('dispatch 1.2.3.4'), at(6, "'dispatch' : missing port specification in '1.2.3.4'"));
  assertAlert(await backend('dispatch 1.2.3.4:80 x'), at(6, "'dispatch' cannot handle unexpected argument 'x'."));
  assertAlert(await backend('dispatch 1.2.3.4 x'), at(6, "'dispatch' : missing port specification in '1.2.3.4'"));
  assertAlert(await backend('dispatch 1.2.3.4:80-81'), at(6, "'dispatch' : port range not permitted here in '1.2.3.4:80-81'"));
  assertAlert(await backend('dispatch nonexistent.invalid:80'), at(6, "'dispatch' : invalid address: 'nonexistent.invalid' in 'nonexistent.invalid:80'\n"));
  assertValid(await backend('dispatch 1.2.3.4:80'));
  assertAlert(await check('defaults\n  dispatch 1.2.3.4:80\n'), at(2, "'dispatch' not allowed in 'defaults' section."));
});

test('names are resolved after the last line, following init-addr', async () => {
  const one = await backend('server s nonexistent.invalid:80');
  assert.deepEqual(one.alerts, [bare(6, `${S} : could not resolve address 'nonexistent.invalid'.`), 'Failed to initialize server(s) addr.']);
  const two = await backend('server s1 nonexistent.invalid:80', 'server s2 nonexistent.invalid:80 init-addr libc,none', 'server s3 nonexistent.invalid:80 init-addr last,libc,1.2.3.4');
  assert.deepEqual(two.lines.filter((l) => !l.includes('not supported yet') && !l.includes('missing timeouts')), [
    "alert: [t.cfg:6] : 'server b/s1' : could not resolve address 'nonexistent.invalid'.",
    "warning: [t.cfg:7] : 'server b/s2' : could not resolve address 'nonexistent.invalid', disabling server.",
    "warning: [t.cfg:8] : 'server b/s3' : could not resolve address 'nonexistent.invalid', falling back to configured address.",
    'alert: Failed to initialize server(s) addr.',
  ]);
  assertAlert(await backend('server s nonexistent.invalid init-addr last'), bare(6, `${S} : no method found to resolve address 'nonexistent.invalid'.`));
  assertValid(await backend('server s nonexistent.invalid:80 init-addr none'));
  const t = await backend('server-template s 2 nonexistent.invalid:80');
  assert.deepEqual(t.alerts, [
    bare(6, "'server b/s1' : could not resolve address 'nonexistent.invalid'."),
    bare(6, "'server b/s2' : could not resolve address 'nonexistent.invalid'."),
    'Failed to initialize server(s) addr.',
  ]);
  const ok = await backend('server s localhost:80');
  assertValid(ok);
  assert.ok(['127.0.0.1', '::1'].includes(ok.model.proxies[1]!.servers[0]!.address.ip!));
});
