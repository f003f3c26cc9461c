/**
 * One runtime API connection (management.txt 9.2): non-interactive by default (one line of
 * ';'-separated commands, answers, close), interactive after "prompt" ("> " prompt, until
 * "quit" or "prompt" again). Every answer ends with an empty line; a command whose first line
 * ends with "<<" takes the following lines up to an empty one as its payload.
 */
import type { Socket } from 'node:net';
import { bestMatch } from '../config/suggest.js';
import { cliCommands, helpLine, levelAllows, sessionCommands } from './cli-commands.js';
import type { CliCommand, CliLevel, CliProcessView, CliSession } from './cli-types.js';

/** Longest accepted line, as HAProxy limits the CLI buffer (tune.bufsize). */
const MAX_LINE = 16384;

export class CliConnection implements CliSession {
  interactive = false;
  private buffer = '';
  private payloadFor: { line: string; lines: string[] } | undefined;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    public level: CliLevel,
    public timeoutMs: number,
    readonly process: CliProcessView,
  ) {
    socket.setEncoding('latin1');
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', () => socket.destroy());
  }

  private onData(chunk: string): void {
    if (this.closed) return;
    this.buffer += chunk;
    let nl: number;
    while (!this.closed && (nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      this.onLine(line);
    }
    if (this.buffer.length > MAX_LINE) this.finish();
  }

  /** The client half-closed: a last line without LF still counts (VTest sends "cmd\n" then shuts). */
  private onEnd(): void {
    if (this.closed) return;
    if (this.buffer !== '') {
      const line = this.buffer;
      this.buffer = '';
      this.onLine(line);
    }
    if (!this.closed) this.finish();
  }

  private onLine(line: string): void {
    if (this.payloadFor) {
      if (line !== '') {
        this.payloadFor.lines.push(line);
        return;
      }
      const { line: cmd, lines } = this.payloadFor;
      this.payloadFor = undefined;
      this.runLine(cmd, lines.join('\n') + '\n');
      return;
    }
    const payloadMatch = /^(.*\S)\s+<<$/.exec(line);
    if (payloadMatch) {
      this.payloadFor = { line: payloadMatch[1]!, lines: [] };
      if (this.interactive) this.socket.write('+ ');
      return;
    }
    this.runLine(line, undefined);
  }

  private runLine(line: string, payload: string | undefined): void {
    let out = '';
    const commands = splitCommands(line);
    for (let i = 0; i < commands.length; i++) {
      const words = commands[i]!;
      if (words[0] === 'quit') {
        this.socket.write(out);
        this.finish();
        return;
      }
      if (words[0] === 'prompt') {
        this.interactive = !this.interactive;
        out += '\n';
      } else {
        out += this.execute(words, i === commands.length - 1 ? payload : undefined) + '\n';
      }
      // In interactive mode the prompt follows each answer.
      if (this.interactive) out += '> ';
    }
    this.socket.write(out);
    // Non-interactive (or "prompt" just turned interactive mode off): answer, then close.
    if (!this.interactive) this.finish();
  }

  private execute(words: readonly string[], payload: string | undefined): string {
    if (words[0] === 'help') return this.help(words.slice(1));
    const cmd = findCommand(words);
    if (!cmd) return unknownCommand(words, this.level);
    if (!levelAllows(this.level, cmd.level)) return 'Permission denied\n';
    try {
      return cmd.run(this, words, payload);
    } catch (e) {
      return `Internal error: ${(e as Error).message}\n`;
    }
  }

  private help(prefix: readonly string[]): string {
    const matching = visibleCommands(this.level).filter((c) => prefix.every((w, i) => (c.words[i] ?? '').startsWith(w)));
    const list = matching.length > 0 ? matching : visibleCommands(this.level);
    return 'The following commands are valid at this level:\n' + listing(list);
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end();
  }
}

/** "a b;c\;d" → [["a","b"],["c;d"]]; backslash protects ';', '\' and spaces. */
export function splitCommands(line: string): string[][] {
  const out: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (c === ';') {
      endWord();
      out.push(words);
      words = [];
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else {
      word += c;
      inWord = true;
    }
  }
  endWord();
  out.push(words);
  return out;
}

function findCommand(words: readonly string[]): CliCommand | undefined {
  let best: CliCommand | undefined;
  for (const c of cliCommands) {
    if (c.words.every((w, i) => words[i] === w) && (!best || c.words.length > best.words.length)) best = c;
  }
  return best;
}

function visibleCommands(level: CliLevel): CliCommand[] {
  return cliCommands.filter((c) => levelAllows(level, c.level));
}

function listing(list: readonly CliCommand[]): string {
  return list.map((c) => helpLine(c.usage, c.help)).join('') + sessionCommands.map((c) => helpLine(c.usage, c.help)).join('');
}

/** HAProxy suggests the closest commands, or lists them all when nothing is close. */
function unknownCommand(words: readonly string[], level: CliLevel): string {
  const visible = visibleCommands(level);
  const typed = words.join(' ');
  const close: CliCommand[] = [];
  if (typed !== '') {
    const pool = [...visible];
    for (let k = 0; k < 5 && pool.length > 0; k++) {
      const m = bestMatch(typed, pool.map((c) => c.name));
      if (!m) break;
      const idx = pool.findIndex((c) => c.name === m);
      close.push(pool[idx]!);
      pool.splice(idx, 1);
    }
  }
  if (close.length > 0) return 'Unknown command, but maybe one of the following ones is a better match:\n' + listing(close);
  return 'Unknown command. Please enter one of the following commands only :\n' + listing(visible);
}
