/**
 * Where a sample expression is evaluated: HAProxy's SMP_VAL_* places (the columns of
 * `haproxy -dKsmp`). A fetch is only valid where the information it reads exists (no response
 * header in an http-request rule, ...). Types only.
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
