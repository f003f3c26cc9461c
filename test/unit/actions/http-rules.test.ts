import { test } from 'node:test';
import assert from 'node:assert/strict';
import { only, run } from './support.js';

const E = (action: string, msg: string, line = 9) =>
  `alert: parsing [t.cfg:${line}] : error detected in proxy 'f' while parsing 'http-request ${action}' rule : ${msg}.`;

test('valid http-request rules are recorded in order, with their arguments and condition', async () => {
  const { r, msgs } = await run('http-request set-header X-A %[src] if TRUE\n http-request del-header x -m beg\n http-request deny deny_status 404\n');
  assert.deepEqual(msgs, []);
  const rules = r.model.proxies[0]!.rules;
  assert.deepEqual(
    rules.map((x) => [x.ruleset, x.action, x.where.line]),
    [
      ['http-request', 'set-header', 9],
      ['http-request', 'del-header', 10],
      ['http-request', 'deny', 11],
    ],
  );
  assert.equal(rules[0]!.args['name'], 'X-A');
  assert.ok(rules[0]!.condition);
  assert.equal(rules[1]!.args['match'], 'beg');
  assert.equal(rules[2]!.final, true);
});

test('anything after the arguments must be a condition', async () => {
  assert.equal(
    await only('http-request add-header a b c\n'),
    "alert: parsing [t.cfg:9]: 'http-request add-header' expects either 'if' or 'unless' followed by a condition but found 'c'.",
  );
  assert.equal(
    await only('http-request deny if nope\n'),
    "alert: parsing [t.cfg:9] : error detected while parsing an 'http-request deny' condition : no such ACL : 'nope'.",
  );
});

test('an error in an http rule stops reading the configuration', async () => {
  const { msgs, r } = await run('http-request set-header a\n timeout foo 1\n');
  assert.deepEqual(msgs, [E('set-header', 'expects exactly 2 arguments')]);
  assert.equal(r.ok, false);
});

test('rules after a final action without condition never run: warned', async () => {
  const { msgs } = await run('http-request allow if TRUE\n http-request deny\n http-request allow\n');
  assert.deepEqual(msgs, ["warning: parsing [t.cfg:11]: previous 'http-request' action is final and has no condition attached, further entries are NOOP."]);
  const { msgs: none } = await run('http-request reject\n http-request deny\n');
  assert.deepEqual(none, []);
});

test('header actions', async () => {
  assert.equal(await only('http-request del-header\n'), E('del-header', 'expects at least 1 argument'));
  assert.equal(await only('http-request del-header a -m\n'), E('del-header', '-m flag expects exactly 1 argument'));
  assert.equal(await only('http-request del-header a -m found\n'), E('del-header', "-m with unsupported matching method 'found'"));
  assert.equal(await only('http-request replace-header a b\n'), E('replace-header', 'expects exactly 3 arguments'));
  assert.equal(
    await only('http-request replace-header a ( c\n'),
    E('replace-header', "regex '(' is invalid (error=missing closing parenthesis, erroffset=1)"),
  );
  assert.equal(
    await only('http-request replace-pathq [z-a] b\n'),
    E('replace-pathq', "failed to parse the regex : regex '[z-a]' is invalid (error=range out of order in character class, erroffset=3)"),
  );
  assert.equal(await only('http-request set-method a b\n'), E('set-method', 'expects exactly 1 argument <format>'));
  assert.equal(await only('http-request replace-uri a b c\n'), E('replace-uri', 'expects exactly 2 arguments <match-regex> and <replace-format>'));
  const status = await only('http-response set-status 99\n');
  assert.match(status, /'http-response set-status' rule : expects an integer status code between 100 and 999\.$/);
  const reason = await only('http-response set-status 200 reason if TRUE\n');
  assert.match(reason, /'http-response set-status' expects either 'if' or 'unless' followed by a condition but found 'reason'\.$/);
});

test('deny, tarpit and return: HTTP replies', async () => {
  assert.deepEqual((await run('http-request deny deny_status 404 if TRUE\n http-request tarpit\n')).msgs, []);
  assert.equal(await only('http-request deny deny_status\n'), E('deny', "'status' expects <status_code> as argument"));
  assert.equal(await only('http-request deny deny_status x\n'), E('deny', "Unexpected status code '0'"));
  assert.equal(
    await only('http-request deny deny_status 201\n'),
    E('deny', "status code '201' not handled by default with 'default-errorfiles' argument."),
  );
  assert.equal(await only('http-request deny string hi\n'), E('deny', 'a content type must be defined when non-empty payload is configured'));
  assert.equal(await only('http-request deny status 204 content-type a string x\n'), E('deny', 'No body expected for 204 responses'));
  assert.equal(await only('http-request deny string a errorfile x\n'), E('deny', "unexpected 'errorfile' argument, 'string' already defined"));
  assert.equal(await only('http-request deny errorfile /nonexistent/e.http\n'), E('deny', "error opening file '/nonexistent/e.http'."));
  assert.equal(await only('http-request deny hdr a\n'), E('deny', "'hdr' expects <name> and <value> as arguments"));
  assert.equal(
    await only('http-request deny content-type a\n'),
    "warning: parsing [t.cfg:9] : content-type 'a' ignored by the http reply because neither errorfile nor payload defined.",
  );
  assert.equal(await only('http-request deny hdr Content-Length 1\n'), "warning: parsing [t.cfg:9] : header 'Content-Length' always ignored by the http reply.");
  assert.equal(await only('http-request return status 600\n'), E('return', "Unexpected status code '600'"));
  const h = await only('http-response deny deny_status 404 foo\n');
  assert.match(h, /'http-response deny' expects either 'if' or 'unless' followed by a condition but found 'foo'\.$/);
});

test('auth keeps HAProxy\'s stray newline', async () => {
  assert.equal(await only('http-request auth realm\n'), E('auth', 'missing realm value.\n'));
});

test('redirect as an action parses its own condition', async () => {
  assert.equal(await only('http-request redirect\n'), E('redirect', "redirection type expected ('prefix', 'location', or 'scheme')"));
  assert.equal(
    await only('http-request redirect location / code 999\n'),
    E('redirect', "'code': unsupported HTTP code '999' (must be one of 301, 302, 303, 307 or 308)"),
  );
  assert.equal(await only('http-request redirect prefix / if TRUE foo\n'), E('redirect', "error in condition: no such ACL : 'foo'"));
  const r = await only('http-response redirect prefix /\n');
  assert.match(r, /'http-response redirect' rule : response only supports redirect type 'location'\.$/);
  const { r: ok } = await run('http-request redirect location / ignore-empty\n http-request deny\n');
  assert.equal(ok.model.proxies[0]!.rules[0]!.final, undefined);
});

test('variables', async () => {
  assert.deepEqual((await run('http-request set-var(txn.a,ifexists,ifgt) int(1)\n http-request unset-var(txn.a)\n')).msgs, []);
  const scope = "A variable name must be start by its scope. The scope can be 'proc', 'sess', 'txn', 'req', 'res' or 'check'";
  assert.equal(await only('http-request set-var(a) int(1)\n'), E('set-var(a)', `invalid variable name 'a'. ${scope}`));
  assert.equal(await only('http-request set-var() int(1)\n'), E('set-var()', 'Empty variable name cannot be accepted'));
  assert.equal(await only('http-request set-var(txn.a-b) int(1)\n'), E('set-var(txn.a-b)', "invalid syntax at char '-b)'"));
  assert.equal(await only('http-request set-var(txn.a,foo) int(1)\n'), E('set-var(txn.a,foo)', 'unknown condition "foo"'));
  const expects = "Expects 'set-var(<var-name>)', 'set-var-fmt(<var-name>)' or 'unset-var(<var-name>)'";
  assert.equal(await only('http-request set-var int(1)\n'), E('set-var', `invalid or incomplete action 'set-var'. ${expects}`));
  assert.equal(await only('http-request set-var(txn.a)x int(1)\n'), E('set-var(txn.a)x', `incomplete argument after action 'set-var(txn.a)x'. ${expects}`));
  assert.equal(
    await only('http-request unset-var(txn.a,ifset)\n'),
    E('unset-var(txn.a,ifset)', 'unset-var does not expect parameters after the variable name. Only "set-var" and "set-var-fmt" manage conditions'),
  );
  assert.equal(
    await only('http-request set-var(txn.a) res.hdr(x)\n'),
    E('set-var(txn.a)', "fetch method 'set-var(txn.a)' extracts information from 'HTTP response headers', none of which is available here"),
  );
});

test('stick counters', async () => {
  assert.equal(await only('http-request track-sc5 src\n'), E('track-sc5', '5 track-sc number exceeding 2 (MAX_SESS_STKCTR-1) value'));
  assert.equal(await only('http-request track-scx src\n'), E('track-scx', "Wrong track-sc number 'x'"));
  assert.equal(await only('http-request track-sc0 src table\n'), E('track-sc0', 'missing table name'));
  assert.equal(await only('http-request sc-inc-gpc(0,3)\n'), E('sc-inc-gpc(0,3)', "invalid stick table track ID 'sc-inc-gpc(0,3)'. The max allowed ID is 2"));
  assert.equal(await only('http-request sc-inc-gpc(x,0)\n'), E('sc-inc-gpc(x,0)', "Missing gpc ID 'sc-inc-gpc(x,0)'. Expects sc-inc-gpc(<GPC ID>,<Track ID>)"));
  assert.equal(await only('http-request sc-inc-gpc0(x)\n'), E('sc-inc-gpc0(x)', 'invalid stick table track ID. Expects sc-inc-gpc0(x)(<Track ID>)'));
  assert.equal(await only('http-request sc-inc-gpc2(0)\n'), E('sc-inc-gpc2(0)', "invalid gpc ID 'sc-inc-gpc2(0)'. Expects sc-inc-gpc(<GPC ID>,<Track ID>)"));
  assert.equal(await only('http-request sc-set-gpt0(3) 1\n'), E('sc-set-gpt0(3)', "invalid stick table track ID 'sc-set-gpt0(3)'. The max allowed ID is 2"));
  assert.equal(await only('http-request sc-set-gpt(0,0) 1x\n'), E('sc-set-gpt(0,0)', "unknown fetch method '1x'"));
  // An empty value reads as the integer 0, as strtol does.
  assert.deepEqual((await run('http-request sc-set-gpt0(0)\n http-request sc-inc-gpc0\n')).msgs, []);
});

test('normalize-uri is experimental', async () => {
  assert.equal(
    await only('http-request normalize-uri path-merge-slashes\n'),
    "alert: parsing [t.cfg:9] : 'normalize-uri' action is experimental, must be allowed via a global 'expose-experimental-directives'",
  );
  const head = 'global\n expose-experimental-directives\n' + 'defaults\n timeout client 1s\n timeout server 1s\n timeout connect 1s\nlisten f\n bind :80\n mode http\n server s 127.0.0.1:80\n';
  const { msgs } = await run('http-request normalize-uri path-strip-dotdot foo\n', head);
  assert.deepEqual(msgs, [
    "alert: parsing [t.cfg:11] : error detected in proxy 'f' while parsing 'http-request normalize-uri' rule : unknown argument 'foo' for 'path-strip-dotdot' normalizer.",
  ]);
  assert.deepEqual((await run('http-request normalize-uri percent-to-uppercase strict\n', head)).msgs, []);
});

test('stream actions', async () => {
  assert.equal(await only("http-request set-log-level foo\n"), E('set-log-level', "expects exactly 1 argument (log level name or 'silent')"));
  assert.equal(await only('http-request set-mark 1x\n'), E('set-mark', "invalid character starting at 'x' (integer/hex value expected)"));
  assert.equal(await only('http-request set-timeout client 1s\n'), E('set-timeout', "'set-timeout' rule supports 'server'/'tunnel' (got 'client')"));
  assert.equal(await only('http-request set-timeout server 0\n'), E('set-timeout', "null value is not valid for a 'set-timeout server' rule"));
  assert.equal(await only('http-request set-timeout server nope\n'), E('set-timeout', "unexpected character 'n' in rule 'set-timeout server'"));
  assert.equal(await only('http-request wait-for-body time 1s at-least\n'), E('wait-for-body', "missing argument for 'at-least'"));
  assert.equal(await only('http-request strict-mode x\n'), E('strict-mode', "Unexpected value 'x'. Only 'on' and 'off' are supported"));
  assert.equal(await only('http-request use-service foo\n'), E('use-service', "'foo' unknown service name."));
  assert.equal(
    await only('http-request set-priority-class res.hdr(x)\n'),
    E('set-priority-class', "fetch method 'set-priority-class' extracts information from 'HTTP response headers', none of which is available here"),
  );
  assert.equal(
    await only('http-request capture src len 10 id 2\n'),
    "alert: parsing [t.cfg:9]: 'http-request capture' expects either 'if' or 'unless' followed by a condition but found 'id'.",
  );
  assert.equal(await only('http-request capture src\n'), E('capture', "expects <expression> [ 'len' <length> | id <idx> ]"));
  assert.equal(
    await only('http-request do-resolve(txn.a,r,ipv5) src\n'),
    E('do-resolve(txn.a,r,ipv5)', "Can't parse 'do-resolve(txn.a,r,ipv5)'. Expects 'do-resolve(<varname>,<resolvers>[,<options>]) <expr>'. Available options are 'ipv4' and 'ipv6'"),
  );
  assert.equal(await only('http-request send-spoe-group a\n'), E('send-spoe-group', 'expects 2 arguments: <engine-id> <group-id>'));
});
