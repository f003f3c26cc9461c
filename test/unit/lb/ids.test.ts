/** Server ids as HAProxy assigns them (src/lb/ids.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignServerIds } from '../../../src/lb/ids.js';

const srv = (id?: number) => ({ options: id === undefined ? {} : { id } });

test('servers without id are numbered from 1', () => {
  assert.deepEqual(assignServerIds([srv(), srv(), srv()]), [1, 2, 3]);
});

test('an automatic id skips the ids taken, counting on from the server\'s position', () => {
  assert.deepEqual(assignServerIds([srv(2), srv(), srv()]), [2, 3, 4]);
  assert.deepEqual(assignServerIds([srv(), srv(1), srv()]), [2, 1, 4]);
  // Checked with haproxy 2.6 (show servers state).
  assert.deepEqual(assignServerIds([srv(), srv(1), srv(), srv(6), srv(), srv()]), [2, 1, 4, 6, 7, 8]);
  assert.deepEqual(assignServerIds([srv(10), srv(), srv(3), srv()]), [10, 2, 3, 4]);
  assert.deepEqual(assignServerIds([srv(3), srv(), srv(), srv()]), [3, 2, 4, 5]);
});
