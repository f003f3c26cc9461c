/**
 * Pattern references shared by the whole configuration, as HAProxy keeps them:
 * - pattern files ("-f <file>", configuration.txt 7.1), read once per file name when first used
 *   and then shared; a file is either a one-column (ACL) or a two-column (map, "-M") file;
 * - the unique ids given with "-u <id>" (every ACL expression holds a reference; those without
 *   "-u" have the id -1, so "-u -1" clashes with any earlier ACL, as in HAProxy).
 * Map converters use the same references: `usePatternFile` is exported for them.
 */
import { readFileSync } from 'node:fs';
import type { LoadState } from '../config/load-state.js';

/** One pattern line of a file: its number and key (and value, for two-column files). */
export interface PatternFileEntry {
  readonly line: number;
  readonly key: string;
  readonly value?: string;
}

interface PatternFile {
  readonly twoColumns: boolean;
  readonly entries: readonly PatternFileEntry[];
}

interface Registry {
  readonly files: Map<string, PatternFile>;
  readonly ids: number[];
}

const registries = new WeakMap<LoadState, Registry>();

function registry(load: LoadState): Registry {
  let r = registries.get(load);
  if (!r) {
    r = { files: new Map(), ids: [] };
    registries.set(load, r);
  }
  return r;
}

/** Is a reference with this unique id already declared? */
export function patternIdUsed(load: LoadState, id: number): boolean {
  return registry(load).ids.includes(id);
}

/** Records a new pattern reference (an ACL expression, a file, a map): -1 when it has no id. */
export function addPatternRef(load: LoadState, id: number): void {
  registry(load).ids.push(id);
}

/**
 * The value of "-u <id>" as C's strtol() then a cast to int read it: optional blanks and sign,
 * decimal digits, nothing after them (an empty string reads as 0). Undefined when invalid.
 */
export function parseUniqueId(text: string): number | undefined {
  if (text === '') return 0;
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(text);
  if (!m) return undefined;
  let v = BigInt(m[2]!);
  if (m[1] === '-') v = -v;
  const LONG_MAX = (1n << 63n) - 1n;
  if (v > LONG_MAX) v = LONG_MAX;
  if (v < -LONG_MAX - 1n) v = -LONG_MAX - 1n;
  return Number(BigInt.asIntN(32, v));
}

/** Text of an errno as strerror() words it, for the read errors HAProxy reports. */
function strerror(code: string | undefined): string {
  switch (code) {
    case 'EISDIR':
      return 'Is a directory';
    case 'EIO':
      return 'Input/output error';
    default:
      return code ?? 'unknown error';
  }
}

/** Reads a one-column file: '#' in the first column starts a comment; leading blanks skipped. */
function readOneColumn(text: string): PatternFileEntry[] {
  const out: PatternFileEntry[] = [];
  text.split('\n').forEach((raw, idx) => {
    if (raw.startsWith('#')) return;
    let s = raw.replace(/^[ \t]+/, '');
    const cut = s.search(/[\r\n]/);
    if (cut >= 0) s = s.slice(0, cut);
    if (s !== '') out.push({ line: idx + 1, key: s });
  });
  // A final line without newline is still a line; the split gives an extra '' for a trailing \n.
  return out;
}

/** Reads a two-column file: key, blanks, then the rest of the line as value (trailing blanks cut). */
function readTwoColumns(text: string): PatternFileEntry[] {
  const out: PatternFileEntry[] = [];
  text.split('\n').forEach((raw, idx) => {
    if (raw.startsWith('#')) return;
    let s = raw.replace(/^[ \t]+/, '');
    const cut = s.search(/[\r\n]/);
    if (cut >= 0) s = s.slice(0, cut);
    if (s === '') return;
    const m = /^([^ \t]*)[ \t]*(.*)$/.exec(s)!;
    out.push({ line: idx + 1, key: m[1]!, value: m[2]!.replace(/[ \t]+$/, '') });
  });
  return out;
}

/**
 * The entries of a pattern file, reading it on first use. `twoColumns` is true for maps and
 * "-M". Returns HAProxy's message when the file cannot be read or was loaded the other way.
 */
export function usePatternFile(load: LoadState, path: string, twoColumns: boolean): { entries: readonly PatternFileEntry[] } | { error: string } {
  const reg = registry(load);
  const known = reg.files.get(path);
  if (known) {
    if (twoColumns && !known.twoColumns) {
      return { error: `The file "${path}" is already used as one column file and cannot be used by as two column file.` };
    }
    if (!twoColumns && known.twoColumns) {
      return { error: `The file "${path}" is already used as two column file and cannot be used by as one column file.` };
    }
    return { entries: known.entries };
  }
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR' || code === 'EIO') return { error: `error encountered while reading  <${path}> : ${strerror(code)}` };
    return { error: `failed to open pattern file <${path}>` };
  }
  const file: PatternFile = { twoColumns, entries: twoColumns ? readTwoColumns(text) : readOneColumn(text) };
  reg.files.set(path, file);
  addPatternRef(load, -1);
  return { entries: file.entries };
}
