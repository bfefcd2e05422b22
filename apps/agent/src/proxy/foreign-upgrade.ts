import { ServerResponse } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { proxyHttp } from './http-exchange';
import type { ProxyContext } from './proxy-context';
import { hasBody, requestFraming } from './request-framing';
import { sendRawText } from './responses';

/**
 * An upgrade to anything but WebSocket (`Upgrade: h2c` above all) is served as the plain HTTP
 * request it also is: Upgrade, HTTP2-Settings and the Connection tokens naming them are dropped
 * as hop-by-hop headers (as HAProxy and NGINX ignore h2c), so a member that speaks h2c never
 * gets the client over HTTP/2 past the agent's routes (h2c smuggling), and `curl --http2
 * http://…` still gets its answer over HTTP/1.1. The connection closes after the answer. Such a
 * request with a body gets 400: Node's parser stopped at its head, so the body is not framed.
 */
export function proxyForeignUpgrade(req: IncomingMessage, socket: Socket, ctx: ProxyContext): void {
  socket.on('error', () => undefined);
  const framing = requestFraming(req);
  if ('refused' in framing || hasBody(framing)) {
    sendRawText(socket, 400, `Upgrade: ${req.headers.upgrade ?? ''} with a request body is not supported; send it without Upgrade`);
    return;
  }
  req.push(null);
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket);
  res.once('finish', () => socket.end());
  proxyHttp(req, res, ctx);
}
