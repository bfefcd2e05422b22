import { Inject, Injectable } from '@nestjs/common';
import type { HelloMessage } from '@switchboard/protocol';
import { ENV } from '../config/settings.module';
import type { Env } from '../config/env';
import { PrismaService } from '../database/prisma.service';
import { isOnline } from './online';

/** An agent as GET /api/v1/agents shows it. */
export interface AgentDto {
  id: string;
  name: string;
  hostname: string;
  version: string;
  protocolVersion: number;
  online: boolean;
  connectedAt: Date | null;
  lastSeenAt: Date;
  appliedRevision: number | null;
  appliedHash: string | null;
  /** The reason of the last nack, cleared by the next ack. */
  lastError: string | null;
}

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

  /** Registers (or re-registers, by name) an agent that said hello; returns its id. */
  async register(hello: HelloMessage): Promise<string> {
    const now = new Date();
    const fields = { hostname: hello.agent.hostname, version: hello.agent.version, protocolVersion: hello.protocolVersion, connectedAt: now, lastSeenAt: now };
    const row = await this.prisma.agent.upsert({ where: { name: hello.agent.name }, update: fields, create: { name: hello.agent.name, ...fields } });
    return row.id;
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
