import { once } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';

/**
 * Opens a WebSocket and resolves once it is open; rejects with the handshake error (e.g.
 * `Unexpected server response: 503`). `ca` is the only CA trusted for a `wss` URL.
 */
export async function openWebSocket(url: string, options: { headers?: Record<string, string>; protocols?: string[]; ca?: Buffer } = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers, ca: options.ca });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

/** Opens a WebSocket like openWebSocket, also resolving with the headers of the 101 the client received. */
export async function openWebSocketWithHeaders(url: string, options: { headers?: Record<string, string>; ca?: Buffer } = {}): Promise<{ ws: WebSocket; headers: IncomingHttpHeaders }> {
  const ws = new WebSocket(url, [], { headers: options.headers, ca: options.ca });
  const headers = await new Promise<IncomingHttpHeaders>((resolve, reject) => {
    let seen: IncomingHttpHeaders = {};
    ws.once('upgrade', (res) => (seen = res.headers));
    ws.once('open', () => resolve(seen));
    ws.once('error', reject);
  });
  return { ws, headers };
}

/** Sends a message and resolves with the next one received (as a Buffer). */
export async function roundTrip(ws: WebSocket, data: Buffer | string): Promise<Buffer> {
  const reply = once(ws, 'message') as Promise<[RawData, boolean]>;
  ws.send(data);
  const [message] = await reply;
  return message as Buffer;
}

/** Closes a WebSocket and waits for the close to complete. */
export async function closeWebSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return;
  const closed = once(ws, 'close');
  ws.close();
  await closed;
}

/** Writes raw bytes to host:port and resolves with everything read until the peer closes. */
export async function rawExchange(port: number, request: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(request);
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('latin1');
}

/** A response read whole. */
export interface FetchedResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** GETs an `https` URL trusting only `ca` (Node's fetch takes no CA) and reads the whole answer. */
export async function fetchTls(url: string, ca: Buffer, headers: Record<string, string> = {}): Promise<FetchedResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
