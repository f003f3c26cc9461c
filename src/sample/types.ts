/**
 * Sample fetches and converters (configuration.txt 7.3): their rows and the places where an
 * expression is evaluated. Types only (STYLE.md 8).
 */
import type { KeywordContext } from '../config/keywords.js';
import type { SampleArgModel, SampleTypeName } from '../config/model/sample.js';
import type { RowMeta } from '../config/types.js';

export type { SampleArgModel, SampleTypeName };

/**
 * Where a sample expression is evaluated: HAProxy's SMP_VAL_* places (the columns of
 * `haproxy -dKsmp`, in that order). A fetch is only valid where the information it reads
 * exists (no response header in an http-request rule, ...).
 */
export type SampleUse =
  | 'fe-tcp-request-connection'
  | 'fe-tcp-request-session'
  | 'fe-tcp-request-content'
  | 'fe-http-request'
  | 'fe-http-request-body'
  | 'fe-use-backend'
  | 'be-tcp-request-content'
  | 'be-http-request'
  | 'be-http-request-body'
  | 'be-use-server'
  | 'be-server-source'
  | 'be-tcp-response-content'
  | 'be-http-response'
  | 'be-http-response-body'
  | 'be-stick-store'
  | 'fe-tcp-response-content'
  | 'fe-http-response'
  | 'fe-http-response-body'
  | 'log'
  | 'tcp-check'
  | 'config'
  | 'cli';

/**
 * Argument types (HAProxy's ARGT_*): sint integer, str string, ipv4/ipv6 address, msk4/msk6
 * netmask, be backend, fe frontend, tab stick table, srv server, usr userlist, reg regex,
 * pbuf Protocol Buffers field number.
 */
export type ArgType = SampleArgModel['type'];

/** An argument list: the types in order, the first `min` of them mandatory. */
export interface ArgSpec {
  readonly types: readonly ArgType[];
  readonly min: number;
}

/**
 * HAProxy's argument contexts (ARGC_*): they name the place of an argument in the messages of
 * references checked after the last line ("... in http-request expression in proxy 'f'.").
 */
export type SampleArgContext =
  | 'acl'
  | 'stick'
  | 'track-sc'
  | 'log-format'
  | 'log-format-sd'
  | 'unique-id-format'
  | 'redirect'
  | 'capture'
  | 'http-request'
  | 'http-response'
  | 'use_backend'
  | 'use-server'
  | 'server'
  | 'tcp-check'
  | 'tcp-request connection'
  | 'tcp-request session'
  | 'tcp-request content'
  | 'tcp-response content'
  | 'http-error'
  | 'spoe-message'
  | 'config'
  | 'cli';

/** What a fetch's or converter's own argument check may use. */
export interface ValidateContext {
  readonly ctx: KeywordContext<unknown>;
  /** 'fetch' or 'converter', and its name. */
  readonly kind: 'fetch' | 'converter';
  readonly name: string;
}

/**
 * A keyword's own check of its parsed arguments (HAProxy's val_args), run after the generic
 * parsing: returns the message ("Empty variable name cannot be accepted."), or undefined.
 */
export type ArgValidator = (args: readonly SampleArgModel[], v: ValidateContext) => string | undefined;

/** A sample fetch (configuration.txt 7.3.2 to 7.3.7). */
export interface FetchRow extends RowMeta {
  /** Argument types, e.g. "str?,sint?" (args.ts, parseArgSpec). Empty: no argument. */
  readonly args: string;
  readonly out: SampleTypeName;
  /** Where its information comes from (usage.ts, SOURCES): decides where it is usable. */
  readonly src: string;
  readonly validate?: ArgValidator;
  /** The manual marks it as deprecated; `aliasOf` names the fetch to use instead. */
  readonly deprecated?: boolean;
  /** Same meaning as this other fetch (for the request side, when it serves both). */
  readonly aliasOf?: string;
  /** The manual section it belongs to. */
  readonly section: '7.3.2' | '7.3.3' | '7.3.4' | '7.3.5' | '7.3.6' | '7.3.7';
}

/** A converter (configuration.txt 7.3.1). Converters are usable everywhere. */
export interface ConverterRow extends RowMeta {
  readonly args: string;
  /** The type it takes (the sample is cast to it when possible, see casts.ts). */
  readonly in: SampleTypeName;
  readonly out: SampleTypeName;
  readonly validate?: ArgValidator;
}
