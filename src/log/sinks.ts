/**
 * Where log lines go: UDP (node:dgram), unix datagram sockets (node-unix-socket), and file
 * descriptors (stdout, stderr, fd@N). As HAProxy does (log.c, __do_send_log), sending never
 * blocks and never fails the caller: a line that cannot go out now is dropped and counted
 * (DroppedLogs), and the first other error of each kind is reported once as an alert
 * ("sendmsg()/writev() failed in logger #1: ...").
 *
 * The sockets are opened once, the first time a logger is built (at startup), shared by every
 * target of their family, and unref'd: they never keep the process alive.
 */
import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { write } from 'node:fs';
import { getSystemErrorMessage } from 'node:util';
import { loadUnixDgram, type UnixDgramSocket } from './unix-dgram.js';

/** One destination. `send` takes a whole datagram / line (LF included). */
export interface LogSink {
  /** 'dgram' datagrams hold `len` bytes then the LF; 'fd' lines hold `len` bytes LF included. */
  readonly kind: 'dgram' | 'fd';
  send(line: Buffer, logger: number): void;
}

/** Process-wide counters (HAProxy's dropped_logs, for `show info`). */
export const logCounters = { sent: 0, dropped: 0, failed: 0 };

/** Lines waiting in one socket or descriptor before new ones are dropped (HAProxy never queues). */
const MAX_PENDING = 256;

type Alert = (message: string) => void;
let alert: Alert = (m) => process.stderr.write(`[ALERT]    (${process.pid}) : ${m}\n`);
let alerted = false;

/** Where send errors are reported (the console of the running process). */
export function setLogAlert(fn: Alert): void {
  alert = fn;
}

/** HAProxy reports the first send failure of the process, then stays quiet. */
function failed(_kind: string, logger: number, err: NodeJS.ErrnoException): void {
  if (err.code === 'EAGAIN' || err.code === 'EWOULDBLOCK' || err.code === 'ENOBUFS') {
    logCounters.dropped++;
    return;
  }
  logCounters.failed++;
  if (alerted) return;
  alerted = true;
  const errno = typeof err.errno === 'number' ? Math.abs(err.errno) : 0;
  let text = err.message;
  try {
    if (errno) text = getSystemErrorMessage(-errno);
  } catch {
    /* keep the message */
  }
  text = text.charAt(0).toUpperCase() + text.slice(1);
  alert(`sendmsg()/writev() failed in logger #${logger}: ${text} (errno=${errno})`);
}

let udp4: DgramSocket | undefined;
let udp6: DgramSocket | undefined;
let unixSocket: UnixDgramSocket | undefined;
const pending = { udp4: 0, udp6: 0, unix: 0 };

function udpSocket(family: 'udp4' | 'udp6'): DgramSocket {
  let s = family === 'udp4' ? udp4 : udp6;
  if (!s) {
    s = createSocket(family);
    s.on('error', () => {});
    s.unref();
    if (family === 'udp4') udp4 = s;
    else udp6 = s;
  }
  return s;
}

/** A syslog server over UDP (`log 10.0.0.1:514 local0`, default port 514). */
export function udpSink(ip: string, port: number, family: 'ipv4' | 'ipv6'): LogSink {
  const kind = family === 'ipv4' ? 'udp4' : 'udp6';
  const socket = udpSocket(kind);
  return {
    kind: 'dgram',
    send(line, logger) {
      if (pending[kind] >= MAX_PENDING) {
        logCounters.dropped++;
        return;
      }
      pending[kind]++;
      try {
        socket.send(line, port, ip, (err) => {
          pending[kind]--;
          if (err) failed(kind, logger, err);
          else logCounters.sent++;
        });
      } catch (e) {
        pending[kind]--;
        failed(kind, logger, e as NodeJS.ErrnoException);
      }
    },
  };
}

/** A unix datagram socket (`log /dev/log local0`); undefined without the node-unix-socket package. */
export function unixSink(path: string): LogSink | undefined {
  if (!unixSocket) {
    const mod = loadUnixDgram();
    if (!mod) return undefined;
    unixSocket = mod.createSocket();
    unixSocket.on('error', () => {});
  }
  const socket = unixSocket;
  return {
    kind: 'dgram',
    send(line, logger) {
      if (pending.unix >= MAX_PENDING) {
        logCounters.dropped++;
        return;
      }
      pending.unix++;
      try {
        socket.send(line, 0, line.length, path, (err) => {
          pending.unix--;
          if (!err) logCounters.sent++;
          else failed('unix', logger, err);
        });
      } catch (e) {
        pending.unix--;
        failed('unix', logger, e as NodeJS.ErrnoException);
      }
    },
  };
}

const fdPending = new Map<number, number>();

/**
 * A file descriptor: stdout (fd@1), stderr (fd@2) or any fd@N. Lines are written in order
 * without waiting; when too many are waiting, new ones are dropped.
 */
export function fdSink(fd: number): LogSink {
  const stream = fd === 1 ? process.stdout : fd === 2 ? process.stderr : undefined;
  return {
    kind: 'fd',
    send(line, logger) {
      if (stream) {
        if (stream.writableLength > MAX_PENDING * 1024) {
          logCounters.dropped++;
          return;
        }
        stream.write(line, (err) => {
          if (err) failed(`fd${fd}`, logger, err as NodeJS.ErrnoException);
          else logCounters.sent++;
        });
        return;
      }
      const n = fdPending.get(fd) ?? 0;
      if (n >= MAX_PENDING) {
        logCounters.dropped++;
        return;
      }
      fdPending.set(fd, n + 1);
      write(fd, line, (err) => {
        fdPending.set(fd, (fdPending.get(fd) ?? 1) - 1);
        if (err) failed(`fd${fd}`, logger, err);
        else logCounters.sent++;
      });
    },
  };
}

/** Closes the shared sockets (end of the process, tests). */
export function closeLogSockets(): void {
  udp4?.close();
  udp6?.close();
  unixSocket?.close();
  udp4 = udp6 = unixSocket = undefined;
  alerted = false;
}
