import type { MemberCounters } from '../config/member-counters';
import type { AgentCloseCode } from '../proxy/frames';

/**
 * Closes the oldest tunnel listed on a member with WebSocket close `code` (1001 drain, 1012
 * rebalance; see Tunnel.closeByAgent) and counts it in `closedByAgent`. Returns false when the
 * member has no tunnel left to close.
 */
export function closeOldestTunnel(counters: MemberCounters, code: AgentCloseCode): boolean {
  const next = counters.tunnels.values().next();
  if (next.done) return false;
  counters.tunnels.delete(next.value);
  counters.closedByAgent += 1;
  next.value.closeByAgent(code);
  return true;
}
