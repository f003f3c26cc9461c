/**
 * Relative file names read while parsing (error files, Lua files, DH parameters, ...), resolved
 * as `default-path` says (configuration.txt 3.1, "default-path"): from the current directory,
 * from the directory of the configuration file being read ("config"), from its parent
 * ("parent") or from a fixed directory ("origin"). HAProxy does it with chdir() around each
 * file; Portier resolves the name instead, which gives the same file.
 */
import { dirname, join } from 'node:path';
import type { LoadState } from '../../load-state.js';
import type { Where } from '../../types.js';

export function resolveConfigPath(load: LoadState, where: Where, path: string): string {
  if (path.startsWith('/')) return path;
  const policy = load.global.defaultPath;
  if (!policy || policy.mode === 'current') return path;
  if (policy.mode === 'origin') return join(policy.origin ?? '.', path);
  const dir = where.file.includes('/') ? dirname(where.file) : '.';
  return policy.mode === 'config' ? join(dir, path) : join(dir, '..', path);
}
