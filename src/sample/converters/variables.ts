/**
 * Variables and captures (configuration.txt 7.3.1): converters that store the sample somewhere and return it unchanged, and the debug converter.
 */
import type { ConverterRow } from '../types.js';
import { checkDebugSink, checkSetVar, checkVarArg } from '../validators.js';
import { c } from './row.js';
import { sampleConvSetVar, sampleConvUnsetVar } from './set-var.js';

export const variablesConverters: ConverterRow[] = [
  c('set-var', 'str,str?,str?,str?,str?', 'any', 'any', 'Stores the sample in a variable (with conditions) and returns it.', { validate: checkSetVar, run: sampleConvSetVar }),
  c('unset-var', 'str', 'any', 'any', 'Removes a variable and returns the sample unchanged.', { validate: checkVarArg, run: sampleConvUnsetVar }),
  c('capture-req', 'sint', 'str', 'str', 'Stores the sample in a request capture slot and returns it.'),
  c('capture-res', 'sint', 'str', 'str', 'Stores the sample in a response capture slot and returns it.'),
  c('debug', 'str?,str?', 'any', 'any', 'Copies the sample to a ring or stream for debugging and returns it unchanged.', { validate: checkDebugSink }),
];
