/**
 * Maps (configuration.txt 7.3.1 "map"): map_<match>[_<output>](<map_file>[,<default>]) looks
 * the sample up in a file of "<key> <value>" lines. The match type decides the input type
 * (integer for _int matches, address for _ip matches, string otherwise) and how keys are read;
 * the output type decides how values are read. The file is read when the configuration is.
 */
import { isMapAddress, readMapFile, type MapOutput, type PatternMatch } from '../pattern-file.js';
import type { ArgValidator, ConverterRow } from '../types.js';
import { c } from './row.js';

const MATCHES: readonly { readonly match: PatternMatch; readonly what: string }[] = [
  { match: 'str', what: 'equal to the key' },
  { match: 'beg', what: 'beginning with the key' },
  { match: 'sub', what: 'containing the key' },
  { match: 'dir', what: 'containing the key as a slash-delimited part' },
  { match: 'dom', what: 'containing the key as a dot-delimited part' },
  { match: 'end', what: 'ending with the key' },
  { match: 'reg', what: 'matching the key as a regex' },
  { match: 'int', what: 'equal to or in the integer range of the key' },
  { match: 'ip', what: 'in the network of the key' },
];

const OUTPUTS: readonly { readonly out: MapOutput; readonly suffix: string; readonly type: ConverterRow['out'] }[] = [
  { out: 'str', suffix: '', type: 'str' },
  { out: 'int', suffix: '_int', type: 'sint' },
  { out: 'ip', suffix: '_ip', type: 'addr' },
];

/** Loads the file with the converter's match and output types; checks an address default. */
function loadMap(match: PatternMatch, out: MapOutput): ArgValidator {
  return (args, v) => {
    const file = args[0]?.type === 'str' ? args[0].value : '';
    const r = readMapFile(v.ctx.load, file, match, out);
    if ('error' in r) return r.error;
    const def = args[1];
    if (out === 'ip' && def?.type === 'str') {
      const v = def.value;
      if (!isMapAddress(v)) return `map: cannot parse default ip <${v}>.`;
    }
    return undefined;
  };
}

function mapRows(): ConverterRow[] {
  const rows: ConverterRow[] = [];
  for (const { match, what } of MATCHES) {
    const input: ConverterRow['in'] = match === 'int' ? 'sint' : match === 'ip' ? 'addr' : 'str';
    for (const { out, suffix, type } of OUTPUTS) {
      const name = `map_${match}${suffix}`;
      const args = out === 'int' ? 'str,sint?' : 'str,str?';
      rows.push(c(name, args, input, type, `Value of the first map entry whose key is ${what} (${type === 'str' ? 'string' : type === 'sint' ? 'integer' : 'address'}).`, { validate: loadMap(match, out) }));
    }
  }
  // "map" is map_str; map_regm returns the value with \N references to the regex's groups.
  rows.unshift(c('map', 'str,str?', 'str', 'str', 'Value of the map entry whose key equals the sample (same as map_str).', { validate: loadMap('str', 'str') }));
  rows.push(c('map_regm', 'str,str?', 'str', 'str', 'Like map_reg, the value may refer to the groups of the matching regex.', { validate: loadMap('regm', 'str') }));
  return rows;
}

export const mapConverters: ConverterRow[] = mapRows();
