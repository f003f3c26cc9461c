/**
 * Integers and booleans (configuration.txt 7.3.1): arithmetic and bitwise operators, whose operand is an integer or a variable name, and boolean tests.
 */
import type { ConverterRow } from '../types.js';
import { checkIntOrVar } from '../validators.js';
import { sampleConvAdd, sampleConvAnd, sampleConvDiv, sampleConvMod, sampleConvMul, sampleConvOr, sampleConvSub, sampleConvXor } from './arith.js';
import { c } from './row.js';
import { sampleConvBool, sampleConvCpl, sampleConvEven, sampleConvNeg, sampleConvNot, sampleConvOdd } from './basic.js';

export const numbersConverters: ConverterRow[] = [
  c('add', 'str', 'sint', 'sint', "Adds an integer or a variable's value.", { validate: checkIntOrVar, run: sampleConvAdd }),
  c('and', 'str', 'sint', 'sint', "Bitwise AND with an integer or a variable's value.", { validate: checkIntOrVar, run: sampleConvAnd }),
  c('bool', '', 'sint', 'bool', 'True when the integer is not zero.', { run: sampleConvBool }),
  c('cpl', '', 'sint', 'sint', 'Bitwise complement of the integer.', { run: sampleConvCpl }),
  c('div', 'str', 'sint', 'sint', "Divides by an integer or a variable's value.", { validate: checkIntOrVar, run: sampleConvDiv }),
  c('even', '', 'sint', 'bool', 'True when the integer is even.', { run: sampleConvEven }),
  c('mod', 'str', 'sint', 'sint', "Remainder of the division by an integer or a variable's value.", { validate: checkIntOrVar, run: sampleConvMod }),
  c('mul', 'str', 'sint', 'sint', "Multiplies by an integer or a variable's value.", { validate: checkIntOrVar, run: sampleConvMul }),
  c('neg', '', 'sint', 'sint', 'The opposite of the integer.', { run: sampleConvNeg }),
  c('not', '', 'sint', 'bool', 'True when the integer is zero.', { run: sampleConvNot }),
  c('odd', '', 'sint', 'bool', 'True when the integer is odd.', { run: sampleConvOdd }),
  c('or', 'str', 'sint', 'sint', "Bitwise OR with an integer or a variable's value.", { validate: checkIntOrVar, run: sampleConvOr }),
  c('sub', 'str', 'sint', 'sint', "Subtracts an integer or a variable's value.", { validate: checkIntOrVar, run: sampleConvSub }),
  c('xor', 'str', 'sint', 'sint', "Bitwise XOR with an integer or a variable's value.", { validate: checkIntOrVar, run: sampleConvXor }),
];
