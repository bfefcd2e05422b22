import { snapshotConfig, type SnapshotConfig } from '@switchboard/protocol';
import { hashConfig } from '@switchboard/protocol/node';
import type { Tx } from '../database/prisma.service';
import { Problem } from '../common/problem';
import { fieldErrors } from '../common/zod.pipe';
import { balancerSettingsOf } from '../balancers/balancer.dto';
import { drainOf } from '../members/member.dto';

/**
 * Reads the whole configuration inside `tx` and returns it as the agents' snapshot config with
 * its hash. Stored strings (lbMethod, state, …) are checked by the protocol schema here, once. Members and routes are ordered by creation so equal data hashes equally.
 * @throws Problem `conflict` when the result would fail the protocol's consistency check.
 */
export async function buildSnapshot(tx: Tx): Promise<{ config: SnapshotConfig; hash: string }> {
  const balancers = await tx.balancer.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], include: { members: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } } });
  const routes = await tx.route.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  const candidate = {
    balancers: balancers.map((b) => ({
      ...balancerSettingsOf(b),
      members: b.members.map((m) => ({ id: m.id, url: m.url, name: m.name, weight: m.weight, lbset: m.lbset, state: m.state, drain: drainOf(m) })),
    })),
    routes: routes.map((r) => ({
      id: r.id,
      balancerId: r.balancerId,
      priority: r.priority,
      host: r.host,
      match: { type: r.matchType, path: r.matchPath },
      websocket: r.websocket,
      stripPrefix: r.stripPrefix,
      enabled: r.enabled,
    })),
  };
  const result = snapshotConfig.safeParse(candidate);
  if (!result.success) {
    throw new Problem('conflict', 'the change would make the configuration inconsistent', fieldErrors(result.error));
  }
  return { config: result.data, hash: hashConfig(result.data) };
}
