/** A check environment for unit tests: backend 'be' (id 2), server 'srv' (id 1), a fixed answer. */
import { CheckEnv } from '../../src/checks/check-env.js';

export function testCheckEnv(received: Buffer = Buffer.alloc(0)): CheckEnv {
  return new CheckEnv({ backendName: 'be', backendId: 2, server: { name: 'srv', id: 1 } }, () => received);
}
