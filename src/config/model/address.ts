/** A socket address from the configuration (see config/address.ts for the grammar). */
export interface AddressModel {
  /** As written. */
  readonly raw: string;
  readonly family: 'ipv4' | 'ipv6' | 'unix' | 'abns' | 'fd' | 'sockpair';
  /** No family prefix (or ip@): a hostname may resolve to either family. */
  readonly anyFamily?: boolean;
  /** Socket type (HAProxy's sock_type): 'dgram' for udp@, quic4@, log targets... */
  readonly socket: 'stream' | 'dgram';
  /** Literal IP, or the resolved one once the loader has resolved `hostname`. */
  readonly ip?: string;
  /** A name to resolve at startup (getaddrinfo), as HAProxy does. */
  readonly hostname?: string;
  /** First (or only) port; absent when none was written (or an offset was). */
  readonly port?: number;
  /** Last port of a range "port-portHigh" (bind, source). */
  readonly portHigh?: number;
  /** Server "+N" / "-N": added to the port the client connected to. */
  readonly portOffset?: number;
  /**
   * The server port follows the client's destination port (no port, "+N" or "-N"): HAProxy's
   * SRV_F_MAPPORTS.
   */
  readonly mapPorts?: boolean;
  /** unix / abns path (for unix, without the `unix-bind prefix`, which the runtime adds). */
  readonly path?: string;
  /** fd@ / sockpair@ descriptor number. */
  readonly fd?: number;
}
