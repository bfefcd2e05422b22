import type { RuntimeBalancer, RuntimeMember } from '../config/runtime';
import type { MemberFilter } from './pickers';

/**
 * Eligibility tiers for new connections, tried in order: active members not seen down, then
 * standby members (Apache's hot standby) not seen down, then — when every usable one failed —
 * active and finally standby members seen down, so a recovered member is found again.
 * `draining` and `disabled` members never get new connections.
 */
const TIERS: readonly MemberFilter[] = [
  (member) => member.state === 'active' && member.counters.health !== 'down',
  (member) => member.state === 'standby' && member.counters.health !== 'down',
  (member) => member.state === 'active',
  (member) => member.state === 'standby',
];

/**
 * Chooses the member for a new connection or request with the balancer's lbmethod, skipping
 * the members already `tried` for it, and counts the election. Returns undefined when no
 * member is eligible.
 */
export function selectMember(balancer: RuntimeBalancer, tried: readonly RuntimeMember[]): RuntimeMember | undefined {
  for (const tier of TIERS) {
    const member = balancer.picker.pick(tier, tried);
    if (member) {
      member.counters.elected += 1;
      return member;
    }
  }
  return undefined;
}
