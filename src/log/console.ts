/**
 * Messages for the operator on stderr, in HAProxy's format ("[ALERT]    (pid) : ..."), with its
 * quiet/verbose rules: -q (or `quiet`) silences everything, -V brings it back. Before the first
 * message, two notices say which program and version is speaking, as HAProxy does.
 */
import { formatDiagnostic, formatPlain, type Diagnostic, type Severity } from '../config/diagnostics.js';
import { HAPROXY_COMPAT_VERSION, PORTIER_VERSION } from '../version.js';

export class Console {
  quiet = false;
  verbose = false;
  /** -dD: show diagnostic messages. */
  diagnostics = false;
  private introduced = false;

  constructor(
    // Configuration text is latin1 ("one char per byte"): write it back as the same bytes.
    private readonly out: (line: string) => void = (l) => process.stderr.write(Buffer.from(l + '\n', 'latin1')),
    private readonly pid = process.pid,
  ) {}

  private get silent(): boolean {
    return this.quiet && !this.verbose;
  }

  private introduce(): void {
    if (this.introduced) return;
    this.introduced = true;
    this.out(formatPlain('notice', this.pid, `haproxy version is ${HAPROXY_COMPAT_VERSION} (Portier ${PORTIER_VERSION})`));
    this.out(formatPlain('notice', this.pid, `path to executable is ${process.argv[1] ?? 'portier'}`));
  }

  /** Prints one configuration diagnostic. */
  diagnostic = (d: Diagnostic): void => {
    if (this.silent) return;
    if (d.severity === 'diag' && !this.diagnostics) return;
    this.introduce();
    this.out(formatDiagnostic(d, this.pid));
  };

  /** Prints a message outside configuration parsing ("[ALERT]    (pid) : <text>"). */
  message(severity: Severity, text: string): void {
    if (this.silent) return;
    if (severity !== 'diag') this.introduce();
    this.out(formatPlain(severity, this.pid, text));
  }

  /** A message in the config area without location ("[ALERT] (pid) : config : <text>"). */
  config(severity: Severity, text: string): void {
    this.diagnostic({ severity, message: text });
  }
}
