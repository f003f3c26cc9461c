/**
 * What a finished (or, with `option logasap`, a started) stream tells the logs: everything the
 * log-format variables of configuration.txt 8.2.4 read in tcp mode. Filled by the stream
 * (tcp/stream.ts), read by the log-format evaluator (log/). Times are in milliseconds. Types
 * only.
 */
import type { SampleEnv } from '../sample/types.js';

/** Termination state (configuration.txt 8.5): two characters in tcp mode, e.g. "--", "CD", "sC". */
export interface TerminationState {
  /** Who or what ended the stream: '-' normal, 'C' client, 'S' server, 'P' proxy, 'R' resource, 'I' internal, 'D' down, 'U' up, 'K' killed, 'c' client timeout, 's' server timeout. */
  readonly cause: string;
  /** Where it was: '-' nothing, 'R' request, 'Q' queue, 'C' connect, 'H' headers, 'D' data, 'L' last data, 'T' tarpit. */
  readonly phase: string;
}

export interface StreamLogInfo {
  /** Accept time as a wall-clock date (ms precision), for %t, %T, %tr, ... */
  readonly acceptDate: Date;
  readonly frontend: string;
  /** %ft: frontend name with '~' appended when the client side is TLS. */
  readonly frontendTransport: string;
  /** Backend name, or the frontend's when none was reached. */
  readonly backend: string;
  /** Server name, or "<NOSRV>". */
  readonly server: string;
  /** Client address (after PROXY protocol): "unix" for unix sockets. */
  readonly clientIp: string;
  readonly clientPort: number | string;
  /** Address and port the client connected to (%fi, %fp). */
  readonly frontendIp: string;
  readonly frontendPort: number | string;
  /** Source address and port of the connection to the server (%bi, %bp). */
  readonly backendSourceIp?: string;
  readonly backendSourcePort?: number;
  /** Server address and port (%si, %sp). */
  readonly serverIp?: string;
  readonly serverPort?: number | string;
  /** Tw: time in queues (-1: never queued/reached), Tc: connect time incl. retries (-1: no connection), Tt: total. */
  readonly queueTime: number;
  readonly connectTime: number;
  readonly totalTime: number;
  /** Th (handshake) and Ti (idle) times, 0 in tcp mode without TLS. */
  readonly handshakeTime: number;
  readonly idleTime: number;
  /** Bytes from the client (%U) and to the client (%B). */
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly termination: TerminationState;
  /** Connections when the stream was logged: process, frontend, backend, server (%ac %fc %bc %sc). */
  readonly actconn: number;
  readonly feconn: number;
  readonly beconn: number;
  readonly srvConn: number;
  /** Retries, and whether a redispatch happened (then HAProxy prints "+N"). */
  readonly retries: number;
  readonly redispatched: boolean;
  /** Position in the server's and the backend's queues when the stream left them (%sq %bq). */
  readonly srvQueue: number;
  readonly backendQueue: number;
  /** The log is emitted at the start (option logasap): totals get a '+' prefix. */
  readonly logasap: boolean;
  /** Unique id (%ID) when unique-id-format is set. */
  readonly uniqueId?: string;
  /**
   * Optional fields added for the log-format variables (log/log-format-eval.ts); absent, the
   * variable prints what HAProxy prints without the information.
   */
  /** %rt: the stream's number in the process (HAProxy's uniq_id, from 0). */
  readonly streamId?: number;
  /** %sslc / %sslv: cipher and protocol version of a TLS client connection. */
  readonly sslCipher?: string;
  readonly sslVersion?: string;
  /** What %[...] sample expressions read: the stream itself. */
  readonly sampleEnv?: SampleEnv;
}
