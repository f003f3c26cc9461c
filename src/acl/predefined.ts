/**
 * Predefined ACLs (configuration.txt 7.4). They need no declaration: the first condition that
 * names one adds it to the proxy, parsed from the words below, exactly as if it had been
 * declared there (so a later "acl METH_GET ..." adds patterns to it, and a declaration before
 * the first use replaces it). HTTP_3.0 does not exist in 2.6.
 */
import type { RowMeta } from '../config/types.js';
import { fetchTable } from '../sample/fetches/index.js';
import { findAclKeyword } from './keywords.js';
import { defaultMatcher, findMatcher } from './matchers.js';

export interface PredefinedAclRow extends RowMeta {
  /** The ACL as it would be declared: criterion, then patterns. */
  readonly words: readonly string[];
}

const ROWS: readonly Omit<PredefinedAclRow, 'status'>[] = [
  { name: 'TRUE', words: ['always_true'], summary: 'Always true.' },
  { name: 'FALSE', words: ['always_false'], summary: 'Always false.' },
  { name: 'LOCALHOST', words: ['src', '127.0.0.1/8', '::1'], summary: 'The client connects from the local host (127.0.0.1/8 or ::1).' },
  { name: 'HTTP', words: ['req.proto_http'], summary: 'The request buffer holds a valid HTTP request.' },
  { name: 'HTTP_1.0', words: ['req.ver', '1.0'], summary: 'The request is HTTP/1.0.' },
  { name: 'HTTP_1.1', words: ['req.ver', '1.1'], summary: 'The request is HTTP/1.1.' },
  { name: 'HTTP_2.0', words: ['req.ver', '2.0'], summary: 'The request is HTTP/2.' },
  { name: 'METH_CONNECT', words: ['method', 'CONNECT'], summary: 'The method is CONNECT.' },
  { name: 'METH_DELETE', words: ['method', 'DELETE'], summary: 'The method is DELETE.' },
  { name: 'METH_GET', words: ['method', 'GET', 'HEAD'], summary: 'The method is GET or HEAD.' },
  { name: 'METH_HEAD', words: ['method', 'HEAD'], summary: 'The method is HEAD.' },
  { name: 'METH_OPTIONS', words: ['method', 'OPTIONS'], summary: 'The method is OPTIONS.' },
  { name: 'METH_POST', words: ['method', 'POST'], summary: 'The method is POST.' },
  { name: 'METH_PUT', words: ['method', 'PUT'], summary: 'The method is PUT.' },
  { name: 'METH_TRACE', words: ['method', 'TRACE'], summary: 'The method is TRACE.' },
  { name: 'HTTP_URL_ABS', words: ['url_reg', '^[^/:]*://'], summary: 'The URL is absolute (scheme://...).' },
  { name: 'HTTP_URL_SLASH', words: ['url_beg', '/'], summary: 'The URL begins with a slash.' },
  { name: 'HTTP_URL_STAR', words: ['url', '*'], summary: 'The URL is "*".' },
  { name: 'HTTP_CONTENT', words: ['req.hdr_val(content-length)', 'gt', '0'], summary: 'The request has a Content-Length above zero.' },
  { name: 'RDP_COOKIE', words: ['req.rdp_cookie_cnt', 'gt', '0'], summary: 'The request buffer holds an RDP cookie.' },
  { name: 'REQ_CONTENT', words: ['req.len', 'gt', '0'], summary: 'The request buffer is not empty.' },
  { name: 'WAIT_END', words: ['wait_end'], summary: 'The inspection delay is over.' },
];

/**
 * A predefined ACL runs when its criterion does: an ACL keyword (fetch and method), or a fetch
 * with the default method of its type.
 */
function runs(criterion: string): boolean {
  const kw = findAclKeyword(criterion);
  if (kw) return kw.status === 'supported';
  const fetch = fetchTable.get(criterion);
  const method = fetch ? defaultMatcher(fetch.out) : undefined;
  return fetch?.run !== undefined && method !== undefined && findMatcher(method)?.run !== undefined;
}

export const predefinedAclRows: readonly PredefinedAclRow[] = ROWS.map((r) => ({ ...r, status: runs(r.words[0]!.replace(/\(.*$/, '')) ? 'supported' : 'notyet' }));

const BY_NAME = new Map<string, PredefinedAclRow>(predefinedAclRows.map((r) => [r.name, r]));

export function findPredefinedAcl(name: string): PredefinedAclRow | undefined {
  return BY_NAME.get(name);
}
