import { Inject, Injectable } from '@nestjs/common';
import type { Agent, HelloMessage } from '@switchboard/protocol';
import type { WithDates } from '../common/json';
import { ENV } from '../config/settings.module';
import type { Env } from '../config/env';
import { PrismaService } from '../database/prisma.service';
import { isOnline } from './online';

/** First key of the per-name pg_advisory_xact_lock(int, int) taken by `register`. */
const NAME_LOCK_CLASS = 7_401;

/** A hello's agent name is bound to another agent token that is not revoked. */
export class AgentNameConflict extends Error {
  constructor(readonly agentName: string) {
    super(`agent name ${agentName} is bound to another agent token; revoke that token to re-enrol the name, or choose another SWITCHBOARD_AGENT_NAME`);
  }
}

/** An agent as GET /api/v1/agents shows it: the contract's Agent, times as Dates until serialised. */
export type AgentDto = WithDates<Agent, 'connectedAt' | 'lastSeenAt'>;

/**
 * The fleet registry in Postgres, shared by all control-plane replicas. An agent is online when
 * it is connected to some replica and was heard from within SWITCHBOARD_AGENT_OFFLINE_MS.
 */
@Injectable()
export class AgentsService {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  /**
   * Registers (or re-registers, by name) an agent that said hello with agent token `tokenId`;
   * returns its id. A name is bound to the token that registered it: another token may take the
   * row over only once the bound token is revoked (re-enrolment keeps the row and its history),
   * or when the row has no binding yet (registered before bindings existed). Serialized per
   * name across replicas by an advisory lock.
   * @throws AgentNameConflict when the name is bound to another, unrevoked token (nothing written).
   */
  async register(hello: HelloMessage, tokenId: string): Promise<string> {
    const now = new Date();
    const name = hello.agent.name;
    const fields = { hostname: hello.agent.hostname, version: hello.agent.version, protocolVersion: hello.protocolVersion, connectedAt: now, lastSeenAt: now, tokenId };
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${NAME_LOCK_CLASS}::int, hashtext(${name}))`;
      const row = await tx.agent.findUnique({ where: { name }, select: { id: true, tokenId: true, token: { select: { revokedAt: true } } } });
      if (row?.tokenId && row.tokenId !== tokenId && !row.token?.revokedAt) throw new AgentNameConflict(name);
      const saved = row ? await tx.agent.update({ where: { id: row.id }, data: fields }) : await tx.agent.create({ data: { name, ...fields } });
      return saved.id;
    });
  }

  async acked(agentId: string, revision: number, hash: string): Promise<void> {
    await this.prisma.agent.update({ where: { id: agentId }, data: { appliedRevision: revision, appliedHash: hash, lastError: null, lastSeenAt: new Date() } });
  }

  async nacked(agentId: string, revision: number, reason: string): Promise<void> {
    await this.prisma.agent.update({ where: { id: agentId }, data: { lastError: `revision ${revision} rejected: ${reason}`, lastSeenAt: new Date() } });
  }

  async disconnected(agentId: string): Promise<void> {
    await this.prisma.agent.update({ where: { id: agentId }, data: { connectedAt: null } });
  }

  async list(): Promise<AgentDto[]> {
    const rows = await this.prisma.agent.findMany({ orderBy: { name: 'asc' } });
    return rows.map(({ createdAt: _created, ...row }) => ({ ...row, online: isOnline(row, this.env.SWITCHBOARD_AGENT_OFFLINE_MS) }));
  }
}
