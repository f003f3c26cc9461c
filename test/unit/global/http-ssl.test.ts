import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { assertAlert, assertValid, at, globalCfg, tight } from './helpers.js';

const dir = mkdtempSync('/tmp/portier-global-test-');

test('h1-case-adjust and its file (read after the last line)', async () => {
  assertAlert(await globalCfg('h1-case-adjust a'), at(2, "'h1-case-adjust' expects <from> and <to> as argument."));
  assertAlert(await globalCfg('h1-case-adjust a b'), at(2, '<from> and <to> must not differ execpt the case'));
  assertAlert(await globalCfg('h1-case-adjust a A', 'h1-case-adjust a A'), at(3, "duplicate entry 'a'"));
  writeFileSync(`${dir}/case-ok`, '# comment\n\ncontent-type Content-Type\n\tx-foo   X-FOO  \n');
  const r = await globalCfg(`h1-case-adjust-file ${dir}/case-ok`);
  assertValid(r);
  writeFileSync(`${dir}/case-dup`, 'x-foo X-Foo\nx-foo X-FOO\n');
  assertAlert(await globalCfg(`h1-case-adjust-file ${dir}/case-dup`), `h1-headers-case-adjust-file '${dir}/case-dup' : duplicate entry 'x-foo' at line 2.`);
  writeFileSync(`${dir}/case-to`, 'content-type\n');
  assertAlert(await globalCfg(`h1-case-adjust-file ${dir}/case-to`), `h1-headers-case-adjust-file '${dir}/case-to' : expect <to> at line 1.`);
  assertAlert(await globalCfg('h1-case-adjust-file /nonexistent'), "h1-headers-case-adjust-file '/nonexistent': failed to open file.");
});

test('httpclient settings', async () => {
  const p = await globalCfg('httpclient.resolvers.prefer ipv5');
  assertAlert(p, at(2, "'httpclient.resolvers.prefer' expects 'ipv4' or 'ipv6' as argument."));
  assertAlert(p, at(2, '(null)'));
  assertAlert(await globalCfg('httpclient.resolvers.id foo'), "Proxy '<HTTPCLIENT>': Can't find resolvers section 'foo' for do-resolve action.");
  assertAlert(await globalCfg('httpclient.ssl.ca-file /nonexistent'), "Couldn't open the ca-file '/nonexistent' (No such file or directory).");
  const r = await globalCfg('httpclient.ssl.verify none', 'httpclient.resolvers.prefer ipv4');
  assertValid(r);
  assert.equal(r.model.global.httpclient?.sslVerify, 'none');
});

test('ca-base, crt-base and the TLS defaults of Debian\'s configuration', async () => {
  const r = await globalCfg(
    'ca-base /etc/ssl/certs',
    'crt-base /etc/ssl/private',
    'ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256',
    'ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384',
    'ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets',
  );
  assertValid(r);
  assert.deepEqual(r.model.global.ssl?.defaultBindOptions, { flags: ['no-tls-tickets'], minVersion: 'TLSv1.2', maxVersion: undefined });
  assertAlert(await globalCfg('ca-base'), at(2, "global statement 'ca-base' expects a directory path as an argument."));
  assertAlert(await globalCfg('ca-base /a', 'ca-base /b'), at(3, "'ca-base' already specified."));
});

test('ssl-default-*-options and other TLS keywords', async () => {
  assertAlert(await globalCfg('ssl-default-bind-options foo'), at(2, "unknown option 'foo' on global statement 'ssl-default-bind-options'."));
  assertAlert(await globalCfg('ssl-default-server-options prefer-client-ciphers'), at(2, "unknown option 'prefer-client-ciphers' on global statement 'ssl-default-server-options'."));
  assertAlert(await globalCfg('ssl-default-bind-options ssl-min-ver'), at(2, "'ssl-min-ver' : missing the ssl/tls version on global statement 'ssl-default-bind-options'."));
  assertAlert(await globalCfg('ssl-default-bind-options ssl-max-ver TLSv1.4'), at(2, "'TLSv1.4' : unknown ssl/tls version on global statement 'ssl-default-bind-options'."));
  assertAlert(await globalCfg('ssl-default-bind-curves'), at(2, "global statement 'ssl-default-bind-curves' expects a curves suite as an arguments."));
  assertAlert(await globalCfg('ssl-dh-param-file /nonexistent'), at(2, "'ssl-dh-param-file': unable to load DH parameters from file </nonexistent>."));
  assertAlert(await globalCfg('ssl-load-extra-files all bundle'), at(2, "'ssl-load-extra-files' 'none' and 'all' can be only used alone"));
  assertAlert(await globalCfg('ssl-server-verify'), at(2, "'ssl-server-verify' expects an integer argument."));
  assertAlert(await globalCfg('ssl-server-verify x'), at(2, "'ssl-server-verify' expects 'none' or 'required' as argument."));
  assertAlert(await globalCfg('ssl-provider foo'), "ssl-provider foo: unknown provider");
  assertAlert(await globalCfg('ssl-propquery x'), "'server <HTTPCLIENT>/<HTTPSCLIENT>' : unable to allocate ssl context.");
  assertValid(await globalCfg('ssl-propquery fips=no', 'ssl-provider default'));
  assertAlert(await globalCfg('tune.ssl.default-dh-param 512'), at(2, "'tune.ssl.default-dh-param' expects a value >= 1024."));
  assertAlert(await globalCfg('tune.ssl.cachesize -1'), at(2, "'tune.ssl.cachesize' expects a positive numeric value."));
  assertAlert(await globalCfg('tune.ssl.lifetime 1x'), at(2, "unexpected character 'x' in argument to <tune.ssl.lifetime>."));
  const d = await globalCfg('tune.ssl.capture-cipherlist-size 10');
  assertValid(d);
  assert.ok(d.warnings.includes(tight(2, "'tune.ssl.capture-cipherlist-size' is deprecated and will be removed in version 2.7. Please use 'tune.ssl.capture-buffer-size' instead.")));
});

test('issuers-chain-path warns for files without a certificate', async () => {
  const chain = mkdtempSync('/tmp/portier-chain-');
  writeFileSync(`${chain}/not-a-cert`, 'hello\n');
  const r = await globalCfg(`issuers-chain-path ${chain}`);
  assertValid(r);
  assert.ok(r.warnings.includes(`unable to load issuers-chain ${chain}/not-a-cert : pem certificate not found.`));
  assertAlert(await globalCfg('issuers-chain-path /nonexistent'), at(2, "global statement 'issuers-chain-path' expects a directory path as an argument.\n"));
});

test('Lua: files must be readable; no Lua engine', async () => {
  assertAlert(await globalCfg('lua-load'), at(2, "'lua-load' expects a file name as parameter."));
  assertAlert(await globalCfg('lua-load /nonexistent.lua'), at(2, "error in Lua file '/nonexistent.lua': cannot open /nonexistent.lua: No such file or directory"));
  assertAlert(await globalCfg(`lua-load ${dir}`), at(2, `error in Lua file '${dir}': cannot read ${dir}: Is a directory`));
  writeFileSync(`${dir}/a.lua`, '-- nothing\n');
  const r = await globalCfg(`lua-load ${dir}/a.lua`);
  assertValid(r);
  assert.ok(r.warnings.includes("t.cfg:2: keyword 'lua-load' is not supported yet"));
  assertAlert(await globalCfg('lua-prepend-path /x foo'), at(2, "'lua-prepend-path' expects <type> to either be 'path' or 'cpath'"));
  assertAlert(await globalCfg('tune.lua.maxmem 10x'), at(2, "tune.lua.maxmem: invalid number 10x (error at 'x')"));
  assertAlert(await globalCfg('tune.lua.session-timeout x'), at(2, 'tune.lua.session-timeout: invalid timeout'));
});
