/**
 * User and group names to ids: Node has no getpwnam()/getgrnam(), so read /etc/passwd and
 * /etc/group (the files NSS reads first on the systems Portier targets).
 */
import { readFileSync } from 'node:fs';

function lookup(file: string, name: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields[2] !== undefined && /^[0-9]+$/.test(fields[2])) return Number(fields[2]);
  }
  return undefined;
}

export function lookupUserId(name: string): number | undefined {
  return /^[0-9]+$/.test(name) ? Number(name) : lookup('/etc/passwd', name);
}

export function lookupGroupId(name: string): number | undefined {
  return /^[0-9]+$/.test(name) ? Number(name) : lookup('/etc/group', name);
}
