/** A `server` line, or the `default-server` settings (configuration.txt 5.2). */
import type { Where } from '../types.js';
import type { AddressModel } from './address.js';
import type { SampleExprModel } from './sample.js';
import type { TlsVersion } from './bind.js';

/** `source <addr>[:<port>[-<port>]] [usesrc ...] [interface <name>]`. */
export interface ServerSourceModel {
  readonly address: AddressModel;
  /** usesrc client | clientip | hdr_ip(name[,occ]) | <addr>[:<port>]. */
  readonly usesrc?:
    | { readonly kind: 'client' | 'clientip' }
    | { readonly kind: 'hdr_ip'; readonly header: string; readonly occurrence: number }
    | { readonly kind: 'address'; readonly address: AddressModel };
  readonly interface?: string;
}

/**
 * Server options by name as written (flags are `true`; a `no-` form sets the flag to false),
 * default-server options merged in. Typed values for what a runtime reads; times in ms.
 */
export interface ServerOptions {
  readonly [name: string]: unknown;
  /** 0..256, default 1. */
  readonly 'weight'?: number;
  readonly 'backup'?: boolean;
  readonly 'check'?: boolean;
  readonly 'agent-check'?: boolean;
  readonly 'disabled'?: boolean;
  readonly 'id'?: number;
  readonly 'cookie'?: string;
  readonly 'maxconn'?: number;
  readonly 'maxqueue'?: number;
  readonly 'minconn'?: number;
  readonly 'inter'?: number;
  readonly 'fastinter'?: number;
  readonly 'downinter'?: number;
  readonly 'rise'?: number;
  readonly 'fall'?: number;
  /** Health check port (`port`), agent port (`agent-port`). */
  readonly 'port'?: number;
  readonly 'agent-port'?: number;
  readonly 'addr'?: AddressModel;
  readonly 'track'?: string;
  readonly 'slowstart'?: number;
  readonly 'init-addr'?: readonly string[];
  readonly 'source'?: ServerSourceModel;
  readonly 'socks4'?: AddressModel;
  readonly 'ssl'?: boolean;
  readonly 'check-ssl'?: boolean;
  readonly 'verify'?: 'none' | 'required';
  readonly 'ca-file'?: string;
  readonly 'crl-file'?: string;
  /** Client certificate presented to the server. */
  readonly 'crt'?: string;
  readonly 'sni'?: string;
  readonly 'alpn'?: readonly string[];
  readonly 'ssl-min-ver'?: TlsVersion;
  readonly 'ssl-max-ver'?: TlsVersion;
  /** 'h1', 'h2', 'fcgi', 'none'. */
  readonly 'proto'?: string;
}

export interface ServerModel {
  readonly where: Where;
  readonly name: string;
  readonly address: AddressModel;
  /** Server options by name with their parsed values, default-server merged in. */
  readonly options: Readonly<ServerOptions>;
  /** From `server-template`: the template's prefix and this server's number. */
  readonly template?: { readonly prefix: string; readonly index: number };
  /** `sni <expr>`, parsed: evaluated on each connection (a constant is compiled once). */
  readonly sniExpr?: SampleExprModel;
}
