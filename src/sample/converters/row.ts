/** Builds converter rows compactly: a converter is 'supported' when it has a run-time implementation. */
import type { ConverterRow } from '../types.js';

export type ConverterExtra = Partial<Pick<ConverterRow, 'validate' | 'note' | 'run'>>;

/** c(name, args, input type, output type, summary, extra); args as parseArgSpec reads them. */
export function c(name: string, args: string, input: ConverterRow['in'], out: ConverterRow['out'], summary: string, extra: ConverterExtra = {}): ConverterRow {
  return { name, status: extra.run ? 'supported' : 'notyet', summary, args, in: input, out, ...extra };
}
