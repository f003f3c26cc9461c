/** Shorthands for the global and section tests: check a configuration, look at one message. */
import assert from 'node:assert/strict';
import { check, type Checked } from '../../helpers/config.js';

/** Checks "global" followed by the given lines (each indented). */
export function globalCfg(...lines: string[]): Promise<Checked> {
  return check(['global', ...lines.map((l) => `  ${l}`)].join('\n') + '\n');
}

/** Checks a configuration given line by line (no indentation added). */
export function cfg(...lines: string[]): Promise<Checked> {
  return check(lines.join('\n') + '\n');
}

/** The configuration is refused with exactly this alert (located text, HAProxy's style). */
export function assertAlert(r: Checked, expected: string): void {
  assert.equal(r.ok, false, `expected an alert, got: ${r.lines.join(' | ')}`);
  assert.ok(r.alerts.includes(expected), `missing alert:\n  ${expected}\ngot:\n  ${r.alerts.join('\n  ')}`);
}

/** The configuration is accepted; no alert at all. */
export function assertValid(r: Checked): void {
  assert.equal(r.ok, true, `expected valid, got: ${r.alerts.join(' | ')}`);
}

/** A warning with this located text was given. */
export function assertWarning(r: Checked, expected: string): void {
  assert.ok(r.warnings.includes(expected), `missing warning:\n  ${expected}\ngot:\n  ${r.warnings.join('\n  ')}`);
}

/** "parsing [t.cfg:<line>] : <msg>" */
export const at = (line: number, msg: string): string => `parsing [t.cfg:${line}] : ${msg}`;
/** "parsing [t.cfg:<line>]: <msg>" */
export const tight = (line: number, msg: string): string => `parsing [t.cfg:${line}]: ${msg}`;
/** "[t.cfg:<line>] : <msg>" */
export const bare = (line: number, msg: string): string => `[t.cfg:${line}] : ${msg}`;
