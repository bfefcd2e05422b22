import { z } from 'zod';
import { memberState, memberUrl, snapshotMember } from '../config';
import { health, memberStats } from '../messages';
import { entityId, isoTime, revisionNumber } from './common';

/** Counters of one member (cumulative since each agent started), as the agents report them. */
const counters = {
  openTunnels: memberStats.shape.openTunnels,
  inflightRequests: memberStats.shape.inflightRequests,
  elected: memberStats.shape.elected,
  bytesIn: memberStats.shape.bytesIn,
  bytesOut: memberStats.shape.bytesOut,
  failures: memberStats.shape.failures,
  closedByAgent: z.number().int().min(0).describe('Open tunnels closed by a paced drain or a rebalance (close 1001/1012), cumulative'),
  health,
};

/** Figures of one member on one agent. */
export const agentFigures = z
  .object({
    agentId: entityId,
    agentName: z.string(),
    ...counters,
    healthReason: z.string().nullable().describe('Why this agent sees the member down (failed check or connects); null when it does not'),
  })
  .meta({ id: 'AgentFigures', description: 'Figures of one member on one agent' });
export type AgentFigures = z.infer<typeof agentFigures>;

/** One member in GET /api/v1/stats: figures summed over online agents, and per agent. */
export const memberFigures = z
  .object({
    balancerId: entityId,
    memberId: entityId,
    url: memberUrl,
    name: snapshotMember.shape.name,
    state: memberState,
    weight: snapshotMember.shape.weight,
    ...counters,
    agents: z.array(agentFigures).describe('The same figures per online agent'),
  })
  .meta({
    id: 'MemberFigures',
    description: 'One member: figures summed over online agents, and per agent. health is up if any agent sees the member up, down if every reporting agent sees it down, else unknown',
  });
export type MemberFigures = z.infer<typeof memberFigures>;

/** GET /api/v1/stats and each event of /api/v1/stats/stream. */
export const statsView = z
  .object({
    at: isoTime.describe('When the figures were read'),
    revision: revisionNumber.describe('The configuration the members are listed from'),
    members: z.array(memberFigures).describe('Every member of the configuration, balancer by balancer'),
  })
  .meta({ id: 'Stats', description: 'Live per-member figures' });
export type StatsView = z.infer<typeof statsView>;
