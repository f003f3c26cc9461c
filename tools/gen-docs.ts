/**
 * Writes docs/configuration.md and docs/runtime-api.md from the keyword tables
 * (src/docs/tables.ts). `npm run docs` regenerates them; a unit test fails when the committed
 * files differ from what the tables say.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderConfigurationDoc, renderRuntimeApiDoc } from '../src/docs/render.js';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
writeFileSync(join(root, 'docs', 'configuration.md'), renderConfigurationDoc());
writeFileSync(join(root, 'docs', 'runtime-api.md'), renderRuntimeApiDoc());
console.log('docs/configuration.md and docs/runtime-api.md written');
