/** option external-check, external-check command / path (configuration.txt 4.2, 3.1 "external-check"). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, checkLines, said } from './load.js';

test('external-check command|path: one argument', async () => {
  const cases: [string, string][] = [
    ['external-check command', "missing argument after 'command'."],
    ['external-check path a b', "'external-check' cannot handle unexpected argument 'b'."],
    ['external-check foo', "'external-check' only supports 'command' and 'path'. but got 'foo'."],
    ['external-check', "missing argument after 'external-check'.\n"],
  ];
  for (const [line, msg] of cases) assert.deepEqual(said(await checkLines([line])), [`alert: parsing [t.cfg:7] : ${msg}`], line);
});

test('without the option, command and path are ignored (warnings), and a relative command needs a path', async () => {
  assert.deepEqual(said(await checkLines(['external-check command x'])), [
    "warning: 'external-check command' will be ignored for backend 'b' (requires 'option external-check').",
    "alert: Proxy 'b': 'external-check command' does not have a leading '/' and 'external-check path' is not set.",
  ]);
  assert.deepEqual(said(await checkLines(['external-check path /bin', 'external-check command x'])), [
    "warning: 'external-check command' will be ignored for backend 'b' (requires 'option external-check').",
    "warning: 'external-check path' will be ignored for backend 'b' (requires 'option external-check').",
  ]);
});

test('option external-check needs the global keyword and a command, and warns without insecure-fork-wanted', async () => {
  const r = await checkLines(['option external-check']);
  assert.equal(r.ok, false);
  assert.deepEqual(said(r), [
    "alert: Proxy 'b' : 'option external-check' unable to find required 'global.external-check'.",
    "alert: Proxy 'b' : 'option external-check' unable to find required 'external-check command'.",
    "warning: Proxy 'b' : 'insecure-fork-wanted' not enabled in the global section, 'option external-check' will likely fail.",
  ]);
});

test('external-check settings are inherited from defaults', async () => {
  const r = await check(['defaults', '  timeout client 1s', '  timeout server 1s', '  timeout connect 1s', '  external-check command x', 'backend b', '  server s 127.0.0.1:80', ''].join('\n'));
  assert.deepEqual(said(r), [
    "warning: 'external-check command' will be ignored for backend 'b' (requires 'option external-check').",
    "alert: Proxy 'b': 'external-check command' does not have a leading '/' and 'external-check path' is not set.",
  ]);
});
