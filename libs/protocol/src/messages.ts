import { z } from 'zod';
import { snapshotConfig } from './config';

/** Member health as one agent sees it. */
export const health = z.enum(['up', 'down', 'unknown']).meta({ id: 'Health', description: 'Member health as agents see it' });
export type Health = z.infer<typeof health>;

/** agent → control plane, first message after the upgrade (the credential travels in the upgrade's Authorization header). */
export const helloMessage = z.object({
  type: z.literal('hello'),
  protocolVersion: z.number().int().min(1),
  agent: z.object({
    name: z.string().min(1).max(200),
    hostname: z.string().max(255),
    version: z.string().max(50),
  }),
  /** The revision and hash the agent serves now (from its disk cache), or null when it has none. */
  revision: z.number().int().min(0).nullable(),
  hash: z.string().nullable(),
});

/** agent → control plane: the snapshot at `revision` was applied. */
export const ackMessage = z.object({ type: z.literal('ack'), revision: z.number().int().min(0), hash: z.string() });

/** agent → control plane: the snapshot was rejected; the agent keeps serving its previous one. */
export const nackMessage = z.object({ type: z.literal('nack'), revision: z.number().int().min(0), reason: z.string().max(4000) });

/** Figures for one member on one agent. Counters are cumulative since the agent process started. */
export const memberStats = z.object({
  balancerId: z.string(),
  memberId: z.string(),
  /** WebSocket tunnels open now. */
  openTunnels: z.number().int().min(0),
  /** HTTP requests being proxied now. */
  inflightRequests: z.number().int().min(0),
  /** Times the member was chosen for a connection or request (Apache's "Elected"). */
  elected: z.number().int().min(0),
  /** Bytes sent to the member (what it received). */
  bytesIn: z.number().int().min(0),
  /** Bytes received from the member. */
  bytesOut: z.number().int().min(0),
  /** Failed attempts to connect to the member. */
  failures: z.number().int().min(0),
  health,
  /** Why the member is down on this agent (`http check: status 500`, `connect ECONNREFUSED`), when it is. */
  healthReason: z.string().max(500).nullable().optional(),
  /** Open tunnels closed by a paced drain or a rebalance (close 1001/1012), cumulative. */
  closedByAgent: z.number().int().min(0).optional(),
});
export type MemberStats = z.infer<typeof memberStats>;

/** agent → control plane, about once a second. */
export const statsMessage = z.object({
  type: z.literal('stats'),
  /** The revision the agent serves, or null before it has any configuration. */
  revision: z.number().int().min(0).nullable(),
  members: z.array(memberStats),
});

export const agentMessage = z.discriminatedUnion('type', [helloMessage, ackMessage, nackMessage, statsMessage]);
export type AgentMessage = z.infer<typeof agentMessage>;
export type HelloMessage = z.infer<typeof helloMessage>;
export type StatsMessage = z.infer<typeof statsMessage>;

/** control plane → agent, once after a valid hello: the agent's id in the fleet. */
export const welcomeMessage = z.object({ type: z.literal('welcome'), agentId: z.string(), protocolVersion: z.number().int() });

/** control plane → agent: the whole configuration at a revision. */
export const snapshotMessage = z.object({
  type: z.literal('snapshot'),
  revision: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  config: snapshotConfig,
});

export const controlMessage = z.discriminatedUnion('type', [welcomeMessage, snapshotMessage]);
export type ControlMessage = z.infer<typeof controlMessage>;
export type SnapshotMessage = z.infer<typeof snapshotMessage>;

/** Path of the control channel's WebSocket on the control plane (agents dial `ws(s)://HOST:PORT` + this). */
export const CHANNEL_PATH = '/agents/connect';

/** WebSocket close codes of the control channel (4000–4999 are for applications). */
export const CLOSE_CODES = {
  /** The first message was not a valid hello, or a message failed validation. */
  badMessage: 4400,
  /** The agent token is missing, unknown or revoked (also answered as HTTP 401 at the upgrade). */
  unauthorized: 4401,
  /** The agent token of an open channel was revoked (through any replica); a reconnect is then refused with HTTP 401. */
  credentialRevoked: 4403,
  /** The hello's agent name is bound to another, unrevoked agent token: the name cannot be taken over. */
  nameConflict: 4409,
  /** The agent's protocol version is not supported by this control plane. */
  unsupportedProtocol: 4426,
} as const;

/** Formats zod issues as `path: message` lines, the way nacks and logs report them. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
