import { describe, expect, it } from 'vitest';
import type { SnapshotRoute } from '../config';
import { explainRoute, routesInMatchOrder, type ExplainRequest, type RouteExplanation, type RoutingConfig } from './explain';
import { route } from './fixtures';

const balancers = [
  { id: 'b-chat', name: 'chat' },
  { id: 'b-api', name: 'api' },
  { id: 'b-web', name: 'web' },
];

function config(...routes: SnapshotRoute[]): RoutingConfig {
  return { balancers, routes };
}

function ask(cfg: RoutingConfig, path: string, opts: Partial<ExplainRequest> = {}): RouteExplanation {
  return explainRoute(cfg, { host: 'example.com', path, upgrade: false, ...opts });
}

/** `route id → balancer name path`, `404`, or `400`: the answer in one string. */
function answer(explained: RouteExplanation): string {
  if (explained.outcome !== 'routed') return String(explained.status);
  return `${explained.route.id} → ${explained.balancer.name} ${explained.forwardedPath}`;
}

describe('explainRoute', () => {
  it('names the route, its balancer and the path forwarded after stripPrefix (query kept)', () => {
    const cfg = config(route('chat', 'b-chat', { match: { type: 'prefix', path: '/chat' }, stripPrefix: true }), route('web', 'b-web', { priority: -1 }));
    expect(answer(ask(cfg, '/chat/room/1?x=%20'))).toBe('chat → chat /room/1?x=%20');
    expect(answer(ask(cfg, '/chat'))).toBe('chat → chat /');
    expect(answer(ask(cfg, '/chatty'))).toBe('web → web /chatty');
  });

  it('breaks priority ties by path length, then exact before prefix before regex, then host, then configuration order', () => {
    const cfg = config(
      route('first', 'b-web', { match: { type: 'prefix', path: '/tie' } }),
      route('second', 'b-api', { match: { type: 'prefix', path: '/tie' } }),
      route('exact', 'b-chat', { match: { type: 'exact', path: '/tie' } }),
      route('regex', 'b-api', { match: { type: 'regex', path: '/tie' } }),
      route('host', 'b-chat', { host: 'a.example.com', match: { type: 'prefix', path: '/tie' } }),
      route('high', 'b-api', { priority: 5 }),
    );
    expect(answer(ask(cfg, '/tie'))).toBe('high → api /tie');
    const noHigh = config(...cfg.routes.filter((r) => r.id !== 'high'));
    expect(answer(ask(noHigh, '/tie'))).toBe('exact → chat /tie');
    expect(answer(ask(noHigh, '/tie/x', { host: 'a.example.com' }))).toBe('host → chat /tie/x');
    expect(answer(ask(noHigh, '/tie/x'))).toBe('first → web /tie/x');
    expect(answer(ask(config(...noHigh.routes.slice(1)), '/tie/x'))).toBe('second → api /tie/x');
    expect(answer(ask(config(noHigh.routes[3]), '/x/tie/y'))).toBe('regex → api /x/tie/y');
  });

  it('matches exact and wildcard hosts, case- and port-insensitively', () => {
    const cfg = config(route('exact', 'b-chat', { host: 'chat.example.com' }), route('wild', 'b-api', { host: '*.example.com' }), route('any', 'b-web', { priority: -1 }));
    expect(answer(ask(cfg, '/', { host: 'Chat.Example.com:8080' }))).toBe('exact → chat /');
    expect(answer(ask(cfg, '/', { host: 'a.b.example.com' }))).toBe('wild → api /');
    expect(answer(ask(cfg, '/', { host: 'example.com' }))).toBe('any → web /');
  });

  it('answers 400 to a plain request without a Host header, as the agent\'s HTTP parser does; an upgrade without one is routed on no host', () => {
    const cfg = config(route('any', 'b-web'), route('host', 'b-api', { host: 'example.com' }));
    expect(ask(cfg, '/', { host: '' })).toMatchObject({ outcome: 'refused', status: 400, by: 'parser', reason: expect.stringMatching(/^no Host header/) });
    expect(answer(ask(cfg, '/', { host: '', upgrade: true }))).toBe('any → web /');
  });

  it('runs regex routes on RE2 against the normalised path, stripping a match at the start', () => {
    const cfg = config(route('api', 'b-api', { match: { type: 'regex', path: '^/api/v[0-9]+' }, stripPrefix: true }), route('ws', 'b-chat', { match: { type: 'regex', path: '/ws$' }, stripPrefix: true }));
    expect(answer(ask(cfg, '/api/v2/items?q=1'))).toBe('api → api /items?q=1');
    expect(answer(ask(cfg, '/rooms/7/ws'))).toBe('ws → chat /rooms/7/ws');
    expect(answer(ask(cfg, '/API/v2'))).toBe('404');
  });

  it('honours websocket only and never', () => {
    const cfg = config(route('only', 'b-chat', { websocket: 'only', match: { type: 'prefix', path: '/live' } }), route('never', 'b-web', { websocket: 'never', match: { type: 'prefix', path: '/live' } }));
    expect(answer(ask(cfg, '/live', { upgrade: true }))).toBe('only → chat /live');
    expect(answer(ask(cfg, '/live'))).toBe('never → web /live');
    const onlyWs = config(cfg.routes[0]);
    const plain = ask(onlyWs, '/live');
    expect(plain).toMatchObject({ outcome: 'no-route', status: 404, reason: 'no route matches GET /live on host example.com', routes: [{ verdict: 'websocket' }] });
  });

  it('matches the normalised path: dot segments, %2e, repeated slashes and \\ resolved, %2F kept encoded', () => {
    const cfg = config(route('public', 'b-web', { match: { type: 'prefix', path: '/public' } }), route('admin', 'b-api', { match: { type: 'prefix', path: '/admin' } }));
    expect(answer(ask(cfg, '/public/../admin/x'))).toBe('admin → api /admin/x');
    expect(answer(ask(cfg, '/public/%2e%2e/admin'))).toBe('admin → api /admin');
    expect(answer(ask(cfg, '//public///x'))).toBe('public → web /public/x');
    expect(answer(ask(cfg, '/public\\x'))).toBe('public → web /public/x');
    expect(answer(ask(cfg, '/public%2Fx'))).toBe('404');
    const explained = ask(cfg, '/admin%2fx', { upgrade: true });
    expect(explained).toMatchObject({ outcome: 'no-route', request: { host: 'example.com', path: '/admin%2Fx', websocket: true }, reason: 'no route matches GET /admin%2Fx on host example.com (websocket)' });
  });

  it.each([
    ['/../etc/passwd', 'bad request target: ".." climbs above the root'],
    ['/a/..%2Fadmin', 'bad request target: segment "..%2Fadmin" hides a dot segment behind an encoded slash (%2F, %5C) or ";"'],
    ['/a%00b', 'bad request target: encoded control character %00 in the path'],
    ['/a b', 'bad request target: control, space or non-ASCII character in the path'],
    ['api/x', 'bad request target: must be origin-form (/path) or an absolute http(s) URL'],
  ])('answers 400 for a target the agent refuses: %s', (path, reason) => {
    expect(ask(config(route('all', 'b-web')), path)).toEqual({ outcome: 'refused', status: 400, by: 'agent', reason });
  });

  it('gives every route a verdict: match order first, then the routes the agent leaves out', () => {
    const cfg = config(
      route('off', 'b-chat', { enabled: false }),
      route('lost', 'b-gone'),
      route('ws', 'b-chat', { websocket: 'only' }),
      route('other-host', 'b-api', { host: 'other.org' }),
      route('long', 'b-api', { match: { type: 'prefix', path: '/docs/v1' } }),
      route('docs', 'b-web', { match: { type: 'prefix', path: '/docs' } }),
      route('root', 'b-web', { priority: -1 }),
    );
    const explained = ask(cfg, '/docs/v2', { method: 'POST' });
    expect(answer(explained)).toBe('docs → web /docs/v2');
    if (explained.outcome !== 'routed') throw new Error('expected a route');
    expect(explained.routes.map((r) => `${r.route.id}:${r.verdict}`)).toEqual([
      'long:path',
      'docs:matched',
      'other-host:host',
      'ws:websocket',
      'root:shadowed',
      'off:disabled',
      'lost:no balancer',
    ]);
  });

  it('lists routes in the order the agent tries them, then the ones it leaves out (routesInMatchOrder)', () => {
    const cfg = config(route('off', 'b-web', { enabled: false }), route('root', 'b-web'), route('lost', 'b-gone'), route('chat', 'b-chat', { match: { type: 'prefix', path: '/chat' } }));
    expect(routesInMatchOrder(cfg).map((r) => r.id)).toEqual(['chat', 'root', 'off', 'lost']);
  });
});
