import type { CreateMemberBody, LbMethod } from '@switchboard/api-client';
import { resource, type Stack } from './stack';

/** Creates balancer `name` with one member per backend URL and a prefix route `/<name>`; returns ids. */
export async function createBalancer(
  stack: Stack,
  name: string,
  members: (CreateMemberBody & { name: string })[],
  lbMethod: LbMethod = 'bybusyness',
): Promise<{ balancerId: string; memberIds: Record<string, string>; revision: number }> {
  const { client } = stack;
  const { body: balancer } = await resource('create balancer', client.POST('/api/v1/balancers', { body: { name, lbMethod } }));
  const memberIds: Record<string, string> = {};
  for (const member of members) {
    const { body } = await resource('create member', client.POST('/api/v1/balancers/{balancerId}/members', { params: { path: { balancerId: balancer.id } }, body: member }));
    memberIds[member.name] = body.id;
  }
  const route = await resource('create route', client.POST('/api/v1/routes', { body: { balancerId: balancer.id, match: { type: 'prefix', path: `/${name}` } } }));
  return { balancerId: balancer.id, memberIds, revision: Number(route.response.headers.get('switchboard-revision')) };
}

/** Resolves when the agent's admin /config serves `revision` or later; returns the time it took (ms). */
export async function agentAtRevision(adminUrl: string, revision: number, timeoutMs = 10_000): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const res = await fetch(`${adminUrl}/config`).catch(() => null);
    if (res?.ok) {
      const body = (await res.json()) as { revision: number | null };
      if (body.revision !== null && body.revision >= revision) return Date.now() - start;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`agent at ${adminUrl} did not reach revision ${revision} within ${timeoutMs} ms`);
}
