import type { RuntimeMember } from '../config/runtime';
import { busyness } from './load';
import type { Candidates, MemberPicker } from './pickers';

/** Position k of a weighted random draw among the candidates, skipping position `skip` (-1 for none) whose weight is left out of `total`. */
function draw(candidates: Candidates, total: number, skip: number, random: () => number): number {
  const { weight, count } = candidates;
  let r = random() * total;
  let last = -1;
  for (let k = 0; k < count; k++) {
    if (k === skip) continue;
    last = k;
    r -= weight[k];
    if (r < 0) return k;
  }
  return last; // rounding left r at 0: the last one
}

/**
 * Power of two choices, as NGINX's `random two least_conn` (ngx_http_upstream_random_module):
 * draw two distinct candidates at random, each with probability proportional to its effective
 * weight (NGINX's `random` is weighted too), and take the one with fewer (open + connecting
 * tunnels + in-flight requests) / weight; on a tie, the first drawn. One candidate is taken
 * directly. Costs two passes over the candidates and no shared state, so it stays fair when
 * several agents balance the same members.
 */
export class PowerOfTwoChoices implements MemberPicker {
  constructor(
    private readonly members: readonly RuntimeMember[],
    private readonly random: () => number,
  ) {}

  pick(candidates: Candidates): number {
    const { index, weight, count } = candidates;
    if (count === 1) return index[0];
    let total = 0;
    for (let k = 0; k < count; k++) total += weight[k];
    const first = draw(candidates, total, -1, this.random);
    const second = draw(candidates, total - weight[first], first, this.random);
    const a = this.members[index[first]];
    const b = this.members[index[second]];
    // busy(b)/w(b) < busy(a)/w(a) without division (weights are positive).
    return busyness(b) * weight[first] < busyness(a) * weight[second] ? index[second] : index[first];
  }
}
