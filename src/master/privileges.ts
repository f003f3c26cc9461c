/**
 * `user`/`uid`/`group`/`gid` (configuration.txt 3.1): drop privileges once every listener is
 * bound, group first (setgid needs the privileges setuid gives up).
 */
import type { GlobalModel } from '../config/model/global.js';
import { lookupGroupId, lookupUserId } from '../net/accounts.js';

/** Returns an error message in HAProxy's words, or undefined. */
export function dropPrivileges(g: GlobalModel): string | undefined {
  const gid = g.gid ?? (g.group !== undefined ? lookupGroupId(g.group) : undefined);
  const uid = g.uid ?? (g.user !== undefined ? lookupUserId(g.user) : undefined);
  if (gid !== undefined && process.getgid?.() !== gid) {
    try {
      process.setgroups?.([gid]);
      process.setgid!(gid);
    } catch {
      return `[${process.argv[1] ?? 'portier'}.main()] Cannot set gid ${gid}.`;
    }
  }
  if (uid !== undefined && process.getuid?.() !== uid) {
    try {
      process.setuid!(uid);
    } catch {
      return `[${process.argv[1] ?? 'portier'}.main()] Cannot set uid ${uid}.`;
    }
  }
  return undefined;
}
