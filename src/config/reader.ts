/**
 * Reads configuration files into statements: finds the files (`-f file|dir`), cuts them into
 * lines, tokenizes each line (lexer.ts) and applies the conditional-block directives
 * (configuration.txt 2.4: .if/.elif/.else/.endif, .diag/.notice/.warning/.alert).
 *
 * Statements outside skipped blocks are handed one at a time to a consumer (the section
 * parser), so that a `setenv` on one line is seen by the variables of the next.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { evaluateCondition } from './condition.js';
import type { ConfigEnvironment } from './environment.js';
import { caretDisplay, tokenizeLine } from './lexer.js';
import type { Diagnostics } from './diagnostics.js';
import type { Statement, Where } from './types.js';

export interface StatementConsumer {
  /** One active statement. */
  statement(st: Statement): void;
  /** The current section's name, or its type when unnamed, '' before any (for ${.SECTION}). */
  sectionName(): string;
  /** A file ends: its last section ends with it (configuration.txt 2.1). */
  endFile(file: string): void;
  /** True once a statement asked to stop reading everything. */
  aborted(): boolean;
}

export type FileListResult = { files: string[] } | { error: string; usage?: boolean };

/**
 * Expands the -f arguments: a file is taken as is; a directory gives its non-hidden `*.cfg`
 * files in lexical order (management.txt 3, "-f").
 */
export function listConfigFiles(paths: readonly string[]): FileListResult {
  const files: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      return { error: `Cannot open configuration file/directory ${p} : ${errnoText(e)}` };
    }
    if (!isDir) {
      files.push(p);
      continue;
    }
    let names: string[];
    try {
      names = readdirSync(p);
    } catch (e) {
      return { error: `Cannot open configuration file/directory ${p} : ${errnoText(e)}` };
    }
    for (const name of names.filter((n) => n.endsWith('.cfg') && !n.startsWith('.')).sort()) {
      // HAProxy joins with '/' without normalising ("dir/" gives "dir//x.cfg").
      const full = `${p}/${name}`;
      try {
        if (statSync(full).isFile()) files.push(full);
      } catch {
        // vanished between readdir and stat: HAProxy skips such entries too
      }
    }
  }
  if (files.length === 0) return { error: 'No configuration file found.', usage: true };
  return { files };
}

/** "No such file or directory" from a Node fs error, as strerror() words it. */
export function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'ELOOP':
      return 'Too many levels of symbolic links';
    case 'EMFILE':
      return 'Too many open files';
    default:
      return (e as Error)?.message ?? String(e);
  }
}

interface Block {
  /** This branch's lines are read. */
  active: boolean;
  /** Some branch of this .if already matched (so later .elif/.else are skipped). */
  matched: boolean;
  /** The enclosing level is active. */
  parentActive: boolean;
  sawElse: boolean;
}

/**
 * How reading a file ended: 'aborted' when it had to stop (a preprocessor error or `.alert`,
 * which HAProxy treats as fatal for the whole configuration), 'errors' when some lines were
 * refused, 'ok' otherwise.
 */
export type ReadOutcome = 'ok' | 'errors' | 'aborted';

/** Lines with fatal errors after which reading stops (HAProxy's limit). */
const MAX_FATAL_LINES = 50;

/** Reads one file from disk (latin1: one char per byte). */
export function readConfigFile(
  file: string,
  env: ConfigEnvironment,
  diag: Diagnostics,
  consumer: StatementConsumer,
): ReadOutcome {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    diag.alert(undefined, `Could not open configuration file ${file} : ${errnoText(e)}`);
    return 'aborted';
  }
  return readConfigText(file, data.toString('latin1'), env, diag, consumer);
}

export function readConfigText(
  file: string,
  text: string,
  env: ConfigEnvironment,
  diag: Diagnostics,
  consumer: StatementConsumer,
): ReadOutcome {
  const blocks: Block[] = [];
  const isActive = (): boolean => blocks.length === 0 || blocks[blocks.length - 1]!.active;
  let lineNo = 0;
  let start = 0;
  let ok = true;
  let lastWhere: Where = { file, line: 0 };

  // HAProxy gives up after 50 lines with fatal errors, at the next line it reads.
  let fatalLines = 0;
  let alertsSeen = diag.count('alert');
  while (start < text.length) {
    lineNo++;
    const alertsNow = diag.count('alert');
    if (alertsNow > alertsSeen) fatalLines++;
    alertsSeen = alertsNow;
    if (fatalLines >= MAX_FATAL_LINES) {
      diag.alert({ file, line: lineNo }, `too many fatal errors (${MAX_FATAL_LINES}), stopping now.`, 'tight');
      return 'aborted';
    }
    let end = text.indexOf('\n', start);
    const hasLf = end >= 0;
    if (!hasLf) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    const where: Where = { file, line: lineNo };
    lastWhere = where;

    // fgets() semantics: a NUL byte ends what HAProxy sees of the line. The part before it is
    // read; then on the last line it looks like a line without its line feed, and elsewhere it
    // is a stray NUL after which nothing more of the file is read.
    const nul = line.indexOf('\0');
    let lineProblem: string | undefined;
    let stopAfter = false;
    if (nul >= 0) {
      line = line.slice(0, nul);
      const last = !hasLf || text.indexOf('\n', start) < 0 && start >= text.length;
      if (last) lineProblem = `Missing LF on last line, file might have been truncated at position ${nul + 1}.`;
      else {
        lineProblem = `Stray NUL character at position ${nul + 1}.`;
        stopAfter = true;
      }
    } else if (!hasLf) {
      lineProblem = `Missing LF on last line, file might have been truncated at position ${line.length + 1}.`;
    }
    if (lineProblem) ok = false;

    const lexed = tokenizeLine(line, {
      get: (name) => env.get(name),
      pseudo: (name) =>
        name === '.FILE' ? file : name === '.LINE' ? String(lineNo) : name === '.SECTION' ? consumer.sectionName() : undefined,
    });
    if (lexed.error) {
      const { message, index } = lexed.error;
      diag.alert(where, index >= 0 ? `${message} at position ${index + 1}:\n${caretDisplay(line, index)}` : `${message}.`, 'tight');
      if (lineProblem) diag.alert(where, lineProblem, 'tight');
      ok = false;
      if (stopAfter) return 'errors';
      continue;
    }
    const words = lexed.words;
    if (words.length === 0) {
      if (lineProblem) diag.alert(where, lineProblem, 'tight');
      if (stopAfter) return 'errors';
      continue;
    }

    const first = words[0]!;
    if (first.startsWith('.')) {
      const r = directive(first, words, where);
      if (r === 'abort') return 'aborted';
      if (r === 'stopfile') return 'errors';
      if (r === 'handled') continue;
    }
    if (!isActive()) continue;
    consumer.statement({ where, words, text: line });
    if (consumer.aborted()) return 'aborted';
    if (lineProblem) diag.alert(where, lineProblem, 'tight');
    if (stopAfter) return 'errors';
  }

  if (blocks.length > 0) {
    diag.alert(lastWhere, "non-terminated '.if' block.", 'tight');
    return 'aborted';
  }
  consumer.endFile(file);
  return ok ? 'ok' : 'errors';

  /** Returns 'handled', 'abort', or 'pass' for a word that is not a directive. */
  /** 'abort' stops all reading, 'stopfile' only this file (the next -f file is still read). */
  function directive(name: string, words: readonly string[], where: Where): 'handled' | 'abort' | 'stopfile' | 'pass' {
    const top = blocks[blocks.length - 1];
    const noArgs = (): boolean => {
      if (words.length > 1) {
        diag.alert(where, `Unexpected argument '${words[1]}' for '${name}'.`, 'tight');
        return false;
      }
      return true;
    };
    switch (name) {
      case '.if': {
        const parentActive = isActive();
        let value = false;
        if (parentActive) {
          const v = evalIf(name, words, where);
          if (v === undefined) return 'abort';
          value = v;
        }
        blocks.push({ active: parentActive && value, matched: value, parentActive, sawElse: false });
        return 'handled';
      }
      case '.elif': {
        if (!top) {
          diag.alert(where, "lone '.elif' with no matching '.if'.", 'tight');
          return 'abort';
        }
        if (top.sawElse) {
          diag.alert(where, "'.elif' after '.else' is not permitted.", 'tight');
          return 'abort';
        }
        if (!top.parentActive || top.matched) {
          top.active = false;
          return 'handled';
        }
        const v = evalIf(name, words, where);
        if (v === undefined) return 'abort';
        top.active = v;
        top.matched = v;
        return 'handled';
      }
      case '.else':
        if (!top) {
          diag.alert(where, "lone '.else' with no matching '.if'.", 'tight');
          return 'abort';
        }
        if (top.sawElse) {
          diag.alert(where, "'.else' after '.else' is not permitted.", 'tight');
          return 'abort';
        }
        if (!noArgs()) {
          // HAProxy stops reading here, so the block stays open: report that too.
          diag.alert(where, "non-terminated '.if' block.", 'tight');
          return 'abort';
        }
        top.sawElse = true;
        top.active = top.parentActive && !top.matched;
        top.matched = true;
        return 'handled';
      case '.endif':
        if (!top) {
          diag.alert(where, "lone '.endif' with no matching '.if'.", 'tight');
          return 'abort';
        }
        if (!noArgs()) {
          // HAProxy stops reading here, so the block stays open: report that too.
          diag.alert(where, "non-terminated '.if' block.", 'tight');
          return 'abort';
        }
        blocks.pop();
        return 'handled';
    }
    if (!isActive()) return 'handled';
    switch (name) {
      case '.diag':
      case '.notice':
      case '.warning':
      case '.alert': {
        if (words.length > 2) {
          diag.alert(where, `Unexpected argument '${words[2]}' for '${name}'. Use quotes if the message should contain spaces.`, 'tight');
          ok = false;
          return 'handled';
        }
        const msg = `'${words[1] ?? ''}'.`;
        if (name === '.alert') {
          diag.alert(where, msg, 'tight');
          return 'abort';
        }
        if (name === '.warning') diag.warning(where, msg, 'tight');
        else if (name === '.notice') diag.notice(where, msg, 'tight');
        else diag.diag(where, msg, 'tight');
        return 'handled';
      }
    }
    diag.alert(where, `unknown directive '${name}'.`, 'tight');
    return 'stopfile';
  }

  /** Evaluates the condition of a .if/.elif line; undefined after reporting an error. */
  function evalIf(name: string, words: readonly string[], where: Where): boolean | undefined {
    const expr = words.slice(1).join(' ');
    const r = evaluateCondition(expr, (v) => env.get(v));
    if ('value' in r) return r.value;
    // HAProxy shows the directive rebuilt from its words, with a caret under the culprit.
    const { message, index } = r.error;
    const shown = `${name} ${expr}`;
    diag.alert(where, `${message} in '${name}' at position ${index + 1}:\n${caretDisplay(shown, name.length + 1 + index)}`, 'tight');
    return undefined;
  }
}
