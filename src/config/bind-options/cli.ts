/** Bind options of runtime API sockets (configuration.txt 5.1 "level", "severity-output", "expose-fd"). */
import type { BindOptionRow } from './types.js';

export const cliBindOptions: BindOptionRow[] = [
  {
    name: 'level',
    values: 1,
    status: 'supported',
    summary: 'Runtime API privilege level: user, operator or admin.',
    parse(_ctx, [v], options) {
      if (!v) return "'level' : missing level";
      if (v !== 'user' && v !== 'operator' && v !== 'admin') return `'level' only supports 'user', 'operator', and 'admin' (got '${v}')`;
      options['level'] = v;
      return undefined;
    },
  },
  {
    name: 'severity-output',
    values: 1,
    status: 'notyet',
    summary: 'How the runtime API shows message severities: none, number or string.',
    parse(_ctx, [v], options) {
      if (!v) return "'severity-output' : missing severity format";
      if (v !== 'none' && v !== 'number' && v !== 'string') return `'severity-output' only supports 'none', 'number', and 'string' (got '${v}')`;
      options['severity-output'] = v;
      return undefined;
    },
  },
  {
    name: 'expose-fd',
    values: 1,
    status: 'notyet',
    summary: 'Let the runtime API hand the listening sockets over (seamless reloads).',
    parse(_ctx, [v], options) {
      if (!v) return "'expose-fd' : missing fd type";
      if (v !== 'listeners') return `'expose-fd' only supports 'listeners' (got '${v}')`;
      options['expose-fd'] = v;
      return undefined;
    },
  },
];
