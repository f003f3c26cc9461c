/**
 * Messages about the configuration, kept apart by severity and worded as HAProxy words them:
 *
 *   [ALERT]    (1234) : config : parsing [haproxy.cfg:12] : unknown keyword 'foo' in 'global' section
 *
 * Alerts make the configuration invalid; warnings do not (unless `zero-warning` / -dW);
 * notices and diagnostics (-dD) are informative. A keyword whose effect Portier does not run yet
 * produces a "not supported yet" message: a warning under -c, an alert when starting.
 */
import type { Where } from './types.js';

export type Severity = 'alert' | 'warning' | 'notice' | 'diag';

/**
 * How the location is written before the message:
 * - 'spaced': "parsing [file:line] : msg" (most keyword errors)
 * - 'tight':  "parsing [file:line]: msg"  (lexer and preprocessor errors)
 * - 'portier': "file:line: msg"            (Portier's own "not supported yet" notes)
 * - 'bare':   "[file:line] : msg"
 * - 'capital': "Parsing [file:line]: msg"  (duplicate proxy names)
 */
export type LocationStyle = 'spaced' | 'tight' | 'portier' | 'bare' | 'capital';

export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  readonly where?: Where;
  readonly style?: LocationStyle;
  /** 'notyet': a keyword Portier parses but does not run yet. */
  readonly code?: 'notyet';
  /**
   * An alert that does not make the configuration invalid: HAProxy prints some messages at
   * alert level and goes on ("'pidfile' already specified. Continuing.").
   */
  readonly nonFatal?: boolean;
  /**
   * A warning that makes the configuration invalid: HAProxy prints some refusals at warning
   * level while failing (ha_warning with ERR_FATAL). Counted with the alerts.
   */
  readonly fatal?: boolean;
}

export type DiagnosticSink = (d: Diagnostic) => void;

export class Diagnostics {
  readonly list: Diagnostic[] = [];
  private sinks: DiagnosticSink[] = [];

  /**
   * @param notYetIsAlert true when starting (a keyword that does not run refuses startup),
   *   false under -c (it is a warning).
   */
  constructor(readonly notYetIsAlert: boolean) {}

  onDiagnostic(sink: DiagnosticSink): void {
    this.sinks.push(sink);
  }

  add(d: Diagnostic): void {
    this.list.push(d);
    for (const sink of this.sinks) sink(d);
  }

  /**
   * A summary line for the operator ("Error(s) found in configuration file : x"): printed in
   * order with the messages, but not a finding about the configuration, so not kept in `list`.
   */
  announce(d: Diagnostic): void {
    for (const sink of this.sinks) sink(d);
  }

  alert(where: Where | undefined, message: string, style: LocationStyle = 'spaced'): void {
    this.add({ severity: 'alert', message, where, style });
  }
  /** Printed as an alert, but the configuration stays valid (see Diagnostic.nonFatal). */
  alertContinuing(where: Where | undefined, message: string, style: LocationStyle = 'spaced'): void {
    this.add({ severity: 'alert', message, where, style, nonFatal: true });
  }
  warning(where: Where | undefined, message: string, style: LocationStyle = 'spaced'): void {
    this.add({ severity: 'warning', message, where, style });
  }
  /** Printed as a warning, but the configuration is refused (see Diagnostic.fatal). */
  warningFatal(where: Where | undefined, message: string, style: LocationStyle = 'spaced'): void {
    this.add({ severity: 'warning', message, where, style, fatal: true });
  }
  notice(where: Where | undefined, message: string, style: LocationStyle = 'spaced'): void {
    this.add({ severity: 'notice', message, where, style });
  }
  diag(where: Where | undefined, message: string, style: LocationStyle = 'spaced'): void {
    this.add({ severity: 'diag', message, where, style });
  }

  /** "<what> is not supported yet": a warning under -c, an alert at startup. */
  notYet(where: Where | undefined, what: string): void {
    this.add({
      severity: this.notYetIsAlert ? 'alert' : 'warning',
      message: `${what} is not supported yet`,
      where,
      style: 'portier',
      code: 'notyet',
    });
  }

  /**
   * Number of messages of this severity, as far as validity goes: 'alert' counts the fatal
   * ones (fatal warnings included, non-fatal alerts excluded), 'warning' the others.
   */
  count(severity: Severity): number {
    let n = 0;
    for (const d of this.list) if (kindOf(d) === severity) n++;
    return n;
  }

  get hasAlerts(): boolean {
    return this.list.some((d) => kindOf(d) === 'alert');
  }
}

/** What a diagnostic counts as: a fatal warning is an error, a non-fatal alert is not. */
function kindOf(d: Diagnostic): Severity | 'none' {
  if (d.fatal) return 'alert';
  if (d.severity === 'alert' && d.nonFatal) return 'none';
  return d.severity;
}

const LABELS: Record<Severity, string> = {
  alert: '[ALERT]    ',
  warning: '[WARNING]  ',
  notice: '[NOTICE]   ',
  diag: '[DIAG]     ',
};

/** The text after "config : ", with the location in the diagnostic's style. */
export function locatedMessage(d: Diagnostic): string {
  if (!d.where) return d.message;
  const { file, line } = d.where;
  switch (d.style ?? 'spaced') {
    case 'spaced':
      return `parsing [${file}:${line}] : ${d.message}`;
    case 'tight':
      return `parsing [${file}:${line}]: ${d.message}`;
    case 'portier':
      return `${file}:${line}: ${d.message}`;
    case 'bare':
      return `[${file}:${line}] : ${d.message}`;
    case 'capital':
      return `Parsing [${file}:${line}]: ${d.message}`;
  }
}

/** One diagnostic as HAProxy prints it on stderr (without the trailing newline). */
export function formatDiagnostic(d: Diagnostic, pid: number, area = 'config'): string {
  return `${LABELS[d.severity]}(${pid}) : ${area} : ${locatedMessage(d)}`;
}

/** A message without a configuration area ("[NOTICE]   (1) : haproxy version is ..."). */
export function formatPlain(severity: Severity, pid: number, message: string): string {
  return `${LABELS[severity]}(${pid}) : ${message}`;
}
