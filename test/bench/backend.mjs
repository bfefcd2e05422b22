// @ts-check
// A bench member in its own process, made to cost as little as possible per message so that
// the proxies are what is measured: one `ws` server (no permessage-deflate, no client tracking,
// no UTF-8 validation) echoing every message unchanged, and plain HTTP answering
// `200 <NAME> ok` (keep-alive, Content-Length) to any request.
// It listens on one port of 127.0.0.1 per target named in TARGETS (so each target has its own
// TCP port space and its own hit counts). Over IPC (lib/rpc.mjs) it sends
// {type:'ready', ports:{<target>:port}} once listening, and answers `stats` with
// {<target>:{wsAccepted, wsOpen, wsMessages, httpRequests}}.
// Environment: NAME (member name), TARGETS (comma list).
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { serveRpc } from './lib/rpc.mjs';

const name = process.env.NAME ?? 'member';
const targets = (process.env.TARGETS ?? 'direct').split(',');
const body = Buffer.from(`${name} ok`);
const headers = { 'content-type': 'text/plain', 'content-length': String(body.length) };

/** @typedef {{ wsAccepted: number, wsOpen: number, wsMessages: number, httpRequests: number }} Counts */

/** @param {Counts} counts */
function serve(counts) {
  const server = createServer({ keepAliveTimeout: 120_000 }, (_req, res) => {
    counts.httpRequests += 1;
    res.writeHead(200, headers);
    res.end(body);
  });
  server.maxRequestsPerSocket = 0;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false, skipUTF8Validation: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      counts.wsAccepted += 1;
      counts.wsOpen += 1;
      ws.on('error', () => ws.terminate());
      ws.on('close', () => (counts.wsOpen -= 1));
      ws.on('message', (data, isBinary) => {
        counts.wsMessages += 1;
        ws.send(/** @type {Buffer} */ (data), { binary: isBinary });
      });
    });
  });
  return new Promise((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve(/** @type {import('node:net').AddressInfo} */ (server.address()).port)));
}

/** @type {Record<string, Counts>} */
const stats = {};
/** @type {Record<string, number>} */
const ports = {};
for (const target of targets) {
  stats[target] = { wsAccepted: 0, wsOpen: 0, wsMessages: 0, httpRequests: 0 };
  ports[target] = /** @type {number} */ (await serve(stats[target]));
}
serveRpc({ stats: () => stats });
process.on('SIGTERM', () => process.exit(0));
process.send?.({ type: 'ready', ports });
