import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { waitFor } from './wait';

/**
 * One end of a raw TCP connection in a test (a hand-written client, or a member scripted byte
 * by byte): everything read is kept, and the peer's FIN (`ended`) and the socket's close
 * (`closed`, `reset` when it ended in an error such as ECONNRESET) are recorded.
 */
export class RawPeer {
  private readonly chunks: Buffer[] = [];
  /** The other side sent FIN. */
  ended = false;
  /** The socket is closed (both ways). */
  closed = false;
  /** The socket closed on an error (ECONNRESET, EPIPE), not a clean FIN exchange. */
  reset = false;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    socket.on('end', () => (this.ended = true));
    socket.on('error', () => (this.reset = true));
    socket.on('close', () => (this.closed = true));
  }

  /** Connects to 127.0.0.1:port; resolves once connected. */
  static async connect(port: number): Promise<RawPeer> {
    const peer = new RawPeer(connect(port, '127.0.0.1'));
    await once(peer.socket, 'connect');
    return peer;
  }

  /** Writes `payload` (latin1) on a fresh connection to 127.0.0.1:port and resolves with everything read until the other side closes it. */
  static async exchange(port: number, payload: string): Promise<string> {
    const peer = await RawPeer.connect(port);
    peer.write(payload);
    await peer.whenClosed();
    return peer.text;
  }

  /** Everything read so far. */
  get received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Everything read so far as latin1 text (one character per byte). */
  get text(): string {
    return this.received.toString('latin1');
  }

  /** Writes bytes (a string as latin1); nothing once the socket is no longer writable. */
  write(data: string | Buffer): void {
    if (this.socket.writable) this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Waits until what was read includes `expected` (a string as latin1); resolves with everything read. */
  async until(expected: string | Buffer, timeoutMs = 5_000): Promise<Buffer> {
    const needle = typeof expected === 'string' ? Buffer.from(expected, 'latin1') : expected;
    return waitFor(() => this.received.includes(needle) && this.received, `${JSON.stringify(needle.toString('latin1').slice(0, 60))} to be read`, timeoutMs);
  }

  /** Waits until at least `length` bytes were read; resolves with everything read. */
  async untilLength(length: number, timeoutMs = 5_000): Promise<Buffer> {
    return waitFor(() => this.received.length >= length && this.received, `${length} bytes to be read`, timeoutMs);
  }

  /** Waits for the socket to close (either way). */
  async whenClosed(timeoutMs = 5_000): Promise<void> {
    await waitFor(() => this.closed, 'the connection to close', timeoutMs);
  }
}

/** A raw TCP server on 127.0.0.1: each accepted connection becomes a RawPeer, handed to `onPeer` (to script a member). */
export interface RawServer {
  readonly port: number;
  /** Accepted connections, in order. */
  readonly peers: RawPeer[];
  /** The member URL of this server. */
  url(scheme?: 'ws' | 'http'): string;
  /** Connections open now. */
  openConnections(): number;
  close(): Promise<void>;
}

/**
 * Starts a RawServer; `onPeer` runs for each accepted connection (default: read and keep
 * everything, answer nothing). Its sockets answer a FIN with their own at once unless
 * `allowHalfOpen` (then they stay open for writing, as a server still working on a request).
 */
export async function rawServer(onPeer: (peer: RawPeer) => void = () => undefined, options: { allowHalfOpen?: boolean } = {}): Promise<RawServer> {
  const peers: RawPeer[] = [];
  const server = createServer({ allowHalfOpen: options.allowHalfOpen ?? false }, (socket) => {
    const peer = new RawPeer(socket);
    peers.push(peer);
    onPeer(peer);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    peers,
    url: (scheme = 'ws') => `${scheme}://127.0.0.1:${port}`,
    openConnections: () => peers.filter((peer) => !peer.closed).length,
    close: async () => {
      for (const peer of peers) peer.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
