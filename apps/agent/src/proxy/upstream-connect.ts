import { connect as connectTcp, isIP } from 'node:net';
import type { Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { UpstreamTarget } from '../config/runtime';

/** Raised (as the socket's error) when a member does not accept a connection within the balancer's connectMs. */
export class ConnectTimeoutError extends Error {
  override readonly name = 'ConnectTimeoutError';
  readonly code = 'ETIMEDOUT';

  constructor(timeoutMs: number) {
    super(`connect timed out after ${timeoutMs} ms`);
  }
}

/**
 * Calls `onConnected` once the socket is established (after the TLS handshake when `secure`),
 * at once when it already is (a reused keep-alive socket). A socket still connecting after
 * `timeoutMs` is destroyed with a ConnectTimeoutError, which its owner sees as an `error`
 * event like any other connect failure.
 */
export function whenConnected(socket: Socket, secure: boolean, timeoutMs: number, onConnected: () => void): void {
  if (!socket.connecting) {
    onConnected();
    return;
  }
  const timer = setTimeout(() => socket.destroy(new ConnectTimeoutError(timeoutMs)), timeoutMs);
  socket.once('close', () => clearTimeout(timer));
  socket.once(secure ? 'secureConnect' : 'connect', () => {
    clearTimeout(timer);
    onConnected();
  });
}

/** Opens a raw TCP connection to a member, TLS (with SNI for host names, ALPN http/1.1) for secure targets. */
export function openUpstream(target: UpstreamTarget): Socket {
  if (!target.secure) return connectTcp({ host: target.host, port: target.port });
  const servername = isIP(target.host) === 0 ? target.host : undefined;
  return connectTls({ host: target.host, port: target.port, servername, ALPNProtocols: ['http/1.1'] });
}
