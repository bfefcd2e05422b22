import { Inject, Injectable } from '@nestjs/common';
import type { AgentFigures, StatsMessage, StatsView } from '@switchboard/protocol';
import type { Env } from '../config/env';
import { ENV } from '../config/settings.module';
import { onlineWhere } from '../agents/online';
import { PrismaService } from '../database/prisma.service';
import { RevisionsService } from '../revisions/revisions.service';
import { sumFigures } from './stats.dto';

/**
 * Live per-member figures. Each agent's latest `stats` message is kept in the AgentStat table
 * (shared by replicas; runtime data, never part of a revision) and read back joined with the
 * latest configuration, counting only agents that are online.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly revisions: RevisionsService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  /**
   * Replaces the figures of `agentId` with those of `message` and marks the agent seen. Only
   * members of the snapshot last sent to that agent are written (`sent`: memberId → balancerId):
   * an agent cannot plant figures for members it was never given. Returns the ids dropped.
   */
  async record(agentId: string, message: StatsMessage, sent: ReadonlyMap<string, string>): Promise<string[]> {
    const known: StatsMessage['members'] = [];
    const dropped: string[] = [];
    for (const m of message.members) {
      if (sent.get(m.memberId) === m.balancerId) known.push(m);
      else dropped.push(m.memberId);
    }
    const memberIds = known.map((m) => m.memberId);
    await this.prisma.$transaction([
      this.prisma.agentStat.deleteMany({ where: { agentId, memberId: { notIn: memberIds } } }),
      ...known.map(({ memberId, ...figures }) => {
        const data = {
          ...figures,
          healthReason: figures.healthReason ?? null,
          elected: BigInt(figures.elected),
          bytesIn: BigInt(figures.bytesIn),
          bytesOut: BigInt(figures.bytesOut),
          failures: BigInt(figures.failures),
          closedByAgent: BigInt(figures.closedByAgent ?? 0),
        };
        return this.prisma.agentStat.upsert({ where: { agentId_memberId: { agentId, memberId } }, update: data, create: { agentId, memberId, ...data } });
      }),
      this.prisma.agent.update({ where: { id: agentId }, data: { lastSeenAt: new Date() } }),
    ]);
    await this.markDrained();
    return dropped;
  }

  /**
   * Stamps `drainedAt` on draining members whose open tunnels, summed over online agents, are
   * now zero (the drain's progress in the members API).
   */
  private async markDrained(): Promise<void> {
    const since = onlineWhere(this.env.SWITCHBOARD_AGENT_OFFLINE_MS).lastSeenAt.gte;
    await this.prisma.$executeRaw`
      UPDATE "Member" m SET "drainedAt" = now()
      WHERE m.state = 'draining' AND m."drainedAt" IS NULL
        AND NOT EXISTS (
          SELECT 1 FROM "AgentStat" s JOIN "Agent" a ON a.id = s."agentId"
          WHERE s."memberId" = m.id AND s."openTunnels" > 0 AND a."connectedAt" IS NOT NULL AND a."lastSeenAt" >= ${since})`;
  }

  /** Figures for every member of the latest configuration, summed over online agents. */
  async read(): Promise<StatsView> {
    const latest = await this.revisions.latest();
    const rows = await this.prisma.agentStat.findMany({
      where: { agent: onlineWhere(this.env.SWITCHBOARD_AGENT_OFFLINE_MS) },
      include: { agent: { select: { name: true } } },
      orderBy: { agentId: 'asc' },
    });
    const byMember = new Map<string, AgentFigures[]>();
    for (const row of rows) {
      const figures: AgentFigures = {
        agentId: row.agentId,
        agentName: row.agent.name,
        openTunnels: row.openTunnels,
        inflightRequests: row.inflightRequests,
        elected: Number(row.elected),
        bytesIn: Number(row.bytesIn),
        bytesOut: Number(row.bytesOut),
        failures: Number(row.failures),
        closedByAgent: Number(row.closedByAgent),
        health: row.health as AgentFigures['health'],
        healthReason: row.healthReason,
      };
      byMember.set(row.memberId, [...(byMember.get(row.memberId) ?? []), figures]);
    }
    const members = latest.config.balancers.flatMap((balancer) =>
      balancer.members.map((member) => {
        const agents = byMember.get(member.id) ?? [];
        return { balancerId: balancer.id, memberId: member.id, url: member.url, name: member.name, state: member.state, weight: member.weight, ...sumFigures(agents), agents };
      }),
    );
    return { at: new Date().toISOString(), revision: latest.number, members };
  }
}
