/**
 * Whole-configuration checks of the global section: the files and references it names are
 * checked after the last line, as HAProxy checks them once the configuration is parsed (its
 * post-parsers). Their messages carry no file:line, as HAProxy's.
 */
import { readFileSync } from 'node:fs';
import { resolveConfigPath } from '../sections/global/paths.js';
import type { PostCheck } from './types.js';

/** `h1-case-adjust-file`: "<from> <to>" per line, the same name in another case. */
const h1CaseAdjustFile: PostCheck = (load) => {
  const f = load.global.h1CaseAdjustFile;
  if (!f) return;
  const name = `h1-headers-case-adjust-file '${f.file}'`;
  let text: string;
  try {
    text = readFileSync(resolveConfigPath(load, f.where, f.file), 'latin1');
  } catch {
    load.diag.alert(undefined, `${name}: failed to open file.`);
    return;
  }
  const seen = new Set(Object.keys(load.global.h1CaseAdjust ?? {}));
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^[ \t]+/, '').replace(/[ \t\r]+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+)(?:[ \t]+(.*))?$/.exec(line)!;
    const from = m[1]!;
    const to = m[2];
    if (to === undefined || to === '') {
      load.diag.alert(undefined, `${name} : expect <to> at line ${i + 1}.`);
      return;
    }
    if (from.toLowerCase() !== to.toLowerCase()) {
      load.diag.alert(undefined, `${name} : <from> and <to> must not differ execpt the case at line ${i + 1}.`);
      return;
    }
    const key = from.toLowerCase();
    if (seen.has(key)) {
      load.diag.alert(undefined, `${name} : duplicate entry '${from}' at line ${i + 1}.`);
      return;
    }
    seen.add(key);
  }
};

/** The internal HTTP client's resolvers section and CA file must exist when they are named. */
const httpclient: PostCheck = (load) => {
  const hc = load.global.httpclient;
  if (!hc) return;
  if (hc.resolversId !== undefined && !load.resolvers.some((r) => r.name === hc.resolversId)) {
    load.diag.alert(undefined, `Proxy '<HTTPCLIENT>': Can't find resolvers section '${hc.resolversId}' for do-resolve action.`);
  }
  if (hc.sslCaFile !== undefined) {
    const file = hc.sslCaFile;
    let why: string | undefined;
    try {
      const text = readFileSync(file, 'latin1');
      if (!/-----BEGIN (CERTIFICATE|X509 CRL|TRUSTED CERTIFICATE)-----/.test(text)) why = 'no certificate or crl found';
    } catch (e) {
      why = (e as NodeJS.ErrnoException).code === 'EACCES' ? 'Permission denied' : 'No such file or directory';
    }
    if (why) {
      load.diag.alert(undefined, `Couldn't open the ca-file '${file}' (${why}).`);
      load.diag.alert(undefined, `httpclient: cannot initialize: cannot initialize SSL verify with 'ca-file "${file}"'.`);
    }
  }
};

/**
 * `ssl-propquery`: the internal HTTP client creates a TLS context at startup; when no loaded
 * OpenSSL provider satisfies the query, that fails.
 */
const propquery: PostCheck = (load) => {
  const q = load.global.ssl?.propquery;
  if (q === undefined) return;
  const providers = load.global.ssl?.providers?.length ? load.global.ssl.providers : ['default'];
  const satisfied = providers.some((p) => q.split(',').every((clause) => clauseHolds(clause.trim(), { provider: p })));
  if (!satisfied) load.diag.alert(undefined, "'server <HTTPCLIENT>/<HTTPSCLIENT>' : unable to allocate ssl context.");
};

/** One OpenSSL property clause against a provider's properties (absent booleans are "no"). */
function clauseHolds(clause: string, props: Record<string, string>): boolean {
  if (clause.startsWith('?')) return true;
  if (clause.startsWith('-')) return props[clause.slice(1)] === undefined;
  const m = /^([^!=\s]+)\s*(!?=)\s*(.*)$/.exec(clause);
  const name = m ? m[1]! : clause;
  const op = m ? m[2]! : '=';
  const value = m ? m[3]! : 'yes';
  const actual = props[name];
  const equal = actual === value || (actual === undefined && value === 'no');
  return op === '=' ? equal : !equal;
}

/** `server-state-file`: HAProxy warns at startup when it cannot be read. */
const serverStateFile: PostCheck = (load) => {
  const g = load.global;
  if (g.serverStateFile === undefined) return;
  let path = g.serverStateFile;
  if (!path.startsWith('/') && g.serverStateBase) path = `${g.serverStateBase.replace(/\/+$/, '')}/${path}`;
  try {
    readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' ? 'Permission denied' : code === 'EISDIR' ? 'Is a directory' : 'No such file or directory';
    load.diag.warning(undefined, `config: Can't open global server state file '${path}': ${why}`);
  }
};

/**
 * With a small `tune.bufsize`, HAProxy's built-in error pages no longer fit in a buffer. For
 * each page, measured on HAProxy 2.6: the buffer size from which its headers fit, and the one
 * from which the whole page fits (below 33 bytes HAProxy crashes instead).
 */
const DEFAULT_PAGE_NEEDS: [code: number, headers: number, whole: number][] = [
  [200, 177, 241], [400, 209, 305], [401, 177, 305], [403, 177, 273], [404, 177, 273], [405, 193, 337],
  [407, 177, 305], [408, 209, 321], [410, 177, 305], [413, 193, 305], [421, 193, 305], [422, 193, 321],
  [425, 177, 273], [429, 193, 321], [500, 193, 289], [501, 193, 337], [502, 177, 305], [503, 193, 305],
  [504, 193, 289],
];

const bufsize: PostCheck = (load) => {
  const size = load.global.tune?.['tune.bufsize'];
  if (typeof size !== 'number') return;
  for (const [code, headers, whole] of DEFAULT_PAGE_NEEDS) {
    if (size >= whole) continue;
    const part = size < headers ? 'headers' : 'payload';
    load.diag.alert(undefined, `Internal error: invalid default message for HTTP return code ${code}: unable to add ${part} into the HTX message.`);
  }
};

export const globalChecks: PostCheck[] = [h1CaseAdjustFile, httpclient, propquery, serverStateFile, bufsize];

