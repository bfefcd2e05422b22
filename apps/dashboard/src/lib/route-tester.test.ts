import { explainRoute, type RoutingConfig, type SnapshotRoute } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { inMatchOrder, matchText, runTester, testerRequest, verdictsById, verdictText } from './route-tester';

const route = (id: string, overrides: Partial<SnapshotRoute> = {}): SnapshotRoute => ({
  id,
  balancerId: 'b1',
  priority: 0,
  host: null,
  match: { type: 'prefix', path: '/' },
  websocket: 'any',
  stripPrefix: false,
  enabled: true,
  ...overrides,
});
const config = (...routes: SnapshotRoute[]): RoutingConfig => ({ balancers: [{ id: 'b1', name: 'chat' }], routes });

describe('testerRequest', () => {
  it.each([
    ['http://Chat.Example.com:8080/chat/ws?room=1#top', '', false, { host: 'Chat.Example.com:8080', path: '/chat/ws?room=1', upgrade: false }],
    ['  https://example.com  ', '', false, { host: 'example.com', path: '/', upgrade: false }],
    ['http://example.com?x=1', '', false, { host: 'example.com', path: '/?x=1', upgrade: false }],
    ['ws://example.com/live', '', false, { host: 'example.com', path: '/live', upgrade: true }],
    ['WSS://user:pw@example.com/live', '', false, { host: 'example.com', path: '/live', upgrade: true }],
    ['http://example.com/public/../admin%2Fx', '', true, { host: 'example.com', path: '/public/../admin%2Fx', upgrade: true }],
    ['/chat/x#frag', ' chat.example.com ', false, { host: 'chat.example.com', path: '/chat/x#frag', upgrade: false }],
  ])('%s (host %s, upgrade %s) → %o', (url, host, upgrade, expected) => {
    expect(testerRequest({ url, host, upgrade })).toEqual(expected);
  });

  it('has nothing to test for an empty input and names what it wants for anything else', () => {
    expect(testerRequest({ url: '  ', host: 'h', upgrade: false })).toBeNull();
    expect(testerRequest({ url: 'example.com/chat', host: '', upgrade: false })).toEqual({ error: expect.stringContaining('a path starting with /') });
    expect(testerRequest({ url: 'ftp://example.com/x', host: '', upgrade: false })).toHaveProperty('error');
  });
});

describe('texts', () => {
  it('says why each route did or did not take the request', () => {
    expect(verdictText(route('a'), 'matched')).toBe('takes it');
    expect(verdictText(route('a'), 'shadowed')).toBe('would match, but a route before it takes it');
    expect(verdictText(route('a', { websocket: 'only' }), 'websocket')).toBe('WebSocket upgrades only');
    expect(verdictText(route('a', { websocket: 'never' }), 'websocket')).toBe('plain HTTP only (no upgrades)');
    expect(verdictText(route('a', { host: '*.example.com' }), 'host')).toBe('host is not *.example.com');
    expect(verdictText(route('a', { match: { type: 'regex', path: '^/api' } }), 'path')).toBe('path does not match regex ^/api');
    expect(verdictText(route('a'), 'disabled')).toBe('disabled');
    expect(verdictText(route('a'), 'no balancer')).toBe('its balancer is gone');
    expect(matchText(route('a', { match: { type: 'exact', path: '/x' } }))).toBe('exact /x');
  });
});

describe('verdictsById and inMatchOrder', () => {
  const cfg = config(route('root'), route('off', { enabled: false }), route('chat', { match: { type: 'prefix', path: '/chat' } }));

  it('maps route ids to their verdict, nothing for a refused target', () => {
    const explained = explainRoute(cfg, { host: 'h', path: '/chat/x', upgrade: false });
    expect(Object.fromEntries(verdictsById(explained))).toEqual({ chat: 'matched', root: 'shadowed', off: 'disabled' });
    expect(verdictsById(explainRoute(cfg, { host: 'h', path: '/..', upgrade: false })).size).toBe(0);
    expect(verdictsById(null).size).toBe(0);
  });

  it('orders rows as agents try the routes, unknown rows last in their order', () => {
    const rows = [{ id: 'x' }, { id: 'off' }, { id: 'root' }, { id: 'y' }, { id: 'chat' }];
    expect(inMatchOrder(rows, cfg).map((r) => r.id)).toEqual(['chat', 'root', 'off', 'x', 'y']);
  });
});

describe('runTester', () => {
  const cfg = config(route('root'), route('chat', { match: { type: 'prefix', path: '/chat' } }));
  const input = { url: 'http://example.com/chat/x', host: '', upgrade: false };

  it('tests nothing for an empty input and names a bad one', () => {
    expect(runTester(cfg, { ...input, url: '' }, null)).toEqual({ inputError: null, saved: null, draft: null });
    expect(runTester(cfg, { ...input, url: 'chat' }, null)).toMatchObject({ inputError: expect.any(String), saved: null, draft: null });
  });

  it('tests the saved routes, and the draft in place when it passes the API rules', () => {
    const draft = { route: route('draft', { priority: 1, match: { type: 'exact', path: '/chat/x' } }) };
    const answers = runTester(cfg, input, draft);
    expect(answers.saved?.outcome === 'routed' && answers.saved.route.id).toBe('chat');
    expect(answers.draft && 'explained' in answers.draft && answers.draft.explained.outcome === 'routed' && answers.draft.explained.route.id).toBe('draft');
    const edited = runTester(cfg, input, { route: route('chat', { enabled: false, match: { type: 'prefix', path: '/chat' } }) });
    expect(edited.draft && 'explained' in edited.draft && edited.draft.explained.outcome === 'routed' && edited.draft.explained.route.id).toBe('root');
  });

  it('does not test a draft that breaks the rules, and says why', () => {
    const errors = [{ path: 'match.path', message: 'lookahead (?=…) is not supported' }];
    expect(runTester(cfg, input, { errors }).draft).toEqual({ errors });
  });
});
