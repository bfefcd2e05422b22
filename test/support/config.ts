import type { Stack } from './stack';

/** Creates balancer `name` with one member per backend URL and a prefix route `/<name>`; returns ids. */
export async function createBalancer(
  stack: Stack,
  name: string,
  members: { url: string; name: string; weight?: number; state?: string }[],
  lbMethod: 'byrequests' | 'bybusyness' = 'bybusyness',
): Promise<{ balancerId: string; memberIds: Record<string, string>; revision: number }> {
  const balancer = await stack.api<{ id: string }>('POST', '/api/v1/balancers', { name, lbMethod });
  if (balancer.status !== 201) throw new Error(`create balancer: ${balancer.status} ${JSON.stringify(balancer.body)}`);
  const memberIds: Record<string, string> = {};
  for (const member of members) {
    const res = await stack.api<{ id: string }>('POST', `/api/v1/balancers/${balancer.body.id}/members`, member);
    if (res.status !== 201) throw new Error(`create member: ${res.status} ${JSON.stringify(res.body)}`);
    memberIds[member.name] = res.body.id;
  }
  const route = await stack.api('POST', '/api/v1/routes', { balancerId: balancer.body.id, match: { type: 'prefix', path: `/${name}` } });
  if (route.status !== 201) throw new Error(`create route: ${route.status} ${JSON.stringify(route.body)}`);
  return { balancerId: balancer.body.id, memberIds, revision: Number(route.headers.get('switchboard-revision')) };
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
