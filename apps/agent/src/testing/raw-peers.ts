import { once } from 'node:events';
import { createServer } from 'node:http';
import type { ClientRequestArgs, Server } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import type { AddressInfo, NetConnectOpts, Server as TcpServer, Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import { acceptKey } from './ws-frames';

/** A WebSocket peer's view of one connection: every byte read after the handshake, in order. */
export class RawRecord {
  private readonly chunks: Buffer[] = [];

  /** Keeps a copy (ws unmasks the buffers it reads in place). */
  record(chunk: Buffer): void {
    this.chunks.push(Buffer.from(chunk));
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** The bytes after the first `\r\n\r\n` (for a record that starts with an HTTP head). */
  get afterHead(): Buffer {
    const bytes = this.bytes;
    return bytes.subarray(bytes.indexOf('\r\n\r\n') + 4);
  }
}

/** One connection of a RecordingWsMember: its `ws` socket, the raw bytes it read, the messages it got, and how it ended. */
export interface RecordedConnection {
  readonly ws: WebSocket;
  readonly raw: RawRecord;
  readonly messages: { data: Buffer; binary: boolean }[];
  readonly errors: Error[];
  /** The close code it received, once closed. */
  closeCode?: number;
}

/**
 * A real `ws` server as a member that records, per connection, every raw byte read after its
 * 101 (observed beside `ws`, which parses and validates them) and every message; `onConnection`
 * lets a test make it talk.
 */
export class RecordingWsMember {
  readonly connections: RecordedConnection[] = [];
  onConnection: (connection: RecordedConnection) => void = () => undefined;
  private readonly server: Server = createServer();
  private readonly wss = new WebSocketServer({ noServer: true });

  constructor() {
    this.server.on('upgrade', (req, socket, head) => {
      const raw = new RawRecord();
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        const connection: RecordedConnection = { ws, raw, messages: [], errors: [] };
        this.connections.push(connection);
        ws.on('message', (data: RawData, binary) => connection.messages.push({ data: data as Buffer, binary }));
        ws.on('error', (error) => connection.errors.push(error));
        ws.on('close', (code) => (connection.closeCode = code));
        this.onConnection(connection);
      });
      // ws has taken the socket synchronously (and put `head` back into it): from here on, every
      // byte read goes through 'data'. Prepended, to see each chunk before ws unmasks it in place.
      socket.prependListener('data', (chunk: Buffer) => raw.record(chunk));
    });
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A raw side of a WebSocket connection after its handshake: the socket and what it read since. */
export interface RawWebSocket {
  readonly socket: Socket;
  readonly raw: RawRecord;
}

/** Reads a socket up to the end of its HTTP head; resolves with the head and records the bytes after it. */
async function takeHead(socket: Socket, raw: RawRecord): Promise<string> {
  let buffered = Buffer.alloc(0);
  for (;;) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end === -1) continue;
    socket.on('data', (next: Buffer) => raw.record(next));
    if (end + 4 < buffered.length) raw.record(buffered.subarray(end + 4));
    return buffered.subarray(0, end).toString('latin1');
  }
}

/**
 * A member that answers the WebSocket handshake by hand and then leaves the socket to the test,
 * which writes exactly the frames it wants; every byte read after the handshake is recorded.
 */
export class RawMember {
  readonly peers: RawWebSocket[] = [];
  private readonly server: TcpServer;

  constructor() {
    this.server = createTcpServer((socket) => {
      socket.on('error', () => undefined);
      const raw = new RawRecord();
      void takeHead(socket, raw).then((head) => {
        const key = /sec-websocket-key: *(\S+)/i.exec(head)?.[1] ?? '';
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`);
        this.peers.push({ socket, raw });
      });
    });
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const peer of this.peers) peer.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Opens a WebSocket by hand on a raw socket (path `/`); resolves after the 101 with the socket and what it reads next.
 */
export async function openRawWebSocket(port: number): Promise<RawWebSocket> {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  const raw = new RawRecord();
  const head = takeHead(socket, raw);
  socket.write(`GET / HTTP/1.1\r\nHost: raw\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
  await head;
  return { socket, raw };
}

/** Opens a real `ws` client whose raw socket is recorded too (every byte it reads, the 101 head included). */
export async function openRecordedWebSocket(url: string): Promise<{ ws: WebSocket; raw: RawRecord }> {
  const raw = new RawRecord();
  const ws = new WebSocket(url, {
    createConnection: (options: ClientRequestArgs) => {
      const socket = connect(options as NetConnectOpts);
      socket.on('data', (chunk: Buffer) => raw.record(chunk));
      return socket;
    },
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, raw };
}

/**
 * Writes `bytes` in pieces of `size` bytes, letting the event loop turn between pieces so they
 * leave as separate TCP segments (Nagle off): headers and payloads split anywhere.
 */
export async function writeInPieces(socket: Socket, bytes: Buffer, size: number): Promise<void> {
  socket.setNoDelay(true);
  for (let at = 0; at < bytes.length; at += size) {
    if (!socket.write(bytes.subarray(at, at + size))) await once(socket, 'drain');
    await nextTurn();
  }
}
