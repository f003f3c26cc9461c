/**
 * Where sample fetches can be used. Each fetch reads one source of information (HAProxy's
 * SMP_SRC_*: the client address, the HTTP request headers, the backend, ...), and a source
 * exists only at some places of a stream's life: the usage matrix printed by
 * `haproxy -dKsmp` (22 columns, SampleUse in the same order). The labels are the words of
 * HAProxy's message "fetch method 'x' extracts information from '<label>', none of which is
 * available here".
 */
import type { SampleUse } from './types.js';

/** The columns of `haproxy -dKsmp`, in order. */
export const SAMPLE_USES: readonly SampleUse[] = [
  'fe-tcp-request-connection',
  'fe-tcp-request-session',
  'fe-tcp-request-content',
  'fe-http-request',
  'fe-http-request-body',
  'fe-use-backend',
  'be-tcp-request-content',
  'be-http-request',
  'be-http-request-body',
  'be-use-server',
  'be-server-source',
  'be-tcp-response-content',
  'be-http-response',
  'be-http-response-body',
  'be-stick-store',
  'fe-tcp-response-content',
  'fe-http-response',
  'fe-http-response-body',
  'log',
  'tcp-check',
  'config',
  'cli',
];

export interface SampleSource {
  /** HAProxy's name of the information, as its messages print it. */
  readonly label: string;
  /** One character per SAMPLE_USES column: 'Y' usable, '.' not. */
  readonly matrix: string;
}

/** The sources, keyed by HAProxy's SMP_SRC_* names (a few split where the matrix differs). */
export const SOURCES = {
  /** Constants and process-wide values: usable everywhere. */
  CONST: { label: 'constant', matrix: 'YYYYYYYYYYYYYYYYYYYYYY' },
  INTRN: { label: 'internal state', matrix: 'YYYYYYYYYYYYYYYYYYYY.Y' },
  L4CLI: { label: 'client address', matrix: 'YYYYYYYYYYYYYYYYYYYY..' },
  FTEND: { label: 'frontend', matrix: 'YYYYYYYYYYYYYYYYYYY...' },
  L5CLI: { label: 'client-side connection', matrix: '.YYYYYYYYYYYYYYYYYY...' },
  L6REQ: { label: 'request buffer', matrix: '..YYYYYYYYY...........' },
  HRQHV: { label: 'HTTP request headers', matrix: '..YYYYYYYYY...........' },
  HRQHP: { label: 'HTTP request', matrix: '..YYYYYYYYYYYYYYYYY...' },
  BKEND: { label: 'backend', matrix: '......YYYYYYYYYYYYYY..' },
  SERVR: { label: 'server', matrix: '..........YYYYYYYYYY..' },
  L4SRV: { label: 'server address', matrix: '...........YYYYYYYYY..' },
  L5SRV: { label: 'server-side connection', matrix: '...........YYYYYYYYY..' },
  L6RES: { label: 'response buffer', matrix: '...........YYYYYYY.Y..' },
  HRSHV: { label: 'HTTP response headers', matrix: '...........YYYYYYY.Y..' },
  HRSHP: { label: 'HTTP response', matrix: '...........YYYYYYYYY..' },
  /** The cache's answer is known as soon as a server is chosen. */
  HRSHP_CACHE: { label: 'HTTP response', matrix: '..........YYYYYYYYYY..' },
  /** Fetches that read the request or the response, whichever the rule sees. */
  L6REQ_L6RES: { label: 'request buffer,response buffer', matrix: '..YYYYYYYYYYYYYYYY.Y..' },
  HRQHV_HRSHV: { label: 'HTTP request headers,HTTP response headers', matrix: '..YYYYYYYYYYYYYYYY.Y..' },
} as const satisfies Record<string, SampleSource>;

export type SourceKey = keyof typeof SOURCES;

const usesCache = new Map<string, readonly SampleUse[]>();

/** The places where a source is available. */
export function usesOf(src: string): readonly SampleUse[] {
  let uses = usesCache.get(src);
  if (!uses) {
    const s = (SOURCES as Record<string, SampleSource>)[src];
    if (!s) throw new Error(`unknown sample source '${src}'`);
    uses = SAMPLE_USES.filter((_, i) => s.matrix[i] === 'Y');
    usesCache.set(src, uses);
  }
  return uses;
}

/** The label of a source, for messages. */
export function sourceLabel(src: string): string {
  return (SOURCES as Record<string, SampleSource>)[src]?.label ?? src;
}
