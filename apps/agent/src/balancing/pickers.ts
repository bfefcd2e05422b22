import type { LbMethod } from '@switchboard/protocol';
import type { RuntimeMember } from '../config/runtime';

/** Which members may be chosen in one pass (a state/health tier, see selectMember). */
export type MemberFilter = (member: RuntimeMember) => boolean;

/** Chooses one member for a new connection or request among those the filter accepts and that were not tried yet. */
export interface MemberPicker {
  /** Returns undefined when no member passes the filter. */
  pick(filter: MemberFilter, tried: readonly RuntimeMember[]): RuntimeMember | undefined;
}

/**
 * Smooth weighted round robin, as NGINX's ngx_http_upstream_get_peer: each pick adds every
 * eligible member's weight to its current weight, chooses the highest (the first on ties), and
 * subtracts the eligible total from the chosen one. Weights 5,1,1 give a a b a c a a.
 * Members the filter rejects neither gain nor lose current weight.
 */
export class SmoothWeightedRoundRobin implements MemberPicker {
  private readonly current: number[];

  constructor(private readonly members: readonly RuntimeMember[]) {
    this.current = members.map(() => 0);
  }

  pick(filter: MemberFilter, tried: readonly RuntimeMember[]): RuntimeMember | undefined {
    let best = -1;
    let total = 0;
    for (let i = 0; i < this.members.length; i++) {
      const member = this.members[i];
      if (!filter(member) || tried.includes(member)) continue;
      this.current[i] += member.weight;
      total += member.weight;
      if (best === -1 || this.current[i] > this.current[best]) best = i;
    }
    if (best === -1) return undefined;
    this.current[best] -= total;
    return this.members[best];
  }
}

/**
 * Open and connecting tunnels plus in-flight requests: what `bybusyness` compares (divided by
 * weight). Connecting tunnels count from the moment a member is chosen, as Apache counts a
 * worker busy from assignment, so a burst of simultaneous upgrades spreads instead of piling
 * onto the member that was idle when the burst began.
 */
function busyness(member: RuntimeMember): number {
  const counters = member.counters;
  return counters.openTunnels + counters.connectingTunnels + counters.inflightRequests;
}

/**
 * Fewest (open tunnels + in-flight requests) / weight, as Apache's mod_lbmethod_bybusyness;
 * ties are broken by smooth weighted round robin among the tied members (Apache uses its
 * lbstatus the same way), so idle members share new connections by weight.
 */
export class LeastBusy implements MemberPicker {
  private readonly roundRobin: SmoothWeightedRoundRobin;

  constructor(private readonly members: readonly RuntimeMember[]) {
    this.roundRobin = new SmoothWeightedRoundRobin(members);
  }

  pick(filter: MemberFilter, tried: readonly RuntimeMember[]): RuntimeMember | undefined {
    let least: RuntimeMember | undefined;
    for (const member of this.members) {
      if (!filter(member) || tried.includes(member)) continue;
      // a/b < c/d without division: a*d < c*b (weights are positive).
      if (!least || busyness(member) * least.weight < busyness(least) * member.weight) least = member;
    }
    if (!least) return undefined;
    const busy = busyness(least);
    const weight = least.weight;
    return this.roundRobin.pick((member) => filter(member) && busyness(member) * weight === busy * member.weight, tried);
  }
}

/** The picker of a balancer's lbmethod over its members, with fresh state. */
export function createPicker(method: LbMethod, members: readonly RuntimeMember[]): MemberPicker {
  switch (method) {
    case 'byrequests':
      return new SmoothWeightedRoundRobin(members);
    case 'bybusyness':
      return new LeastBusy(members);
  }
}
