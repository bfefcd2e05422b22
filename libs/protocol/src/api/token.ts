import { z } from 'zod';
import { entityId, isoTime } from './common';
import { role } from './role';

const tokenName = z.string().trim().min(1).max(100).describe('What the token is for');

/** POST /api/v1/tokens body. */
export const createApiTokenBody = z.strictObject({ name: tokenName, role }).meta({ id: 'CreateApiTokenBody', description: 'A new API token' });
export type CreateApiTokenBody = z.infer<typeof createApiTokenBody>;

/** POST /api/v1/agent-tokens body. */
export const createAgentTokenBody = z.strictObject({ name: tokenName }).meta({ id: 'CreateAgentTokenBody', description: 'A new agent enrollment token' });
export type CreateAgentTokenBody = z.infer<typeof createAgentTokenBody>;

const tokenFields = {
  id: entityId,
  name: z.string().describe('What the token is for'),
  createdAt: isoTime,
  revokedAt: isoTime.nullable().describe('When it was revoked; null while valid'),
};
const secret = z.string().describe('The secret: shown in this answer only, stored hashed');

/** An API token as listed: never its secret. */
export const apiToken = z.object({ ...tokenFields, role }).meta({ id: 'ApiToken', description: 'An API token (Authorization: Bearer), without its secret' });
export type ApiToken = z.infer<typeof apiToken>;

/** An agent enrollment token as listed: never its secret. */
export const agentToken = z.object(tokenFields).meta({ id: 'AgentToken', description: 'An agent enrollment token (SWITCHBOARD_AGENT_TOKEN), without its secret' });
export type AgentToken = z.infer<typeof agentToken>;

/** The answer of POST /api/v1/tokens: the token with its secret, this once. */
export const createdApiToken = apiToken.extend({ token: secret }).meta({ id: 'CreatedApiToken', description: 'A new API token and its secret (sb_…)' });
export type CreatedApiToken = z.infer<typeof createdApiToken>;

/** The answer of POST /api/v1/agent-tokens: the token with its secret, this once. */
export const createdAgentToken = agentToken.extend({ token: secret }).meta({ id: 'CreatedAgentToken', description: 'A new agent enrollment token and its secret (sba_…)' });
export type CreatedAgentToken = z.infer<typeof createdAgentToken>;
