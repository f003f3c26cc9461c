/**
 * The configuration corpus (test/corpus/{valid,invalid}/*.cfg) and how to judge it with two
 * programs: `haproxy -c -f <file>` and `bin/portier -c -f <file>`, run with the same environment
 * and the same working directory. Shared by config-check.test.ts (which asserts) and
 * mismatch-report.ts (which writes test/corpus/MISMATCHES.md).
 *
 * Each corpus file starts with a comment header:
 *   # Checks: what the file is about
 *   # Expect: valid | no-listener | invalid at line N (...) | invalid, no alert line
 * "Expect" is HAProxy 2.6.12's verdict, checked against the real haproxy on every run, so the
 * corpus cannot silently drift from what HAProxy does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PORTIER, ROOT, run, type RunResult } from '../helpers/run.js';

export const CORPUS_DIR = join(ROOT, 'test', 'corpus');
export const HAPROXY = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';

export type Verdict = 'valid' | 'no-listener' | 'invalid' | string;

export interface Expectation {
  verdict: 'valid' | 'no-listener' | 'invalid';
  /** Line of the first located alert; null: HAProxy names no line; undefined: not given. */
  line?: number | null;
}

export interface CorpusFile {
  /** "valid/lexer-comments.cfg" */
  readonly rel: string;
  readonly path: string;
  readonly text: string;
  readonly expect?: Expectation;
  /** The file needs the certificates the test generates. */
  readonly needsCerts: boolean;
}

export interface Judgement {
  readonly code: number | null;
  readonly signal: string | null;
  readonly verdict: Verdict;
  /** Line of the first "[ALERT]" naming [file:line], null when none does. */
  readonly firstLine: number | null;
  /** That alert's text, without the "[ALERT]    (pid) : config : " prefix. */
  readonly firstMessage: string | null;
  /** Every line named by an alert, in order of appearance, without repeats. */
  readonly lines: number[];
  readonly stderr: string;
  readonly stdout: string;
}

export interface Comparison {
  readonly file: CorpusFile;
  readonly haproxy: Judgement;
  readonly portier: Judgement;
  /** Disagreements that fail the test (verdict, first alert line, header vs haproxy, crash). */
  readonly problems: string[];
  /** Differences reported but not asserted (other alert lines, wording of the first alert). */
  readonly notes: string[];
}

export function listCorpus(): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (const kind of ['valid', 'invalid']) {
    const dir = join(CORPUS_DIR, kind);
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.cfg')).sort()) {
      const path = join(dir, name);
      const text = readFileSync(path).toString('latin1');
      files.push({ rel: `${kind}/${name}`, path, text, expect: parseExpect(text), needsCerts: /\$\{?CORPUS_(CERT|CA)/.test(text) });
    }
  }
  return files;
}

/** Reads the "# Expect:" header line. */
export function parseExpect(text: string): Expectation | undefined {
  const m = /^# Expect: *(.*)$/m.exec(text);
  if (!m) return undefined;
  const v = m[1]!.trim();
  if (v.startsWith('valid')) return { verdict: 'valid' };
  if (v.startsWith('no-listener')) return { verdict: 'no-listener' };
  const at = /^invalid at line (\d+)\b/.exec(v);
  if (at) return { verdict: 'invalid', line: Number(at[1]) };
  if (/^invalid, no alert line/.test(v)) return { verdict: 'invalid', line: null };
  if (v.startsWith('invalid')) return { verdict: 'invalid' };
  return undefined;
}

export function verdictOf(code: number | null, signal: string | null): Verdict {
  if (signal) return `killed by ${signal}`;
  if (code === 0) return 'valid';
  if (code === 2) return 'no-listener';
  if (code === 1) return 'invalid';
  return `exit ${code}`;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Extracts the verdict and the located alerts of one `-c` run on `file`. */
export function judge(r: RunResult, file: string): Judgement {
  const located = new RegExp(`\\[${escapeRe(file)}:(\\d+)\\]`);
  let firstLine: number | null = null;
  let firstMessage: string | null = null;
  const lines: number[] = [];
  for (const l of r.stderr.split('\n')) {
    if (!l.startsWith('[ALERT]')) continue;
    const m = located.exec(l);
    if (!m) continue;
    const n = Number(m[1]);
    if (firstLine === null) {
      firstLine = n;
      firstMessage = l.replace(/^\[ALERT\] +\(\d+\) : (config : )?/, '').split(file).join('<file>');
    }
    if (!lines.includes(n)) lines.push(n);
  }
  return { code: r.code, signal: r.signal, verdict: verdictOf(r.code, r.signal), firstLine, firstMessage, lines, stderr: r.stderr, stdout: r.stdout };
}

/** A JavaScript stack trace or a Node error report on stderr: Portier crashed. */
export function looksLikeCrash(stderr: string): boolean {
  return /^\s+at .+(:\d+:\d+\)?|\(native\)|\(node:[^)]*\))$/m.test(stderr) || /^(Type|Range|Reference|Syntax)?Error: /m.test(stderr) || /internal error/.test(stderr);
}

export interface CorpusEnvironment {
  /** Temporary directory: the working directory of both programs, and $CORPUS_DIR. */
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  /** False when openssl could not make the test certificates. */
  readonly certs: boolean;
  cleanup(): void;
}

/**
 * Creates $CORPUS_DIR with what the corpus files refer to: certificates (a CA, two server
 * certificates for www/api.example.test as PEM bundles), an error file. Returns the variables
 * the corpus uses (see each file's header).
 */
export function setupEnvironment(): CorpusEnvironment {
  const dir = mkdtempSync(join(tmpdir(), 'portier-corpus-'));
  writeFileSync(join(dir, '503.http'), 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nbusy\n');
  const certs = makeCertificates(dir);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CORPUS_')) env[k] = v;
  Object.assign(env, {
    CORPUS_DIR: dir,
    CORPUS_CERT: join(dir, 'certs', 'www.pem'),
    CORPUS_CERT2: join(dir, 'certs', 'api.pem'),
    CORPUS_CERTS: join(dir, 'certs'),
    CORPUS_CA: join(dir, 'ca.pem'),
    CORPUS_PORT: '8080',
    CORPUS_WORDS: 'alpha beta gamma',
    CORPUS_EMPTY: '',
    CORPUS_NAME: 'web',
    // Node starts faster with its compile cache; haproxy ignores the variable.
    NODE_COMPILE_CACHE: join(tmpdir(), 'portier-node-compile-cache'),
  });
  return { dir, env, certs, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function makeCertificates(dir: string): boolean {
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore', timeout: 20_000 });
  try {
    mkdirSync(join(dir, 'certs'));
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=portier-corpus-ca');
    for (const name of ['www', 'api']) {
      ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}.example.test`);
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2');
      writeFileSync(join(dir, 'certs', `${name}.pem`), readFileSync(join(dir, `${name}.crt`), 'latin1') + readFileSync(join(dir, `${name}.key`), 'latin1'), 'latin1');
    }
    return true;
  } catch {
    return false;
  }
}

export const haproxyInstalled = (): boolean => existsSync(HAPROXY);

/** Runs `fn` over `items`, `limit` at a time, keeping the order of results. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export const defaultConcurrency = (): number => Math.max(4, Math.min(16, availableParallelism() * 2));

/** Judges one file with both programs (one after the other: they are compared, not raced). */
export async function compareFile(file: CorpusFile, env: CorpusEnvironment): Promise<Comparison> {
  const opts = { cwd: env.dir, env: env.env, timeoutMs: 30_000 };
  const haproxy = judge(await run(HAPROXY, ['-c', '-f', file.path], opts), file.path);
  const portier = judge(await run(PORTIER, ['-c', '-f', file.path], opts), file.path);
  const problems: string[] = [];
  const notes: string[] = [];
  const e = file.expect;
  if (!e) problems.push('corpus file has no "# Expect:" header');
  else {
    const headerLine = e.line === undefined ? undefined : e.line;
    if (haproxy.verdict !== e.verdict || (e.verdict === 'invalid' && headerLine !== undefined && haproxy.firstLine !== headerLine)) {
      problems.push(`corpus header expects ${describeExpect(e)} but haproxy says ${describe(haproxy)}`);
    }
  }
  if (portier.verdict !== haproxy.verdict) problems.push(`verdict: haproxy ${haproxy.verdict}, portier ${portier.verdict}`);
  else if (haproxy.verdict === 'invalid' && portier.firstLine !== haproxy.firstLine) {
    problems.push(`first alert line: haproxy ${haproxy.firstLine ?? 'none'}, portier ${portier.firstLine ?? 'none'}`);
  }
  if (looksLikeCrash(portier.stderr)) problems.push('portier printed a stack trace or an internal error');
  if (haproxy.verdict === portier.verdict && haproxy.lines.join(',') !== portier.lines.join(',')) {
    notes.push(`alert lines: haproxy [${haproxy.lines.join(',')}], portier [${portier.lines.join(',')}]`);
  }
  if (haproxy.firstLine !== null && haproxy.firstLine === portier.firstLine && haproxy.firstMessage !== portier.firstMessage) {
    notes.push(`first alert wording: haproxy "${haproxy.firstMessage}", portier "${portier.firstMessage}"`);
  }
  return { file, haproxy, portier, problems, notes };
}

export function describe(j: Judgement): string {
  if (j.verdict !== 'invalid') return j.verdict;
  return j.firstLine === null ? 'invalid (no alert line)' : `invalid at line ${j.firstLine}`;
}

function describeExpect(e: Expectation): string {
  if (e.verdict !== 'invalid' || e.line === undefined) return e.verdict;
  return e.line === null ? 'invalid (no alert line)' : `invalid at line ${e.line}`;
}

/** A fixed-width table of the comparisons that have problems. */
export function mismatchTable(rows: readonly Comparison[]): string {
  const bad = rows.filter((r) => r.problems.length > 0);
  if (bad.length === 0) return 'no mismatch';
  const cells = bad.map((r) => [r.file.rel, describe(r.haproxy), describe(r.portier), r.problems.join('; ')]);
  const head = ['file', 'haproxy', 'portier', 'problem'];
  const width = head.map((h, i) => Math.min(60, Math.max(h.length, ...cells.map((c) => c[i]!.length))));
  const fmt = (c: string[]): string => c.map((s, i) => (i < 3 ? s.padEnd(width[i]!) : s)).join(' | ');
  return [fmt(head), width.map((w) => '-'.repeat(w)).join('-+-') + '-+-' + '-'.repeat(10), ...cells.map(fmt)].join('\n') + `\n${bad.length} of ${rows.length} corpus files disagree with haproxy.`;
}

export const relativeToRoot = (p: string): string => relative(ROOT, p);
