import { STATUS_CODES } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Answers with a short text/plain body (404, 502, 503 of the proxy), or cuts the connection when the head already went out. */
export function sendText(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Client connections that close after the answer being sent: requests pipelined behind it are never served. */
const closing = new WeakSet<Duplex>();

/**
 * Answers as sendText, then closes the client connection (Connection: close): after a refused or
 * cut request nothing else on the connection is trusted. A request Node's parser already read
 * behind it (pipelined) is dropped (see isClosing), never forwarded.
 */
export function sendTextAndClose(res: ServerResponse, status: number, body: string): void {
  closing.add(res.socket!);
  res.setHeader('connection', 'close');
  sendText(res, status, body);
}

/** True for a client connection closing after an answer of sendTextAndClose: its further requests are dropped. */
export function isClosing(socket: Duplex): boolean {
  return closing.has(socket);
}

/** Answers an upgrade request on its raw socket with a text/plain HTTP response and closes it; never writes to a destroyed socket. */
export function sendRawText(socket: Duplex, status: number, body: string): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`;
  socket.end(head + body);
}
