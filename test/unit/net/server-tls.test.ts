/**
 * Server-side TLS settings (net/server-tls*.ts): HAProxy's rules for what a server connection
 * sends and checks (configuration.txt 5.2), for its traffic and its health checks; the name
 * check of `verify required`; what startup refuses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigEnvironment } from '../../../src/config/environment.js';
import { loadConfig } from '../../../src/config/loader.js';
import type { ConfigModel } from '../../../src/config/model/index.js';
import { dnsAltNames, hostMatches } from '../../../src/net/server-tls-identity.js';
import { constantSni, serverTls, serverTlsSettings, tlsFailure } from '../../../src/net/server-tls.js';
import { check } from '../../helpers/config.js';
import { makePki } from '../../helpers/tls/pki.js';

async function model(text: string, noServerVerify = false): Promise<ConfigModel> {
  const r = await loadConfig({
    files: ['t.cfg'],
    texts: new Map([['t.cfg', text]]),
    env: new ConfigEnvironment({}),
    options: { checkOnly: true, diagnostics: true, localPeer: 'testhost', ignoreResolveFailures: false, noServerVerify },
  });
  assert.ok(r.ok, r.diag.list.map((d) => d.message).join('\n'));
  return r.model;
}

/** The settings of server `name` of the first backend, for traffic and for checks. */
async function settingsOf(servers: string, global = '', noServerVerify = false) {
  const m = await model(`global\n${global}\nbackend b\n${servers}\n`, noServerVerify);
  const b = m.proxies[0]!;
  const of = (name: string, forCheck = false) => serverTlsSettings(b.servers.find((s) => s.name === name)!, m.global, forCheck);
  return { m, of };
}

test('hostMatches: exact names and one wildcard in the leftmost label, case-insensitive (haproxy 2.6)', () => {
  const yes: [string, string][] = [
    ['srv.example.com', 'srv.example.com'],
    ['SRV.Example.com', 'srv.example.COM'],
    ['*.example.com', 'a.example.com'],
    ['*.example.com', 'A.EXAMPLE.com'],
    ['f*o.example.com', 'fo.example.com'],
    ['f*o.example.com', 'fuzzo.example.com'],
    ['a*.example.com', 'abc.example.com'],
    ['localhost', 'localhost'],
  ];
  const no: [string, string][] = [
    ['*.example.com', 'example.com'],
    ['*.example.com', 'a.b.example.com'],
    ['*.*.example.com', 'a.b.example.com'],
    ['a.*.example.com', 'a.b.example.com'],
    ['f*o.example.com', 'bar.example.com'],
    ['*', 'localhost'],
    ['srv.example.com', 'srv.example.org'],
    ['*.example.com', 'localhost'],
  ];
  for (const [p, h] of yes) assert.equal(hostMatches(p, h), true, `${p} ~ ${h}`);
  for (const [p, h] of no) assert.equal(hostMatches(p, h), false, `${p} !~ ${h}`);
});

test('dnsAltNames: DNS entries only, quoted ones decoded', () => {
  assert.deepEqual(dnsAltNames('DNS:a.example, IP Address:127.0.0.1, DNS:*.b.example'), ['a.example', '*.b.example']);
  assert.deepEqual(dnsAltNames('DNS:"x,y.example", DNS:z'), ['x,y.example', 'z']);
  assert.deepEqual(dnsAltNames(undefined), []);
});

test('constantSni: str(...) alone is constant, anything else needs the stream', () => {
  assert.equal(constantSni('str(srv.example.com)'), 'srv.example.com');
  assert.equal(constantSni("str('a b')"), 'a b');
  assert.equal(constantSni('str()'), '');
  assert.equal(constantSni('str(a),lower'), undefined);
  assert.equal(constantSni('ssl_fc_sni'), undefined);
  assert.equal(constantSni('req.hdr(host)'), undefined);
});

test('traffic: ssl, verify default required, SNI from sni, verify name = SNI else verifyhost', async () => {
  const { of } = await settingsOf(
    [
      '  server plain 127.0.0.1:1',
      '  server a 127.0.0.1:1 ssl ca-file /etc/ssl/certs/ca-certificates.crt',
      '  server b 127.0.0.1:1 ssl ca-file /etc/ssl/certs/ca-certificates.crt sni str(b.example) verifyhost v.example alpn h2,http/1.1',
      '  server c 127.0.0.1:1 ssl ca-file /etc/ssl/certs/ca-certificates.crt verifyhost v.example',
      '  server d 127.0.0.1:1 ssl verify none verifyhost v.example no-ssl-reuse no-tls-tickets',
    ].join('\n'),
  );
  assert.equal(of('plain'), undefined);
  const a = of('a')!;
  assert.equal(a.verify, true);
  assert.equal(a.servername, undefined);
  assert.equal(a.verifyName, undefined);
  assert.equal(a.caFile, '/etc/ssl/certs/ca-certificates.crt');
  assert.equal(a.minVersion, 'TLSv1.0');
  assert.equal(a.maxVersion, 'TLSv1.3');
  assert.equal(a.reuse, true);
  assert.equal(a.noTickets, false);
  const b = of('b')!;
  assert.equal(b.servername, 'b.example');
  assert.equal(b.verifyName, 'b.example');
  assert.equal(b.verifyNameIsSni, true);
  assert.deepEqual(b.alpn, ['h2', 'http/1.1']);
  const c = of('c')!;
  assert.equal(c.verifyName, 'v.example');
  assert.equal(c.verifyNameIsSni, false);
  const d = of('d')!;
  assert.equal(d.verify, false);
  assert.equal(d.caFile, undefined);
  assert.equal(d.reuse, false);
  assert.equal(d.noTickets, true);
});

test('checks: check-ssl, or ssl when neither port nor addr; check-sni only; check-alpn else alpn', async () => {
  const { of } = await settingsOf(
    [
      'default-server verify none',
      '  server s1 127.0.0.1:1 ssl sni str(t.example) alpn h2 check',
      '  server s2 127.0.0.1:1 ssl check port 2',
      '  server s3 127.0.0.1:1 ssl check addr 127.0.0.2',
      '  server s4 127.0.0.1:1 ssl check port 2 check-ssl check-sni c.example check-alpn http/1.1',
      '  server s5 127.0.0.1:1 check check-ssl',
      '  server s6 127.0.0.1:1 ssl check no-check-ssl',
      '  server s7 127.0.0.1:1 check',
    ].join('\n'),
  );
  const s1 = of('s1', true)!;
  assert.equal(s1.servername, undefined, "the server's sni is not used by checks");
  assert.deepEqual(s1.alpn, ['h2'], "the server's alpn is (it belongs to its TLS context)");
  assert.equal(of('s2', true), undefined);
  assert.equal(of('s3', true), undefined);
  const s4 = of('s4', true)!;
  assert.equal(s4.servername, 'c.example');
  assert.equal(s4.verifyName, 'c.example');
  assert.deepEqual(s4.alpn, ['http/1.1']);
  assert.ok(of('s5', true));
  assert.equal(of('s5'), undefined, 'check-ssl alone: traffic stays plain');
  assert.equal(of('s6', true), undefined);
  assert.equal(of('s7', true), undefined);
});

test('versions and ciphers: server line over ssl-default-server-*', async () => {
  const { of } = await settingsOf(
    [
      'default-server verify none',
      '  server d 127.0.0.1:1 ssl',
      '  server m 127.0.0.1:1 ssl ciphers ECDHE-ECDSA-AES128-GCM-SHA256 ciphersuites TLS_AES_128_GCM_SHA256',
      '  server f 127.0.0.1:1 ssl force-tlsv12',
      '  server n 127.0.0.1:1 ssl no-tlsv13 no-tlsv10',
      '  server t 127.0.0.1:1 ssl tls-tickets',
    ].join('\n'),
    '  ssl-default-server-options ssl-max-ver TLSv1.2 no-tls-tickets\n  ssl-default-server-ciphers ECDHE-ECDSA-AES256-GCM-SHA384\n  ssl-default-server-ciphersuites TLS_CHACHA20_POLY1305_SHA256',
  );
  const d = of('d')!;
  assert.deepEqual([d.minVersion, d.maxVersion], ['TLSv1.0', 'TLSv1.2']);
  assert.equal(d.ciphers, 'ECDHE-ECDSA-AES256-GCM-SHA384');
  assert.equal(d.ciphersuites, 'TLS_CHACHA20_POLY1305_SHA256');
  assert.equal(d.noTickets, true);
  const m = of('m')!;
  assert.equal(m.ciphers, 'ECDHE-ECDSA-AES128-GCM-SHA256');
  assert.equal(m.ciphersuites, 'TLS_AES_128_GCM_SHA256');
  const f = of('f')!;
  assert.deepEqual([f.minVersion, f.maxVersion], ['TLSv1.2', 'TLSv1.2']);
  // no-* flags are ignored once a maximum is set (here by the global options).
  const n = of('n')!;
  assert.deepEqual([n.minVersion, n.maxVersion], ['TLSv1.0', 'TLSv1.2']);
  assert.equal(of('t')!.noTickets, false);
});

test('ssl-server-verify and -dV: the configuration wins over the command line', async () => {
  const none = await settingsOf('  server s 127.0.0.1:1 ssl', '  ssl-server-verify none');
  assert.equal(none.of('s')!.verify, false);
  const dv = await settingsOf('  server s 127.0.0.1:1 ssl', '', true);
  assert.equal(dv.of('s')!.verify, false);
  // -dV with an explicit "ssl-server-verify required": the server needs its CA file again.
  const r = await loadConfig({
    files: ['t.cfg'],
    texts: new Map([['t.cfg', 'global\n  ssl-server-verify required\nbackend b\n  server s 127.0.0.1:1 ssl\n']]),
    env: new ConfigEnvironment({}),
    options: { checkOnly: true, diagnostics: true, localPeer: 'testhost', ignoreResolveFailures: false, noServerVerify: true },
  });
  assert.equal(r.ok, false);
  assert.match(r.diag.list.map((d) => d.message).join('\n'), /verify is enabled by default but no CA file specified/);
});

test('sni: an expression whose fetches run is accepted; one needing what does not run is "not supported yet"', async () => {
  for (const sni of ['str(a.example)', 'fe_name,lower', 'var(txn.host)']) {
    const ok = await check(`global\n  ssl-server-verify none\nbackend b\n  server s 127.0.0.1:1 ssl sni ${sni}\n`);
    assert.deepEqual(
      ok.warnings.filter((w) => w.includes('not supported yet')),
      [],
    );
  }
  const no = await check('global\n  ssl-server-verify none\nbackend b\n  server s 127.0.0.1:1 ssl sni ssl_fc_sni\n');
  assert.ok(
    no.warnings.some((w) => w.includes("server option 'sni ssl_fc_sni'") && w.endsWith('is not supported yet')),
    no.lines.join('\n'),
  );
  const started = await check('global\n  ssl-server-verify none\nbackend b\n  server s 127.0.0.1:1 ssl sni ssl_fc_sni\n', { start: true });
  assert.equal(started.ok, false);
  // Without ssl the expression is never evaluated: nothing to refuse.
  const plain = await check('backend b\n  server s 127.0.0.1:1 sni ssl_fc_sni\n');
  assert.deepEqual(
    plain.warnings.filter((w) => w.includes('not supported yet')),
    [],
  );
});

test('serverTls: compiled once per server, ALPN in wire form, checks share the context', async () => {
  const pki = makePki();
  try {
    const cli = pki.issue('cli');
    const m = await model(
      `backend b\n  server s 127.0.0.1:1 ssl ca-file ${pki.ca} crt ${cli.pem} sni str(s.example) alpn h2,http/1.1 check check-sni c.example\n  server p 127.0.0.1:1\n`,
    );
    const [s, p] = m.proxies[0]!.servers;
    const t = serverTls(s!, m.global, false)!;
    assert.equal(serverTls(s!, m.global, false), t, 'the same object again');
    assert.equal(t.options.servername, 's.example');
    assert.deepEqual(t.options.ALPNProtocols, Buffer.from('\x02h2\x08http/1.1', 'latin1'));
    assert.equal(t.options.rejectUnauthorized, true);
    const c = serverTls(s!, m.global, true)!;
    assert.equal(c.options.servername, 'c.example');
    assert.equal(c.options.secureContext, t.options.secureContext);
    assert.equal(serverTls(p!, m.global, false), undefined);
    assert.equal(serverTls(p!, m.global, true), undefined);
  } finally {
    pki.remove();
  }
});

test('tlsFailure: HAProxy retries everything but a certificate not matching the SNI sent', () => {
  assert.deepEqual(tlsFailure(Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' })), {
    kind: 'handshake',
    message: 'SSL handshake failure',
    retry: true,
  });
});
