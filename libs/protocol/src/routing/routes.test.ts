import { describe, expect, it } from 'vitest';
import { RE2JS } from 're2js';
import type { SnapshotRoute } from '../config';
import { route } from './fixtures';
import { compileRoutes, forwardPath, matchRoute, refusalOf, requestHost, routeRequest, splitTarget } from './routes';

/** Compiles routes whose target is the route id, so a match shows which route won. */
function routesOf(...routes: SnapshotRoute[]) {
  return compileRoutes(routes, (balancerId) => balancerId);
}

function winner(routes: ReturnType<typeof routesOf>, path: string, host = 'example.com', websocket = false): string | undefined {
  return matchRoute(routes, { host, path, websocket })?.route.id;
}

describe('prefix matching at a / boundary', () => {
  const routes = routesOf(route('chat', 'b', { match: { type: 'prefix', path: '/chat' } }));
  it.each([
    ['/chat', 'chat'],
    ['/chat/', 'chat'],
    ['/chat/x', 'chat'],
    ['/chat/x/y', 'chat'],
    ['/chatty', undefined],
    ['/cha', undefined],
    ['/', undefined],
    ['/Chat', undefined],
  ])('%s → %s', (path, expected) => expect(winner(routes, path)).toBe(expected));

  it('a prefix ending in / needs the slash', () => {
    const slash = routesOf(route('chat', 'b', { match: { type: 'prefix', path: '/chat/' } }));
    expect(winner(slash, '/chat/x')).toBe('chat');
    expect(winner(slash, '/chat/')).toBe('chat');
    expect(winner(slash, '/chat')).toBeUndefined();
  });

  it('prefix / matches every path', () => {
    const root = routesOf(route('root', 'b'));
    for (const path of ['/', '/a', '/a/b?c']) expect(winner(root, path)).toBe('root');
  });
});

describe('exact matching', () => {
  const routes = routesOf(route('health', 'b', { match: { type: 'exact', path: '/health' } }));
  it.each([
    ['/health', 'health'],
    ['/health/', undefined],
    ['/health/x', undefined],
    ['/healthz', undefined],
  ])('%s → %s', (path, expected) => expect(winner(routes, path)).toBe(expected));
});

describe('host matching', () => {
  const routes = routesOf(
    route('exact', 'b', { host: 'chat.example.com' }),
    route('wild', 'b', { host: '*.example.com' }),
    route('any', 'b', { priority: -1 }),
  );
  it.each([
    ['chat.example.com', 'exact'],
    ['api.example.com', 'wild'],
    ['a.b.example.com', 'wild'],
    ['example.com', 'any'],
    ['badexample.com', 'any'],
    ['other.org', 'any'],
    ['', 'any'],
  ])('%s → %s', (host, expected) => expect(winner(routes, '/', host)).toBe(expected));

  it('exact host before wildcard before none on equal priority and path', () => {
    const tied = routesOf(route('none', 'b'), route('wild', 'b', { host: '*.example.com' }), route('exact', 'b', { host: 'chat.example.com' }));
    expect(winner(tied, '/', 'chat.example.com')).toBe('exact');
    expect(winner(tied, '/', 'x.example.com')).toBe('wild');
    expect(winner(tied, '/', 'other.org')).toBe('none');
  });
});

describe('routeRequest', () => {
  const routes = routesOf(route('chat', 'b', { match: { type: 'prefix', path: '/chat' }, stripPrefix: true }));

  it('names the route and the path forwarded, query kept', () => {
    const routed = routeRequest(routes, { method: 'GET', host: 'h', path: '/chat/ws', query: '?room=1', websocket: true });
    expect(routed).toEqual({ route: routes[0], path: '/ws?room=1' });
  });

  it.each([
    [{ method: 'POST', host: 'h', websocket: false }, 'no route matches POST /other on host h'],
    [{ method: undefined, host: '', websocket: true }, 'no route matches GET /other on host (none) (websocket)'],
  ])('answers 404 naming the request: %o', (request, reason) => {
    expect(routeRequest(routes, { ...request, path: '/other', query: '?x' })).toEqual({ status: 404, reason });
  });
});

describe('refusalOf', () => {
  const routes = routesOf(
    route('ws', 'b', { websocket: 'only', host: 'chat.example.com', match: { type: 'prefix', path: '/ws' } }),
    route('wild', 'b', { host: '*.example.com', match: { type: 'regex', path: '^/api/' } }),
    route('rest', 'b', { priority: -1, match: { type: 'exact', path: '/' } }),
  );
  const requests = [
    { host: 'chat.example.com', path: '/ws', websocket: true },
    { host: 'chat.example.com', path: '/ws', websocket: false },
    { host: 'other.org', path: '/ws', websocket: true },
    { host: 'a.example.com', path: '/api/x', websocket: false },
    { host: 'a.example.com', path: '/x/api/', websocket: false },
    { host: 'other.org', path: '/', websocket: false },
    { host: 'other.org', path: '/nothing', websocket: true },
  ];

  it('names the first test a route fails, in matchRoute order', () => {
    const byRoute = (request: (typeof requests)[number]) => Object.fromEntries(routes.map((r) => [r.id, refusalOf(r, request)]));
    expect(byRoute(requests[1])).toEqual({ ws: 'websocket', wild: 'path', rest: 'path' });
    expect(byRoute(requests[2])).toEqual({ ws: 'host', wild: 'host', rest: 'path' });
    expect(byRoute(requests[4])).toEqual({ ws: 'websocket', wild: 'path', rest: 'path' });
  });

  it.each(requests)('agrees with matchRoute: the winner is the first route it does not refuse (%o)', (request) => {
    expect(matchRoute(routes, request)?.route).toBe(routes.find((r) => refusalOf(r, request) === null));
  });
});

describe('requestHost', () => {
  it.each([
    ['Chat.Example.COM', 'chat.example.com'],
    ['chat.example.com:8080', 'chat.example.com'],
    ['127.0.0.1:80', '127.0.0.1'],
    ['[::1]:8080', '[::1]'],
    ['[::1]', '[::1]'],
    [undefined, ''],
  ])('%s → %s', (header, expected) => expect(requestHost(header)).toBe(expected));
});

describe('websocket rule', () => {
  const routes = routesOf(
    route('only', 'b', { websocket: 'only', match: { type: 'prefix', path: '/ws' } }),
    route('never', 'b', { websocket: 'never', match: { type: 'prefix', path: '/ws' } }),
    route('any', 'b', { match: { type: 'prefix', path: '/any' } }),
  );
  it.each([
    ['/ws', true, 'only'],
    ['/ws', false, 'never'],
    ['/any', true, 'any'],
    ['/any', false, 'any'],
  ])('%s websocket=%s → %s', (path, websocket, expected) => expect(winner(routes, path, 'h', websocket)).toBe(expected));

  it('an only-websocket route does not take plain requests', () => {
    const onlyWs = routesOf(route('only', 'b', { websocket: 'only' }));
    expect(winner(onlyWs, '/', 'h', false)).toBeUndefined();
  });
});

describe('order', () => {
  it('higher priority wins over a longer path', () => {
    const routes = routesOf(route('long', 'b', { match: { type: 'prefix', path: '/api/v1' } }), route('high', 'b', { priority: 10, match: { type: 'prefix', path: '/api' } }));
    expect(winner(routes, '/api/v1/x')).toBe('high');
  });

  it('longest path wins on equal priority, whatever the snapshot order', () => {
    const routes = routesOf(route('short', 'b', { match: { type: 'prefix', path: '/api' } }), route('long', 'b', { match: { type: 'prefix', path: '/api/v1' } }), route('root', 'b'));
    expect(winner(routes, '/api/v1/x')).toBe('long');
    expect(winner(routes, '/api/v2')).toBe('short');
    expect(winner(routes, '/other')).toBe('root');
  });

  it('exact before prefix of the same path', () => {
    const routes = routesOf(route('prefix', 'b', { match: { type: 'prefix', path: '/a' } }), route('exact', 'b', { match: { type: 'exact', path: '/a' } }));
    expect(winner(routes, '/a')).toBe('exact');
    expect(winner(routes, '/a/b')).toBe('prefix');
  });

  it('snapshot order breaks remaining ties', () => {
    const routes = routesOf(route('first', 'b'), route('second', 'b'));
    expect(winner(routes, '/')).toBe('first');
  });
});

describe('compileRoutes', () => {
  it('leaves out disabled routes and routes to unknown balancers', () => {
    const routes = compileRoutes([route('off', 'b', { enabled: false }), route('lost', 'gone'), route('on', 'b')], (id) => (id === 'b' ? id : undefined));
    expect(routes.map((r) => r.id)).toEqual(['on']);
  });
});

describe('forwardPath', () => {
  function forwarded(match: SnapshotRoute['match'], stripPrefix: boolean, target: string): string {
    const routes = routesOf(route('r', 'b', { match, stripPrefix }));
    const { path, query } = splitTarget(target);
    const matched = matchRoute(routes, { host: 'h', path, websocket: false });
    if (!matched) throw new Error(`${target} does not match`);
    return forwardPath(matched.stripLength, path, query);
  }
  it.each([
    [{ type: 'prefix' as const, path: '/chat' }, true, '/chat/ws', '/ws'],
    [{ type: 'prefix' as const, path: '/chat' }, true, '/chat', '/'],
    [{ type: 'prefix' as const, path: '/chat' }, true, '/chat/', '/'],
    [{ type: 'prefix' as const, path: '/chat' }, true, '/chat/ws?room=1&x=%20', '/ws?room=1&x=%20'],
    [{ type: 'prefix' as const, path: '/chat' }, true, '/chat?room=1', '/?room=1'],
    [{ type: 'prefix' as const, path: '/chat/' }, true, '/chat/ws', '/ws'],
    [{ type: 'prefix' as const, path: '/' }, true, '/a/b', '/a/b'],
    [{ type: 'exact' as const, path: '/chat' }, true, '/chat?x', '/?x'],
    [{ type: 'prefix' as const, path: '/chat' }, false, '/chat/ws?x=1', '/chat/ws?x=1'],
    [{ type: 'regex' as const, path: '^/api/v[0-9]+' }, true, '/api/v2/items?q=1', '/items?q=1'],
    [{ type: 'regex' as const, path: '^/api/v[0-9]+' }, true, '/api/v2', '/'],
    [{ type: 'regex' as const, path: '^/api/v[0-9]+' }, true, '/api/v2x', '/x'],
    [{ type: 'regex' as const, path: '^/api/v[0-9]+' }, false, '/api/v2/items', '/api/v2/items'],
    [{ type: 'regex' as const, path: '/ws$' }, true, '/room/1/ws?t=1', '/room/1/ws?t=1'],
    [{ type: 'regex' as const, path: '^/(a|b)/' }, true, '/b/c', '/c'],
  ])('%o strip=%s: %s → %s', (match, strip, target, expected) => expect(forwarded(match, strip, target)).toBe(expected));
});

describe('regex routes', () => {
  it('takes RE2 syntax: named groups (?P<n>…), inline flags (?i), POSIX classes', () => {
    const routes = routesOf(
      route('named', 'b', { match: { type: 'regex', path: '^/u/(?P<id>[0-9]+)$' } }),
      route('nocase', 'b', { match: { type: 'regex', path: '(?i)^/docs/' } }),
      route('posix', 'b', { match: { type: 'regex', path: '^/[[:alpha:]]+$' } }),
    );
    expect(winner(routes, '/u/42')).toBe('named');
    expect(winner(routes, '/DOCS/x')).toBe('nocase');
    expect(winner(routes, '/abc')).toBe('posix');
    expect(winner(routes, '/ab1')).toBeUndefined();
  });

  it('tests the raw path anywhere unless anchored, case-sensitively, without the query', () => {
    const routes = routesOf(route('ws', 'b', { match: { type: 'regex', path: '/ws$' } }), route('api', 'b', { match: { type: 'regex', path: '^/api/v[0-9]+/' } }));
    expect(winner(routes, '/rooms/7/ws')).toBe('ws');
    expect(winner(routes, '/rooms/7/wss')).toBeUndefined();
    expect(winner(routes, '/api/v10/x')).toBe('api');
    expect(winner(routes, '/API/v10/x')).toBeUndefined();
    expect(winner(routes, '/x/api/v1/')).toBeUndefined();
    expect(winner(routes, '/a%2Fws')).toBeUndefined();
  });

  it('compiles each expression once per snapshot, and reuses it across requests', () => {
    const [compiled] = routesOf(route('r', 'b', { match: { type: 'regex', path: '^/x' } }));
    expect(compiled!.regex).toBeInstanceOf(RE2JS);
    expect(compiled!.regex!.flags()).toBe(0);
    for (let i = 0; i < 3; i++) expect(matchRoute([compiled!], { host: 'h', path: '/x/y', websocket: false })?.route).toBe(compiled);
    expect(routesOf(route('p', 'b')).map((r) => r.regex)).toEqual([null]);
  });

  it('orders by priority, then source length against literal paths, then exact, prefix, regex', () => {
    const routes = routesOf(
      route('short-regex', 'b', { match: { type: 'regex', path: '^/a' } }),
      route('prefix', 'b', { match: { type: 'prefix', path: '/ab' } }),
      route('long-regex', 'b', { match: { type: 'regex', path: '^/api/v[12]/' } }),
      route('tie-regex', 'b', { match: { type: 'regex', path: '^/ap' } }),
      route('tie-prefix', 'b', { match: { type: 'prefix', path: '/api' } }),
    );
    expect(routes.map((r) => r.id)).toEqual(['long-regex', 'tie-prefix', 'tie-regex', 'prefix', 'short-regex']);
    expect(winner(routes, '/api/v1/x')).toBe('long-regex');
    expect(winner(routes, '/api/v3/x')).toBe('tie-prefix');
    expect(winner(routes, '/apx')).toBe('tie-regex');
    expect(winner(routes, '/ab/c')).toBe('prefix');
    expect(winner(routes, '/abc')).toBe('short-regex');
    const prioritized = routesOf(route('long', 'b', { match: { type: 'regex', path: '^/api/v[0-9]+/.*$' } }), route('high', 'b', { priority: 1, match: { type: 'prefix', path: '/api' } }));
    expect(winner(prioritized, '/api/v1/x')).toBe('high');
  });

  it('keeps reversePrefix for stripped prefix routes only', () => {
    const reverse = (match: SnapshotRoute['match'], stripPrefix: boolean) => routesOf(route('r', 'b', { match, stripPrefix }))[0]!.reversePrefix;
    expect(reverse({ type: 'prefix', path: '/chat/' }, true)).toBe('/chat');
    expect(reverse({ type: 'prefix', path: '/chat' }, false)).toBeNull();
    expect(reverse({ type: 'prefix', path: '/' }, true)).toBeNull();
    expect(reverse({ type: 'exact', path: '/chat' }, true)).toBeNull();
    expect(reverse({ type: 'regex', path: '^/chat' }, true)).toBeNull();
  });
});

describe('regex routes against a pathological pattern (ReDoS, issue 7)', () => {
  // `^/(a+)+$` against a run of a's ending in a mismatch takes a backtracking engine 2^n steps
  // (258 ms at 26 characters in the old agent, doubling per character): 100,000 would never end.
  const attack = `/${'a'.repeat(100_000)}!`;

  it.each([false, true])('answers in linear time, stripPrefix=%s', (stripPrefix) => {
    const routes = routesOf(route('evil', 'b', { match: { type: 'regex', path: '^/(a+)+$' }, stripPrefix }), route('rest', 'b', { priority: -1 }));
    const started = performance.now();
    expect(winner(routes, attack)).toBe('rest');
    expect(winner(routes, `/${'a'.repeat(100_000)}`)).toBe('evil');
    // Generous for a contended CI machine; a backtracking engine would not finish at all.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('still strips a match at the start of a long path', () => {
    const routes = routesOf(route('evil', 'b', { match: { type: 'regex', path: '^/(a+)+' }, stripPrefix: true }));
    const path = `/${'a'.repeat(100_000)}/rest`;
    const matched = matchRoute(routes, { host: 'h', path, websocket: false })!;
    expect(forwardPath(matched.stripLength, path, '?q')).toBe('/rest?q');
  });
});
