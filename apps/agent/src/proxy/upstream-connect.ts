import { connect as connectTcp } from 'node:net';
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
  const onClose = (): void => clearTimeout(timer);
  socket.once('close', onClose);
  socket.once(secure ? 'secureConnect' : 'connect', () => {
    clearTimeout(timer);
    socket.off('close', onClose); // nothing of the connect step stays with a long-lived tunnel
    onConnected();
  });
}

/**
 * Opens a raw TCP connection to a member, TLS for secure targets with the options compiled for
 * it (target.tls: trust, SNI, verification, ALPN http/1.1). A refused certificate is an `error`
 * before `secureConnect`, so a connect failure like any other. Tunnels and health checks use it.
 */
export function openUpstream(target: UpstreamTarget): Socket {
  if (!target.tls) return connectTcp({ host: target.host, port: target.port });
  return connectTls({ host: target.host, port: target.port, ...target.tls });
}
