import { z } from 'zod';
import { entityId, isoTime, revisionNumber } from './common';

/** An agent as GET /api/v1/agents shows it, with its sync status. */
export const agent = z
  .object({
    id: entityId,
    name: z.string().describe('SWITCHBOARD_AGENT_NAME, unique in the fleet'),
    hostname: z.string(),
    version: z.string().describe('Version of the agent software'),
    protocolVersion: z.number().int().min(1).describe('Control-channel protocol version it speaks'),
    online: z.boolean().describe('Connected to some control-plane replica and heard from within SWITCHBOARD_AGENT_OFFLINE_MS'),
    connectedAt: isoTime.nullable().describe('When its current channel opened; null when it has none'),
    lastSeenAt: isoTime.describe('When it was last heard from'),
    appliedRevision: revisionNumber.nullable().describe('The revision it serves; null before its first'),
    appliedHash: z.string().nullable().describe('sha256 of the configuration it serves'),
    tokenId: entityId.nullable().describe('The agent token its name is bound to'),
    lastError: z.string().nullable().describe('Why it refused the last snapshot (nack); cleared by the next ack'),
  })
  .meta({ id: 'Agent', description: 'A proxy agent of the fleet' });
export type Agent = z.infer<typeof agent>;
