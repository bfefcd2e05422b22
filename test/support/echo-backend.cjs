#!/usr/bin/env node
// A test backend in its own process (so a test can kill it): a `ws` server that echoes each
// message to its sender only, text as `<NAME>: <text>` and binary unchanged; plain HTTP requests
// get `<NAME> <METHOD> <path>` and the request headers as JSON in `x-echo-headers`. Its 101
// answers name it too: `x-backend: <NAME>` and `x-echo-url: <path>`.
// Health: `GET /health` answers with the current health status (200 at start);
// `PUT /__health/<status>` changes it (a test turns the backend unhealthy without killing it).
// Environment: NAME, PORT (0 = any). Prints {"msg":"listening","port":N}.
'use strict';
const http = require('node:http');
const { WebSocketServer } = require('ws');

const name = process.env.NAME ?? 'echo';
let healthStatus = 200;
const server = http.createServer((req, res) => {
  const setHealth = /^\/__health\/(\d{3})$/.exec(req.url);
  if (req.method === 'PUT' && setHealth) healthStatus = Number(setHealth[1]);
  if (setHealth || req.url === '/health') {
    res.writeHead(setHealth ? 200 : healthStatus, { 'content-type': 'text/plain' });
    return res.end(`${name} health ${healthStatus}`);
  }
  if (req.url.endsWith('/redirect')) {
    res.writeHead(302, { location: '/landed', 'set-cookie': 'sid=1; Path=/app; HttpOnly' });
    return res.end();
  }
  res.writeHead(200, { 'content-type': 'text/plain', 'x-backend': name, 'x-echo-headers': JSON.stringify(req.headers) });
  res.end(`${name} ${req.method} ${req.url}`);
});
const wss = new WebSocketServer({ server, maxPayload: 32 * 1024 * 1024 });
wss.on('headers', (headers, req) => headers.push(`x-backend: ${name}`, `x-echo-url: ${req.url}`));
wss.on('connection', (ws, req) => {
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => ws.send(isBinary ? data : `${name}: ${data.toString()}`, { binary: isBinary }));
  if (req.url.includes('hello')) ws.send(`${name}: hello ${req.headers.host} ${req.url}`);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ msg: 'listening', name, port: server.address().port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
