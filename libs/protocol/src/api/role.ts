import { z } from 'zod';
import { entityId } from './common';

/** API roles, weakest first: viewer reads, operator also changes member state and weight, admin does everything. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;

export const role = z.enum(ROLES).meta({
  id: 'Role',
  description: 'viewer reads everything; operator also changes member state and weight, drains and rebalances; admin does everything',
});
export type Role = z.infer<typeof role>;

/** GET /api/v1/me: the caller's API token. */
export const me = z
  .object({
    id: entityId.describe('Id of the API token'),
    name: z.string().describe('Name of the API token'),
    role,
  })
  .meta({ id: 'Me', description: 'The API token making the request' });
export type Me = z.infer<typeof me>;
