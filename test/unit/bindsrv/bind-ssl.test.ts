/**
 * TLS bind options (configuration.txt 5.1): files loaded at parse time, contexts checked after
 * the last line. Certificates are made with the openssl CLI in a temporary directory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertAlert, assertValid, assertWarning, at, certFiles, check, frontend } from './helpers.js';

const L = "'bind :8443' in section 'frontend'";

test('crt: a PEM file with its key, or the key beside it in <file>.key', async () => {
  const c = certFiles();
  const r = await frontend(`bind :8443 ssl crt ${c.combined}`);
  assertValid(r);
  const crt = r.model.proxies[0]!.binds[0]!.options['crt']!;
  assert.equal(crt[0]!.file, c.combined);
  assert.deepEqual(crt[0]!.names, ['test.example']);
  assertAlert(await frontend('bind :8443 ssl crt'), at(3, `${L} : 'crt' : missing certificate location`));
  assertAlert(
    await frontend(`bind :8443 ssl crt ${c.dir}/nonexist.pem`),
    at(3, `${L} : unable to stat SSL certificate from file '${c.dir}/nonexist.pem' : No such file or directory.`),
  );
  assertAlert(await frontend(`bind :8443 ssl crt ${c.garbage}`), at(3, `${L} : unable to load certificate from file '${c.garbage}'.`));
  assertAlert(await frontend(`bind :8443 ssl crt ${c.empty}`), at(3, `${L} : unable to load certificate from file '${c.empty}'.`));
  assertAlert(await frontend(`bind :8443 ssl crt ${c.key}`), at(3, `${L} : unable to load certificate from file '${c.key}'.`));
  assertAlert(await frontend(`bind :8443 ssl crt ${c.cert}`), at(3, `${L} : No Private Key found in '${c.cert}.key'.`));
  assertAlert(await frontend(`bind :8443 ssl crt ${c.mismatch}`), at(3, `${L} : inconsistencies between private key and certificate loaded '${c.mismatch}'.`));
  // A key file next to the certificate.
  const dir = join(c.dir, 'sep');
  mkdirSync(dir, { recursive: true });
  copyFileSync(c.cert, join(dir, 'site.pem'));
  copyFileSync(c.key, join(dir, 'site.pem.key'));
  assertValid(await frontend(`bind :8443 ssl crt ${dir}/site.pem`));
  // A garbage key file: HAProxy's two-line message, indented.
  const bad = join(c.dir, 'badkey');
  mkdirSync(bad, { recursive: true });
  copyFileSync(c.cert, join(bad, 'a.pem'));
  writeFileSync(join(bad, 'a.pem.key'), 'garbage\n');
  assertAlert(
    await frontend(`bind :8443 ssl crt ${bad}/a.pem`),
    at(3, `${L} : \n  unable to load private key from file '${bad}/a.pem.key'.\n   '${bad}/a.pem.key' is present but cannot be read or parsed'.`),
  );
});

test('crt directories load every certificate file, in name order; crt-base prefixes relative paths', async () => {
  const c = certFiles();
  const dir = join(c.dir, 'many');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  copyFileSync(c.combined, join(dir, 'a.pem'));
  copyFileSync(c.combined, join(dir, 'b.pem'));
  writeFileSync(join(dir, 'b.pem.ocsp'), 'x');
  writeFileSync(join(dir, '.hidden'), 'x');
  const r = await frontend(`bind :8443 ssl crt ${dir}`);
  assertValid(r);
  assert.equal((r.model.proxies[0]!.binds[0]!.options['crt'] as unknown[]).length, 2);
  writeFileSync(join(dir, 'zz.txt'), 'x\n');
  assertAlert(await frontend(`bind :8443 ssl crt ${dir}`), at(3, `${L} : unable to load certificate from file '${dir}/zz.txt'.`));
  // A companion .sctl file that is not a list of timestamps.
  const sct = join(c.dir, 'sct');
  mkdirSync(sct, { recursive: true });
  copyFileSync(c.combined, join(sct, 'a.pem'));
  writeFileSync(join(sct, 'a.pem.sctl'), 'x\n');
  assertAlert(await frontend(`bind :8443 ssl crt ${sct}`), at(3, `${L} :  '${sct}/a.pem.sctl.sctl' is present but cannot be read or parsed'.`));
  // An empty directory: no certificate at all.
  mkdirSync(join(c.dir, 'none'), { recursive: true });
  assertAlert(await frontend(`bind :8443 ssl crt ${c.dir}/none`), "Proxy 'f': no SSL certificate specified for bind ':8443' at [t.cfg:3] (use 'crt').");
  const base = await check(`global\n  crt-base ${c.dir}\nfrontend f\n  timeout client 1s\n  bind :8443 ssl crt combined.pem\n`);
  assertValid(base);
  const miss = await check(`global\n  crt-base ${c.dir}/\nfrontend f\n  timeout client 1s\n  bind :8443 ssl crt nonexist.pem\n`);
  assertAlert(miss, at(5, `${L} : unable to stat SSL certificate from file '${c.dir}//nonexist.pem' : No such file or directory.`));
});

test('ca-file, crl-file, ca-verify-file: loaded now, with the extra alert HAProxy prints first', async () => {
  const c = certFiles();
  const r = await frontend(`bind :8443 ssl crt ${c.combined} ca-file ${c.dir}/nonexist`);
  assert.ok(r.alerts.includes(`Couldn't open the ca-file '${c.dir}/nonexist' (No such file or directory).`), r.lines.join('\n'));
  assertAlert(r, at(3, `${L} : 'ca-file' : unable to load ${c.dir}/nonexist`));
  const g = await frontend(`bind :8443 ssl crt ${c.combined} crl-file ${c.garbage}`);
  assert.ok(g.alerts.includes(`Couldn't open the ca-file '${c.garbage}' (no certificate or crl found).`));
  assertAlert(g, at(3, `${L} : 'crl-file' : unable to load ${c.garbage}`));
  assertAlert(await frontend(`bind :8443 ssl crt ${c.combined} ca-file`), at(3, `${L} : 'ca-file' : missing CAfile path`));
  assertAlert(await frontend(`bind :8443 ssl crt ${c.combined} crl-file`), at(3, `${L} : 'crl-file' : missing CRLfile path`));
  assertValid(await frontend(`bind :8443 ssl crt ${c.combined} ca-file ${c.cert} crl-file ${c.combined} ca-verify-file ${c.cert}`));
  assertValid(await frontend(`bind :8443 ssl crt ${c.combined} ca-file @system-ca verify required`));
  const base = await check(`global\n  ca-base ${c.dir}\nfrontend f\n  timeout client 1s\n  bind :8443 ssl crt ${c.combined} ca-file cert.pem verify optional\n`);
  assertValid(base);
});

test('option values: verify, alpn, versions, ignore-err lists, ticket keys', async () => {
  const c = certFiles();
  const cases: [string, string][] = [
    ['verify', "'verify' : missing verify method"],
    ['verify x', "'verify' : unknown verify method 'x', only 'none', 'optional', and 'required' are supported"],
    ['alpn', "'alpn' : missing the comma-delimited ALPN protocol suite"],
    ['npn', "'npn' : missing the comma-delimited NPN protocol suite"],
    [`alpn ${'a'.repeat(256)}`, `'alpn' : ALPN protocol name too long : '${'a'.repeat(256)}'`],
    ['ciphers', "'ciphers' : missing cipher suite"],
    ['curves', "'curves' : missing curve suite"],
    ['ecdhe', "'ecdhe' : missing named curve"],
    ['ssl-min-ver', "'ssl-min-ver' : missing the ssl/tls version"],
    ['ssl-max-ver tlsv1.2', "'tlsv1.2' : unknown ssl/tls version"],
    ['crt-ignore-err', "'crt-ignore-err' : missing error IDs list"],
    ['crt-ignore-err 95', "'crt-ignore-err' : ID '95' out of range (1..94) in error IDs list '95'"],
    ['ca-ignore-err ,1', "'ca-ignore-err' : ID '0' out of range (1..94) in error IDs list ',1'"],
    ['tls-ticket-keys', "'tls-ticket-keys' : missing TLS ticket keys file path"],
    [`tls-ticket-keys ${c.dir}/nonexist`, `'${c.dir}/nonexist' : unable to load ssl tickets keys file`],
    [`tls-ticket-keys ${c.garbage}`, `'${c.garbage}' : unable to decode base64 key on line 1`],
    ['ca-sign-pass', "'ca-sign-pass' : missing CAkey password"],
    ['crt-list', "'crt-list' : missing certificate location"],
    [`crt-list ${c.dir}/nonexist`, `'crt-list' : cannot open file '${c.dir}/nonexist' : No such file or directory`],
  ];
  for (const [opt, msg] of cases) assertAlert(await frontend(`bind :8443 ssl crt ${c.combined} ${opt}`), at(3, `${L} : ${msg}`));
  assertValid(await frontend(`bind :8443 ssl crt ${c.combined} alpn h2,http/1.1 crt-ignore-err 1x ca-ignore-err all strict-sni no-tls-tickets`));
  const keys48 = Array.from({ length: 3 }, (_, i) => Buffer.alloc(48, i + 1).toString('base64')).join('\n') + '\n';
  writeFileSync(join(c.dir, 'tk'), keys48);
  assertValid(await frontend(`bind :8443 ssl crt ${c.combined} tls-ticket-keys ${c.dir}/tk`));
  writeFileSync(join(c.dir, 'tk2'), Buffer.alloc(48).toString('base64') + '\n' + Buffer.alloc(80).toString('base64') + '\n');
  assertAlert(await frontend(`bind :8443 ssl crt ${c.combined} tls-ticket-keys ${c.dir}/tk2`), at(3, `${L} : '${c.dir}/tk2' : wrong sized key on line 2`));
  writeFileSync(join(c.dir, 'tk3'), Buffer.alloc(48).toString('base64') + '\n');
  assertAlert(
    await frontend(`bind :8443 ssl crt ${c.combined} tls-ticket-keys ${c.dir}/tk3`),
    at(3, `${L} : '${c.dir}/tk3' : please supply at least 3 keys in the tls-tickets-file`),
  );
});

test('crt-list: certificates with bracketed settings and SNI filters', async () => {
  const c = certFiles();
  const list = (name: string, text: string): string => {
    writeFileSync(join(c.dir, name), text);
    return join(c.dir, name);
  };
  const good = list('good.list', `# comment\n\n${c.combined} [ssl-min-ver TLSv1.2 alpn h2] *.example.com !x.example.com\n  ${c.combined}\n`);
  const r = await frontend(`bind :8443 ssl crt-list ${good}`);
  assertValid(r);
  const entries = r.model.proxies[0]!.binds[0]!.options['crt-list']!;
  assert.equal(entries.length, 2);
  assert.deepEqual(entries[0]!.filters, ['*.example.com', '!x.example.com']);
  assert.deepEqual(entries[0]!.options['alpn'], ['h2']);
  const cl = (name: string, text: string): ReturnType<typeof frontend> => frontend(`bind :8443 ssl crt-list ${list(name, text)}`);
  assertAlert(await cl('a.list', `${c.combined} [ssl]\n`), at(3, `${L} : 'crt-list' : parsing [${c.dir}/a.list:1]: unknown ssl keyword ssl`));
  assertAlert(await cl('b.list', `${c.combined} [verify]\n`), at(3, `${L} : 'crt-list' : parsing [${c.dir}/b.list:1]: ssl args out of '[]' for verify`));
  assertAlert(await cl('c.list', `${c.combined} [verify none] [alpn h2]\n`), at(3, `${L} : 'crt-list' : parsing [${c.dir}/c.list:1]: too many '['`));
  assertAlert(await cl('d.list', `${c.combined} verify none]\n`), at(3, `${L} : 'crt-list' : parsing [${c.dir}/d.list:1]: missing '['`));
  assertAlert(
    await cl('e.list', `${c.combined} [verify foo]\n`),
    at(3, `${L} : 'crt-list' : 'verify' : unknown verify method 'foo', only 'none', 'optional', and 'required' are supported`),
  );
  assertAlert(await cl('f.list', `${c.garbage}\n`), at(3, `${L} : 'crt-list' : unable to load certificate from file '${c.garbage}'.`));
  // An unterminated bracket: HAProxy ignores the settings.
  assertValid(await cl('g.list', `${c.combined} [verify\n`));
});

test('after the last line: a certificate for ssl, a CA for verify, cipher lists OpenSSL accepts', async () => {
  const c = certFiles();
  assertAlert(await frontend('bind :8443 ssl'), "Proxy 'f': no SSL certificate specified for bind ':8443' at [t.cfg:3] (use 'crt').");
  // Without 'ssl', a certificate is loaded but nothing is required.
  assertValid(await frontend(`bind :8443 crt ${c.combined} verify required`));
  const v = 'Proxy \'f\': verify is enabled but no CA file specified for bind \':8443\' at [t.cfg:3].';
  // One context for the line and one per certificate: HAProxy prints the message for each.
  assertAlert(await frontend(`bind :8443 ssl crt ${c.combined} verify required`), `${v}\n${v}`);
  assertAlert(await frontend(`bind :8443 ssl crt ${c.combined} crt ${c.combined} verify optional`), `${v}\n${v}\n${v}`);
  const ci = "Proxy 'f': unable to set SSL cipher list to 'FOO' for bind ':8443' at [t.cfg:3].";
  const cu = "Proxy 'f': unable to set SSL curves list to 'BAR' for bind ':8443' at [t.cfg:3].";
  assertAlert(await frontend(`bind :8443 ssl crt ${c.combined} ciphers FOO curves BAR`), `${ci}\n${cu}\n${ci}\n${cu}`);
  assertAlert(
    await frontend(`bind :8443 ssl crt ${c.combined} ciphersuites FOO`),
    "Proxy 'f': unable to set TLS 1.3 cipher suites to 'FOO' for bind ':8443' at [t.cfg:3].\nProxy 'f': unable to set TLS 1.3 cipher suites to 'FOO' for bind ':8443' at [t.cfg:3].",
  );
  assertAlert(
    await frontend(`bind :8443 ssl crt ${c.combined} ecdhe FOO`),
    "Proxy 'f': unable to set elliptic named curve to 'FOO' for bind ':8443' at [t.cfg:3].\nProxy 'f': unable to set elliptic named curve to 'FOO' for bind ':8443' at [t.cfg:3].",
  );
  // OpenSSL 3.0 spells group names case-sensitively.
  assertAlert(
    await frontend(`bind :8443 ssl crt ${c.combined} curves p-256`),
    "Proxy 'f': unable to set SSL curves list to 'p-256' for bind ':8443' at [t.cfg:3].\nProxy 'f': unable to set SSL curves list to 'p-256' for bind ':8443' at [t.cfg:3].",
  );
  assertValid(await frontend(`bind :8443 ssl crt ${c.combined} ciphers FOO:HIGH ciphersuites FOO:TLS_AES_128_GCM_SHA256 curves X25519:P-256 ecdhe FOO curves P-256`));
  assertAlert(await frontend(`bind :8443 ssl crt ${c.combined} ciphers TLS_AES_128_GCM_SHA256`), `${ci.replace('FOO', 'TLS_AES_128_GCM_SHA256')}\n${ci.replace('FOO', 'TLS_AES_128_GCM_SHA256')}`);
  const g = await check(`global\n  ssl-default-bind-ciphers FOO\nfrontend f\n  timeout client 1s\n  bind :8443 ssl crt ${c.combined}\n`);
  assertAlert(g, "Proxy 'f': unable to set SSL cipher list to 'FOO' for bind ':8443' at [t.cfg:5].\nProxy 'f': unable to set SSL cipher list to 'FOO' for bind ':8443' at [t.cfg:5].");
});

test('TLS versions left by ssl-min-ver, ssl-max-ver, force-* and no-*', async () => {
  const c = certFiles();
  const off = "Proxy 'f': all SSL/TLS versions are disabled for bind ':8443' at [t.cfg:3].";
  assertAlert(await frontend(`bind :8443 ssl crt ${c.combined} ssl-min-ver TLSv1.3 ssl-max-ver TLSv1.2`), off);
  assertAlert(await frontend(`bind :8443 ssl crt ${c.combined} no-tlsv10 no-tlsv11 no-tlsv12 no-tlsv13`), off);
  assertAlert(await frontend(`bind :8443 ssl crt ${c.combined} force-sslv3`), off);
  assertAlert(await frontend(`bind :8443 ssl crt ${c.combined} force-tlsv12 ssl-min-ver TLSv1.3`), off);
  assertValid(await frontend(`bind :8443 ssl crt ${c.combined} ssl-min-ver SSLv3`));
  assertValid(await frontend(`bind :8443 ssl crt ${c.combined} force-tlsv12 force-tlsv13`));
  const ignored = await frontend(`bind :8443 ssl crt ${c.combined} force-tlsv13 no-tlsv13`);
  assertValid(ignored);
  assertWarning(ignored, "Proxy 'f': no-sslv3/no-tlsv1x are ignored for bind ':8443' at [t.cfg:3]. Use only 'ssl-min-ver' and 'ssl-max-ver' to fix.");
  const amb = await frontend(`bind :8443 ssl crt ${c.combined} ssl-max-ver TLSv1.0`);
  assertValid(amb);
  assertWarning(
    amb,
    "Proxy 'f': Ambiguous configuration for bind ':8443' at [t.cfg:3]: the ssl-min-ver value is not configured and the ssl-max-ver value is lower than the default ssl-min-ver value (TLSv1.2). Setting the ssl-min-ver to TLSv1.0. Use 'ssl-min-ver' to fix this.",
  );
});

test('generate-certificates needs a CA certificate and key', async () => {
  const c = certFiles();
  assertAlert(
    await frontend(`bind :8443 ssl crt ${c.combined} generate-certificates`),
    "Proxy 'f': cannot enable certificate generation, no CA certificate File configured at [t.cfg:3].",
  );
  assertAlert(
    await frontend(`bind :8443 ssl crt ${c.combined} generate-certificates ca-sign-file ${c.dir}/nonexist`),
    `Proxy 'f': Failed to read CA certificate file '${c.dir}/nonexist' at [t.cfg:3]. Chain loading failed: cannot open the file '${c.dir}/nonexist'.\n`,
  );
  assertAlert(
    await frontend(`bind :8443 ssl crt ${c.combined} generate-certificates ca-sign-file ${c.cert}`),
    `Proxy 'f': Failed to read CA certificate file '${c.cert}' at [t.cfg:3]. Chain loading failed: No Private Key found in '${c.cert}.key'.\n`,
  );
  assertValid(await frontend(`bind :8443 ssl crt ${c.combined} generate-certificates ca-sign-file ${c.combined}`));
});
