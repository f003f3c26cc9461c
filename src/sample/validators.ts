/**
 * The own argument checks of fetches and converters (HAProxy's val_args), run after the
 * generic argument parsing. Each returns HAProxy's message without the final period (the
 * caller's wrapping adds one, as HAProxy's does), or undefined when the arguments are fine.
 * Messages and accepted values found by experiment with haproxy 2.6.
 */
import { createHash } from 'node:crypto';
import type { ArgValidator, SampleArgModel } from './types.js';
import { SET_VAR_CONDITIONS } from './var-store.js';
import { checkVarName, isVarName } from './vars.js';

/** The string value of argument `i`, or undefined when it was not given. */
function strArg(args: readonly SampleArgModel[], i: number): string | undefined {
  const a = args[i];
  return a && (a.type === 'str' || a.type === 'reg') ? a.value : undefined;
}

/** The integer value of argument `i`, or undefined when it was not given. */
function intArg(args: readonly SampleArgModel[], i: number): number | undefined {
  const a = args[i];
  return a && a.type === 'sint' ? a.value : undefined;
}

/** An integer as HAProxy's read_int64 accepts it (sign, digits, possibly none). */
const INT_TEXT = /^[+-]?[0-9]*$/;

// ---------------------------------------------------------------- fetches (7.3.2 - 7.3.7)

/** bin(<hex>): an even number of hexadecimal digits. */
export const checkConstBin: ArgValidator = (args) => {
  const s = strArg(args, 0) ?? '';
  if (s === '') return '(null)';
  if (s.length % 2 !== 0) return 'an even number of hex digit is expected';
  const bad = /[^0-9a-fA-F]/.exec(s);
  if (bad) return `an hex digit is expected (found '${bad[0]}')`;
  return undefined;
};

/** bool(<bool>): 'true', 'false', '1' or '0' (any case). */
export const checkConstBool: ArgValidator = (args) => {
  const s = (strArg(args, 0) ?? '').toLowerCase();
  return ['true', 'false', '1', '0'].includes(s) ? undefined : `Expects 'true', 'false', '0' or '1'`;
};

/** meth(<method>): an HTTP token (RFC 7230 tchar), or empty. */
export const checkConstMeth: ArgValidator = (args) => {
  const s = strArg(args, 0) ?? '';
  return /^[A-Za-z0-9!#$%&'*+.^_`|~-]*$/.test(s) ? undefined : 'expects valid method.';
};

/** The unit argument of date() and http_date: 's', 'ms' or 'us' when given. */
export function checkDateUnit(index: number): ArgValidator {
  return (args) => {
    const u = strArg(args, index);
    if (u === undefined || u === 's' || u === 'ms' || u === 'us') return undefined;
    return `expects 's', 'ms' or 'us', got '${u}'`;
  };
}

/** uuid([<version>]): only version 4. */
export const checkUuid: ArgValidator = (args) => {
  const v = intArg(args, 0);
  return v === undefined || v === 4 ? undefined : `Unsupported UUID version: '${v}'`;
};

function varNameError(name: string): string | undefined {
  const r = checkVarName(name);
  return 'error' in r ? r.error : undefined;
}

/** var(<name>[,<default>]) and unset-var(<name>): a valid variable name. */
export const checkVarArg: ArgValidator = (args) => varNameError(strArg(args, 0) ?? '');

/** fc_rtt / fc_rttvar([<unit>]): 'ms' or 'us'. */
export const checkRttUnit: ArgValidator = (args) => {
  const u = strArg(args, 0);
  return u === undefined || u === 'ms' || u === 'us' ? undefined : `expects 'us' or 'ms', got '${u}'`;
};

/** fc_lost, fc_retrans, ...: an argument is ignored with a warning (printed without location). */
export const warnCounterArg: ArgValidator = (args, v) => {
  if (args.length > 0) v.ctx.diag.warning(undefined, "no argument supported for 'fc_*' sample expressions returning counters.");
  return undefined;
};

/** ssl_*_dn([<entry>[,<occ>[,<format>]]]): the format is 'rfc2253' or empty. */
export const checkDnFormat: ArgValidator = (args) => {
  const f = strArg(args, 2);
  return f === undefined || f === '' || f === 'rfc2253' ? undefined : 'only rfc2253 or a blank value are currently supported as the format argument.';
};

/** distcc_body / distcc_param(<token>[,<occ>]): a 4-character token name. */
export const checkDistccToken: ArgValidator = (args) =>
  (strArg(args, 0) ?? '').length === 4 ? undefined : 'token name must be exactly 4 characters';

/** payload_lv(<offset1>,<length>[,<offset2>]): a non-zero length, a numeric offset2. */
export const checkPayloadLv: ArgValidator = (args) => {
  if (intArg(args, 1) === 0) return 'payload length must be > 0';
  const o2 = strArg(args, 2);
  if (o2 !== undefined && !INT_TEXT.test(o2)) return 'payload offset2 is not a number';
  return undefined;
};

/** internal.htx_blk.*(<pos>): a position (digits), or head, tail, first. */
export const checkHtxBlock: ArgValidator = (args) => {
  const s = strArg(args, 0) ?? '';
  if (s === '') return 'a block position is expected (> 0) or a special block name (head, tail, first)';
  if (s === 'head' || s === 'tail' || s === 'first') return undefined;
  return /^[0-9]+$/.test(s) ? undefined : 'invalid block position';
};

// ---------------------------------------------------------------- converters (7.3.1)

/** add, sub, mul, div, mod, and, or, xor(<value>): an integer or a variable name. */
export const checkIntOrVar: ArgValidator = (args) => {
  const s = strArg(args, 0) ?? '';
  return INT_TEXT.test(s) || isVarName(s) ? undefined : 'expects an integer or a variable name';
};

/** A variable used by a converter (concat, add_item, strcmp, secure_memcmp). */
function registerVar(name: string): string | undefined {
  return isVarName(name) ? undefined : `failed to register variable name '${name}'`;
}

/** secure_memcmp / strcmp(<var>). */
export const checkVarRef: ArgValidator = (args) => {
  const s = strArg(args, 0) ?? '';
  return s === '' ? 'missing variable name' : registerVar(s);
};

/** concat([<start>],[<var>],[<end>]). */
export const checkConcat: ArgValidator = (args) => {
  const v = strArg(args, 1);
  return v ? registerVar(v) : undefined;
};

/** add_item(<delim>,[<var>][,<suff>]): a valid variable, and a variable or a suffix. */
export const checkAddItem: ArgValidator = (args) => {
  const v = strArg(args, 1);
  if (v) {
    const e = registerVar(v);
    if (e) return e;
  }
  if (!v && !strArg(args, 2)) return 'one of the optional arguments has to be nonempty';
  return undefined;
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A secret given as a variable name or as base64 (aes_gcm_dec, hmac). */
function checkSecret(text: string, what: string): string | undefined {
  if (isVarName(text) || BASE64.test(text)) return undefined;
  return `failed to parse ${what} : argument needs to be base64 encoded, and can either be a string or a variable`;
}

/** aes_gcm_dec(<bits>,<nonce>,<key>,<aead_tag>). */
export const checkAesGcm: ArgValidator = (args) => {
  const bits = intArg(args, 0);
  if (bits !== 128 && bits !== 192 && bits !== 256) return 'key size must be 128, 192 or 256 (bits).';
  return (
    checkSecret(strArg(args, 1) ?? '', 'nonce') ?? checkSecret(strArg(args, 2) ?? '', 'key') ?? checkSecret(strArg(args, 3) ?? '', 'aead_tag')
  );
};

function checkTruncate(args: readonly SampleArgModel[]): string | undefined {
  const t = intArg(args, 2);
  return t === undefined || t === 0 || t === 1 ? undefined : `Unsupported truncate value (${t})`;
}

/** be2dec(<separator>,<chunk_size>,[<truncate>]): chunks of 1 to 8 bytes. */
export const checkBe2dec: ArgValidator = (args) => {
  const c = intArg(args, 1) ?? 0;
  if (c < 1 || c > 8) return `chunk_size out of [1..8] range (${c})`;
  return checkTruncate(args);
};

/**
 * be2hex([<separator>],[<chunk_size>],[<truncate>]): without separator nor truncate nothing is
 * checked; otherwise the chunk size (0 when left out) must be positive.
 */
export const checkBe2hex: ArgValidator = (args) => {
  if ((strArg(args, 0) ?? '') === '' && args.length < 3) return undefined;
  const c = intArg(args, 1) ?? 0;
  if (c <= 0) return `chunk_size needs to be positive (${c})`;
  return checkTruncate(args);
};

/** debug([<prefix>][,<destination>]): a known sink (stdout, stderr, buf0 or a ring). */
export const checkDebugSink: ArgValidator = (args, v) => {
  const sink = strArg(args, 1);
  if (sink === undefined || ['stdout', 'stderr', 'buf0'].includes(sink)) return undefined;
  if (v.ctx.load.rings.some((r) => r.name === sink)) return undefined;
  return `No such sink '${sink}'`;
};

/**
 * OpenSSL digest names (EVP_get_digestbyname). Node's OpenSSL knows nearly the same names;
 * the legacy ones HAProxy's OpenSSL also accepts are listed.
 */
function isDigestName(name: string): boolean {
  if (name === '') return false;
  if (['md4', 'whirlpool'].includes(name.toLowerCase())) return true;
  if (name.includes('/')) return false;
  try {
    createHash(name);
    return true;
  } catch {
    return false;
  }
}

function digestError(name: string): string | undefined {
  return isDigestName(name) ? undefined : 'algorithm must be a valid OpenSSL message digest name.';
}

/** digest(<algorithm>). */
export const checkDigest: ArgValidator = (args) => digestError(strArg(args, 0) ?? '');

/** hmac(<algorithm>,<key>). */
export const checkHmac: ArgValidator = (args) => digestError(strArg(args, 0) ?? '') ?? checkSecret(strArg(args, 1) ?? '', 'key');

/** field / word(<index>,<delimiters>[,<count>]). */
export const checkField: ArgValidator = (args) => {
  const idx = intArg(args, 0);
  if (idx === 0) return 'Unexpected value 0 for index';
  if ((strArg(args, 1) ?? '') === '') return 'Empty separators list';
  return undefined;
};

/** FIX tag names fix_tag_value knows (configuration.txt 7.3.1 "fix_tag_value"). */
const FIX_TAGS = ['beginstring', 'bodylength', 'msgtype', 'sendercompid', 'targetcompid', 'checksum'];

/** fix_tag_value(<tag>): a tag number (> 0) or one of the known names. */
export const checkFixTag: ArgValidator = (args) => {
  const t = strArg(args, 0) ?? '';
  if (/^[0-9]+$/.test(t) && Number(t) > 0) return undefined;
  if (FIX_TAGS.includes(t.toLowerCase())) return undefined;
  return `Unknown FIX tag name '${t}'`;
};

/** json([<input-code>]). */
export const checkJsonCode: ArgValidator = (args) => {
  const c = strArg(args, 0);
  if (c === undefined || ['', 'ascii', 'utf8', 'utf8s', 'utf8p', 'utf8ps'].includes(c)) return undefined;
  return "Unexpected input code type. Allowed value are 'ascii', 'utf8', 'utf8s', 'utf8p' and 'utf8ps'";
};

function checkOutputType(args: readonly SampleArgModel[]): string | undefined {
  const t = strArg(args, 1);
  return t === undefined || t === '' || t === 'int' ? undefined : 'output_type only supports "int" as argument';
}

/** json_query(<json_path>,[<output_type>]). */
export const checkJsonQuery: ArgValidator = (args) => ((strArg(args, 0) ?? '') === '' ? 'json_path must not be empty' : checkOutputType(args));

/** jwt_header_query / jwt_payload_query([<json_path>],[<output_type>]). */
export const checkJwtQuery: ArgValidator = (args) => checkOutputType(args);

/** jwt_verify(<alg>,<key>). */
export const checkJwtVerify: ArgValidator = (args) => {
  const alg = strArg(args, 0) ?? '';
  if (/^PS(256|384|512)$/.test(alg)) return 'RSASSA-PSS JWS signing not managed yet';
  if (/^(HS|RS|ES)(256|384|512)$/.test(alg) || alg === 'none') return undefined;
  return `unknown JWT algorithm: ${alg}`;
};

/** MQTT packet types (MQTT 3.1.1 / 5.0, section 2.1.2). */
const MQTT_TYPES = ['connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe', 'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect', 'auth'];

/** Field names, then MQTT 5.0 property ids, allowed per packet type (MQTT 5.0, 2.2.2.2). */
const MQTT_FIELDS: Record<number, readonly string[]> = {
  1: ['flags', 'protocol_name', 'protocol_version', 'client_identifier', 'will_topic', 'will_payload', 'username', 'password', 'keepalive',
      '17', '33', '39', '34', '25', '23', '21', '22', '38', '24', '1', '2', '3', '8', '9'],
  2: ['flags', 'protocol_version', 'reason_code', '17', '33', '36', '37', '39', '18', '34', '31', '40', '41', '42', '19', '26', '28', '21', '22', '38'],
  3: ['1', '2', '35', '8', '9', '11', '3', '38'],
  4: ['31', '38'],
  5: ['31', '38'],
  6: ['31', '38'],
  7: ['31', '38'],
  8: ['11', '38'],
  9: ['31', '38'],
  10: ['38'],
  11: ['31', '38'],
  12: [],
  13: [],
  14: ['17', '31', '38', '28'],
  15: ['21', '22', '31', '38'],
};

/** mqtt_field_value(<packettype>,<fieldname_or_property_ID>). */
export const checkMqttField: ArgValidator = (args) => {
  const type = strArg(args, 0) ?? '';
  const field = strArg(args, 1) ?? '';
  const n = /^[0-9]+$/.test(type) ? Number(type) : MQTT_TYPES.indexOf(type.toLowerCase()) + 1;
  if (!(n >= 1 && n <= 15)) return `Unknown MQTT type '${type}'`;
  if (!MQTT_FIELDS[n]!.includes(field.toLowerCase())) return `Unknown MQTT field name '${field}' for packet type '${type}'`;
  return undefined;
};

const PROTOBUF_TYPES = ['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool', 'enum', 'fixed64', 'sfixed64', 'double', 'fixed32', 'sfixed32', 'float'];

/** protobuf / ungrpc(<field_number>,[<field_type>]). */
export const checkProtobufType: ArgValidator = (args) => {
  const t = strArg(args, 1);
  return t === undefined || PROTOBUF_TYPES.includes(t) ? undefined : `Wrong protocol buffer type '${t}'`;
};

/** regsub(<regex>,<subst>[,<flags>]): flags among 'i' and 'g'. */
export const checkRegsubFlags: ArgValidator = (args) => {
  for (const c of strArg(args, 2) ?? '') if (c !== 'i' && c !== 'g') return `invalid regex flag '${c}', only 'i' and 'g' are supported`;
  return undefined;
};

/** sha2([<bits>]). */
export const checkSha2: ArgValidator = (args) => {
  const b = intArg(args, 0);
  return b === undefined || [224, 256, 384, 512].includes(b) ? undefined : `Unsupported number of bits: '${b}'`;
};

/** url_enc([<enc_type>]). */
export const checkUrlEnc: ArgValidator = (args) => {
  const t = strArg(args, 0);
  return t === undefined || t === '' || t === 'query' ? undefined : "Unexpected encode type. Allowed value is 'query'";
};


/** set-var(<var>[,<cond>...]). */
export const checkSetVar: ArgValidator = (args) => {
  const e = varNameError(strArg(args, 0) ?? '');
  if (e) return e;
  for (let i = 1; i < args.length; i++) {
    const c = strArg(args, i) ?? '';
    if (!(SET_VAR_CONDITIONS as readonly string[]).includes(c)) return `unknown condition "${c}"`;
  }
  return undefined;
};
