import type { AgentFigures, Health } from '@switchboard/protocol';

const COUNTERS = ['openTunnels', 'inflightRequests', 'elected', 'bytesIn', 'bytesOut', 'failures', 'closedByAgent'] as const;

/**
 * Sums agents' figures for one member. Health over agents: `up` if any agent sees it up,
 * `down` if every reporting agent sees it down, else `unknown`.
 */
export function sumFigures(agents: AgentFigures[]): Omit<AgentFigures, 'agentId' | 'agentName' | 'healthReason'> {
  const total = { openTunnels: 0, inflightRequests: 0, elected: 0, bytesIn: 0, bytesOut: 0, failures: 0, closedByAgent: 0 };
  for (const figures of agents) for (const key of COUNTERS) total[key] += figures[key];
  const health: Health = agents.some((a) => a.health === 'up') ? 'up' : agents.length > 0 && agents.every((a) => a.health === 'down') ? 'down' : 'unknown';
  return { ...total, health };
}
