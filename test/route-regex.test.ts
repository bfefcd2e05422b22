import type { AuditPage } from '@switchboard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack';

// Issue 7, item 2: route regexes are matched by RE2 in the agent, so the API refuses what RE2
// cannot run (lookaround, backreferences, possessive quantifiers…) with a 400 naming the field
// and the construct, before any revision is written: no agent can be sent a route it cannot compile.

describe('route regexes at the API (RE2 syntax)', () => {
  let stack: Stack;
  let balancerId: string;
  beforeAll(async () => {
    stack = await startStack({ agents: 0 });
    balancerId = (await stack.api<{ id: string }>('POST', '/api/v1/balancers', { name: 'regexes' })).body.id;
  });
  afterAll(async () => stack?.stop());

  const latestRevision = async (): Promise<number> => (await stack.api<{ number: number }[]>('GET', '/api/v1/revisions?limit=1')).body[0]!.number;

  const refused: [string, string][] = [
    ['^/(?=admin)', 'lookahead (?=…) is not supported: route regexes use RE2 syntax'],
    ['^/(?!admin)', 'negative lookahead (?!…) is not supported: route regexes use RE2 syntax'],
    ['(?<=/api)/x', 'lookbehind (?<=…) is not supported: route regexes use RE2 syntax'],
    ['(?<!/api)/x', 'negative lookbehind (?<!…) is not supported: route regexes use RE2 syntax'],
    ['^/(a)\\1', 'backreference \\1 is not supported: route regexes use RE2 syntax'],
    ['^/(?<n>a)\\k<n>', 'named backreference \\k<…> is not supported: route regexes use RE2 syntax'],
    ['^/a++', 'possessive quantifier ++ is not supported: route regexes use RE2 syntax'],
    ['^/(?>a+)b', 'atomic group (?>…) is not supported: route regexes use RE2 syntax'],
  ];

  it.each(refused)('refuses %s on create with 400 naming match.path, and writes no revision', async (path, message) => {
    const before = await latestRevision();
    const res = await stack.api('POST', '/api/v1/routes', { balancerId, match: { type: 'regex', path } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors).toEqual([{ path: 'match.path', message }]);
    expect(await latestRevision()).toBe(before);
  });

  it('refuses a lookbehind on update, leaving the route and the revision as they were', async () => {
    const created = await stack.api('POST', '/api/v1/routes', { balancerId, match: { type: 'regex', path: '^/v[0-9]+/' }, stripPrefix: true });
    expect(created.status).toBe(201);
    const before = await latestRevision();
    const res = await stack.api('PATCH', `/api/v1/routes/${created.body.id}`, { match: { type: 'regex', path: '(?<=/v1)/x' } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'match.path', message: 'lookbehind (?<=…) is not supported: route regexes use RE2 syntax' }]);
    expect(await latestRevision()).toBe(before);
    expect((await stack.api('GET', `/api/v1/routes/${created.body.id}`)).body.match).toEqual({ type: 'regex', path: '^/v[0-9]+/' });
    const audit = await stack.api<AuditPage>('GET', '/api/v1/audit?limit=1');
    expect(audit.body.items[0]).toMatchObject({ action: 'route.create', revision: before });
  });

  it('refuses a program too large to match cheaply, and accepts RE2-only syntax', async () => {
    const big = await stack.api('POST', '/api/v1/routes', { balancerId, match: { type: 'regex', path: '(a|aa){32}$' } });
    expect(big.status).toBe(400);
    expect(big.body.errors).toEqual([{ path: 'match.path', message: expect.stringMatching(/^is too complex: its RE2 program has \d+ instructions, at most 100 are allowed/) }]);
    const named = await stack.api('POST', '/api/v1/routes', { balancerId, match: { type: 'regex', path: '(?i)^/u/(?P<id>[0-9]+)$' } });
    expect(named.status).toBe(201);
    const snapshot = await stack.api('GET', `/api/v1/revisions/${await latestRevision()}`);
    expect(snapshot.body.config.routes.map((r: { match: { path: string } }) => r.match.path)).toContain('(?i)^/u/(?P<id>[0-9]+)$');
  });
});
