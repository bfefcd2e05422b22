import { connect } from 'node:net';
import { explainRoute, type SnapshotConfig } from '@switchboard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAtRevision } from './support/config';
import { startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

// The dashboard's route tester (explainRoute) and a real agent process answer one table of
// requests alike: the same route's balancer with the same forwarded path, or the same 404/400
// with the same body. Each balancer has one echo backend named after it (`eq-<balancer>`), which
// says who answered and the path it got (HTTP body; `x-backend`/`x-echo-url` on a 101). Requests
// go over raw sockets so that the target reaches the agent byte for byte.

/** Routes in creation order (the snapshot's order, which breaks full ties). */
const ROUTES: { balancer: string; body: Record<string, unknown> }[] = [
  { balancer: 'a', body: { match: { type: 'prefix', path: '/tie' }, websocket: 'only' } },
  { balancer: 'b', body: { match: { type: 'prefix', path: '/tie' } } },
  { balancer: 'c', body: { match: { type: 'prefix', path: '/tie' }, websocket: 'never' } },
  { balancer: 'c', body: { host: 'chat.example.com', match: { type: 'prefix', path: '/' } } },
  { balancer: 'd', body: { host: '*.example.com', match: { type: 'prefix', path: '/' } } },
  { balancer: 'b', body: { priority: 5, match: { type: 'regex', path: '^/api/v[0-9]+' }, stripPrefix: true } },
  { balancer: 'c', body: { match: { type: 'prefix', path: '/chat' }, stripPrefix: true } },
  { balancer: 'd', body: { match: { type: 'exact', path: '/health' }, stripPrefix: true } },
  { balancer: 'a', body: { match: { type: 'prefix', path: '/live/' }, websocket: 'only' } },
  { balancer: 'a', body: { match: { type: 'prefix', path: '/off' }, enabled: false } },
  { balancer: 'b', body: { match: { type: 'prefix', path: '/public' } } },
  { balancer: 'd', body: { match: { type: 'prefix', path: '/admin' } } },
  { balancer: 'a', body: { match: { type: 'regex', path: '/ws$' }, stripPrefix: true } },
];

/** Host header, request target as sent, upgrade. */
const REQUESTS: [string, string, boolean][] = [
  ['x.org', '/tie', false],
  ['x.org', '/tie/x', true],
  ['chat.example.com', '/anything?q', false],
  ['Chat.Example.COM:8080', '/x', true],
  ['a.b.example.com', '/anything', false],
  ['example.com', '/anything', false],
  ['x.org', '/api/v2/items?q=1', false],
  ['chat.example.com', '/api/v10', true],
  ['x.org', '/API/v2', false],
  ['x.org', '/chat/room/1?x=%20', false],
  ['x.org', '/chat', true],
  ['x.org', '/chatty', false],
  ['x.org', '/health', false],
  ['x.org', '/health/', false],
  ['x.org', '/live/feed', true],
  ['x.org', '/live/feed', false],
  ['x.org', '/live', true],
  ['x.org', '/off/x', false],
  ['x.org', '/rooms/7/ws?t=1', true],
  ['x.org', '/public/../admin/x', false],
  ['x.org', '/public/%2e%2E/admin', true],
  ['x.org', '//public///x/./y', false],
  ['x.org', '/public\\x', false],
  ['x.org', '/public%2Fx', false],
  ['x.org', '/public/%41b%7e', false],
  ['x.org', '/../etc/passwd', false],
  ['x.org', '/a/..%2Fadmin', true],
  ['x.org', '/a%00b', false],
  ['x.org', '/a%zz', false],
  ['x.org', 'http://x.org/chat/x?y', false],
  ['x.org', 'http://other.org/chat', false],
  ['', '/anything', false],
  ['', '/anything', true],
];

/** A chunked body decoded (RFC 9112 §7.1; no extensions or trailers in these answers). */
function unchunk(raw: string): string {
  let body = '';
  for (let at = 0; ; ) {
    const lineEnd = raw.indexOf('\r\n', at);
    const size = parseInt(raw.slice(at, lineEnd), 16);
    if (!(size > 0)) return body;
    body += raw.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

/**
 * Sends one request on a raw socket and reads the answer's status, headers and body: a 101's head
 * only, else everything until the agent or member closes (plain requests say Connection: close).
 */
function rawRequest(url: string, host: string, target: string, upgrade: boolean): Promise<{ status: number; headers: Map<string, string>; body: string }> {
  const { hostname, port } = new URL(url);
  const lines = [`GET ${target} HTTP/1.1`, ...(host === '' ? [] : [`Host: ${host}`])];
  if (upgrade) lines.push('Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==');
  else lines.push('Connection: close');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'));
    let data = '';
    const timer = setTimeout(() => socket.destroy(new Error(`no answer to ${target}`)), 5_000);
    const answer = (complete: boolean) => {
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return;
      const [statusLine, ...headerLines] = data.slice(0, end).split('\r\n');
      const headers = new Map(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const status = Number(statusLine.split(' ')[1]);
      if (status !== 101 && !complete) return;
      clearTimeout(timer);
      socket.destroy();
      const body = data.slice(end + 4);
      resolve({ status, headers, body: headers.get('transfer-encoding') === 'chunked' ? unchunk(body) : body });
    };
    socket.setEncoding('latin1');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      data += chunk;
      answer(false);
    });
    socket.on('end', () => answer(true));
  });
}

/** The agent's answer in one line: `eq-b /items?q=1` (who answered, the path it got), or `404 <body>`. */
async function agentAnswer(agentUrl: string, [host, target, upgrade]: [string, string, boolean]): Promise<string> {
  const res = await rawRequest(agentUrl, host, target, upgrade);
  if (res.status === 101) return `${res.headers.get('x-backend')} ${res.headers.get('x-echo-url')}`;
  if (res.status === 200) return res.body.replace(' GET ', ' ');
  return `${res.status} ${res.body}`;
}

/** The tester's answer in the same form (a refusal by Node's HTTP parser has an empty body). */
function testerAnswer(config: SnapshotConfig, [host, path, upgrade]: [string, string, boolean]): string {
  const explained = explainRoute(config, { host, path, upgrade });
  if (explained.outcome === 'routed') return `eq-${explained.balancer.name} ${explained.forwardedPath}`;
  return `${explained.status} ${explained.outcome === 'refused' && explained.by === 'parser' ? '' : explained.reason}`;
}

describe('the route tester and a real agent agree', () => {
  let stack: Stack;
  let backends: EchoBackend[] = [];
  let config: SnapshotConfig;

  beforeAll(async () => {
    stack = await startStack();
    backends = await Promise.all(['a', 'b', 'c', 'd'].map((name) => startEchoBackend(`eq-${name}`)));
    const ids: Record<string, string> = {};
    for (const backend of backends) {
      const name = backend.name.slice(3);
      ids[name] = (await stack.api<{ id: string }>('POST', '/api/v1/balancers', { name })).body.id;
      await stack.api('POST', `/api/v1/balancers/${ids[name]}/members`, { url: backend.url });
    }
    let revision = 0;
    for (const route of ROUTES) {
      const res = await stack.api('POST', '/api/v1/routes', { balancerId: ids[route.balancer], ...route.body });
      if (res.status !== 201) throw new Error(`route ${JSON.stringify(route)}: ${res.status} ${JSON.stringify(res.body)}`);
      revision = Number(res.headers.get('switchboard-revision'));
    }
    await agentAtRevision(stack.agentAdminUrl, revision);
    // What the dashboard's tester runs on: the revision's configuration, as the API serves it.
    config = (await stack.api<{ config: SnapshotConfig }>('GET', `/api/v1/revisions/${revision}`)).body.config;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(backends.map((b) => b.close().catch(() => undefined)));
    await stack?.stop();
  }, 60_000);

  it('on every request of the table: same balancer and forwarded path, or same status and body', async () => {
    const tester = REQUESTS.map((request) => `${request.join(' ')} → ${testerAnswer(config, request)}`);
    const agent: string[] = [];
    for (const request of REQUESTS) agent.push(`${request.join(' ')} → ${await agentAnswer(stack.agentUrl, request)}`);
    expect(agent).toEqual(tester);
    // The table reaches every kind of answer, each balancer, and stripped paths.
    const answers = tester.map((line) => line.split(' → ')[1]);
    for (const kind of ['eq-a ', 'eq-b ', 'eq-c ', 'eq-d ', '404 no route matches', '400 bad request target']) expect(answers.some((a) => a.startsWith(kind))).toBe(true);
    expect(answers).toContain('eq-b /items?q=1');
    expect(answers).toContain('eq-a /rooms/7/ws?t=1');
  });
});
