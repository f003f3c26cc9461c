/**
 * User and group names to ids, as getpwnam()/getgrnam() answer HAProxy (configuration.txt 5.1
 * "user", "group"). Node has no binding for them, so /etc/passwd and /etc/group are read;
 * names served by other NSS sources (LDAP, ...) are not seen.
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

export function userId(name: string): number | undefined {
  return lookup(accountFiles.passwd, name);
}

export function groupId(name: string): number | undefined {
  return lookup(accountFiles.group, name);
}
