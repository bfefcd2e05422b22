import { z } from 'zod';
import { snapshotConfig } from '../config';
import { isoTime, revisionNumber } from './common';

/** A revision in the list: who made it, why and when, without its configuration. */
export const revisionSummary = z
  .object({
    number: revisionNumber,
    hash: z.string().regex(/^[0-9a-f]{64}$/).describe('sha256 (hex) of the canonical JSON of its configuration'),
    author: z.string().describe('Name of the API token that wrote it (system for revision 0)'),
    reason: z.string().describe('The write that made it (balancer.create, member.drain…)'),
    createdAt: isoTime,
  })
  .meta({ id: 'RevisionSummary', description: 'A numbered, stored configuration, without the configuration' });
export type RevisionSummary = z.infer<typeof revisionSummary>;

/** One whole configuration as stored. */
export const revision = revisionSummary
  .extend({ config: snapshotConfig })
  .meta({ id: 'Revision', description: 'A numbered, stored configuration: exactly what agents were sent' });
export type Revision = z.infer<typeof revision>;

/** GET /api/v1/revisions query. */
export const revisionListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('How many revisions, newest first'),
  before: z.coerce.number().int().min(0).optional().describe('Only revisions numbered below this one: the page after one ending at before'),
});
export type RevisionListQuery = z.infer<typeof revisionListQuery>;

/** Path parameters of GET /api/v1/revisions/{number}. */
export const revisionParams = z.object({ number: z.coerce.number().int().min(0).describe('Revision number') });
export type RevisionParams = z.infer<typeof revisionParams>;
