import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as a member parsed it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * An HTTP-only member on 127.0.0.1 that records every request it parses and answers each
 * `200 seen <METHOD> <url>` on a kept-alive connection. It has no `upgrade` handler, so Node
 * serves an upgrade request as a plain one (200, connection kept): the member of a route
 * that was never meant for WebSockets. Whatever a client manages to get past the agent shows
 * up in `requests`. A request whose path starts with `/stall` is read (in `stalled`) and never
 * answered: a member that accepts and hangs.
 */
export class RecordingMember {
  readonly requests: RecordedRequest[] = [];
  /** URLs of `/stall…` requests received (their heads; they are never answered). */
  readonly stalled: string[] = [];
  /** Connections accepted so far, and open now. */
  connections = 0;
  openConnections = 0;
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      if (req.url!.startsWith('/stall')) {
        this.stalled.push(req.url!);
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('latin1') });
        const body = `seen ${req.method!} ${req.url!}`;
        // Content-Length on HEAD answers too (Node omits it there), as most servers send it: without it Node's client pools no connection after a HEAD.
        res.setHeader('content-length', Buffer.byteLength(body));
        res.end(body);
      });
    });
    this.server.on('connection', (socket) => {
      this.connections += 1;
      this.openConnections += 1;
      socket.once('close', () => (this.openConnections -= 1));
    });
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  /** Member URL with the given scheme. */
  url(scheme: 'ws' | 'http' = 'http'): string {
    return `${scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The URLs of the requests seen, in order. */
  get urls(): string[] {
    return this.requests.map((request) => request.url);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
