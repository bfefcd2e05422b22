import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { chatPage } from './page';

/**
 * A demo backend for the chat balancer: serves the chat page at `/chat/` (and `/`), and a
 * WebSocket at `/chat/ws` (and `/ws`, for routes that strip the prefix) that sends each text
 * message to every client connected to this backend, as `<DEMO_NAME>: <message>`.
 * Environment: DEMO_NAME (default `chat`), PORT (default 9101), HOST (default 127.0.0.1).
 * Prints `{"msg":"listening","name":…,"port":N}` once listening.
 */
function main(): void {
  const name = process.env.DEMO_NAME ?? 'chat';
  const port = Number(process.env.PORT ?? 9101);
  const clients = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/healthz') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', name }));
    if (path === '/' || path === '/chat' || path === '/chat/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-backend': name }).end(chatPage(name));
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`${name}: nothing at ${path}\n`);
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/chat/ws' && path !== '/ws') return void socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => ws.terminate());
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        const line = `${name}: ${data.toString()}`;
        for (const client of clients) if (client.readyState === client.OPEN) client.send(line);
      });
    });
  });
  server.listen(port, process.env.HOST ?? '127.0.0.1', () => {
    const address = server.address() as { port: number };
    process.stdout.write(`${JSON.stringify({ msg: 'listening', name, port: address.port })}\n`);
  });
  const stop = () => {
    for (const client of clients) client.terminate();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main();
