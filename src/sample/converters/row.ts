/** Builds converter rows compactly: every converter is 'notyet' until the runtime exists. */
import type { ConverterRow } from '../types.js';

export type ConverterExtra = Partial<Pick<ConverterRow, 'validate' | 'note'>>;

/** c(name, args, input type, output type, summary, extra); args as parseArgSpec reads them. */
export function c(name: string, args: string, input: ConverterRow['in'], out: ConverterRow['out'], summary: string, extra: ConverterExtra = {}): ConverterRow {
  return { name, status: 'notyet', summary, args, in: input, out, ...extra };
}
