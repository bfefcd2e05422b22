// The agent's routing step on the built agent (dist/agent, CommonJS as it runs): resolveRequest
// (normalise the target, match, forwarded path) and matchRoute alone, in ns per call, median and
// spread of 11 rounds. The matcher lives in libs/protocol (issue 8); this measures it where the
// agent calls it. Run after `npx nx run agent:build`:
//   node test/bench/route-match.mjs [ROOT]     (ROOT: a checkout with dist/agent, default .)
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? '.');
const require = createRequire(import.meta.url);
const { compileRoutes, matchRoute } = require(join(root, 'dist/agent/libs/protocol/src/routing/routes.js'));
const { resolveRequest } = require(join(root, 'dist/agent/apps/agent/src/proxy/resolve.js'));

/** @param {string} id @param {string} balancerId @param {object} overrides */
const route = (id, balancerId, overrides = {}) => ({ id, balancerId, priority: 0, host: null, match: { type: 'prefix', path: '/' }, websocket: 'any', stripPrefix: false, enabled: true, ...overrides });

/** Ten routes of every kind, as a real configuration mixes them. */
const ROUTES = [
  route('root', 'web', { priority: -1 }),
  route('chat', 'chat', { match: { type: 'prefix', path: '/chat' }, stripPrefix: true }),
  route('chat-ws', 'chat', { match: { type: 'prefix', path: '/chat/ws' }, websocket: 'only' }),
  route('api', 'api', { match: { type: 'regex', path: '^/api/v[0-9]+/' }, priority: 10 }),
  route('health', 'web', { match: { type: 'exact', path: '/healthz' } }),
  route('admin', 'admin', { host: 'admin.example.com' }),
  route('tenant', 'web', { host: '*.tenants.example.com', match: { type: 'prefix', path: '/app' } }),
  route('static', 'web', { match: { type: 'prefix', path: '/static/' } }),
  route('uuid', 'api', { match: { type: 'regex', path: '^/u/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' } }),
  route('docs', 'web', { match: { type: 'prefix', path: '/docs' }, websocket: 'never' }),
];

/** [target, Host, upgrade]: each kind of route, a catch-all, and one target that needs normalising. */
const REQUESTS = /** @type {[string, string, boolean][]} */ ([
  ['/chat/ws', 'example.com', true],
  ['/chat/room/1?x=1', 'example.com', false],
  ['/api/v2/items?q=1', 'example.com', false],
  ['/static/app.js', 'example.com', false],
  ['/u/0e8f1c2a-1b2c-4d5e-8f90-123456789abc', 'example.com', false],
  ['/anything/else', 'example.com', false],
  ['/app/x', 'a.tenants.example.com', false],
  ['/public/../docs/x', 'example.com', false],
]).map(([url, host, websocket]) => ({
  req: { url, method: 'GET', headers: { host }, rawHeaders: ['Host', host] },
  websocket,
  request: { host, path: url.split('?')[0], websocket },
}));

const runtime = { routes: compileRoutes(ROUTES, (/** @type {string} */ id) => ({ id, name: id })) };

/** Prints the median, min and max ns per call of `fn` over 11 rounds of `iterations` calls. @param {string} label @param {(i: number) => number} fn */
function time(label, fn, iterations = 400_000) {
  const rounds = [];
  let sink = 0;
  for (let round = 0; round < 11; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink += fn(i);
    rounds.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  rounds.sort((a, b) => a - b);
  if (sink < 0) throw new Error('unreachable: keeps the results alive');
  console.log(`${label}: median ${rounds[5].toFixed(1)} ns/call (min ${rounds[0].toFixed(1)}, max ${rounds[10].toFixed(1)})`);
}

const n = REQUESTS.length;
time('resolveRequest', (i) => {
  const q = REQUESTS[i % n];
  return resolveRequest(runtime, q.req, q.websocket).path?.length ?? 0;
});
time('matchRoute    ', (i) => {
  const q = REQUESTS[i % n];
  return matchRoute(runtime.routes, q.request)?.stripLength ?? 0;
});
