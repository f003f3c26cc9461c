/**
 * Building blocks of the built-in rule lists (HAProxy builds them by parsing fixed
 * "tcp-check connect/send/expect" words; these make the same steps directly), and the few
 * sample fetches and converters their on-error / on-success / status-code strings use,
 * applied to the received bytes: res.payload(<offset>,<length>), cut_crlf, ltrim.
 */
import type { CheckConnectRule, CheckExpectRule } from '../../config/model/check.js';
import type { CheckStep, ExpectStep } from '../engine.js';
import { CHECK_BUFFER_SIZE, compileTcpExpect, type CustomExpect, type ExpectHooks, type TcpExpect } from '../expect-tcp.js';
import type { SampleEnv } from '../../sample/types.js';
import type { CheckOutcome } from '../status.js';

/** "tcp-check connect default [linger]" at position `index` of the list. */
export function connectStep(index: number, linger: boolean): CheckStep {
  const rule: CheckConnectRule = { action: 'connect', index, default: true, sendProxy: false, viaSocks4: false, ssl: false, linger };
  return { action: 'connect', rule, id: index + 1 };
}

/** "tcp-check send[-binary][-lf] ..." at position `index`. */
export function sendStep(index: number, data: Buffer | (() => Buffer)): CheckStep {
  return { action: 'send', data, id: index + 1 };
}

type ExpectFields = Pick<CheckExpectRule, 'match'> & Partial<Omit<CheckExpectRule, 'action' | 'protocol' | 'index'>>;

/** The rule of "tcp-check expect ..." at position `index`. */
export function expectRule(index: number, f: ExpectFields): CheckExpectRule {
  return { action: 'expect', protocol: 'tcp', inverse: false, minRecv: -1, index, ...f };
}

export interface ProtocolExpect extends ExpectHooks {
  /** on-success: the info text of a success when this rule is the last. */
  readonly onSuccess?: (received: Buffer) => string;
}

/** A tcp-check expect step with the protocol's texts and code. */
export function tcpExpectStep(rule: CheckExpectRule, p: ProtocolExpect = {}): ExpectStep {
  const { onSuccess, statusCode } = p;
  const successInfo =
    onSuccess || statusCode
      ? (received: Buffer, env: SampleEnv): CheckOutcome => {
          const code = statusCode?.(received, env);
          return { status: rule.okStatus ?? 'L7OK', desc: onSuccess?.(received) ?? '', ...(code !== undefined ? { code } : {}) };
        }
      : undefined;
  return { action: 'expect', rule, evaluate: compileTcpExpect(rule, false, p), id: rule.index + 1, ...(successInfo ? { successInfo } : {}) };
}

/** "tcp-check expect custom" with HAProxy's function for the protocol (after min-recv). */
export function customExpectStep(rule: CheckExpectRule, custom: CustomExpect): ExpectStep {
  const evaluate: TcpExpect = (received, eof, stepId) => {
    const lastRead = eof || received.length >= CHECK_BUFFER_SIZE;
    if (!lastRead && rule.minRecv > 0 && received.length < rule.minRecv) return { kind: 'wait' };
    return custom(received, lastRead, stepId);
  };
  return { action: 'expect', rule, evaluate, id: rule.index + 1 };
}

// ---------------------------------------------------------------------------------------------
// Samples over the received bytes

/** res.payload(offset, length): length 0 is "up to the end"; undefined when too short. */
export function payload(b: Buffer, offset: number, length = 0): Buffer | undefined {
  if (offset + length > b.length) return undefined;
  return b.subarray(offset, length > 0 ? offset + length : b.length);
}

/**
 * A sample as a log-format string prints it: the bytes up to the first NUL (HAProxy copies a
 * C string); nothing for a missing sample.
 */
export function asText(b: Buffer | undefined): string {
  if (!b) return '';
  const nul = b.indexOf(0);
  return b.subarray(0, nul >= 0 ? nul : b.length).toString('latin1');
}

/** cut_crlf: up to the first CR or LF. */
export function cutCrlf(text: string): string {
  const m = /[\r\n]/.exec(text);
  return m ? text.slice(0, m.index) : text;
}

/** ltrim(<chars>). */
export function ltrim(text: string, chars: string): string {
  let i = 0;
  while (i < text.length && chars.includes(text[i]!)) i++;
  return text.slice(i);
}

/** A sample converted to an integer (HAProxy's c_str2int: optional sign, leading digits). */
export function asInteger(b: Buffer | undefined): number | undefined {
  if (!b || b.length === 0) return undefined;
  const m = /^([-+]?)([0-9]*)/.exec(b.toString('latin1'))!;
  const n = m[2] === '' ? 0 : Number(m[2]);
  return m[1] === '-' ? -n : n;
}
