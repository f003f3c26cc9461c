/** A socket address from the configuration (see config/address.ts for the grammar). */
export interface AddressModel {
  /** As written. */
  readonly raw: string;
  readonly family: 'ipv4' | 'ipv6' | 'unix' | 'abns' | 'fd' | 'sockpair';
  /** No family prefix (or ip@): a hostname may resolve to either family. */
  readonly anyFamily?: boolean;
  readonly socket: 'stream' | 'dgram';
  /** Literal IP, or the resolved one once the loader has resolved `hostname`. */
  readonly ip?: string;
  /** A name to resolve at startup (getaddrinfo), as HAProxy does. */
  readonly hostname?: string;
  /** First (or only) port; absent on a port-less server address. */
  readonly port?: number;
  /** Last port of a bind range "port-portHigh". */
  readonly portHigh?: number;
  /** Server "+N" / "-N": added to the port the client connected to. */
  readonly portOffset?: number;
  /** unix / abns path. */
  readonly path?: string;
  /** fd@ / sockpair@ descriptor number. */
  readonly fd?: number;
}
