import type { Health, StatsMessage } from '@switchboard/protocol';

/** Figures of one member on one agent (counters cumulative since that agent started). */
export interface AgentFigures {
  agentId: string;
  agentName: string;
  openTunnels: number;
  inflightRequests: number;
  elected: number;
  bytesIn: number;
  bytesOut: number;
  failures: number;
  /** Tunnels the agent closed for a paced drain or a rebalance. */
  closedByAgent: number;
  health: Health;
  /** Why this agent sees the member down (failed check or connects), null when it does not. */
  healthReason: string | null;
}

/** One member in GET /api/v1/stats: figures summed over online agents, and per agent. */
export interface MemberFigures extends Omit<AgentFigures, 'agentId' | 'agentName' | 'healthReason'> {
  balancerId: string;
  memberId: string;
  url: string;
  name: string | null;
  state: string;
  weight: number;
  agents: AgentFigures[];
}

/** GET /api/v1/stats and each event of /api/v1/stats/stream. */
export interface StatsView {
  at: string;
  revision: number;
  members: MemberFigures[];
}

export type MemberStatsRow = StatsMessage['members'][number];

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
