/**
 * Health checks of a backend (configuration.txt 4.2 "option httpchk", "option xxx-check",
 * "http-check ...", "tcp-check ...", "external-check ..."). Types only.
 *
 * HAProxy runs every check but the plain connect and the external command through one engine
 * (STYLE.md 5): an ordered list of connect / send / expect steps (plus comments and variable
 * actions). `option tcp-check` and `option httpchk` run the rules written in the section;
 * the protocol checks (ldap, mysql, ...) run built-in lists, recorded here by type and
 * arguments only.
 */
import type { LogFormatPart } from '../../log/log-format.js';
import type { Where } from '../types.js';
import type { AddressModel } from './address.js';
import type { SampleExprModel } from './sample.js';

/**
 * 'tcp': plain connection (no option); 'http': option httpchk; 'tcp-check': option tcp-check;
 * then the protocol checks; 'external': option external-check.
 */
export type CheckType =
  | 'tcp'
  | 'http'
  | 'tcp-check'
  | 'ldap'
  | 'mysql'
  | 'pgsql'
  | 'redis'
  | 'smtp'
  | 'spop'
  | 'ssl-hello'
  | 'external';

/** A log-format string as written and as compiled. */
export interface CheckFormatModel {
  readonly text: string;
  readonly parts: readonly LogFormatPart[];
}

interface RuleBase {
  /** Where the rule was written; absent for the rules HAProxy adds itself. */
  readonly where?: Where;
  /** Position in the section's list (HAProxy's step number is index + 1). */
  readonly index: number;
  /** `comment <msg>`, or the text of the comment rules just before this one (after the post check). */
  readonly comment?: string;
}

/** `connect [default] [port <expr>] [addr <ip>] [send-proxy] [via-socks4] [ssl] [sni] [alpn] [proto] [linger]`. */
export interface CheckConnectRule extends RuleBase {
  readonly action: 'connect';
  /** Use the server's check settings for what is not set here. */
  readonly default: boolean;
  /** The connect rule HAProxy adds in front of a list that does not start with one. */
  readonly implicit?: boolean;
  readonly port?: number;
  readonly portExpr?: SampleExprModel;
  readonly addr?: AddressModel;
  readonly sendProxy: boolean;
  readonly viaSocks4: boolean;
  readonly ssl: boolean;
  readonly sni?: string;
  readonly alpn?: readonly string[];
  /** Multiplexer protocol ('h1', 'h2', 'fcgi', 'none'). */
  readonly proto?: string;
  readonly linger: boolean;
}

/** `tcp-check send|send-lf|send-binary|send-binary-lf <data>`. */
export interface CheckSendRule extends RuleBase {
  readonly action: 'send';
  readonly type: 'string' | 'string-lf' | 'binary' | 'binary-lf';
  /** 'string': the text; 'binary': the bytes as lower-case hex digits. */
  readonly data?: string;
  /** '-lf' types: the format (for binary-lf, it produces hex digits). */
  readonly format?: CheckFormatModel;
}

/** `http-check send [meth] [uri|uri-lf] [ver] [hdr <name> <fmt>]* [body|body-lf]`. */
export interface CheckHttpSendRule extends RuleBase {
  readonly action: 'send';
  readonly type: 'http';
  /** Default OPTIONS. */
  readonly method?: string;
  /** Default "/". */
  readonly uri?: string;
  readonly uriFormat?: CheckFormatModel;
  /** Default HTTP/1.0. */
  readonly version?: string;
  readonly headers: readonly { readonly name: string; readonly value: CheckFormatModel }[];
  readonly body?: string;
  readonly bodyFormat?: CheckFormatModel;
  /** The request of an `option httpchk` line, not yet merged with an http-check send rule. */
  readonly fromOption?: boolean;
}

export type CheckExpectMatch =
  | 'string'
  | 'rstring'
  | 'string-lf'
  | 'binary'
  | 'rbinary'
  | 'binary-lf'
  | 'status'
  | 'rstatus'
  | 'hdr'
  | 'fhdr'
  | 'custom';

/** How an `hdr`/`fhdr` expect rule matches a header name or value. */
export interface CheckHeaderPattern {
  readonly method: 'str' | 'beg' | 'end' | 'sub' | 'reg';
  readonly pattern: string;
  /** name-lf / value-lf. */
  readonly format?: CheckFormatModel;
}

/** `expect [min-recv] [comment] [ok-status] [error-status] [tout-status] [on-success] [on-error] [status-code] [!] <match> <pattern>`. */
export interface CheckExpectRule extends RuleBase {
  readonly action: 'expect';
  /** http-check rules match the parsed response; tcp-check rules the raw bytes. */
  readonly protocol: 'http' | 'tcp';
  readonly match: CheckExpectMatch;
  readonly inverse: boolean;
  /** The pattern as written (string, regex, hex digits, status list). */
  readonly pattern?: string;
  /** 'binary': the bytes as lower-case hex digits. */
  readonly data?: string;
  readonly format?: CheckFormatModel;
  /** 'status': inclusive ranges. */
  readonly codes?: readonly (readonly [number, number])[];
  readonly header?: { readonly full: boolean; readonly name: CheckHeaderPattern; readonly value?: CheckHeaderPattern };
  /** -1: ignored. */
  readonly minRecv: number;
  readonly okStatus?: 'L7OK' | 'L7OKC' | 'L6OK' | 'L4OK';
  readonly errorStatus?: 'L7OKC' | 'L7RSP' | 'L7STS' | 'L6RSP' | 'L4CON';
  readonly toutStatus?: 'L7TOUT' | 'L6TOUT' | 'L4TOUT';
  readonly onSuccess?: CheckFormatModel;
  readonly onError?: CheckFormatModel;
  readonly statusCode?: SampleExprModel;
  /** The "expect status 200-399" HAProxy adds after a final http-check send. */
  readonly implicit?: boolean;
}

/** `comment <msg>`: removed by the post check, its text given to the following rules. */
export interface CheckCommentRule extends RuleBase {
  readonly action: 'comment';
  readonly text: string;
}

/** `set-var(<scope>.<name>[,<cond>...]) <expr>`, `set-var-fmt(...) <fmt>`, `unset-var(...)`. */
export interface CheckVarRule extends RuleBase {
  readonly action: 'set-var' | 'set-var-fmt' | 'unset-var';
  readonly scope: 'proc' | 'sess' | 'txn' | 'req' | 'res' | 'check';
  /** Full name, scope included ("check.port"). */
  readonly name: string;
  /** ifexists, ifnotempty, ifgt, ... */
  readonly conditions: readonly string[];
  readonly expr?: SampleExprModel;
  readonly format?: CheckFormatModel;
}

export type CheckRuleModel = CheckConnectRule | CheckSendRule | CheckHttpSendRule | CheckExpectRule | CheckCommentRule | CheckVarRule;

/** Arguments of the `option xxx-check` lines; the built-in rule lists are made from them. */
export interface CheckOptionArgs {
  /** option httpchk [<method>] [<uri>] [<version>] (headers/body hidden after the version, deprecated). */
  readonly method?: string;
  readonly uri?: string;
  readonly version?: string;
  /** option mysql-check user <user> [post-41|pre-41]; option pgsql-check user <user>. */
  readonly user?: string;
  readonly mysqlVariant?: 'post-41' | 'pre-41';
  /** option smtpchk: the greeting command ("HELO localhost" by default, or "EHLO <domain>"). */
  readonly smtpCommand?: string;
}

/**
 * The rules a section declared for one kind of check (http-check or tcp-check), and which
 * section declared them. A section built from a defaults section starts with a copy of the
 * defaults' state: `owner` then tells that these rules are the defaults' ones.
 */
export interface CheckRulesetModel {
  readonly owner: Where;
  readonly rules: CheckRuleModel[];
}

export interface HealthCheckModel {
  /** The header of the section this state belongs to (differs when copied from defaults). */
  section: Where;
  type: CheckType;
  /**
   * With `option external-check`: the type in force before it. HAProxy keeps that option's
   * rule list aside, and a later `option tcp-check` takes it back.
   */
  rulesFor?: CheckType;
  /** The `option` line that chose the type. */
  where?: Where;
  args: CheckOptionArgs;
  /** The http-check rules written in the section. */
  http: CheckRulesetModel;
  /** The tcp-check rules written in the section. */
  tcp: CheckRulesetModel;
  /**
   * The rules the check runs when `type` is 'http' or 'tcp-check': the section's own list
   * ('own'), or the list in use by the defaults section it was copied from ('inherited'), kept
   * until the section declares its own rules (HAProxy shares the defaults' list).
   */
  uses?: 'own' | 'inherited';
  inherited?: CheckRuleModel[];
  /** Rules written without the option that would run them (HAProxy warns after parsing). */
  unusedHttp: boolean;
  unusedTcp: boolean;
  /** http-check disable-on-404 / send-state. */
  disableOn404: boolean;
  sendState: boolean;
  /** external-check command / path. */
  externalCommand?: { readonly value: string; readonly where: Where };
  externalPath?: { readonly value: string; readonly where: Where };
  /**
   * Filled by the post check for 'http' and 'tcp-check': the final list the engine runs, with
   * the implicit connect and expect rules added and the comment rules folded into the rules
   * that follow them.
   */
  rules?: CheckRuleModel[];
}
