import type { MemberState } from '@switchboard/protocol';
import type { Clock } from '../config/member-counters';
import type { RuntimeBalancer, RuntimeMember } from '../config/runtime';

/**
 * A member's weight under slow start (HAProxy's `slowstart`): from weight/10 when it became
 * usable (`usableSince`) rising linearly to the full weight `slowStartMs` later; the full weight
 * when slow start is off or over.
 */
export function effectiveWeight(member: RuntimeMember, slowStartMs: number, now: number): number {
  const elapsed = now - member.counters.usableSince;
  if (slowStartMs <= 0 || elapsed >= slowStartMs) return member.weight;
  return member.weight * (0.1 + (0.9 * Math.max(0, elapsed)) / slowStartMs);
}

/**
 * Whether a member seen down is still kept out at `now` (clock ms): always under an active check
 * (only the check brings it back), else for its balancer's passiveHealth.retryMs after it went
 * down (Apache's `retry`: then it gets real traffic again, and a failed connect restarts the delay).
 */
function restingDown(member: RuntimeMember, now: number): boolean {
  const retryMs = member.passive.retryMs;
  return retryMs === Infinity || now - member.counters.downSince < retryMs;
}

/**
 * Eligibility passes for new connections, tried in order: active members not kept out as down
 * (see restingDown), then standby members (Apache's hot standby) not kept out, then — when every
 * usable one failed — active and finally standby members seen down, so a recovered member is found again.
 * `draining` and `disabled` members never get new connections (except sticky ones, see selectMember).
 */
const PASSES: readonly { readonly state: MemberState; readonly down: boolean }[] = [
  { state: 'active', down: false },
  { state: 'standby', down: false },
  { state: 'active', down: true },
  { state: 'standby', down: true },
];

/**
 * Fills the balancer's candidates with the members of one pass not tried yet, keeping only the
 * lowest lbset among them (Apache's lbset: a higher tier only when no member of a lower one is
 * usable), with their effective weights. Returns the count.
 */
function collect(balancer: RuntimeBalancer, state: MemberState, down: boolean, tried: readonly RuntimeMember[], now: number, maxTunnels: number): number {
  const { members, candidates, slowStartMs } = balancer;
  const { index, weight } = candidates;
  let count = 0;
  let lowest = Infinity;
  // Read once, at the first member seen down: a pick among healthy members reads no clock.
  let downNow = NaN;
  for (let i = 0; i < members.length; i++) {
    const member = members[i];
    if (member.state !== state || member.lbset > lowest) continue;
    if (!down && member.counters.health === 'down') {
      if (Number.isNaN(downNow)) downNow = balancer.usesClock ? now : balancer.clock();
      if (restingDown(member, downNow)) continue;
    }
    if (tried.length > 0 && tried.includes(member)) continue;
    if (maxTunnels > 0 && isFull(member, maxTunnels)) {
      candidates.sawFull = true;
      continue;
    }
    if (member.lbset < lowest) {
      lowest = member.lbset;
      count = 0;
    }
    index[count] = i;
    weight[count] = slowStartMs > 0 ? effectiveWeight(member, slowStartMs, now) : member.weight;
    count += 1;
  }
  return count;
}

/** Whether a member has `maxTunnels` tunnels open or being connected on this agent, all workers included (maxTunnelsPerMember). */
function isFull(member: RuntimeMember, maxTunnels: number): boolean {
  const counters = member.counters;
  return counters.openTunnels + counters.connectingTunnels + counters.peerTunnels >= maxTunnels;
}

/**
 * A sticky request keeps its member while it is not disabled and not kept out as down (a
 * draining one still takes it, Apache's N), except a new tunnel once the member's paced drain
 * has begun closing tunnels: a client the drain closed must reconnect elsewhere, not come back.
 */
function stickyUsable(member: RuntimeMember, tried: readonly RuntimeMember[], clock: Clock, tunnel: boolean): boolean {
  if (member.state === 'disabled' || tried.includes(member)) return false;
  if (tunnel && member.drain !== null && Date.now() >= member.drain.startedAt + member.drain.windowMs) return false;
  return member.counters.health !== 'down' || !restingDown(member, clock());
}

/**
 * Chooses the member for a new connection or request and counts the election, skipping the
 * members already `tried` for it: the `sticky` member (named by the request's sticky cookie)
 * when it may take it, else the balancer's lbmethod among the first pass (see PASSES) that has
 * candidates, restricted to its lowest lbset. `key` is the request's key for lbmethod `hash`.
 * For a new `tunnel`, members full under the balancer's maxTunnelsPerMember (open + connecting
 * tunnels on this agent) are skipped, the sticky one included, and `candidates.sawFull` tells
 * whether one was (HTTP requests are not limited).
 * Returns undefined when no member is eligible. Allocates nothing.
 */
export function selectMember(balancer: RuntimeBalancer, tried: readonly RuntimeMember[], key = '', sticky?: RuntimeMember, tunnel = false): RuntimeMember | undefined {
  const maxTunnels = tunnel ? balancer.maxTunnelsPerMember : 0;
  balancer.candidates.sawFull = false;
  if (sticky !== undefined && stickyUsable(sticky, tried, balancer.clock, tunnel)) {
    if (maxTunnels === 0 || !isFull(sticky, maxTunnels)) {
      sticky.counters.elected += 1;
      return sticky;
    }
    balancer.candidates.sawFull = true;
  }
  const now = balancer.usesClock ? balancer.clock() : 0;
  for (const pass of PASSES) {
    const count = collect(balancer, pass.state, pass.down, tried, now, maxTunnels);
    if (count === 0) continue;
    const candidates = balancer.candidates;
    candidates.count = count;
    candidates.now = now;
    candidates.key = key;
    const member = balancer.members[balancer.picker.pick(candidates)];
    member.counters.elected += 1;
    return member;
  }
  return undefined;
}
