import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack';

interface RevisionItem {
  number: number;
  hash: string;
  author: string;
  reason: string;
  createdAt: string;
}

/** `GET /api/v1/revisions?limit=&before=`: pages of the revision list, newest first (the dashboard's "load more"). */
describe('revision list paging', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ agents: 0 });
  });
  afterAll(async () => stack?.stop());

  const list = async (query: string) => stack.api<RevisionItem[]>('GET', `/api/v1/revisions${query}`);

  it('pages with ?before=N through every revision once, newest first', async () => {
    const balancer = await stack.api<{ id: string }>('POST', '/api/v1/balancers', { name: 'paged' });
    for (const lbMethod of ['byrequests', 'p2c', 'bytraffic', 'bybusyness']) {
      expect((await stack.api('PATCH', `/api/v1/balancers/${balancer.body.id}`, { lbMethod })).status).toBe(200);
    }
    const all = (await list('?limit=500')).body;
    expect(all.map((r) => r.number)).toEqual([5, 4, 3, 2, 1, 0]);

    const first = (await list('?limit=4')).body;
    expect(first.map((r) => r.number)).toEqual([5, 4, 3, 2]);
    const second = (await list(`?limit=4&before=${first.at(-1)!.number}`)).body;
    expect(second).toEqual(all.slice(4));
    expect(second[0]).toMatchObject({ number: 1, reason: 'balancer.create', author: expect.any(String), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await list('?before=0')).body).toEqual([]);
    expect((await list('?before=1000')).body).toEqual(all.slice(0, 50));
  });

  it('answers a bad ?before with 400 naming it', async () => {
    for (const bad of ['-1', 'abc', '1.5']) {
      const res = await stack.api<{ errors: { path: string }[] }>('GET', `/api/v1/revisions?before=${bad}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e) => e.path)).toEqual(['before']);
    }
  });
});
