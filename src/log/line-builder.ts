/**
 * Building one log line within HAProxy's limit (global max_syslog_len, at least 1024): the
 * line holds at most limit - 1 characters. As in HAProxy's sess_build_logline(), a literal
 * text is cut where the room ends, a number or a fixed-size field is written whole or not at
 * all, and the first field that does not fit ends the line. Values are latin1 strings (one
 * character per byte).
 */

/** +Q, +X, +E, +M (configuration.txt 8.2.6, "flags"). */
export interface LogFlags {
  readonly quote: boolean;
  readonly hex: boolean;
  readonly escape: boolean;
  readonly mandatory: boolean;
}

/** RFC 5424 PARAM-VALUE escaping (+E): '"', '\' and ']' get a '\' prefix. */
function escapeRfc5424(s: string): string {
  return s.replace(/["\\\]]/g, (c) => '\\' + c);
}

export class LineBuilder {
  private s = '';
  /** Set once a field did not fit: nothing more is written. */
  full = false;
  /** No field written since the last separator (separators are merged, never leading). */
  lastIsSpace = true;

  constructor(private readonly limit: number) {}

  private get room(): number {
    return this.limit - 1 - this.s.length;
  }

  /** Literal text: cut at the end of the room. */
  text(t: string): void {
    if (this.full || t === '') return;
    const room = this.room;
    if (room <= 0) {
      this.full = true;
      return;
    }
    this.s += t.length > room ? t.slice(0, room) : t;
    this.lastIsSpace = false;
  }

  /** A separator of a log-format with merged spaces. */
  separator(): void {
    if (this.full || this.lastIsSpace) return;
    this.char(' ');
    this.lastIsSpace = true;
  }

  /** One character (HAProxy's LOGCHAR). */
  char(c: string): void {
    if (this.full) return;
    if (this.room <= 0) {
      this.full = true;
      return;
    }
    this.s += c;
  }

  /** A number or a fixed-size field: all or nothing. */
  fixed(t: string): void {
    if (this.full) return;
    if (t.length > this.room) {
      this.full = true;
      return;
    }
    this.s += t;
    this.lastIsSpace = false;
  }

  /**
   * A string value with its flags (HAProxy's lf_text_len): quoted with +Q, escaped with +E,
   * '-' when empty with +M (and no +Q). A quoted value that does not fit is dropped whole.
   */
  value(v: string | undefined, f: LogFlags): void {
    if (this.full) return;
    const room = this.room;
    if (room < 1) {
      this.full = true;
      return;
    }
    let body = v ? (f.escape ? escapeRfc5424(v) : v) : !f.quote && f.mandatory ? '-' : '';
    if (f.quote) {
      if (body.length + 2 > room) {
        this.full = true;
        return;
      }
      this.s += '"' + body + '"';
    } else {
      if (body.length > room) body = body.slice(0, room);
      this.s += body;
    }
    this.lastIsSpace = false;
  }

  /** Marks the field written without output (variables that print nothing still count). */
  touched(): void {
    this.lastIsSpace = false;
  }

  /** Ends the line here (HAProxy's "goto out"). */
  stop(): void {
    this.full = true;
  }

  toString(): string {
    return this.s;
  }
}
