import type { RuntimeBalancer, RuntimeMember } from '../config/runtime';

/** Tolerance for floating-point error when a share is rounded up (10 × 1.1 is 11.000000000000002). */
const EPSILON = 1e-9;

/**
 * The members new tunnels go to (as selectMember's passes): active members not seen down, else
 * standby members not seen down; of those, the lowest lbset.
 */
export function usableMembers(balancer: RuntimeBalancer): RuntimeMember[] {
  for (const state of ['active', 'standby'] as const) {
    const members = balancer.members.filter((member) => member.state === state && member.counters.health !== 'down');
    if (members.length === 0) continue;
    const lowest = Math.min(...members.map((member) => member.lbset));
    return members.filter((member) => member.lbset === lowest);
  }
  return [];
}

/**
 * The usable member (see usableMembers) furthest above its fair share of this agent's tunnels,
 * or undefined when every one is within `tolerance` (a fraction: 0.1 = 10 %). A member's fair
 * share is the tunnels listed on the usable members × its weight ÷ their total weight, and it
 * is above it when it has more than ⌈share × (1 + tolerance)⌉ (rounded up, so 19 tunnels on two
 * equal members at tolerance 0 are 10 + 9, not a close back and forth). Tunnels on other members
 * (draining, disabled, a higher lbset) are neither counted nor closed. Weights are the
 * configured ones (slow start aside), so the result is where the load should settle.
 */
export function mostAboveShare(balancer: RuntimeBalancer, tolerance: number): RuntimeMember | undefined {
  const usable = usableMembers(balancer);
  let tunnels = 0;
  let weights = 0;
  for (const member of usable) {
    tunnels += member.counters.tunnels.size;
    weights += member.weight;
  }
  let furthest: RuntimeMember | undefined;
  let furthestExcess = 0;
  for (const member of usable) {
    const limit = Math.ceil(((tunnels * member.weight) / weights) * (1 + tolerance) - EPSILON);
    const excess = member.counters.tunnels.size - limit;
    if (excess > furthestExcess) {
      furthest = member;
      furthestExcess = excess;
    }
  }
  return furthest;
}

/** Tunnels listed on the usable members of a balancer (see usableMembers). */
export function usableTunnels(balancer: RuntimeBalancer): number {
  return usableMembers(balancer).reduce((sum, member) => sum + member.counters.tunnels.size, 0);
}
