/** A `bind` line (configuration.txt 5.1) or a stats socket. */
import type { Where } from '../types.js';
import type { AddressModel } from './address.js';

/** A certificate loaded from a `crt` file (or from one file of a `crt` directory). */
export interface CertificateModel {
  /** The PEM file holding the certificate (crt-base applied). */
  readonly file: string;
  /** Where the private key was found: the same file, or "<file>.key". */
  readonly keyFile: string;
  /** Names the certificate answers for (subject CN and DNS SANs), for SNI selection. */
  readonly names: readonly string[];
}

/** One line of a `crt-list` file: a certificate with its own SSL settings and SNI filters. */
export interface CrtListEntryModel {
  readonly where: Where;
  readonly certificates: readonly CertificateModel[];
  /** The bind options written between brackets, parsed like bind options. */
  readonly options: Readonly<BindOptions>;
  /** SNI filters ("*.example.com", "!x.example.com"). */
  readonly filters: readonly string[];
}

/**
 * Bind options by name as written (flags are `true`), with typed values for those a runtime
 * reads. `ssl-min-ver`/`ssl-max-ver`/`force-*`/`no-*` are kept as written; the effective TLS
 * version range is in `tlsVersions` once the whole configuration was checked.
 */
export interface BindOptions {
  readonly [name: string]: unknown;
  readonly 'name'?: string;
  readonly 'id'?: number;
  /** Unix socket permissions (octal as written, stored as a number). */
  readonly 'mode'?: number;
  /** Unix socket owner: from `uid`, or the id of `user`. */
  readonly 'uid'?: number;
  readonly 'user'?: string;
  /** Unix socket group: from `gid`, or the id of `group`. */
  readonly 'gid'?: number;
  readonly 'group'?: string;
  /** Runtime API privilege level of a stats socket. */
  readonly 'level'?: 'user' | 'operator' | 'admin';
  readonly 'severity-output'?: 'none' | 'number' | 'string';
  readonly 'expose-fd'?: 'listeners';
  readonly 'accept-proxy'?: true;
  readonly 'accept-netscaler-cip'?: number;
  readonly 'backlog'?: number;
  readonly 'maxconn'?: number;
  readonly 'nice'?: number;
  readonly 'mss'?: number;
  /** TCP user timeout in ms. */
  readonly 'tcp-ut'?: number;
  readonly 'interface'?: string;
  readonly 'namespace'?: string;
  readonly 'process'?: string;
  readonly 'thread'?: string;
  readonly 'shards'?: number | 'by-thread';
  /** Forced multiplexer: 'h1', 'h2', 'none', 'fcgi'. */
  readonly 'proto'?: string;
  readonly 'ssl'?: true;
  /** `crt` files and directories, each loaded. */
  readonly 'crt'?: readonly CertificateModel[];
  readonly 'crt-list'?: readonly CrtListEntryModel[];
  readonly 'ca-file'?: string;
  readonly 'ca-verify-file'?: string;
  readonly 'crl-file'?: string;
  readonly 'ca-sign-file'?: string;
  readonly 'ca-sign-pass'?: string;
  readonly 'verify'?: 'none' | 'optional' | 'required';
  readonly 'alpn'?: readonly string[];
  readonly 'npn'?: readonly string[];
  readonly 'ciphers'?: string;
  readonly 'ciphersuites'?: string;
  readonly 'curves'?: string;
  readonly 'ecdhe'?: string;
  readonly 'ssl-min-ver'?: TlsVersion;
  readonly 'ssl-max-ver'?: TlsVersion;
  /** `crt-ignore-err` / `ca-ignore-err`: 'all' or OpenSSL verify error ids. */
  readonly 'crt-ignore-err'?: 'all' | readonly number[];
  readonly 'ca-ignore-err'?: 'all' | readonly number[];
  /** `tls-ticket-keys`: the file and its keys (48 or 80 bytes each). */
  readonly 'tls-ticket-keys'?: { readonly file: string; readonly keys: readonly string[] };
}

export type TlsVersion = 'SSLv3' | 'TLSv1.0' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface BindModel {
  readonly where: Where;
  /** The address list as written (`bind :80,:81` → ":80,:81"), used in messages. */
  readonly text?: string;
  /** One bind line may list several addresses ("ipv4@:80,:81"). */
  readonly addresses: readonly AddressModel[];
  readonly options: Readonly<BindOptions>;
  /** Effective TLS versions of an `ssl` bind, computed by the whole-configuration checks. */
  readonly tlsVersions?: { readonly min: TlsVersion; readonly max: TlsVersion };
}
