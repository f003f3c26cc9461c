import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigurationDoc, renderRuntimeApiDoc } from '../../src/docs/render.js';
import { ROOT } from '../helpers/run.js';

test('docs/configuration.md is what the keyword tables say (run `npm run docs`)', () => {
  assert.equal(readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8'), renderConfigurationDoc());
});

test('docs/runtime-api.md is what the command table says (run `npm run docs`)', () => {
  assert.equal(readFileSync(join(ROOT, 'docs', 'runtime-api.md'), 'utf8'), renderRuntimeApiDoc());
});
