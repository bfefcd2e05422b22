import { z } from 'zod';
import { ROLES } from '../auth/roles';

/** POST /api/v1/tokens body. */
export const createApiTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
});
export type CreateApiTokenBody = z.infer<typeof createApiTokenBody>;

/** POST /api/v1/agent-tokens body. */
export const createAgentTokenBody = z.strictObject({ name: z.string().trim().min(1).max(100) });
export type CreateAgentTokenBody = z.infer<typeof createAgentTokenBody>;

/** A token as listed: never its secret. */
export interface TokenDto {
  id: string;
  name: string;
  role?: string;
  createdAt: Date;
  revokedAt: Date | null;
}
