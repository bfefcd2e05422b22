import { byText, snapshotConfig, type SnapshotConfig } from '@switchboard/protocol';
import { hashConfig } from '@switchboard/protocol/node';
import type { Tx } from '../database/prisma.service';
import { Problem } from '../common/problem';
import { fieldErrors } from '../common/zod.pipe';
import { balancerSettingsOf } from '../balancers/balancer.dto';
import { drainOf } from '../members/member.dto';

/**
 * The config store's read (see applyConfig for its write): reads the whole configuration inside
 * `tx` and returns it as the agents' snapshot config with its hash. Stored strings (lbMethod,
 * state, …) are checked by the protocol schema here, once. The order depends on the data alone,
 * never on when rows were made, so equal data hashes equally and a rollback that re-creates rows
 * reproduces a revision byte for byte: balancers by name, members by URL, routes by id, each
 * compared by UTF-16 code units (byText), not by the database's collation, which may differ
 * between databases.
 * @throws Problem `conflict` when the result would fail the protocol's consistency check.
 */
export async function readConfig(tx: Tx): Promise<{ config: SnapshotConfig; hash: string }> {
  const balancers = (await tx.balancer.findMany({ include: { members: true } })).sort(byText((b) => b.name));
  const routes = (await tx.route.findMany()).sort(byText((r) => r.id));
  const candidate = {
    balancers: balancers.map((b) => ({
      ...balancerSettingsOf(b),
      members: b.members.sort(byText((m) => m.url)).map((m) => ({ id: m.id, url: m.url, name: m.name, weight: m.weight, lbset: m.lbset, state: m.state, drain: drainOf(m) })),
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
