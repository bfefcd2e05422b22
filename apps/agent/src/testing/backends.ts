import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';

/** What an HTTP backend answers: who it is and what it received. */
export interface EchoedRequest {
  readonly backend: string;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A member for tests on 127.0.0.1: WebSocket echo (every message sent back as is, binary or
 * text) and an HTTP handler answering an EchoedRequest as JSON. `upgradeStatus` makes it refuse
 * upgrades with that status instead. Its 101 carries `X-Seen-Host` (the Host it was sent), and
 * every HTTP answer the headers in `responseHeaders` (e.g. Location, Set-Cookie). With `tls`
 * (a certificate and key) it speaks HTTPS/WSS instead, and records the SNI of each handshake.
 */
export class Backend {
  /** Upgrade requests received (their URLs and headers, parsed and raw). */
  readonly upgrades: { url: string; headers: IncomingHttpHeaders; rawHeaders: string[] }[] = [];
  /** WebSocket connections accepted so far. */
  accepted = 0;
  /** Errors of accepted WebSockets (a client's protocol violation, e.g. `invalid status code 1005`). */
  readonly wsErrors: Error[] = [];
  upgradeStatus: number | undefined;
  /** Extra headers of every HTTP answer. */
  responseHeaders: OutgoingHttpHeaders = {};
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<Socket>();

  /** With `tls`: the server name (SNI) each TLS client asked for, '' when it sent none. */
  readonly servernames: string[] = [];

  constructor(
    readonly name: string,
    tls?: { cert: Buffer; key: Buffer },
  ) {
    const answer = (req: IncomingMessage, res: ServerResponse) => this.answer(req, res);
    this.server = tls ? createHttpsServer(tls, answer) : createServer(answer);
    this.server.on('secureConnection', (socket: TLSSocket) => this.servernames.push(socket.servername || ''));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.wss.on('headers', (headers, req) => headers.push(`X-Seen-Host: ${req.headers.host ?? ''}`));
    this.server.on('upgrade', (req, socket, head) => {
      this.upgrades.push({ url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders });
      if (this.upgradeStatus !== undefined) {
        socket.end(`HTTP/1.1 ${this.upgradeStatus} Refused\r\ncontent-length: 7\r\nconnection: close\r\n\r\nrefused`);
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.accepted += 1;
        ws.on('error', (error) => this.wsErrors.push(error));
        ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      });
    });
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const echoed: EchoedRequest = { backend: this.name, method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() };
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': this.name, ...this.responseHeaders }).end(JSON.stringify(echoed));
    });
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Member URL with the given scheme (wss/https for a TLS backend) and host. */
  url(scheme: 'ws' | 'http' | 'wss' | 'https' = 'ws', host = '127.0.0.1'): string {
    return `${scheme}://${host}:${this.port}`;
  }

  /** WebSocket connections open now. */
  get openWebSockets(): number {
    return this.wss.clients.size;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Starts backends named b1, b2, … */
export function startBackends(count: number): Promise<Backend[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => new Backend(`b${i + 1}`).start()));
}

/** A port of 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A TCP server on 127.0.0.1 that accepts connections and never says anything: as a `wss`/`https`
 * member its TLS handshake never completes, so only the connect timeout ends an attempt.
 * `connections()` counts the connections open now.
 */
export async function silentServer(): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    socket.resume(); // read and discard, so a peer closing is noticed
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
