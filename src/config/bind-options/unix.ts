/**
 * Bind options for unix sockets (configuration.txt 5.1): permissions and ownership of the
 * socket file, applied by the runtime when it creates the socket.
 */
import { groupId, userId } from '../sections/global/accounts.js';
import { atoi } from './c-parse.js';
import type { BindOptionRow } from './types.js';

/** strtol(v, &end, 8) with nothing left: blanks and a sign are accepted as C accepts them. */
const OCTAL = /^[ \t\n\v\f\r]*[-+]?[0-7]+$/;

export const unixBindOptions: BindOptionRow[] = [
  {
    name: 'mode',
    values: 1,
    status: 'supported',
    summary: 'Permissions (octal) of a unix socket.',
    parse(_ctx, [v], options) {
      if (!v || !OCTAL.test(v)) return `'mode' : missing or invalid mode '${v ?? ''}' (octal integer expected)`;
      options['mode'] = parseInt(v.trim(), 8);
      return undefined;
    },
  },
  {
    name: 'uid',
    values: 1,
    status: 'supported',
    summary: 'Owner (numeric uid) of a unix socket.',
    parse(_ctx, [v], options) {
      if (!v) return "'uid' : missing value";
      options['uid'] = atoi(v);
      return undefined;
    },
  },
  {
    name: 'gid',
    values: 1,
    status: 'supported',
    summary: 'Group (numeric gid) of a unix socket.',
    parse(_ctx, [v], options) {
      if (!v) return "'gid' : missing value";
      options['gid'] = atoi(v);
      return undefined;
    },
  },
  {
    name: 'user',
    values: 1,
    status: 'supported',
    summary: 'Owner (user name) of a unix socket.',
    parse(_ctx, [v], options) {
      if (!v) return "'user' : missing user name";
      const id = userId(v);
      if (id === undefined) return `'user' : unknown user name '${v}'`;
      options['user'] = v;
      options['uid'] = id;
      return undefined;
    },
  },
  {
    name: 'group',
    values: 1,
    status: 'supported',
    summary: 'Group (group name) of a unix socket.',
    parse(_ctx, [v], options) {
      if (!v) return "'group' : missing group name";
      const id = groupId(v);
      if (id === undefined) return `'group' : unknown group name '${v}'`;
      options['group'] = v;
      options['gid'] = id;
      return undefined;
    },
  },
];
