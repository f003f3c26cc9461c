/** Whole-configuration checks of servers (checks/servers.ts), with HAProxy 2.6's messages and order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAlert, assertValid, assertWarning, backend, bare, certFiles, check } from './helpers.js';

const VERIFY =
  "verify is enabled by default but no CA file specified. If you're running on a LAN where you're certain to trust the server's certificate, please set an explicit 'verify none' statement on the 'server' line, or use 'ssl-server-verify none' in the global section to disable server-side verifications by default.";

const SEED = `defaults
  default-server error-limit 10 rise 15 on-marked-down shutdown-sessions maxconn 125 maxqueue 125
listen UT
  bind /tmp/h-bindsrv/etab_UT.sock mode 666
  mode tcp
  timeout server 2m
  timeout client 2m
  timeout check 7s
  option ldap-check
  balance leastconn
  server A 127.0.0.1:636 check check-ssl ssl on-error mark-down
  server B 127.0.0.1:637 check check-ssl ssl on-error mark-down
  server backup 127.0.0.1:638  check check-ssl ssl backup
`;

test('the seed example: verify required by default, no CA file, one alert per server', async () => {
  const r = await check(SEED);
  assert.deepEqual(r.alerts, [bare(11, `'server UT/A' : ${VERIFY}`), bare(12, `'server UT/B' : ${VERIFY}`), bare(13, `'server UT/backup' : ${VERIFY}`)]);
  const fixed = await check(
    SEED.replace(/ ssl on-error/g, ' ssl ca-file /etc/ssl/certs/ca-certificates.crt on-error').replace(' ssl backup', ' ssl ca-file /etc/ssl/certs/ca-certificates.crt backup'),
  );
  assertValid(fixed);
});

test('server TLS: verify none, ssl-server-verify, -dV, check-ssl', async () => {
  assertValid(await backend('server s 1.2.3.4:80 ssl verify none'));
  assertAlert(await backend('server s 1.2.3.4:80 check-ssl'), bare(6, `'server b/s' : ${VERIFY}`));
  assertAlert(await backend('server s 1.2.3.4:80 ssl verify required'), bare(6, `'server b/s' : ${VERIFY}`));
  assertValid(await backend('server s 1.2.3.4:80 ssl no-ssl'));
  assertValid(await check('global\n  ssl-server-verify none\nbackend b\n  server s 1.2.3.4:80 ssl\n'));
  const c = certFiles();
  const r = await backend(`server s 1.2.3.4:80 ssl ciphers FOO ciphersuites BAR crt ${c.dir}/nonexist ssl-min-ver TLSv1.3 ssl-max-ver TLSv1.2`);
  assert.deepEqual(r.alerts, [
    bare(6, `'server b/s' : unable to stat SSL certificate from file '${c.dir}/nonexist' : No such file or directory.`),
    "backend 'b': all SSL/TLS versions are disabled for server 's'.",
    VERIFY,
    "unable to set SSL cipher list to 'FOO'.",
    "unable to set TLS 1.3 cipher suites to 'BAR'.",
  ]);
  assertAlert(await backend(`server s 1.2.3.4:80 ssl verify none crt ${c.dir}`), bare(6, `'server b/s' : unable to stat SSL certificate from file '${c.dir}' : Success.`));
  assertValid(await backend(`server s 1.2.3.4:80 ssl verify none crt ${c.combined} ssl-max-ver TLSv1.0`));
  const w = await backend('server s 1.2.3.4:80 ssl verify none ssl-max-ver TLSv1.1 no-tlsv10');
  assertWarning(w, bare(6, "'server b/s' : no-sslv3/no-tlsv1x are ignored for this server. Use only 'ssl-min-ver' and 'ssl-max-ver' to fix."));
  // ca-file is loaded while parsing, in the server's message context.
  const ca = await backend(`server s 1.2.3.4:80 ssl ca-file ${c.dir}/nonexist`);
  assert.deepEqual(ca.alerts, [bare(6, `'server b/s' : Couldn't open the ca-file '${c.dir}/nonexist' (No such file or directory).`), `'ca-file' : unable to load ${c.dir}/nonexist.`]);
});

test('track: proxy, server, checks, loops', async () => {
  assertAlert(await backend('server s1 1.2.3.4 track zz'), bare(6, "'server b/s1' : unable to find required server 'zz' for tracking."));
  assertAlert(await backend('server s1 1.2.3.4 track c/s2'), bare(6, "'server b/s1' : unable to find required proxy 'c' for tracking."));
  assertAlert(await backend('server s1 1.2.3.4 track f/s2'), bare(6, "'server b/s1' : unable to find required proxy 'f' for tracking."));
  assertAlert(await backend('server s1 1.2.3.4 track /x'), bare(6, "'server b/s1' : unable to find required proxy '' for tracking."));
  assertAlert(
    await backend('server s1 1.2.3.4 track s2', 'server s2 1.2.3.5'),
    bare(6, "'server b/s1' : unable to use b/s2 for tracking as it does not have any check nor agent enabled."),
  );
  assertAlert(
    await backend('server s1 1.2.3.4 track b/s1'),
    bare(6, "'server b/s1' : unable to track b/s1 as it belongs to a tracking chain looping back to b/s1."),
  );
  assertAlert(
    await backend('server s1 1.2.3.4 track s2', 'server s2 1.2.3.5 track s1'),
    bare(7, "'server b/s2' : unable to track b/s1 as it belongs to a tracking chain looping back to b/s2."),
  );
  assertValid(await backend('server s1 1.2.3.4 track s2', 'server s2 1.2.3.5:80 check'));
  assertValid(await check('backend b\n  server s1 1.2.3.4 track c/x\nbackend c\n  server x 1.2.3.4 agent-check agent-port 80\n'));
});

test('HTTP-only server settings in a tcp backend, multiplexers, resolvers', async () => {
  const r = await backend('server s1 1.2.3.4 redir http://x cookie a');
  assert.deepEqual(r.alerts, ["backend 'b' : server cannot have cookie or redirect prefix in non-HTTP mode."]);
  assertWarning(r, "backend 'b' : ignoring cookie for server 's1' as HTTP mode is disabled.");
  assertWarning(
    await backend('server s 1.2.3.4 source 1.2.3.4 usesrc hdr_ip(x-forwarded-for,-1)'),
    "backend 'b' : server s cannot use header x-forwarded-for as source IP in non-HTTP mode.",
  );
  assertAlert(await backend('server s 1.2.3.4 proto h2'), "backend 'b' : MUX protocol 'h2' is not usable for server 's' at [t.cfg:6].");
  assertValid(await backend('mode http', 'server s 1.2.3.4 proto h2'));
  assertAlert(await backend('server s 1.2.3.4 resolvers foo'), "backend 'b', server 's': unable to find required resolvers 'foo'");
  assertWarning(
    await backend('server s 1.2.3.4 tfo'),
    bare(6, "'server b/s' : server has tfo activated, the backend should be configured with at least 'conn-failure', 'empty-response' and 'response-timeout' or we wouldn't be able to retry the connection on failure."),
  );
});

test('checks need a port: the service port, "port", "addr" with a port, or a connect rule', async () => {
  assertAlert(await backend('server s1 1.2.3.4 check'), "config: backend 'b': server 's1' has neither service port nor check port.");
  assertAlert(await backend('server s1 1.2.3.4:+1 check'), "config: backend 'b': server 's1' has neither service port nor check port.");
  assertValid(await backend('server s1 1.2.3.4:80 check'));
  assertValid(await backend('server s1 1.2.3.4:+1 check port 80'));
  assertValid(await backend('server s1 1.2.3.4 check addr 1.2.3.4:80'));
  assertValid(await backend('server s1 /tmp/x.sock check'));
  assertValid(await backend('server s1 1.2.3.4 agent-check agent-port 80'));
  // The backends after the first one without check settings are told about connect rules too.
  const r = await check('backend b\n  server s1 1.2.3.4 check\nbackend c\n  server s1 1.2.3.4 check\n');
  assert.deepEqual(r.alerts, [
    "config: backend 'b': server 's1' has neither service port nor check port.",
    "config: backend 'c': server 's1' has neither service port nor check port nor tcp_check rule 'connect' with port information.",
  ]);
  assertAlert(
    await backend('server s1 1.2.3.4:80 check-proto h1 check'),
    "config: backend 'b': server 's1' uses an incompatible MUX protocol for the selected check type",
  );
});

test('order: servers (TLS, tfo, track) then HTTP-only settings, multiplexers, resolvers; bind TLS after every proxy', async () => {
  const r = await check(
    'frontend f\n  timeout client 1s\n  bind :8443 ssl\n  default_backend b\nbackend b\n  server s1 1.2.3.4:80 ssl track zz proto h2 tfo\n  server s2 1.2.3.4 check\n',
  );
  assert.deepEqual(
    r.lines.filter((l) => !l.includes('not supported yet') && !l.includes('missing timeouts')),
    [
      `alert: [t.cfg:6] : 'server b/s1' : ${VERIFY}`,
      "warning: server has tfo activated, the backend should be configured with at least 'conn-failure', 'empty-response' and 'response-timeout' or we wouldn't be able to retry the connection on failure.",
      "alert: unable to find required server 'zz' for tracking.",
      "alert: backend 'b' : MUX protocol 'h2' is not usable for server 's1' at [t.cfg:6].",
      "alert: Proxy 'f': no SSL certificate specified for bind ':8443' at [t.cfg:3] (use 'crt').",
      "alert: config: backend 'b': server 's2' has neither service port nor check port.",
    ],
  );
});
