/**
 * Messages about one server line, printed as HAProxy prints them in a server's "message
 * context": the first one is prefixed with "[file:line] : 'server be/srv' : " (nothing after
 * the location for default-server), the following ones of the same context with nothing at all.
 */
import { indentMsg } from '../bind-options/messages.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Where } from '../types.js';

export class ServerMessages {
  private used = false;

  /**
   * @param prefix "'server be/srv' : " for a server, '' for default-server.
   */
  constructor(
    private readonly diag: Diagnostics,
    private readonly where: Where,
    private readonly prefix: string,
  ) {}

  private emit(kind: 'alert' | 'alertContinuing' | 'warning', message: string): void {
    if (this.used) {
      this.diag[kind](undefined, message);
      return;
    }
    this.used = true;
    this.diag[kind](this.where, this.prefix + message, 'bare');
  }

  alert(message: string): void {
    this.emit('alert', message);
  }
  /** An alert that leaves the configuration valid (HAProxy's ERR_ALERT without ERR_FATAL). */
  alertContinuing(message: string): void {
    this.emit('alertContinuing', message);
  }
  warning(message: string): void {
    this.emit('warning', message);
  }

  /**
   * A parser's error as HAProxy's display_parser_err() shows it: indented when it has several
   * lines, followed by a '.'.
   */
  parserError(err: string, severity: 'alert' | 'alertContinuing' | 'warning' = 'alert'): void {
    this.emit(severity, `${indentMsg(err)}.`);
  }
}
