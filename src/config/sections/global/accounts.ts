/**
 * User and group names to ids, as getpwnam()/getgrnam() answer for HAProxy's `user`, `group`
 * and `unix-bind user|group` (configuration.txt 3.1). Node has no binding for them, so the
 * files are read directly: /etc/passwd and /etc/group (name:x:id:...). Names served by other
 * NSS sources (LDAP, systemd-homed) are not seen; that is said in the keyword notes.
 */
import { readFileSync } from 'node:fs';

/** Files read, replaceable by tests. */
export const accountFiles = { passwd: '/etc/passwd', group: '/etc/group' };

function lookup(file: string, name: string): number | undefined {
  if (name === '') return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields.length >= 3 && /^[0-9]+$/.test(fields[2]!)) return Number(fields[2]);
  }
  return undefined;
}

/** The uid of a user name, or undefined. */
export function userId(name: string): number | undefined {
  return lookup(accountFiles.passwd, name);
}

/** The gid of a group name, or undefined. */
export function groupId(name: string): number | undefined {
  return lookup(accountFiles.group, name);
}
