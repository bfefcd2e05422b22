import type { LbMethod } from '@switchboard/protocol';
import type { RuntimeMember } from '../config/runtime';
import { busyness, recentTraffic } from './load';
import type { LoadOf } from './load';
import { PowerOfTwoChoices } from './p2c';
import { RendezvousHash } from './rendezvous';

/**
 * The members one pick may choose from, filled by selectMember (one state/health pass, the
 * lowest lbset, members not tried yet): `index[k]` is a position in the balancer's members and
 * `weight[k]` its effective weight (slow start included), for k < count. One instance per
 * balancer, reused by every pick (picks are synchronous), so a pick allocates nothing. Pickers
 * may reorder or shrink the entries (`load` is their scratch).
 */
export interface Candidates {
  readonly index: Int32Array;
  readonly weight: Float64Array;
  readonly load: Float64Array;
  /** At least 1 when a picker is called. */
  count: number;
  /** The clock at this pick (ms) when the balancer uses one (slow start, bytraffic), else 0. */
  now: number;
  /** The request's key for lbmethod `hash` ('' otherwise). */
  key: string;
  /** Set by selectMember: whether the last selection for a tunnel skipped a member for being full (maxTunnelsPerMember). */
  sawFull: boolean;
}

/** Scratch candidates for a balancer of `size` members. */
export function createCandidates(size: number): Candidates {
  return { index: new Int32Array(size), weight: new Float64Array(size), load: new Float64Array(size), count: 0, now: 0, key: '', sawFull: false };
}

/** Chooses one member for a new connection or request among the candidates (count ≥ 1); returns its position in the balancer's members. */
export interface MemberPicker {
  pick(candidates: Candidates): number;
}

/**
 * Smooth weighted round robin, as NGINX's ngx_http_upstream_get_peer: each pick adds every
 * candidate's weight to its current weight, chooses the highest (the first on ties), and
 * subtracts the candidates' total from the chosen one. Weights 5,1,1 give a a b a c a a.
 * Members that are not candidates neither gain nor lose current weight. Weights may be
 * fractional and change between picks (slow start), as NGINX's effective_weight.
 */
export class SmoothWeightedRoundRobin implements MemberPicker {
  private readonly current: Float64Array;

  constructor(size: number) {
    this.current = new Float64Array(size);
  }

  pick(candidates: Candidates): number {
    const { index, weight, count } = candidates;
    const current = this.current;
    let best = -1;
    let total = 0;
    for (let k = 0; k < count; k++) {
      const i = index[k];
      current[i] += weight[k];
      total += weight[k];
      if (best === -1 || current[i] > current[best]) best = i;
    }
    current[best] -= total;
    return best;
  }
}

/**
 * Fewest load / effective weight; ties are broken by smooth weighted round robin among the tied
 * members (Apache's mod_lbmethod_bybusyness uses its lbstatus the same way), so idle members
 * share new connections by weight. With `busyness` this is Apache's lbmethod=bybusyness
 * (HAProxy's `balance leastconn`); with `recentTraffic` it is Apache's lbmethod=bytraffic
 * (mod_lbmethod_bytraffic, whose byte counts never decay; here they halve every 10 s, so a
 * member that was busy a minute ago is not starved of new connections now).
 */
export class LeastLoaded implements MemberPicker {
  private readonly roundRobin: SmoothWeightedRoundRobin;

  constructor(
    private readonly members: readonly RuntimeMember[],
    private readonly loadOf: LoadOf,
  ) {
    this.roundRobin = new SmoothWeightedRoundRobin(members.length);
  }

  pick(candidates: Candidates): number {
    const { index, weight, load, count, now } = candidates;
    let least = Infinity;
    for (let k = 0; k < count; k++) {
      // Division is correctly rounded, so equal ratios (1/3, 2/6) compare equal.
      const value = this.loadOf(this.members[index[k]], now) / weight[k];
      load[k] = value;
      if (value < least) least = value;
    }
    let ties = 0;
    for (let k = 0; k < count; k++) {
      if (load[k] !== least) continue;
      index[ties] = index[k];
      weight[ties] = weight[k];
      ties += 1;
    }
    candidates.count = ties;
    return this.roundRobin.pick(candidates);
  }
}

/** Options of createPicker: the random source of `p2c` (tests pass a seeded one). */
export interface PickerOptions {
  readonly random?: () => number;
}

/** The picker of a balancer's lbmethod over its members, with fresh state. */
export function createPicker(method: LbMethod, members: readonly RuntimeMember[], options: PickerOptions = {}): MemberPicker {
  switch (method) {
    case 'byrequests':
      return new SmoothWeightedRoundRobin(members.length);
    case 'bybusyness':
      return new LeastLoaded(members, busyness);
    case 'bytraffic':
      return new LeastLoaded(members, recentTraffic);
    case 'p2c':
      return new PowerOfTwoChoices(members, options.random ?? Math.random);
    case 'hash':
      return new RendezvousHash(members);
  }
}
