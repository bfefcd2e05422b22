import { hashConfig } from '@switchboard/protocol/node';
import { balancer, member, route } from '../../../../libs/protocol/src/fixtures';
import type { Snapshot, SnapshotBalancer, SnapshotConfig, SnapshotMember } from '@switchboard/protocol';

/** The lib's snapshot fixtures: member, balancer (named after its id) and route (catch-all). */
export { balancer, member, route };

/** A snapshot with its correct hash. */
export function snapshotOf(revision: number, config: SnapshotConfig): Snapshot {
  return { revision, hash: hashConfig(config), config };
}

/** One balancer `b1` with the given members and a catch-all route to it. */
export function singleBalancer(members: SnapshotMember[], overrides: Partial<SnapshotBalancer> = {}): SnapshotConfig {
  return { balancers: [balancer('b1', members, overrides)], routes: [route('r1', 'b1')] };
}
