/** Whether the sample layer gives output types and places (the tests that need them skip otherwise). */
import { parseCriterion } from '../../../src/acl/sample-bridge.js';
import { harness } from './harness.js';

export function sampleTyped(): boolean {
  const r = parseCriterion(harness().ctx(1), 'dst_port');
  return 'type' in r && r.type === 'sint' && r.uses !== undefined;
}
