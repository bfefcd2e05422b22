import type { RuntimeMember } from '../config/runtime';

/** How loaded a member is, compared divided by its effective weight. */
export type LoadOf = (member: RuntimeMember, now: number) => number;

/**
 * Open and connecting tunnels plus in-flight requests: what `bybusyness` and `p2c` compare
 * (divided by weight). Connecting tunnels count from the moment a member is chosen, as Apache
 * counts a worker busy from assignment, so a burst of simultaneous upgrades spreads instead of
 * piling onto the member that was idle when the burst began. Other workers' load counts too (peerBusy).
 */
export function busyness(member: RuntimeMember): number {
  const counters = member.counters;
  return counters.openTunnels + counters.connectingTunnels + counters.inflightRequests + counters.peerBusy;
}

/** Recent bytes in both directions, halved every 10 s (see MemberCounters.recentTraffic): what `bytraffic` compares. */
export function recentTraffic(member: RuntimeMember, now: number): number {
  return member.counters.recentTraffic(now);
}
