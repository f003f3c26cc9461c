/** Global keywords: debugging (configuration.txt 3.3). */
import { flagRow, type Row } from './helpers.js';

export const debugRows: Row[] = [
  flagRow({
    name: 'quiet',
    status: 'supported',
    summary: 'Print nothing at startup, as -q.',
    apply: (ctx) => void (ctx.state.quiet = true),
  }),
  flagRow({
    name: 'zero-warning',
    status: 'supported',
    summary: 'Refuse to start when the configuration produced a warning, as -dW.',
    apply: (ctx) => void (ctx.state.zeroWarning = true),
  }),
];
