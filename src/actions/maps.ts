/**
 * ACL and map updates (configuration.txt 4.2, "http-request add-acl"): add-acl(<file>)
 * <key fmt>, del-acl(<file>) <key fmt>, set-map(<file>) <key fmt> <value fmt>,
 * del-map(<file>) <key fmt>. The file names a list loaded by an ACL or a map converter; it is
 * looked up at run time, as HAProxy does.
 */
import { formatArg } from './args.js';
import type { ActionInput, ActionResult, ActionRow } from './types.js';

function parseMapAction(a: ActionInput): ActionResult {
  const setMap = a.name.startsWith('set-map');
  if (setMap && (a.arg(1) === '' || a.arg(2) === '')) return { error: 'expects exactly 2 arguments' };
  if (a.arg(1) === '') return { error: 'expects exactly 1 arguments' };
  // "<kw>(" is 8 characters for the four actions; the last character is the ')'.
  const file = a.name.slice(8, Math.max(8, a.name.length - 1));
  const key = formatArg(a, a.arg(1));
  if ('error' in key) return key;
  if (!setMap) return { next: 2, args: { file, key: key.format } };
  const value = formatArg(a, a.arg(2));
  if ('error' in value) return value;
  return { next: 3, args: { file, key: key.format, value: value.format } };
}

const SETS = ['http-request', 'http-response'] as const;

export const rows: ActionRow[] = [
  { name: 'add-acl', prefix: true, rulesets: SETS, status: 'notyet', summary: 'Adds a key to an ACL file loaded in memory.', parse: parseMapAction },
  { name: 'del-acl', prefix: true, rulesets: SETS, status: 'notyet', summary: 'Removes a key from an ACL file loaded in memory.', parse: parseMapAction },
  { name: 'set-map', prefix: true, rulesets: SETS, status: 'notyet', summary: 'Adds or updates a key and value in a map file loaded in memory.', parse: parseMapAction },
  { name: 'del-map', prefix: true, rulesets: SETS, status: 'notyet', summary: 'Removes a key from a map file loaded in memory.', parse: parseMapAction },
];
