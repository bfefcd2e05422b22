import { z } from 'zod';
import { entityId, isoTime, revisionNumber } from './common';

/** One audited change: configuration writes and token changes. */
export const auditEvent = z
  .object({
    id: entityId,
    actor: z.string().describe('Name of the API token that made the change'),
    action: z.string().describe('What was done: balancer.create, member.drain, token.revoke…'),
    target: z.string().describe('What it was done to: balancer:<id>, member:<id>, route:<id>, token:<id>, agent-token:<id>'),
    before: z.unknown().describe('The target before the change (JSON), or null'),
    after: z.unknown().describe('The target after the change (JSON), or null'),
    revision: revisionNumber.nullable().describe('The revision the change made; null for token changes'),
    createdAt: isoTime,
  })
  .meta({ id: 'AuditEvent', description: 'One audited change' });
export type AuditEvent = z.infer<typeof auditEvent>;

/** GET /api/v1/audit query. */
export const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('How many events, newest first'),
});
export type AuditQuery = z.infer<typeof auditQuery>;
