/**
 * ACL keywords (configuration.txt 7.3, the "ACL name" column of the fetch tables, and
 * `haproxy -dKacl`): names that stand for a sample fetch with a given match method, such as
 * "hdr_beg(host)" for "req.hdr(host) -m beg". A converter after the keyword ("path_beg,lower")
 * drops the keyword's method: the method then follows the converter's output type.
 */
import type { MatchMethod, PatternKind } from '../config/model/acl.js';
import type { RowMeta } from '../config/types.js';
import { fetchTable } from '../sample/fetches/index.js';
import { findMatcher } from './matchers.js';

export interface AclKeywordRow extends RowMeta {
  /** The sample fetch it reads. */
  readonly fetch: string;
  /** Its match method. */
  readonly match: MatchMethod;
  /** Its own pattern syntax when it differs from the method's (HTTP methods, dotted versions). */
  readonly patterns?: PatternKind;
}

const ROWS: readonly Omit<AclKeywordRow, 'status'>[] = [
  { name: 'base', fetch: 'base', match: 'str', summary: 'True when the base (Host header + path) equals a pattern ("base -m str").' },
  { name: 'base_beg', fetch: 'base', match: 'beg', summary: 'True when the base (Host header + path) begins with a pattern ("base -m beg").' },
  { name: 'base_dir', fetch: 'base', match: 'dir', summary: 'True when the base (Host header + path) has a slash-delimited part equal to a pattern ("base -m dir").' },
  { name: 'base_dom', fetch: 'base', match: 'dom', summary: 'True when the base (Host header + path) has a dot-delimited part equal to a pattern ("base -m dom").' },
  { name: 'base_end', fetch: 'base', match: 'end', summary: 'True when the base (Host header + path) ends with a pattern ("base -m end").' },
  { name: 'base_len', fetch: 'base', match: 'len', summary: 'True when the base (Host header + path) has a length matching a pattern ("base -m len").' },
  { name: 'base_reg', fetch: 'base', match: 'reg', summary: 'True when the base (Host header + path) matches the regex a pattern ("base -m reg").' },
  { name: 'base_sub', fetch: 'base', match: 'sub', summary: 'True when the base (Host header + path) contains a pattern ("base -m sub").' },
  { name: 'cook', fetch: 'req.cook', match: 'str', summary: 'True when a request cookie equals a pattern ("req.cook -m str").' },
  { name: 'cook_beg', fetch: 'req.cook', match: 'beg', summary: 'True when a request cookie begins with a pattern ("req.cook -m beg").' },
  { name: 'cook_dir', fetch: 'req.cook', match: 'dir', summary: 'True when a request cookie has a slash-delimited part equal to a pattern ("req.cook -m dir").' },
  { name: 'cook_dom', fetch: 'req.cook', match: 'dom', summary: 'True when a request cookie has a dot-delimited part equal to a pattern ("req.cook -m dom").' },
  { name: 'cook_end', fetch: 'req.cook', match: 'end', summary: 'True when a request cookie ends with a pattern ("req.cook -m end").' },
  { name: 'cook_len', fetch: 'req.cook', match: 'len', summary: 'True when a request cookie has a length matching a pattern ("req.cook -m len").' },
  { name: 'cook_reg', fetch: 'req.cook', match: 'reg', summary: 'True when a request cookie matches the regex a pattern ("req.cook -m reg").' },
  { name: 'cook_sub', fetch: 'req.cook', match: 'sub', summary: 'True when a request cookie contains a pattern ("req.cook -m sub").' },
  { name: 'hdr', fetch: 'req.hdr', match: 'str', summary: 'True when a request header equals a pattern ("req.hdr -m str").' },
  { name: 'hdr_beg', fetch: 'req.hdr', match: 'beg', summary: 'True when a request header begins with a pattern ("req.hdr -m beg").' },
  { name: 'hdr_dir', fetch: 'req.hdr', match: 'dir', summary: 'True when a request header has a slash-delimited part equal to a pattern ("req.hdr -m dir").' },
  { name: 'hdr_dom', fetch: 'req.hdr', match: 'dom', summary: 'True when a request header has a dot-delimited part equal to a pattern ("req.hdr -m dom").' },
  { name: 'hdr_end', fetch: 'req.hdr', match: 'end', summary: 'True when a request header ends with a pattern ("req.hdr -m end").' },
  { name: 'hdr_len', fetch: 'req.hdr', match: 'len', summary: 'True when a request header has a length matching a pattern ("req.hdr -m len").' },
  { name: 'hdr_reg', fetch: 'req.hdr', match: 'reg', summary: 'True when a request header matches the regex a pattern ("req.hdr -m reg").' },
  { name: 'hdr_sub', fetch: 'req.hdr', match: 'sub', summary: 'True when a request header contains a pattern ("req.hdr -m sub").' },
  { name: 'http_auth_group', fetch: 'http_auth_group', match: 'str', summary: 'True when the authenticated user belongs to one of the groups ("http_auth_group -m str").' },
  { name: 'method', fetch: 'method', match: 'str', patterns: 'meth', summary: 'True when the HTTP method is one of the patterns ("method -m str", HAProxy\'s method matching).' },
  { name: 'path', fetch: 'path', match: 'str', summary: 'True when the request path equals a pattern ("path -m str").' },
  { name: 'path_beg', fetch: 'path', match: 'beg', summary: 'True when the request path begins with a pattern ("path -m beg").' },
  { name: 'path_dir', fetch: 'path', match: 'dir', summary: 'True when the request path has a slash-delimited part equal to a pattern ("path -m dir").' },
  { name: 'path_dom', fetch: 'path', match: 'dom', summary: 'True when the request path has a dot-delimited part equal to a pattern ("path -m dom").' },
  { name: 'path_end', fetch: 'path', match: 'end', summary: 'True when the request path ends with a pattern ("path -m end").' },
  { name: 'path_len', fetch: 'path', match: 'len', summary: 'True when the request path has a length matching a pattern ("path -m len").' },
  { name: 'path_reg', fetch: 'path', match: 'reg', summary: 'True when the request path matches the regex a pattern ("path -m reg").' },
  { name: 'path_sub', fetch: 'path', match: 'sub', summary: 'True when the request path contains a pattern ("path -m sub").' },
  { name: 'payload', fetch: 'req.payload', match: 'bin', summary: 'True when a slice of the request buffer equals bytes given in hexadecimal ("req.payload -m bin").' },
  { name: 'payload_lv', fetch: 'req.payload_lv', match: 'bin', summary: 'True when a length-prefixed slice of the request buffer equals bytes given in hexadecimal ("req.payload_lv -m bin").' },
  { name: 'req.ssl_ver', fetch: 'req.ssl_ver', match: 'int', patterns: 'ver', summary: 'True when the SSL/TLS version of the ClientHello is within a dotted version range ("req.ssl_ver -m int").' },
  { name: 'req_rdp_cookie', fetch: 'req.rdp_cookie', match: 'str', summary: 'True when the RDP cookie equals a pattern ("req.rdp_cookie -m str").' },
  { name: 'req_rdp_cookie_cnt', fetch: 'req.rdp_cookie_cnt', match: 'int', summary: 'True when the number of RDP cookies is within a range ("req.rdp_cookie_cnt -m int").' },
  { name: 'req_ssl_sni', fetch: 'req.ssl_sni', match: 'str', summary: 'True when the SNI of the ClientHello equals a pattern ("req.ssl_sni -m str").' },
  { name: 'req_ssl_ver', fetch: 'req.ssl_ver', match: 'int', patterns: 'ver', summary: 'True when the SSL/TLS version of the ClientHello is within a dotted version range ("req.ssl_ver -m int").' },
  { name: 'req_ver', fetch: 'req.ver', match: 'str', summary: 'True when the HTTP request version equals a pattern ("req.ver -m str").' },
  { name: 'resp_ver', fetch: 'res.ver', match: 'str', summary: 'True when the HTTP response version equals a pattern ("res.ver -m str").' },
  { name: 'scook', fetch: 'res.cook', match: 'str', summary: 'True when a response Set-Cookie cookie equals a pattern ("res.cook -m str").' },
  { name: 'scook_beg', fetch: 'res.cook', match: 'beg', summary: 'True when a response Set-Cookie cookie begins with a pattern ("res.cook -m beg").' },
  { name: 'scook_dir', fetch: 'res.cook', match: 'dir', summary: 'True when a response Set-Cookie cookie has a slash-delimited part equal to a pattern ("res.cook -m dir").' },
  { name: 'scook_dom', fetch: 'res.cook', match: 'dom', summary: 'True when a response Set-Cookie cookie has a dot-delimited part equal to a pattern ("res.cook -m dom").' },
  { name: 'scook_end', fetch: 'res.cook', match: 'end', summary: 'True when a response Set-Cookie cookie ends with a pattern ("res.cook -m end").' },
  { name: 'scook_len', fetch: 'res.cook', match: 'len', summary: 'True when a response Set-Cookie cookie has a length matching a pattern ("res.cook -m len").' },
  { name: 'scook_reg', fetch: 'res.cook', match: 'reg', summary: 'True when a response Set-Cookie cookie matches the regex a pattern ("res.cook -m reg").' },
  { name: 'scook_sub', fetch: 'res.cook', match: 'sub', summary: 'True when a response Set-Cookie cookie contains a pattern ("res.cook -m sub").' },
  { name: 'shdr', fetch: 'res.hdr', match: 'str', summary: 'True when a response header equals a pattern ("res.hdr -m str").' },
  { name: 'shdr_beg', fetch: 'res.hdr', match: 'beg', summary: 'True when a response header begins with a pattern ("res.hdr -m beg").' },
  { name: 'shdr_dir', fetch: 'res.hdr', match: 'dir', summary: 'True when a response header has a slash-delimited part equal to a pattern ("res.hdr -m dir").' },
  { name: 'shdr_dom', fetch: 'res.hdr', match: 'dom', summary: 'True when a response header has a dot-delimited part equal to a pattern ("res.hdr -m dom").' },
  { name: 'shdr_end', fetch: 'res.hdr', match: 'end', summary: 'True when a response header ends with a pattern ("res.hdr -m end").' },
  { name: 'shdr_len', fetch: 'res.hdr', match: 'len', summary: 'True when a response header has a length matching a pattern ("res.hdr -m len").' },
  { name: 'shdr_reg', fetch: 'res.hdr', match: 'reg', summary: 'True when a response header matches the regex a pattern ("res.hdr -m reg").' },
  { name: 'shdr_sub', fetch: 'res.hdr', match: 'sub', summary: 'True when a response header contains a pattern ("res.hdr -m sub").' },
  { name: 'ssl_fc_sni_end', fetch: 'ssl_fc_sni', match: 'end', summary: 'True when the SNI of the TLS connection ends with a pattern ("ssl_fc_sni -m end").' },
  { name: 'ssl_fc_sni_reg', fetch: 'ssl_fc_sni', match: 'reg', summary: 'True when the SNI of the TLS connection matches the regex a pattern ("ssl_fc_sni -m reg").' },
  { name: 'url', fetch: 'url', match: 'str', summary: 'True when the request URL equals a pattern ("url -m str").' },
  { name: 'url_beg', fetch: 'url', match: 'beg', summary: 'True when the request URL begins with a pattern ("url -m beg").' },
  { name: 'url_dir', fetch: 'url', match: 'dir', summary: 'True when the request URL has a slash-delimited part equal to a pattern ("url -m dir").' },
  { name: 'url_dom', fetch: 'url', match: 'dom', summary: 'True when the request URL has a dot-delimited part equal to a pattern ("url -m dom").' },
  { name: 'url_end', fetch: 'url', match: 'end', summary: 'True when the request URL ends with a pattern ("url -m end").' },
  { name: 'url_len', fetch: 'url', match: 'len', summary: 'True when the request URL has a length matching a pattern ("url -m len").' },
  { name: 'url_reg', fetch: 'url', match: 'reg', summary: 'True when the request URL matches the regex a pattern ("url -m reg").' },
  { name: 'url_sub', fetch: 'url', match: 'sub', summary: 'True when the request URL contains a pattern ("url -m sub").' },
  { name: 'urlp', fetch: 'urlp', match: 'str', summary: 'True when a URL parameter equals a pattern ("urlp -m str").' },
  { name: 'urlp_beg', fetch: 'urlp', match: 'beg', summary: 'True when a URL parameter begins with a pattern ("urlp -m beg").' },
  { name: 'urlp_dir', fetch: 'urlp', match: 'dir', summary: 'True when a URL parameter has a slash-delimited part equal to a pattern ("urlp -m dir").' },
  { name: 'urlp_dom', fetch: 'urlp', match: 'dom', summary: 'True when a URL parameter has a dot-delimited part equal to a pattern ("urlp -m dom").' },
  { name: 'urlp_end', fetch: 'urlp', match: 'end', summary: 'True when a URL parameter ends with a pattern ("urlp -m end").' },
  { name: 'urlp_len', fetch: 'urlp', match: 'len', summary: 'True when a URL parameter has a length matching a pattern ("urlp -m len").' },
  { name: 'urlp_reg', fetch: 'urlp', match: 'reg', summary: 'True when a URL parameter matches the regex a pattern ("urlp -m reg").' },
  { name: 'urlp_sub', fetch: 'urlp', match: 'sub', summary: 'True when a URL parameter contains a pattern ("urlp -m sub").' },
];

/** A keyword runs when its fetch and its match method do (and its own pattern syntax, if any). */
export const aclKeywordRows: readonly AclKeywordRow[] = ROWS.map((r) => ({
  ...r,
  status: fetchTable.get(r.fetch)?.run && findMatcher(r.match)?.run && r.patterns !== 'meth' ? 'supported' : 'notyet',
}));

const BY_NAME = new Map<string, AclKeywordRow>(aclKeywordRows.map((r) => [r.name, r]));

/** Characters of a keyword name (HAProxy's is_idchar). */
export const ID_CHARS = /^[A-Za-z0-9._+-]*/;

/**
 * The ACL keyword a criterion starts with ("hdr_beg(host),lower" -> hdr_beg), if any. Only the
 * leading name characters count, as in HAProxy's find_acl_kw().
 */
export function findAclKeyword(criterion: string): AclKeywordRow | undefined {
  const name = ID_CHARS.exec(criterion)![0];
  return BY_NAME.get(name);
}
