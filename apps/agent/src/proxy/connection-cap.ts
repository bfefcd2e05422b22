import type { Socket } from 'node:net';

/**
 * The cap on client connections of one proxy process (SWITCHBOARD_MAX_CONNECTIONS split across
 * workers, as HAProxy's `maxconn`): the listeners count each connection from its accept (TLS:
 * from its finished handshake, which SWITCHBOARD_REQUEST_HEADER_MS bounds) to its close. One
 * accepted while `max` are open is marked refused: its first request gets 503 and the
 * connection is closed (see ProxyServer), so it never reaches a member; it does not count, so
 * the connections below the cap are unaffected and a new one is admitted as soon as one closes.
 */
export class ConnectionCap {
  private open = 0;
  private readonly refused = new WeakSet<Socket>();

  /** `max` connections at most (0 = no cap). */
  constructor(readonly max: number) {}

  /** Counts a new connection until it closes, or marks it refused when `max` are open. */
  admit(socket: Socket): void {
    if (this.max > 0 && this.open >= this.max) {
      this.refused.add(socket);
      return;
    }
    this.open += 1;
    socket.once('close', () => (this.open -= 1));
  }

  /** True for a connection accepted above the cap. */
  isRefused(socket: Socket): boolean {
    return this.refused.has(socket);
  }

  /** The 503 body of a refused connection. */
  reason(): string {
    return `too many connections: this agent process holds its maximum of ${this.max} (SWITCHBOARD_MAX_CONNECTIONS)`;
  }
}
