import type { AuditPage } from '@switchboard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack';

/**
 * Issue 7 item 10: member URLs carrying userinfo would show credentials to viewers and in every
 * agent's /config. The API refuses them with 400 naming `url` and the cause, and writes nothing.
 */
describe('member URLs with credentials', () => {
  let stack: Stack;
  let balancerId: string;
  let memberId: string;

  beforeAll(async () => {
    stack = await startStack({ agents: 0 });
    balancerId = (await stack.api<{ id: string }>('POST', '/api/v1/balancers', { name: 'creds' })).body.id;
    memberId = (await stack.api<{ id: string }>('POST', `/api/v1/balancers/${balancerId}/members`, { url: 'http://127.0.0.1:9001' })).body.id;
  });
  afterAll(async () => stack?.stop());

  const urls = ['http://user:s3cr3t@127.0.0.1:9001', 'http://s3cr3t@127.0.0.1:9001', 'ws://%75ser:s3cr3t%40x@127.0.0.1:9001/chat', 'wss://:s3cr3t@backend.example', 'http://@127.0.0.1:9001'];

  /** Revision number, members and the newest audit event: none may change on a refused write. */
  const state = async () => ({
    revision: (await stack.api<{ number: number }[]>('GET', '/api/v1/revisions?limit=1')).body[0].number,
    members: (await stack.api<unknown[]>('GET', `/api/v1/balancers/${balancerId}/members`)).body,
    audit: (await stack.api<AuditPage>('GET', '/api/v1/audit?limit=1')).body.items[0].id,
  });

  it.each(urls)('refuses %s on POST and PATCH with 400 naming url and the cause, writing nothing', async (url) => {
    const before = await state();
    const created = await stack.api('POST', `/api/v1/balancers/${balancerId}/members`, { url, name: 'secret' });
    const patched = await stack.api('PATCH', `/api/v1/balancers/${balancerId}/members/${memberId}`, { url });
    for (const answer of [created, patched]) {
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors).toEqual([{ path: 'url', message: expect.stringMatching(/^must not contain credentials/) }]);
      expect(JSON.stringify(answer.body)).not.toContain('s3cr3t');
    }
    expect(await state()).toEqual(before);
  });

  it('still accepts a URL without credentials (an @ in the path is not userinfo)', async () => {
    const patched = await stack.api('PATCH', `/api/v1/balancers/${balancerId}/members/${memberId}`, { url: 'http://127.0.0.1:9002/users/@me' });
    expect(patched.status).toBe(200);
    expect(patched.body.url).toBe('http://127.0.0.1:9002/users/@me');
  });
});
