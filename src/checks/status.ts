/**
 * Health-check statuses (management.txt 9.1 "check_status", configuration.txt 5.2 "check"):
 * HAProxy's numbered list, in its order, because `show servers state` prints the numbers and
 * the logs print the descriptions. Each status says what it means for the server: a failure,
 * a success, a conditional success (the server asks for no new traffic), or nothing yet.
 */

/** A check's result (HAProxy's CHK_RES_*): `show servers state` prints the number. */
export const enum CheckResult {
  Unknown = 0,
  Neutral = 1,
  Failed = 2,
  Passed = 3,
  CondPass = 4,
}

interface StatusRow {
  /** The short name (stats "check_status", expect rules' ok-status/error-status/tout-status). */
  readonly name: string;
  /** The description the logs give as "reason". */
  readonly desc: string;
  readonly result: CheckResult;
}

/** Indexed by HAProxy's status number. */
const ROWS: readonly StatusRow[] = [
  { name: 'UNK', desc: 'Unknown', result: CheckResult.Unknown },
  { name: 'INI', desc: 'Initializing', result: CheckResult.Unknown },
  { name: 'START', desc: '', result: CheckResult.Unknown },
  { name: 'CHECKED', desc: 'No status change', result: CheckResult.Neutral },
  { name: 'HANA', desc: 'Health analyze', result: CheckResult.Failed },
  { name: 'SOCKERR', desc: 'Socket error', result: CheckResult.Failed },
  { name: 'L4OK', desc: 'Layer4 check passed', result: CheckResult.Passed },
  { name: 'L4TOUT', desc: 'Layer4 timeout', result: CheckResult.Failed },
  { name: 'L4CON', desc: 'Layer4 connection problem', result: CheckResult.Failed },
  { name: 'L6OK', desc: 'Layer6 check passed', result: CheckResult.Passed },
  { name: 'L6TOUT', desc: 'Layer6 timeout', result: CheckResult.Failed },
  { name: 'L6RSP', desc: 'Layer6 invalid response', result: CheckResult.Failed },
  { name: 'L7TOUT', desc: 'Layer7 timeout', result: CheckResult.Failed },
  { name: 'L7RSP', desc: 'Layer7 invalid response', result: CheckResult.Failed },
  // Not a status: the ones after it carry a layer-7 code ("code: N" in the logs).
  { name: 'L57DATA', desc: '', result: CheckResult.Unknown },
  { name: 'L7OK', desc: 'Layer7 check passed', result: CheckResult.Passed },
  { name: 'L7OKC', desc: 'Layer7 check conditionally passed', result: CheckResult.CondPass },
  { name: 'L7STS', desc: 'Layer7 wrong status', result: CheckResult.Failed },
  { name: 'PROCERR', desc: 'External check error', result: CheckResult.Failed },
  { name: 'PROCTOUT', desc: 'External check timeout', result: CheckResult.Failed },
  { name: 'PROCOK', desc: 'External check passed', result: CheckResult.Passed },
];

export type CheckStatusName =
  | 'UNK' | 'INI' | 'CHECKED' | 'HANA' | 'SOCKERR'
  | 'L4OK' | 'L4TOUT' | 'L4CON' | 'L6OK' | 'L6TOUT' | 'L6RSP' | 'L7TOUT' | 'L7RSP'
  | 'L7OK' | 'L7OKC' | 'L7STS' | 'PROCERR' | 'PROCTOUT' | 'PROCOK';

const BY_NAME = new Map(ROWS.map((r, i) => [r.name, i]));

/** HAProxy's number of a status. */
export function statusCode(name: CheckStatusName): number {
  return BY_NAME.get(name)!;
}

export function statusRow(code: number): StatusRow {
  return ROWS[code] ?? ROWS[0]!;
}

/** Statuses from this number on carry a layer-7 code. */
export const L57DATA = BY_NAME.get('L57DATA')!;

/** What one run of a check found: a status, an optional "info" text and a layer-7 code. */
export interface CheckOutcome {
  readonly status: CheckStatusName;
  readonly desc?: string;
  readonly code?: number;
}
