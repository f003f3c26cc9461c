/**
 * `userlist <name>` (configuration.txt 3.4): users and groups for HTTP basic authentication.
 *
 *   group <name> [users <user>,<user>,...]
 *   user <name> [password <hash>] [insecure-password <text>] [groups <group>,...]
 *
 * Names given in `users` / `groups` are checked once every line is read (checks/sections.ts).
 * HAProxy 2.6 merges a duplicated userlist into the first one, with a warning.
 */
import type { KeywordRow } from '../keywords.js';
import type { UserlistModel } from '../model/sections.js';
import { invalidNameChar } from './names.js';
import { checkHeader, simpleSection } from './simple.js';

type Row = KeywordRow<UserlistModel>;

const group: Row = {
  name: 'group',
  status: 'notyet',
  summary: 'A group of users, optionally listing its members.',
  parse(ctx, args) {
    const name = args[1] ?? '';
    if (name === '') {
      ctx.alert("'group' expects <name> as arguments.", 'tight');
      return;
    }
    const bad = invalidNameChar(name);
    if (bad !== undefined) {
      ctx.alert(`character '${bad}' is not permitted in 'group' name '${name}'.`, 'tight');
      return;
    }
    const list = ctx.state;
    if (list.groups.some((g) => g.name === name)) {
      ctx.warning(`ignoring duplicated group '${name}' in userlist '${list.name}'.`, 'tight');
      return;
    }
    const users: string[] = [];
    for (let i = 2; i < args.length; i += 2) {
      if (args[i] !== 'users') {
        ctx.alert("'group' only supports 'users' option.", 'tight');
        return;
      }
      users.push(...splitList(args[i + 1] ?? ''));
    }
    list.groups.push({ name, where: ctx.where, users });
  },
};

const user: Row = {
  name: 'user',
  status: 'notyet',
  summary: 'A user with its password (crypt(3) hash or clear text) and groups.',
  parse(ctx, args) {
    const name = args[1] ?? '';
    if (name === '') {
      ctx.alert("'user' expects <name> as arguments.", 'tight');
      return;
    }
    const list = ctx.state;
    if (list.users.some((u) => u.name === name)) {
      ctx.warning(`ignoring duplicated user '${name}' in userlist '${list.name}'.`, 'tight');
      return;
    }
    const entry: UserlistModel['users'][number] = { name, where: ctx.where, groups: [] };
    for (let i = 2; i < args.length; i += 2) {
      const value = args[i + 1] ?? '';
      switch (args[i]) {
        case 'password':
          entry.password = value;
          entry.insecure = false;
          break;
        case 'insecure-password':
          entry.password = value;
          entry.insecure = true;
          break;
        case 'groups':
          entry.groups = splitList(value);
          break;
        default:
          ctx.alert("'user' only supports 'password', 'insecure-password' and 'groups' options.", 'tight');
          return;
      }
    }
    list.users.push(entry);
  },
};

/** "a,b,,c" → ["a", "b", "c"] (HAProxy skips empty names). */
function splitList(text: string): string[] {
  return text.split(',').filter((s) => s !== '');
}

export const userlistSection = simpleSection<UserlistModel>({
  kind: 'userlist',
  summary: 'Users and groups for HTTP authentication.',
  status: 'notyet',
  rows: [group, user],
  unknown: { message: (w) => `unknown keyword '${w}' in 'users' section`, style: 'tight' },
  open(ctx, args) {
    const h = checkHeader(ctx, args, {
      missing: { message: "'userlist' expects <name> as arguments.", style: 'tight', then: 'continue' },
      maxArgs: 1,
      invalid: { message: (c, n) => `character '${c}' is not permitted in 'userlist' name '${n}'.`, style: 'tight', then: 'continue' },
    });
    // After a refused header HAProxy still reads the lines, into no list.
    if ('failed' in h) return h.failed === 'continue' ? { where: ctx.where, name: args[1] ?? '', groups: [], users: [] } : undefined;
    const existing = ctx.load.userlists.find((u) => u.name === h.name);
    if (existing) {
      ctx.warning(`ignoring duplicated userlist '${h.name}'.`, 'tight');
      return existing;
    }
    const model: UserlistModel = { where: ctx.where, name: h.name, groups: [], users: [] };
    ctx.load.userlists.push(model);
    return model;
  },
});
