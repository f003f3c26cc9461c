/** Bind options that set up the listening socket itself (configuration.txt 5.1). */
import type { BindOptionRow } from './types.js';

/** A flag without value. */
function flag(name: string, summary: string, status: BindOptionRow['status'] = 'notyet'): BindOptionRow {
  return {
    name,
    values: 0,
    status,
    summary,
    parse(_ctx, _v, options) {
      options[name] = true;
      return undefined;
    },
  };
}

const UNIX_MODE = /^[0-7]+$/;

export const coreBindOptions: BindOptionRow[] = [
  {
    name: 'mode',
    values: 1,
    status: 'supported',
    summary: 'Permissions (octal) of a unix socket.',
    parse(_ctx, [v], options) {
      if (!UNIX_MODE.test(v!)) return `'mode' : invalid mode '${v}' (expects an octal value)`;
      options.mode = parseInt(v!, 8);
      return undefined;
    },
  },
  {
    name: 'level',
    values: 1,
    status: 'supported',
    sites: ['stats socket', 'master cli'],
    summary: 'Runtime API privilege level: user, operator or admin.',
    parse(_ctx, [v], options) {
      if (v !== 'user' && v !== 'operator' && v !== 'admin') {
        return `''level' only supports 'user', 'operator', and 'admin' (got '${v}')'`;
      }
      options.level = v;
      return undefined;
    },
  },
  {
    name: 'name',
    values: 1,
    status: 'supported',
    summary: 'Name of the listener (stats, logs).',
    parse(_ctx, [v], options) {
      options.name = v;
      return undefined;
    },
  },
  flag('accept-proxy', 'Expect a PROXY protocol header (v1 or v2) before anything else.'),
];
