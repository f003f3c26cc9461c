/** Log-format strings (log/log-format.ts), checked against haproxy 2.6.12. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLogFormat } from '../../../src/log/log-format.js';
import { CLF_HTTP_LOG_FORMAT, HTTP_LOG_FORMAT, HTTPS_LOG_FORMAT, logFormatVarRows, TCP_LOG_FORMAT } from '../../../src/log/log-format-vars.js';
import type { SampleUse } from '../../../src/sample/types.js';
import { harness } from '../acl/harness.js';
import { sampleTyped } from '../acl/typed.js';

function lf(text: string, mode: 'http' | 'tcp' = 'http', use: SampleUse = 'log') {
  const h = harness('frontend', mode);
  const r = parseLogFormat(h.ctx(9), text, use);
  return { r, error: 'error' in r ? r.error : undefined, parts: 'parts' in r ? r.parts : [], lines: h.lines() };
}

test('the predefined formats parse in their mode', () => {
  assert.equal(lf(TCP_LOG_FORMAT, 'tcp').error, undefined);
  assert.equal(lf(HTTP_LOG_FORMAT).error, undefined);
  assert.equal(lf(CLF_HTTP_LOG_FORMAT).error, undefined);
  assert.equal(lf(HTTPS_LOG_FORMAT).error, undefined);
  assert.equal(lf(HTTP_LOG_FORMAT, 'tcp').error, "format variable 'tr' is reserved for HTTP mode");
});

test('variables, flags, %o, %% and separators', () => {
  const { parts } = lf('%{+Q,-M}r %o%ci%%:%cp %{+X}o %bp');
  assert.deepEqual(
    parts.map((p) => [p.kind, p.value, p.options?.join('') ?? '']),
    [
      ['var', 'r', 'Q'],
      ['separator', ' ', ''],
      ['var', 'ci', 'M'],
      ['text', '%:', ''],
      ['var', 'cp', 'M'],
      ['separator', ' ', ''],
      ['separator', ' ', ''],
      ['var', 'bp', 'MX'],
    ],
  );
  // A '%' before another character disappears; unknown flags are ignored.
  assert.deepEqual(lf('a%-b %{+Z,Q}ci').parts.map((p) => p.value), ['a-b', ' ', 'ci']);
  assert.equal(logFormatVarRows.length, 64);
});

test('errors, worded as HAProxy', () => {
  const cases: [string, string][] = [
    ['%ci %foo', "no such format variable 'foo'. If you wanted to emit the '%' character verbatim, you need to use '%%'"],
    ['%cix', "no such format variable 'cix'. If you wanted to emit the '%' character verbatim, you need to use '%%'"],
    ['%{+Q}1', "no such format variable '1'. If you wanted to emit the '%' character verbatim, you need to use '%%'"],
    ['%{+Q', "truncated line after '+Q'"],
    ['%{', "truncated line after ''"],
    ['%', "truncated line after '%'"],
    ['%ci %', "truncated line after '%'"],
    ['%{+Q}', "parse argument modifier without variable name near '%{+Q}'"],
    ['%{+Q} x', "parse argument modifier without variable name near '%{+Q}'"],
    ['%{+Q}%', "parse argument modifier without variable name near '%{+Q}'"],
    ['% x', "unexpected variable name near ' ' at position 1 line : '% x'. Maybe you want to write a single '%', use the syntax '%%'"],
    ['ab%1', "unexpected variable name near '1' at position 3 line : 'ab%1'. Maybe you want to write a single '%', use the syntax '%%'"],
    ['%[src', "missing ']' after 'src'"],
    ['%[src x]', "expected ']' after 'src', but found ' '"],
  ];
  for (const [t, msg] of cases) assert.equal(lf(t).error, msg, t);
  assert.equal(lf('%ci %r %HM', 'tcp').error, "format variable 'r' is reserved for HTTP mode");
  assert.equal(lf('%CC', 'tcp', 'fe-http-request').error, "format variable 'CC' is reserved for HTTP mode");
});

test('sample expressions', { skip: !sampleTyped() }, () => {
  const { parts } = lf('%{+Q}[src] %[str(x\\]),lower]x');
  assert.deepEqual(parts.filter((p) => p.kind === 'expr').map((p) => [p.value, p.options?.join('')]), [
    ['src', 'MQ'],
    ['str(x\\]),lower', 'M'],
  ]);
  assert.equal(lf('%[str(a)b),lower]x').error, "expected ']' after 'str(a)', but found 'b'");
  assert.equal(lf('%[str(a)),lower]x').error, "expected ']' after 'str(a)', but found ')'");
});

test('sample expressions: errors and places', { skip: !sampleTyped() }, () => {
  const cases: [string, string][] = [
    ['%[', 'failed to parse sample expression <> : missing fetch method'],
    ['%[]', 'failed to parse sample expression <]> : missing fetch method'],
    ['%[nope] abc', "failed to parse sample expression <nope] abc> : unknown fetch method 'nope'"],
    ['%{+Q}[src] %[src,nope]', "failed to parse sample expression <src,nope]> : unknown converter 'nope'"],
    ['%[req.hdr(x]', "failed to parse sample expression <req.hdr(x]> : fetch method 'req.hdr' : expected ')'"],
    ['%[res.hdr(x)]', "sample fetch <res.hdr(x)]> may not be reliably used here because it needs 'HTTP response headers' which is not available here"],
    ['%[req.len]', "sample fetch <req.len]> may not be reliably used here because it needs 'request buffer' which is not available here"],
  ];
  for (const [t, msg] of cases) assert.equal(lf(t).error, msg, t);
  const w = lf('%[req.len]', 'tcp', 'fe-http-request');
  assert.equal(w.error, undefined);
  assert.ok(w.lines.includes('warning: parsing [t.cfg:9] : L6 sample fetch <req.len]> ignored in HTTP log-format string.'));
});
