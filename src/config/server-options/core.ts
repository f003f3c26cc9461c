/** Server options about traffic distribution (configuration.txt 5.2). */
import type { ServerOptionRow } from './types.js';

export const coreServerOptions: ServerOptionRow[] = [
  {
    name: 'weight',
    values: 1,
    status: 'supported',
    summary: 'Relative weight of the server in load balancing (0-256, default 1).',
    parse(_ctx, [v], options, serverName) {
      // HAProxy reads it with atol(): a missing or non-numeric value is 0.
      const w = parseInt(v ?? '', 10) || 0;
      if (w < 0 || w > 256) return `weight of server ${serverName} is not within 0 and 256 (${w})..`;
      options.weight = w;
      return undefined;
    },
  },
];
