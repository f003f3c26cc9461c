/**
 * Sample fetches and converters (configuration.txt 7.3): their rows and the places where an
 * expression is evaluated. Types only (STYLE.md 8).
 */
import type { KeywordContext } from '../config/keywords.js';
import type { SampleArgModel, SampleTypeName } from '../config/model/sample.js';
import type { RowMeta } from '../config/types.js';
import type { VarStore } from './var-store.js';
import type { VarScope } from './vars.js';

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

// ---------------------------------------------------------------------------------------------
// Run time: what compiled expressions evaluate (HAProxy's struct sample and sample fetch calls).

/**
 * The types a sample has at run time. 'addr' and 'any' exist only at parse time: an address is
 * an 'ipv4' or an 'ipv6' sample.
 */
export type SampleKind = 'bool' | 'sint' | 'ipv4' | 'ipv6' | 'str' | 'bin' | 'meth';

/**
 * One sample being evaluated (HAProxy's struct sample): a fetch fills it, converters and casts
 * rewrite it in place, a matcher reads it. One object per compiled expression, reused for
 * every evaluation (evaluations are synchronous).
 */
export interface Sample {
  type: SampleKind;
  /** bool (0 or 1) and sint: the value; ipv4: the address as an unsigned 32-bit number. */
  num: number;
  /** str, bin, meth: the bytes (a view, never written to); ipv6: the 16 address bytes. */
  bytes: Buffer;
  /**
   * HAProxy's SMP_F_MAY_CHANGE: another evaluation, once more data came, may give another
   * answer (req.len while the buffer can grow, req.payload too short yet, wait_end before the
   * delay expired). Set by fetches, kept through converters and casts.
   */
  mayChange: boolean;
}

/** An address as rules see it: the socket's, or the PROXY header's. */
export interface EnvAddress {
  readonly family: 'ipv4' | 'ipv6';
  /** inet_ntop form ("127.0.0.1", "::ffff:127.0.0.1", "2001:db8::1"). */
  readonly address: string;
  readonly port: number;
}

/**
 * What fetches read (HAProxy's session, stream and request channel), at the place a rule
 * runs. Implemented by the stream (tcp-request content) and by the accepted connection
 * (tcp-request connection, where there is no buffer yet).
 */
export interface SampleEnv {
  /**
   * HAProxy's SMP_OPT_FINAL: what the fetches see will not change any more (the client shut
   * its side, the buffer is full, the inspect delay is over or there is none). Conditions
   * evaluated with `final` never answer "missing data".
   */
  readonly final: boolean;
  /** The request buffer (tcp-request content), or undefined where there is none. */
  readonly reqData: Buffer | undefined;
  /** More request data may still enter the buffer (it is neither closed nor full). */
  readonly reqMayGrow: boolean;
  /** The client's address and port (after a PROXY header); undefined when not IP (unix socket). */
  srcAddr(): EnvAddress | undefined;
  /** The address and port the client reached (after a PROXY header); undefined when not IP. */
  dstAddr(): EnvAddress | undefined;
  /** Names of the frontend and of the backend (the frontend itself until one is chosen). */
  readonly frontendName: string;
  readonly backendName: string;
  /** HAProxy's id (uuid) of the backend: be_id. */
  readonly backendId: number;
  /** The server the stream was sent to, or the one a check checks; undefined before one is chosen. */
  targetServer(): EnvServer | undefined;
  /**
   * The response buffer as the fetches of the response side see it (res.len, res.payload):
   * what a health check received so far. Undefined where there is none.
   */
  readonly resData: Buffer | undefined;
  /**
   * The variables of a scope here (var-store.ts), or undefined where that scope does not exist:
   * a check has no stream (txn, req, res), a stream no check.
   */
  vars(scope: VarScope): VarStore | undefined;
}

/** A server as srv_name and srv_id see it. */
export interface EnvServer {
  readonly name: string;
  readonly id: number;
}

/**
 * A compiled fetch: fills `smp` (whose `mayChange` the caller has cleared) and returns true, or
 * returns false when there is no sample (possibly setting `smp.mayChange`).
 */
export type FetchFn = (env: SampleEnv, smp: Sample) => boolean;

/** Compiles a fetch call once, at startup: its typed arguments (`values`) and words (`args`). */
export type FetchCompiler = (values: readonly SampleArgModel[], args: readonly string[]) => FetchFn;

/**
 * A compiled converter: rewrites `smp` (already cast to the converter's input type) in place;
 * false when the conversion fails (the expression then has no sample).
 */
export type ConverterFn = (smp: Sample, env: SampleEnv) => boolean;

export type ConverterCompiler = (values: readonly SampleArgModel[], args: readonly string[]) => ConverterFn;

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
  /** Its run-time implementation; absent: not supported yet (status 'notyet'). */
  readonly run?: FetchCompiler;
}

/** A converter (configuration.txt 7.3.1). Converters are usable everywhere. */
export interface ConverterRow extends RowMeta {
  readonly args: string;
  /** The type it takes (the sample is cast to it when possible, see casts.ts). */
  readonly in: SampleTypeName;
  readonly out: SampleTypeName;
  readonly validate?: ArgValidator;
  /** Its run-time implementation; absent: not supported yet (status 'notyet'). */
  readonly run?: ConverterCompiler;
}
