/**
 * The one rule for "online": connected to some control-plane replica and heard from within
 * `offlineMs` (SWITCHBOARD_AGENT_OFFLINE_MS). Given twice, as a Prisma filter and as a predicate.
 */
export function onlineWhere(offlineMs: number, now = Date.now()) {
  return { connectedAt: { not: null }, lastSeenAt: { gte: new Date(now - offlineMs) } };
}

/** The same rule as onlineWhere, on an Agent row already read. */
export function isOnline(agent: { connectedAt: Date | null; lastSeenAt: Date }, offlineMs: number, now = Date.now()): boolean {
  return agent.connectedAt !== null && agent.lastSeenAt.getTime() >= now - offlineMs;
}
