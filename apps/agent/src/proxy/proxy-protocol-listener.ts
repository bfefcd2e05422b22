import type { Server } from 'node:net';
import type { Socket } from 'node:net';
import { parseProxyHeader } from './proxy-protocol';
import { plainAddress } from './trusted-proxies';

/** The client address each connection's PROXY header carried (its own peer address for LOCAL/UNKNOWN), by raw socket. */
const carried = new WeakMap<Socket, string>();

/**
 * The client address the PROXY header of `socket`'s connection carried, or undefined when it
 * came without one (the listener takes none). On the TLS listener `socket` is the TLSSocket
 * wrapping the raw one (Node keeps that in `_parent`).
 */
export function carriedAddress(socket: Socket): string | undefined {
  return carried.get(socket) ?? carried.get((socket as { _parent?: Socket })._parent!);
}

const ignore = (): void => undefined;

/**
 * Makes `server` (node:http or node:https) expect a PROXY protocol v1 or v2 header at the start
 * of every connection, as HAProxy's `accept-proxy` and NGINX's `listen … proxy_protocol`: the
 * header is read and checked (parseProxyHeader) before HTTP or TLS sees a byte; a connection
 * whose header is missing, malformed, oversized or not complete within `timeoutMs` of its
 * accept is destroyed without an answer (there is no HTTP to answer yet). Once the header is
 * complete, the bytes after it are put back and the connection is handed to the server's own
 * `connection` listeners (HTTP parser, or TLS handshake then HTTP), with the carried address
 * kept for carriedAddress. Only called when SWITCHBOARD_PROXY_PROTOCOL is on: otherwise the
 * listeners are untouched.
 */
export class ProxyProtocolAcceptor {
  /** Connections whose header has not arrived yet (the server does not know them: see destroyPending). */
  private readonly pending = new Set<Socket>();
  private readonly handlers: ((socket: Socket) => void)[];

  constructor(
    private readonly server: Server,
    private readonly timeoutMs: number,
    /** The TLS listener: its TLSSocket reads the bytes put back itself, so the raw socket is left paused. */
    private readonly tls: boolean,
  ) {
    this.handlers = server.listeners('connection') as ((socket: Socket) => void)[];
    server.removeAllListeners('connection');
    server.on('connection', (socket: Socket) => this.accept(socket));
  }

  /** Destroys the connections still waiting for their header (shutdown: the server's own close does not know them). */
  destroyPending(): void {
    for (const socket of this.pending) socket.destroy();
  }

  private accept(socket: Socket): void {
    socket.on('error', ignore);
    this.pending.add(socket);
    let read: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), this.timeoutMs);
    const settle = (): void => {
      clearTimeout(timer);
      this.pending.delete(socket);
      socket.off('data', onData);
      socket.off('end', onEnd);
    };
    const onEnd = (): void => void socket.destroy();
    const onData = (chunk: Buffer): void => {
      read = read.length === 0 ? chunk : Buffer.concat([read, chunk]);
      const header = parseProxyHeader(read);
      if (header === 'incomplete') return;
      settle();
      if ('error' in header) {
        socket.destroy();
        return;
      }
      carried.set(socket, header.source ?? plainAddress(socket.remoteAddress ?? ''));
      this.handOver(socket, read.subarray(header.length));
    };
    socket.once('close', settle);
    socket.on('end', onEnd);
    socket.on('data', onData);
  }

  /** Puts `rest` back and hands the socket to the server's listeners, as if it had just been accepted. */
  private handOver(socket: Socket, rest: Buffer): void {
    socket.pause();
    if (rest.length > 0) socket.unshift(rest);
    for (const handler of this.handlers) handler.call(this.server, socket);
    // node:http's parser reads the socket's handle directly from now on: resuming delivers the
    // bytes put back first (on the next tick, before any new read). A TLSSocket reads them itself.
    if (!this.tls) socket.resume();
  }
}
