/**
 * Cryptography (configuration.txt 7.3.1): OpenSSL digests and HMAC, AES-GCM decryption, constant-time comparison, JSON Web Tokens.
 */
import type { ConverterRow } from '../types.js';
import { checkAesGcm, checkDigest, checkHmac, checkJwtQuery, checkJwtVerify, checkVarRef } from '../validators.js';
import { c } from './row.js';

export const cryptoConverters: ConverterRow[] = [
  c('aes_gcm_dec', 'sint,str,str,str', 'bin', 'bin', 'Decrypts with AES-GCM (key, nonce and tag in base64, or variables).', { validate: checkAesGcm }),
  c('digest', 'str', 'bin', 'bin', 'Message digest with a named OpenSSL algorithm.', { validate: checkDigest }),
  c('hmac', 'str,str', 'bin', 'bin', 'HMAC with a named digest and a base64 key or variable.', { validate: checkHmac }),
  c('jwt_header_query', 'str?,str?', 'bin', 'any', 'Extracts a value from the header of a JSON Web Token.', { validate: checkJwtQuery }),
  c('jwt_payload_query', 'str?,str?', 'bin', 'any', 'Extracts a value from the payload of a JSON Web Token.', { validate: checkJwtQuery }),
  c('jwt_verify', 'str,str', 'bin', 'sint', 'Checks the signature of a JSON Web Token with an algorithm and a key.', { validate: checkJwtVerify }),
  c('secure_memcmp', 'str', 'bin', 'bool', 'Compares with a variable in constant time.', { validate: checkVarRef }),
];
